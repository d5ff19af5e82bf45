"""Reads for notifications: alerts, inboxes, delivery figures, who follows what.

An alert is fetched for a request only through ``get_alert_for_viewer`` (the people it
reached and the team that could have sent it; 404 for everyone else) or
``get_alert_for_sender`` (the team only; 403 for a recipient, 404 for the rest).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from beatbridge.accounts.permissions import is_administrator
from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.notify.models import (
    Alert,
    AlertDelivery,
    AlertReply,
    Audience,
    Channel,
    DeliveryStatus,
    Follow,
)
from beatbridge.notify.permissions import can_see_alert_figures
from beatbridge.places.models import Neighbourhood, Sector
from beatbridge.watch import selectors as watch_selectors

# Figures still moving: the figures page refreshes itself while any row is in these.
IN_PROGRESS = frozenset({DeliveryStatus.QUEUED, DeliveryStatus.SENDING})


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def alerts_to_scheme(scheme: Any) -> QuerySet[Alert]:
    """A watch scheme's messages to its members, newest first."""
    return (
        Alert.objects.filter(audience=Audience.SCHEME, scheme=scheme)
        .select_related("author")
        .order_by("-created_at")
    )


# --- a person's inbox ---------------------------------------------------------------------


# What an alert's listing shows of its neighbourhoods: their names and forces.
_ALERT_NEIGHBOURHOODS = Prefetch(
    "neighbourhoods", queryset=Neighbourhood.objects.select_related("force")
)
_ALERT_NEIGHBOURHOODS_OF_DELIVERY = Prefetch(
    "alert__neighbourhoods", queryset=Neighbourhood.objects.select_related("force")
)


def inbox_of(user: Any) -> QuerySet[AlertDelivery]:
    """The alerts that reached a person's in-app inbox, newest first (with their alert)."""
    return (
        AlertDelivery.objects.filter(recipient=user, channel=Channel.INBOX)
        .select_related("alert", "alert__sector", "alert__scheme")
        .prefetch_related(_ALERT_NEIGHBOURHOODS_OF_DELIVERY)
        .order_by("-created_at", "-pk")
    )


def unread_count(user: Any) -> int:
    """How many alerts in a person's inbox they have not opened yet."""
    if not _signed_in(user):
        return 0
    return AlertDelivery.objects.filter(
        recipient=user, channel=Channel.INBOX, read_at__isnull=True
    ).count()


def is_recipient(user: Any, alert: Alert) -> bool:
    """Whether the alert reached this person (on any channel): they may read and reply."""
    return _signed_in(user) and AlertDelivery.objects.filter(alert=alert, recipient=user).exists()


# --- one alert ----------------------------------------------------------------------------


def _alert(public_id: uuid.UUID | str) -> Alert:
    try:
        wanted = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(_("No such alert.")) from None
    alert = (
        Alert.objects.select_related("author", "sector", "scheme", "scheme__neighbourhood")
        .filter(public_id=wanted)
        .first()
    )
    if alert is None:
        raise NotFound(_("No such alert."))
    return alert


def get_alert_for_viewer(user: Any, public_id: uuid.UUID | str) -> Alert:
    """The alert, for a person it reached or the team that could have sent it; else 404."""
    alert = _alert(public_id)
    if not (is_recipient(user, alert) or can_see_alert_figures(user, alert)):
        raise NotFound(_("No such alert."))
    return alert


def get_alert_for_sender(user: Any, public_id: uuid.UUID | str) -> Alert:
    """The alert, for its author and team (figures, replies): 403 for a recipient, else 404."""
    alert = _alert(public_id)
    if can_see_alert_figures(user, alert):
        return alert
    if is_recipient(user, alert):
        raise PermissionDenied(_("Only the alert's sender and their team see this."))
    raise NotFound(_("No such alert."))


def replies_to(alert: Alert) -> QuerySet[AlertReply]:
    """The private replies to an alert, oldest first, with their authors."""
    return AlertReply.objects.filter(alert=alert).select_related("author").order_by("created_at")


def reply_of(user: Any, alert: Alert) -> QuerySet[AlertReply]:
    """What one person replied to an alert (they see their own replies, nobody else's)."""
    return AlertReply.objects.filter(alert=alert, author=user).order_by("created_at")


# --- delivery figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class FailureReason:
    channel: str
    status: str
    reason: str
    count: int


@dataclass(frozen=True)
class DeliveryFigures:
    """How an alert's deliveries stand: a count per channel and status, and why some failed.

    ``counts[channel][status]``; every channel and status is present (zero when none).
    """

    counts: dict[str, dict[str, int]]
    channel_totals: dict[str, int]
    status_totals: dict[str, int]
    total: int
    recipients: int
    read: int
    # False until every recipient's rows exist: before that the counts are not whole.
    fanned_out: bool = True
    failures: list[FailureReason] = field(default_factory=list)

    @property
    def in_progress(self) -> bool:
        return not self.fanned_out or any(self.status_totals[s] for s in IN_PROGRESS)

    @property
    def rows(self) -> list[tuple[str, str, list[int], int]]:
        """For a table: (channel, its label, counts in ``STATUSES`` order, its total)."""
        labels = dict(Channel.choices)
        return [
            (
                channel,
                str(labels[channel]),
                [self.counts[channel][s] for s in STATUSES],
                self.channel_totals[channel],
            )
            for channel in Channel.values
        ]

    @property
    def columns(self) -> list[tuple[str, str]]:
        labels = dict(DeliveryStatus.choices)
        return [(status, str(labels[status])) for status in STATUSES]

    @property
    def column_totals(self) -> list[int]:
        return [self.status_totals[status] for status in STATUSES]


# The order a figures table shows statuses in: the way a message goes.
STATUSES = [
    DeliveryStatus.QUEUED,
    DeliveryStatus.HELD,
    DeliveryStatus.SENDING,
    DeliveryStatus.SENT,
    DeliveryStatus.DELIVERED,
    DeliveryStatus.READ,
    DeliveryStatus.FAILED,
    DeliveryStatus.SKIPPED,
]


def delivery_figures(alert: Alert) -> DeliveryFigures:
    """Counts per channel and status (one grouped query) and the failure reasons (another).

    No person is named: the figures are counts, and reasons never hold an address.
    """
    counts: dict[str, dict[str, int]] = {
        channel: dict.fromkeys(STATUSES, 0) for channel in Channel.values
    }
    grouped = (
        AlertDelivery.objects.filter(alert=alert)
        .values_list("channel", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for channel, status, n in grouped:
        counts.setdefault(channel, dict.fromkeys(STATUSES, 0))[status] = n
    reasons = (
        AlertDelivery.objects.filter(
            alert=alert, status__in=[DeliveryStatus.FAILED, DeliveryStatus.SKIPPED]
        )
        .values_list("channel", "status", "last_error")
        .annotate(n=Count("pk"))
        .order_by("-n", "channel", "last_error")
    )
    status_totals: dict[str, int] = defaultdict(int)
    for by_status in counts.values():
        for status, n in by_status.items():
            status_totals[status] += n
    return DeliveryFigures(
        counts=counts,
        channel_totals={channel: sum(by.values()) for channel, by in counts.items()},
        status_totals=dict(status_totals),
        total=sum(status_totals.values()),
        recipients=alert.recipient_count,
        read=counts[Channel.INBOX][DeliveryStatus.READ],
        fanned_out=alert.fanned_out_at is not None,
        failures=[
            FailureReason(channel, status, reason or _("no reason given"), n)
            for channel, status, reason, n in reasons
        ],
    )


# --- what a team sent ---------------------------------------------------------------------


def neighbourhoods_user_may_alert(user: Any) -> list[Neighbourhood]:
    """The neighbourhoods whose followers a person may alert (their team's), by name."""
    from beatbridge.reports.selectors import neighbourhoods_to_triage

    return neighbourhoods_to_triage(user)


def sectors_user_may_alert(user: Any) -> list[Sector]:
    """Whole sectors: every sector for administrators, their force's for supervisors."""
    from beatbridge.reports.permissions import is_supervisor_of_force

    if not _signed_in(user):
        return []
    sectors = Sector.objects.select_related("force").order_by("force__name", "name")
    if is_administrator(user):
        return list(sectors)
    profile = getattr(user, "officer_profile", None)
    if profile is None or not is_supervisor_of_force(user, profile.force_id):
        return []
    return list(sectors.filter(force_id=profile.force_id))


def schemes_user_may_message(user: Any) -> list[Any]:
    """Running watch schemes a person may message: those they coordinate and, for a team,
    those in their neighbourhoods."""
    if not _signed_in(user):
        return []
    return watch_selectors.schemes_messageable_by(
        user,
        [n.pk for n in neighbourhoods_user_may_alert(user)],
        every_scheme=is_administrator(user),
    )


def get_scheme_for_sender(user: Any, scheme_id: int) -> Any:
    """A scheme the person may message (to preselect it when composing); 404 otherwise."""
    for scheme in schemes_user_may_message(user):
        if scheme.pk == scheme_id:
            return scheme
    raise NotFound(_("No such watch scheme, or you may not message it."))


def may_send_alerts(user: Any) -> bool:
    """Whether the compose page has any audience to offer this person."""
    return bool(
        is_administrator(user)
        or neighbourhoods_user_may_alert(user)
        or schemes_user_may_message(user)
    )


def _with_unread_replies(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    unread = (
        AlertReply.objects.filter(alert=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("alert")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return alerts.annotate(
        unread_replies=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
    )


def alerts_sent_by_team(user: Any) -> QuerySet[Alert]:
    """Alerts the person sent or their team could have sent, newest first, each with its
    count of unread replies.

    A team is the neighbourhoods the person may alert (a force's for its supervisors),
    its sectors for supervisors, and the schemes they may message; administrators see all.
    Area alerts are their author's (and administrators').
    """
    if not _signed_in(user):
        return Alert.objects.none()
    alerts = Alert.objects.select_related("author", "sector", "scheme").prefetch_related(
        _ALERT_NEIGHBOURHOODS
    )
    if not is_administrator(user):
        neighbourhood_ids = [n.pk for n in neighbourhoods_user_may_alert(user)]
        through = Alert.neighbourhoods.through.objects.filter(
            neighbourhood_id__in=neighbourhood_ids
        ).values("alert_id")
        alerts = alerts.filter(
            Q(author=user)
            | Q(pk__in=through)
            | Q(sector__in=[s.pk for s in sectors_user_may_alert(user)])
            | Q(scheme__in=[s.pk for s in schemes_user_may_message(user)])
        )
    return _with_unread_replies(alerts).order_by("-created_at", "-pk")


# --- following ----------------------------------------------------------------------------


def follows_of(user: Any) -> QuerySet[Follow]:
    """The places a person follows: neighbourhoods (with their force) and areas."""
    return (
        Follow.objects.filter(user=user)
        .select_related("neighbourhood", "neighbourhood__force")
        .order_by(F("neighbourhood").asc(nulls_last=True), "created_at", "pk")
    )


def follow_of_neighbourhood(user: Any, neighbourhood: Neighbourhood) -> Follow | None:
    """The person's follow of this neighbourhood, if they follow it (for a Follow button)."""
    if not _signed_in(user):
        return None
    return Follow.objects.filter(user=user, neighbourhood=neighbourhood).first()


# --- what an API request names ------------------------------------------------------------


def sector_by_slug(force: str, slug: str) -> Sector | None:
    """A sector named in a request (whether the person may alert it is the service's rule)."""
    return Sector.objects.select_related("force").filter(force__slug=force, slug=slug).first()


def scheme_by_id(scheme_id: int) -> Any:
    """A watch scheme named in a request (whether the person may message it is the service's)."""
    return watch_selectors.scheme_by_id(scheme_id)
