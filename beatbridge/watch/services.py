"""Writes for neighbourhood watch: proposing and deciding schemes, membership and roles,
the patrol rota, and marking quiet schemes dormant.

Every function checks who may act, validates its input (a DomainError names the field),
runs in one transaction, and repeats harmlessly when a double click sends it twice.
The team's actions are audited; a coordinator's decisions are recorded on the membership
(``decided_by``). Membership and rota changes are the scheme's activity (``note_activity``).
"""

from __future__ import annotations

import datetime
from typing import Any

import shapely
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from beatbridge import limits
from beatbridge.audit.services import record as audit
from beatbridge.errors import Conflict, DomainError, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.places.services import clean_boundary
from beatbridge.watch.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    RotaSignup,
    RotaSlot,
    Scheme,
    SchemeStatus,
)
from beatbridge.watch.permissions import (
    RUNNING_STATUSES,
    can_manage_roles,
    can_run,
    is_member,
    is_signed_in,
    is_team,
)
from beatbridge.web.validation import clean_text, refuse_nul_characters

# An active scheme with nothing happening for this long is marked dormant.
WATCH_DORMANT_AFTER_DAYS = 90
MAX_STREETS = 50
STREET_MAX = 100
MAX_AREA_POSITIONS = 500
# Share of a drawn area that must lie inside the neighbourhood ("mostly inside").
AREA_INSIDE_SHARE = 0.9
MAX_WAITING_PROPOSALS = 3
MAX_SLOT_LENGTH = datetime.timedelta(hours=12)
MAX_SLOT_AHEAD = datetime.timedelta(days=366)
MAX_PLACES = 50
JOIN_REQUESTS_PER_HOUR = 10

# Where a scheme may move to, and who decides: the team only.
TEAM_STATUSES = (SchemeStatus.ACTIVE, SchemeStatus.DORMANT, SchemeStatus.CLOSED)


def note_activity(scheme: Scheme) -> None:
    """Something happened in the scheme (a message, a member, a rota sign-up)."""
    Scheme.objects.filter(pk=scheme.pk).update(last_activity_at=timezone.now())


def _signed_in(user: Any) -> None:
    if not is_signed_in(user):
        raise PermissionDenied(_("Sign in first."), code="sign_in_required")


def _lock_scheme(scheme: Scheme) -> Scheme:
    return Scheme.objects.select_for_update().select_related("neighbourhood").get(pk=scheme.pk)


def _membership(scheme: Scheme, user: Any) -> Membership | None:
    return Membership.objects.filter(scheme=scheme, user=user).first()


def _refuse_unless_running(scheme: Scheme, field: str | None = None) -> None:
    if scheme.status not in RUNNING_STATUSES:
        raise DomainError(_("This scheme is not running."), field=field, code="not_running")


# --- proposing and deciding schemes -------------------------------------------------------


def clean_streets(value: object) -> list[str]:
    """Street names, stripped, without blanks or repeats (ignoring case), at most 50."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise DomainError(_("Give the streets as a list of names."), field="streets")
    streets: dict[str, str] = {}
    for name in value:
        street = clean_text(
            name, field="streets", label=_("each street name"), max_length=STREET_MAX
        )
        if street:
            streets.setdefault(street.casefold(), street)
    if len(streets) > MAX_STREETS:
        raise DomainError(
            _("List at most %(count)d streets.") % {"count": MAX_STREETS}, field="streets"
        )
    return list(streets.values())


def clean_area(value: object, neighbourhood: Neighbourhood) -> dict[str, Any] | None:
    """A GeoJSON Polygon (lon/lat) lying (at least 90%) inside the neighbourhood, or None.

    Checked by the rules of neighbourhood boundaries (closed rings, coordinates in range,
    a valid shape); a self-crossing one that repairs to a single polygon is kept repaired.
    """
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict) or value.get("type") != "Polygon":
        raise DomainError(
            _("Draw the area as one GeoJSON Polygon."), field="area", code="invalid_area"
        )
    coordinates = value.get("coordinates")
    if isinstance(coordinates, list) and sum(
        len(ring) if isinstance(ring, list) else 1 for ring in coordinates
    ) > (MAX_AREA_POSITIONS):
        raise DomainError(
            _("The area has too many corners: at most %(count)d.") % {"count": MAX_AREA_POSITIONS},
            field="area",
            code="invalid_area",
        )
    try:
        cleaned = clean_boundary({"type": "Polygon", "coordinates": coordinates})
    except DomainError as error:
        raise DomainError(error.message, field="area", code="invalid_area") from None
    if cleaned.geojson.get("type") != "Polygon":
        raise DomainError(
            _("Draw the area as one shape whose edges do not cross."),
            field="area",
            code="invalid_area",
        )
    area = shape(cleaned.geojson)
    boundary = shapely.make_valid(shape(neighbourhood.boundary))
    if area.area == 0 or area.intersection(boundary).area / area.area < AREA_INSIDE_SHARE:
        raise DomainError(
            _("The area must lie inside %(name)s.") % {"name": neighbourhood.name},
            field="area",
            code="outside_neighbourhood",
        )
    return cleaned.geojson


def propose_scheme(
    *,
    by: Any,
    neighbourhood: Neighbourhood,
    name: str,
    description: str = "",
    streets: object = None,
    area: object = None,
) -> Scheme:
    """A signed-in resident proposes a scheme; the neighbourhood's team approves it.

    It covers some streets, an area drawn inside the neighbourhood, or both. The proposer
    becomes its coordinator once it is approved. Proposing the same name again while it
    waits returns the same proposal; another scheme of that name is refused. A person
    may have at most three proposals waiting.
    """
    _signed_in(by)
    refuse_nul_characters({"name": name, "description": description, "streets": streets})
    name = clean_text(name, field="name", label=_("a name"), max_length=120, required=True)
    description = clean_text(
        description, field="description", label=_("a description"), max_length=2000
    )
    cleaned_streets = clean_streets(streets)
    cleaned_area = clean_area(area, neighbourhood)
    if not cleaned_streets and cleaned_area is None:
        raise DomainError(
            _("List the streets the scheme covers, or draw its area."),
            field="streets",
            code="required",
        )
    with transaction.atomic():
        same = Scheme.objects.filter(neighbourhood=neighbourhood, name__iexact=name).first()
        if same is not None:
            if same.proposed_by_id == by.pk and same.status == SchemeStatus.PROPOSED:
                return same
            raise Conflict(
                _("%(name)s already has a scheme of that name.") % {"name": neighbourhood.name},
                field="name",
                code="name_taken",
            )
        waiting = Scheme.objects.filter(proposed_by=by, status=SchemeStatus.PROPOSED).count()
        if waiting >= MAX_WAITING_PROPOSALS:
            raise DomainError(
                _("You have %(count)d proposals waiting for the team; wait for their answer.")
                % {"count": waiting},
                field="name",
                code="too_many_proposals",
            )
        try:
            with transaction.atomic():
                scheme = Scheme.objects.create(
                    neighbourhood=neighbourhood,
                    name=name,
                    description=description,
                    streets=cleaned_streets,
                    area=cleaned_area,
                    proposed_by=by,
                )
        except IntegrityError:
            # A concurrent twin won the race for the name.
            raise Conflict(
                _("%(name)s already has a scheme of that name.") % {"name": neighbourhood.name},
                field="name",
                code="name_taken",
            ) from None
        Membership.objects.create(
            scheme=scheme,
            user=by,
            role=MemberRole.COORDINATOR,
            status=MembershipStatus.REQUESTED,
        )
    return scheme


def decide_scheme(*, by: Any, scheme: Scheme, approve: bool, note: str = "") -> Scheme:
    """The neighbourhood's team approves a proposal (it becomes active and its proposer its
    coordinator) or declines it, with a note (required to decline). Audited.

    Deciding the same way again changes nothing; a decided proposal cannot be re-decided.
    """
    if not is_team(by, scheme.neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team may decide on schemes."))
    refuse_nul_characters({"note": note})
    note = clean_text(
        note,
        field="note",
        label=_("a note for the proposer"),
        max_length=1000,
        required=not approve,
    )
    with transaction.atomic():
        scheme = _lock_scheme(scheme)
        wanted = SchemeStatus.ACTIVE if approve else SchemeStatus.DECLINED
        if scheme.status != SchemeStatus.PROPOSED:
            if scheme.decided_by_id is not None and (
                scheme.status == wanted or (approve and scheme.status in TEAM_STATUSES)
            ):
                return scheme
            raise Conflict(
                _("This scheme has already been decided."), field=None, code="already_decided"
            )
        proposer_waiting = Membership.objects.filter(
            scheme=scheme, user_id=scheme.proposed_by_id, status=MembershipStatus.REQUESTED
        ).exists()
        if approve and not proposer_waiting:
            # Approved, it would run with nobody to coordinate it.
            raise Conflict(
                _("The proposer has withdrawn: there is nobody to coordinate this scheme."),
                field=None,
                code="proposer_withdrew",
            )
        now = timezone.now()
        scheme.status = wanted
        scheme.decided_by = by
        scheme.decided_at = now
        scheme.decision_note = note
        scheme.last_activity_at = now
        scheme.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_note",
                "last_activity_at",
            ]
        )
        Membership.objects.filter(
            scheme=scheme, user_id=scheme.proposed_by_id, status=MembershipStatus.REQUESTED
        ).update(
            status=MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED,
            decided_by=by,
            decided_at=now,
        )
        audit(
            actor=by,
            action="watch_scheme.approved" if approve else "watch_scheme.declined",
            target=scheme,
        )
    return scheme


def set_status(*, by: Any, scheme: Scheme, status: str) -> Scheme:
    """The team marks a decided scheme active, dormant or closed. Audited."""
    if not is_team(by, scheme.neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team may change a scheme's status."))
    if status not in TEAM_STATUSES:
        raise DomainError(_("Choose active, dormant or closed."), field="status")
    with transaction.atomic():
        scheme = _lock_scheme(scheme)
        if scheme.status not in TEAM_STATUSES:
            raise DomainError(
                _("Decide on the proposal first."), field="status", code="not_decided"
            )
        if scheme.status == status:
            return scheme
        previous = scheme.status
        scheme.status = status
        fields = ["status"]
        if status == SchemeStatus.ACTIVE:
            # Reopened or revived: the dormancy clock starts again.
            scheme.last_activity_at = timezone.now()
            fields.append("last_activity_at")
        scheme.save(update_fields=fields)
        audit(
            actor=by,
            action="watch_scheme.status_changed",
            target=scheme,
            detail={"from": previous, "to": status},
        )
    return scheme


def mark_dormant_schemes(*, now: datetime.datetime | None = None) -> int:
    """Mark dormant every active scheme with no activity for WATCH_DORMANT_AFTER_DAYS days.

    Returns how many; each is audited as the system's action.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=WATCH_DORMANT_AFTER_DAYS)
    with transaction.atomic():
        quiet = list(
            Scheme.objects.select_for_update()
            .filter(status=SchemeStatus.ACTIVE, last_activity_at__lt=cutoff)
            .order_by("pk")
        )
        for scheme in quiet:
            scheme.status = SchemeStatus.DORMANT
            scheme.save(update_fields=["status"])
            audit(
                actor=None,
                action="watch_scheme.marked_dormant",
                target=scheme,
                detail={"quiet_days": WATCH_DORMANT_AFTER_DAYS},
            )
    return len(quiet)


# --- membership ---------------------------------------------------------------------------


def request_membership(*, user: Any, scheme: Scheme, note: str = "") -> Membership:
    """A signed-in person asks to join a running scheme, with a short note to its
    coordinators. Asking again while waiting, or once a member, returns the same membership;
    someone who left may ask again; someone declined may not."""
    _signed_in(user)
    refuse_nul_characters({"note": note})
    note = clean_text(note, field="note", label=_("your note"), max_length=300)
    counter = limits.counter(
        "watch-join", "user", JOIN_REQUESTS_PER_HOUR, str(user.pk), window_seconds=3600
    )
    with transaction.atomic():
        scheme = _lock_scheme(scheme)
        _refuse_unless_running(scheme)
        membership = _membership(scheme, user)
        if membership is not None and membership.status in (
            MembershipStatus.REQUESTED,
            MembershipStatus.APPROVED,
        ):
            return membership
        if membership is not None and membership.status == MembershipStatus.DECLINED:
            raise DomainError(
                _("The coordinators declined your request to join this scheme."),
                field=None,
                code="declined",
            )
        limits.refuse_over_limit(
            [counter],
            message=_("You have asked to join many schemes this hour. Try again later."),
            field=None,
        )
        now = timezone.now()
        if membership is None:
            membership = Membership.objects.create(
                scheme=scheme, user=user, note=note, requested_at=now
            )
        else:
            membership.status = MembershipStatus.REQUESTED
            membership.role = MemberRole.MEMBER
            membership.note = note
            membership.requested_at = now
            membership.decided_by = None
            membership.decided_at = None
            membership.save(
                update_fields=["status", "role", "note", "requested_at", "decided_by", "decided_at"]
            )
        note_activity(scheme)
    limits.count_attempt([counter])
    return membership


def _lock_membership(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("scheme__neighbourhood")
        .get(pk=membership.pk)
    )


def decide_membership(*, by: Any, membership: Membership, approve: bool) -> Membership:
    """A coordinator or deputy approves or declines a request to join. Deciding the same
    way again changes nothing; a member is removed by ``leave_scheme``, not a decision."""
    _signed_in(by)
    with transaction.atomic():
        membership = _lock_membership(membership)
        scheme = membership.scheme
        if not can_run(by, scheme, _membership(scheme, by)):
            raise PermissionDenied(_("Only the scheme's coordinators may decide who joins."))
        wanted = MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED
        if membership.status == wanted:
            return membership
        if membership.status != MembershipStatus.REQUESTED:
            raise Conflict(
                _("This request has already been answered."), field=None, code="already_decided"
            )
        _refuse_unless_running(scheme)
        membership.status = wanted
        membership.decided_by = by
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_by", "decided_at"])
        note_activity(scheme)
    return membership


def _refuse_losing_last_coordinator(membership: Membership) -> None:
    others = (
        Membership.objects.filter(
            scheme_id=membership.scheme_id,
            status=MembershipStatus.APPROVED,
            role=MemberRole.COORDINATOR,
        )
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise DomainError(
            _("A scheme needs a coordinator: make another member coordinator first."),
            field="role",
            code="last_coordinator",
        )


def set_member_role(*, by: Any, membership: Membership, role: str) -> Membership:
    """A coordinator (or the team) makes a member a coordinator, a deputy or a plain member.

    A scheme always keeps at least one coordinator. The team's changes are audited.
    """
    if role not in MemberRole.values:
        raise DomainError(_("Choose coordinator, deputy or member."), field="role")
    _signed_in(by)
    with transaction.atomic():
        # Lock the scheme first: two coordinators demoting each other at once must not
        # both succeed and leave the scheme without one.
        scheme = _lock_scheme(membership.scheme)
        membership = _lock_membership(membership)
        own = _membership(scheme, by)
        if not can_manage_roles(by, scheme, own):
            raise PermissionDenied(_("Only the scheme's coordinators may change roles."))
        if not is_member(membership):
            raise DomainError(
                _("Only approved members can be given a role."), field="role", code="not_member"
            )
        if membership.role == role:
            return membership
        if membership.role == MemberRole.COORDINATOR:
            _refuse_losing_last_coordinator(membership)
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        note_activity(scheme)
        if not can_run(by, scheme, own):
            audit(
                actor=by,
                action="watch_membership.role_changed",
                target=membership,
                detail={"scheme": scheme.pk, "from": previous, "to": role},
            )
    return membership


def leave_scheme(*, user: Any, scheme: Scheme) -> Membership | None:
    """A member leaves (or withdraws a request); their future rota sign-ups go with them.

    The last coordinator cannot leave: they hand the role on first, or ask the team to
    close the scheme. Leaving again changes nothing.
    """
    _signed_in(user)
    with transaction.atomic():
        scheme = _lock_scheme(scheme)
        membership = _membership(scheme, user)
        if membership is None or membership.status not in (
            MembershipStatus.REQUESTED,
            MembershipStatus.APPROVED,
        ):
            return membership
        if (
            membership.status == MembershipStatus.APPROVED
            and membership.role == MemberRole.COORDINATOR
            and scheme.status != SchemeStatus.CLOSED
        ):
            _refuse_losing_last_coordinator(membership)
        membership.status = MembershipStatus.LEFT
        membership.role = MemberRole.MEMBER
        membership.save(update_fields=["status", "role"])
        RotaSignup.objects.filter(member=membership, slot__starts_at__gt=timezone.now()).delete()
        note_activity(scheme)
    return membership


def set_receives_messages(*, user: Any, scheme: Scheme, receives: bool) -> Membership:
    """A member keeps their place but stops (or restarts) the scheme's messages."""
    _signed_in(user)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(scheme=scheme, user=user).first()
        if membership is None or not is_member(membership):
            raise PermissionDenied(_("Only the scheme's members receive its messages."))
        if membership.receives_messages != receives:
            membership.receives_messages = receives
            membership.save(update_fields=["receives_messages"])
    return membership


# --- the rota -----------------------------------------------------------------------------


def add_rota_slot(
    *,
    by: Any,
    scheme: Scheme,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    route: str = "",
    places: int = 2,
) -> RotaSlot:
    """A coordinator or deputy adds a patrol or "eyes on the street" slot in the future,
    at most 12 hours long, for 1 to 50 people."""
    _signed_in(by)
    refuse_nul_characters({"route": route})
    route = clean_text(route, field="route", label=_("the route or place"), max_length=200)
    now = timezone.now()
    if starts_at is None or timezone.is_naive(starts_at):
        raise DomainError(_("Enter when the slot starts."), field="starts_at", code="required")
    if ends_at is None or timezone.is_naive(ends_at):
        raise DomainError(_("Enter when the slot ends."), field="ends_at", code="required")
    if starts_at <= now:
        raise DomainError(
            _("The start must be in the future."), field="starts_at", code="in_the_past"
        )
    if starts_at > now + MAX_SLOT_AHEAD:
        raise DomainError(_("Plan at most a year ahead."), field="starts_at", code="too_far")
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")
    if ends_at - starts_at > MAX_SLOT_LENGTH:
        raise DomainError(_("A slot lasts at most 12 hours."), field="ends_at", code="too_long")
    if isinstance(places, bool) or not isinstance(places, int) or not 1 <= places <= MAX_PLACES:
        raise DomainError(
            _("Ask for between 1 and %(max)d people.") % {"max": MAX_PLACES}, field="places"
        )
    with transaction.atomic():
        scheme = _lock_scheme(scheme)
        if not can_run(by, scheme, _membership(scheme, by)):
            raise PermissionDenied(_("Only the scheme's coordinators may keep the rota."))
        _refuse_unless_running(scheme)
        slot = RotaSlot.objects.create(
            scheme=scheme,
            starts_at=starts_at,
            ends_at=ends_at,
            route=route,
            places=places,
            created_by=by,
        )
        note_activity(scheme)
    return slot


def cancel_rota_slot(*, by: Any, slot: RotaSlot) -> RotaSlot:
    """A coordinator or deputy cancels a slot that has not started; again changes nothing."""
    _signed_in(by)
    with transaction.atomic():
        slot = RotaSlot.objects.select_for_update().select_related("scheme").get(pk=slot.pk)
        if not can_run(by, slot.scheme, _membership(slot.scheme, by)):
            raise PermissionDenied(_("Only the scheme's coordinators may keep the rota."))
        if slot.cancelled_at is not None:
            return slot
        if slot.starts_at <= timezone.now():
            raise DomainError(_("This slot has already started."), field="slot", code="started")
        slot.cancelled_at = timezone.now()
        slot.save(update_fields=["cancelled_at"])
        note_activity(slot.scheme)
    return slot


def _open_slot(slot: RotaSlot) -> RotaSlot:
    locked = RotaSlot.objects.select_for_update().select_related("scheme").get(pk=slot.pk)
    if locked.cancelled_at is not None:
        raise DomainError(_("This slot was cancelled."), field="slot", code="cancelled")
    if locked.starts_at <= timezone.now():
        raise DomainError(_("This slot has already started."), field="slot", code="started")
    return locked


def sign_up(*, user: Any, slot: RotaSlot) -> RotaSignup:
    """An approved member signs up for a slot that has not started and has a place left.
    Signing up again returns the same sign-up."""
    _signed_in(user)
    with transaction.atomic():
        slot = _open_slot(slot)
        membership = _membership(slot.scheme, user)
        if membership is None or not is_member(membership):
            raise PermissionDenied(_("Only the scheme's members may sign up."))
        _refuse_unless_running(slot.scheme, "slot")
        existing = RotaSignup.objects.filter(slot=slot, member=membership).first()
        if existing is not None:
            return existing
        if RotaSignup.objects.filter(slot=slot).count() >= slot.places:
            raise Conflict(_("Every place on this slot is taken."), field="slot", code="full")
        signup = RotaSignup.objects.create(slot=slot, member=membership)
        note_activity(slot.scheme)
    return signup


def withdraw(*, user: Any, slot: RotaSlot) -> bool:
    """A member takes their name off a slot that has not started; True if it was there."""
    _signed_in(user)
    with transaction.atomic():
        slot = RotaSlot.objects.select_for_update().select_related("scheme").get(pk=slot.pk)
        if slot.starts_at <= timezone.now():
            raise DomainError(_("This slot has already started."), field="slot", code="started")
        deleted, _rows = RotaSignup.objects.filter(slot=slot, member__user=user).delete()
        if deleted:
            note_activity(slot.scheme)
    return bool(deleted)
