"""Reads for reports: the triage inbox, the public list, a reporter's own, and one report.

Every function that returns a report for a request goes through the permission
functions: ``get_report_for_user`` (to read) and ``get_report_for_triage`` (to
handle) are the only ways a page or API fetches a single report.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.places.geo import distance_metres
from beatbridge.places.models import Force, Neighbourhood, Sector
from beatbridge.reports.models import (
    CLOSED_STATUSES,
    Category,
    GuardrailTrigger,
    Report,
    ReportKind,
    ReportUpdate,
    Status,
)
from beatbridge.reports.permissions import (
    can_see_report,
    can_triage_neighbourhood,
    can_triage_report,
    is_supervisor_of_force,
)
from beatbridge.reports.services import hash_follow_up_code

_METRES_PER_DEGREE = 111_320

INBOX_SORTS = {
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "priority": ("priority", "created_at", "id"),
    "updated": ("-updated_at", "-id"),
}


# --- categories ---------------------------------------------------------------------------


def categories_of(force: Force | int, *, kind: str | None = None) -> QuerySet[Category]:
    """The force's active categories, grouped, with their questions: what a form offers."""
    force_id = force if isinstance(force, int) else force.pk
    categories = Category.objects.filter(force_id=force_id, is_active=True)
    if kind is not None:
        categories = categories.filter(kind=kind)
    return categories.prefetch_related("questions").order_by("group", "position", "name")


def get_category(force: Force | int, code: str) -> Category:
    force_id = force if isinstance(force, int) else force.pk
    category = (
        Category.objects.filter(force_id=force_id, code=code).prefetch_related("questions").first()
    )
    if category is None:
        raise NotFound(
            _("There is no category “%(code)s”.") % {"code": code[:64]}, field="category"
        )
    return category


# --- one report ---------------------------------------------------------------------------


def _with_related(reports: QuerySet[Report]) -> QuerySet[Report]:
    # A neighbourhood's boundary can be large and no report page draws it.
    return reports.select_related(
        "category", "neighbourhood", "force", "assigned_to", "duplicate_of", "reporter"
    ).defer("neighbourhood__boundary")


def get_report_for_user(user: Any, reference: str) -> Report:
    """A report its reader may see: NotFound otherwise, whether or not it exists."""
    # Anything but letters and digits is no reference (PostgreSQL refuses a NUL outright).
    well_formed = reference.isascii() and reference.isalnum() and len(reference) <= 16
    report = (
        _with_related(Report.staff_objects.all()).filter(reference=reference).first()
        if well_formed
        else None
    )
    if report is None or not can_see_report(user, report):
        raise NotFound(
            _("There is no report %(reference)s.") % {"reference": reference[:16]},
            field="reference",
        )
    return report


def get_report_for_triage(user: Any, reference: str) -> Report:
    """A report its reader may handle: NotFound if they may not see it, PermissionDenied if they
    may see it but not handle it."""
    report = get_report_for_user(user, reference)
    if not can_triage_report(user, report):
        raise PermissionDenied(_("You may not handle this report."), field="reference")
    return report


def get_report_by_follow_up_code(code: str) -> Report | None:
    """The anonymous submission a follow-up code belongs to, or None."""
    return (
        _with_related(Report.staff_objects.all())
        .filter(follow_up_code_hash=hash_follow_up_code(code))
        .first()
    )


def history_of(report: Report, *, staff: bool) -> QuerySet[ReportUpdate]:
    """The report's updates in order: all of them for staff, the public ones otherwise.

    The reporter's own additions are shown to the reporter and staff, never to the public;
    callers showing the public list pass ``staff=False`` and filter with ``public_updates``.
    """
    updates = report.updates.select_related("author__officer_profile")
    if staff:
        return updates
    return updates.filter(Q(is_public=True) | Q(kind="reporter"))


def public_updates(report: Report) -> QuerySet[ReportUpdate]:
    return report.updates.filter(is_public=True)


# --- lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilters:
    statuses: tuple[str, ...] = ()
    category_id: int | None = None
    kind: str = ""
    assigned_to_id: int | None = None
    unassigned: bool = False
    priority: int | None = None
    open_only: bool = True
    sort: str = "oldest"
    search: str = ""


def _filtered(reports: QuerySet[Report], filters: InboxFilters) -> QuerySet[Report]:
    if filters.statuses:
        reports = reports.filter(status__in=filters.statuses)
    elif filters.open_only:
        reports = reports.exclude(status__in=CLOSED_STATUSES)
    if filters.category_id:
        reports = reports.filter(category_id=filters.category_id)
    if filters.kind:
        reports = reports.filter(kind=filters.kind)
    if filters.unassigned:
        reports = reports.filter(assigned_to__isnull=True)
    elif filters.assigned_to_id:
        reports = reports.filter(assigned_to_id=filters.assigned_to_id)
    if filters.priority:
        reports = reports.filter(priority=filters.priority)
    if filters.search:
        term = filters.search.strip()
        reports = reports.filter(Q(reference__iexact=term) | Q(description__icontains=term))
    return reports.order_by(*INBOX_SORTS.get(filters.sort, INBOX_SORTS["oldest"]))


def inbox(neighbourhood: Neighbourhood, filters: InboxFilters = InboxFilters()) -> QuerySet[Report]:
    """A neighbourhood's reports for its team, oldest open first by default."""
    return _filtered(
        _with_related(Report.staff_objects.filter(neighbourhood=neighbourhood)), filters
    )


def sector_inbox(sector: Sector, filters: InboxFilters = InboxFilters()) -> QuerySet[Report]:
    """Every report of a sector's neighbourhoods: the supervisor's view."""
    return _filtered(
        _with_related(Report.staff_objects.filter(neighbourhood__sector=sector)), filters
    )


def unplaced_inbox(force: Force, filters: InboxFilters = InboxFilters()) -> QuerySet[Report]:
    """Reports of a force that no neighbourhood holds (given by address only)."""
    return _filtered(
        _with_related(Report.staff_objects.filter(force=force, neighbourhood__isnull=True)),
        filters,
    )


def status_counts(reports: QuerySet[Report]) -> dict[str, int]:
    """How many reports are in each status, every status present (zero when none)."""
    counts = dict(
        reports.order_by()
        .values_list("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    return {status: counts.get(status, 0) for status in Status.values}


def neighbourhoods_to_triage(user: Any) -> list[Neighbourhood]:
    """The neighbourhoods whose inbox a person may open, by force and name."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return []
    candidates = Neighbourhood.objects.select_related("force", "sector").order_by(
        "force__name", "name"
    )
    profile = getattr(user, "officer_profile", None)
    if not user.is_superuser and user.role != "administrator":
        if profile is None:
            return []
        if is_supervisor_of_force(user, profile.force_id):
            candidates = candidates.filter(force_id=profile.force_id)
        else:
            from beatbridge.accounts.models import TeamAssignment

            serving = TeamAssignment.objects.current().filter(officer=profile)
            candidates = candidates.filter(pk__in=serving.values("neighbourhood_id"))
    return [n for n in candidates if can_triage_neighbourhood(user, n)]


def reports_of(user: Any) -> QuerySet[Report]:
    """A signed-in person's own reports, newest first."""
    return (
        Report.staff_objects.filter(reporter=user)
        .select_related("category", "neighbourhood")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class PublicFilters:
    """What a public list or feed narrows to; a field left empty or None is not applied.

    ``since`` is inclusive and ``until`` exclusive, so consecutive periods never overlap.
    """

    references: tuple[str, ...] | None = None
    statuses: tuple[str, ...] = ()
    category_codes: tuple[str, ...] = ()
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    closed: bool | None = None


def public_reports(
    *,
    force: Force | None = None,
    neighbourhood: Neighbourhood | None = None,
    filters: PublicFilters = PublicFilters(),
) -> QuerySet[Report]:
    """What anyone may see of a force's or a neighbourhood's reports, newest first.

    Only ``Report.public_objects``, for the public pages, the API and Open311 alike. Each
    report's public updates are in ``public_history``, oldest first.
    """
    reports = Report.public_objects.all()
    if neighbourhood is not None:
        reports = reports.filter(neighbourhood=neighbourhood)
    if force is not None:
        reports = reports.filter(force=force)
    if filters.references is not None:
        reports = reports.filter(reference__in=list(filters.references))
    if filters.statuses:
        reports = reports.filter(status__in=filters.statuses)
    if filters.category_codes:
        reports = reports.filter(category__code__in=filters.category_codes)
    if filters.since is not None:
        reports = reports.filter(created_at__gte=filters.since)
    if filters.until is not None:
        reports = reports.filter(created_at__lt=filters.until)
    if filters.closed is True:
        reports = reports.filter(status__in=CLOSED_STATUSES)
    elif filters.closed is False:
        reports = reports.exclude(status__in=CLOSED_STATUSES)
    return (
        reports.select_related("category", "neighbourhood")
        .defer("neighbourhood__boundary")
        .order_by("-created_at", "-id")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ReportUpdate.objects.filter(is_public=True),
                to_attr="public_history",
            )
        )
    )


def public_report_features(reports: Iterable[Report]) -> dict[str, Any]:
    """GeoJSON of reports at their approximate (public) places, no reporter, no description."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [report.public_longitude, report.public_latitude],
                },
                "properties": {
                    "reference": report.reference,
                    "category": report.category.local_name,
                    "status": report.get_status_display(),
                    "reported": report.created_at.date().isoformat(),
                },
            }
            for report in reports
            if report.public_latitude is not None
        ],
    }


# --- duplicates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    report: Report
    distance_metres: int | None
    apart: datetime.timedelta = field(default=datetime.timedelta())


def duplicate_candidates(
    report: Report, *, viewer: Any, limit: int = 10
) -> list[DuplicateCandidate]:
    """Reports that may be the same matter: same category, near in place and time.

    Within ``REPORT_DUPLICATE_DISTANCE_METRES`` and ``REPORT_DUPLICATE_WINDOW_DAYS``,
    nearest first; a report with no point matches on the same address text. Only reports
    ``viewer`` may handle are offered: a suggestion shows a report's reference and place.
    """
    # Whether the viewer may handle a report depends on its force and neighbourhood only.
    allowed: dict[tuple[int, int | None], bool] = {}
    offered = []
    for candidate in _nearby_same_category(report):
        where = (candidate.report.force_id, candidate.report.neighbourhood_id)
        if where not in allowed:
            allowed[where] = can_triage_report(viewer, candidate.report)
        if allowed[where]:
            offered.append(candidate)
    return offered[:limit]


def _nearby_same_category(report: Report) -> list[DuplicateCandidate]:
    window = datetime.timedelta(days=settings.REPORT_DUPLICATE_WINDOW_DAYS)
    candidates = (
        Report.staff_objects.filter(
            category_id=report.category_id,
            created_at__gte=report.created_at - window,
            created_at__lte=report.created_at + window,
        )
        .exclude(pk=report.pk)
        .exclude(status=Status.DUPLICATE)
        .select_related("category", "neighbourhood")
    )
    if report.latitude is None or report.longitude is None:
        if not report.address:
            return []
        matches = candidates.filter(address__iexact=report.address)[:200]
        return [DuplicateCandidate(m, None, abs(m.created_at - report.created_at)) for m in matches]
    metres = settings.REPORT_DUPLICATE_DISTANCE_METRES
    lat_span = metres / _METRES_PER_DEGREE
    lng_span = lat_span / max(math.cos(math.radians(report.latitude)), 0.01)
    nearby = candidates.filter(
        latitude__range=(report.latitude - lat_span, report.latitude + lat_span),
        longitude__range=(report.longitude - lng_span, report.longitude + lng_span),
    )[:200]
    found = []
    for other in nearby:
        distance = distance_metres(
            report.latitude, report.longitude, other.latitude, other.longitude
        )
        if distance <= metres:
            found.append(
                DuplicateCandidate(
                    other, round(distance), abs(other.created_at - report.created_at)
                )
            )
    found.sort(key=lambda candidate: (candidate.distance_metres, candidate.apart))
    return found


# --- figures ------------------------------------------------------------------------------


def guardrail_counts(*, since: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """How often the suspicious-activity guardrail sent a report back, by rule, most first."""
    since = since or timezone.now() - datetime.timedelta(days=90)
    return list(
        GuardrailTrigger.objects.filter(at__gte=since)
        .values("rule")
        .annotate(count=Count("id"))
        .order_by("-count", "rule")
    )


def suspicious_activity_count(*, since: datetime.datetime | None = None) -> int:
    """Suspicious-activity reports accepted in the same period, to set the triggers against."""
    since = since or timezone.now() - datetime.timedelta(days=90)
    return Report.staff_objects.filter(
        kind=ReportKind.SUSPICIOUS_ACTIVITY, created_at__gte=since
    ).count()


# --- the public list, narrowed ------------------------------------------------------------


# --- the triage pages' scopes -------------------------------------------------------------


def get_neighbourhood_for_triage(user: Any, force: str, code: str) -> Neighbourhood:
    """A neighbourhood whose inbox the user may open: NotFound, or PermissionDenied."""
    from beatbridge.places.selectors import get_neighbourhood

    neighbourhood = get_neighbourhood(force, code)
    if not can_triage_neighbourhood(user, neighbourhood):
        raise PermissionDenied(_("You may not triage this neighbourhood's reports."))
    return neighbourhood


def get_force_for_triage(user: Any, force: str) -> Force:
    """A force whose sector and unplaced inboxes the user may open (its supervisors, admins)."""
    from beatbridge.places.selectors import get_force
    from beatbridge.reports.permissions import can_triage

    found = get_force(force)
    # No neighbourhood: what can_triage allows only to administrators and the force's supervisors.
    if not can_triage(user, force_id=found.pk, neighbourhood_id=None):
        raise PermissionDenied(_("Only the force's supervisors may open this inbox."))
    return found


def get_sector_for_triage(user: Any, force: str, sector: str) -> Sector:
    """A sector of a force whose inboxes the user may open: NotFound, or PermissionDenied."""
    found = get_force_for_triage(user, force)
    result = Sector.objects.select_related("force").filter(force=found, slug=sector).first()
    if result is None:
        raise NotFound(
            _("There is no sector “%(sector)s”.") % {"sector": sector[:64]}, field="sector"
        )
    return result


def officers_who_may_triage(
    *, force_id: int, neighbourhood_ids: Iterable[int] | QuerySet[Any]
) -> QuerySet[Any]:
    """The police a report of these neighbourhoods may be assigned to, by public name.

    The same people ``can_assign_to`` accepts: the force's supervisors and the officers now
    serving one of the neighbourhoods (ids, or a query of them, used as a subquery). No
    neighbourhoods (an unplaced report): supervisors only.
    """
    from beatbridge.accounts.models import POLICE_ROLES, Role, TeamAssignment, User

    serving = (
        TeamAssignment.objects.current()
        .filter(neighbourhood_id__in=neighbourhood_ids)
        .values("officer__user_id")
    )
    return (
        User.objects.filter(
            is_active=True, role__in=POLICE_ROLES, officer_profile__force_id=force_id
        )
        .filter(Q(role=Role.SUPERVISOR) | Q(pk__in=serving))
        .select_related("officer_profile")
        .order_by("officer_profile__display_name", "pk")
    )


def open_counts_by_neighbourhood(neighbourhood_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Open reports of each neighbourhood by status, every open status present; one query."""
    open_statuses = [status for status in Status.values if status not in CLOSED_STATUSES]
    ids = list(neighbourhood_ids)
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(open_statuses, 0) for pk in ids}
    rows = (
        Report.staff_objects.filter(neighbourhood_id__in=ids, status__in=open_statuses)
        .order_by()
        .values_list("neighbourhood_id", "status")
        .annotate(count=Count("id"))
    )
    for neighbourhood_id, status, count in rows:
        counts[neighbourhood_id][status] = count
    return counts


def reports_in(neighbourhood_ids: Iterable[int]) -> QuerySet[Report]:
    """Every report placed in these neighbourhoods, for staff linking them to their work."""
    return Report.staff_objects.filter(neighbourhood_id__in=list(neighbourhood_ids))
