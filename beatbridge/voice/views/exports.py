"""CSV exports for the neighbourhood team: a cycle's votes, meetings' attendance and
action items. Streamed row by row, every cell made inert for spreadsheets, every export
audited.

Votes are counts per candidate, never who voted. Attendance is counts by how people
came; the names of those who consented to be named are added only when the export asks
for them (``?names=1``), and the audit entry says that it did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from beatbridge.audit.services import record as audit
from beatbridge.voice.models import ActionItem, AttendanceMethod, Meeting, Priority
from beatbridge.voice.selectors import calendar as selectors
from beatbridge.web.csv_export import csv_response
from beatbridge.web.views import domain_errors_as_http

# Stable column names for analysts' scripts, so they are not translated.
VOTE_COLUMNS = (
    "priority_id",
    "title",
    "status",
    "source",
    "online_votes",
    "meeting_votes",
    "total_votes",
)
ATTENDANCE_COLUMNS = (
    "meeting_id",
    "starts_at",
    "title",
    "kind",
    "cancelled",
    *(f"{method}_count" for method in AttendanceMethod.values),
    "total",
    "named_attendees_count",
)
ACTION_ITEM_COLUMNS = (
    "action_item_id",
    "meeting_id",
    "meeting_starts_at",
    "action",
    "owner",
    "due_on",
    "state",
    "done_at",
    "outcome",
)
EXPORT_CHUNK = 2000


def _manager_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first; NotFound and PermissionDenied from the access helpers become 404, 403."""
    return login_required(domain_errors_as_http(view))


def _timestamp(moment: Any) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _today() -> str:
    return timezone.localdate().isoformat()


@require_safe
@_manager_page
def export_votes(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.get_cycle_for_manager(request.user, pk)
    audit(actor=request.user, action="cycle.votes_exported", target=cycle)

    def rows() -> Iterator[list[Any]]:
        priority: Priority
        for priority in selectors.vote_totals(cycle).iterator(chunk_size=EXPORT_CHUNK):
            yield [
                priority.pk,
                priority.title,
                priority.status,
                priority.source,
                priority.online_votes,  # type: ignore[attr-defined]
                priority.meeting_votes,  # type: ignore[attr-defined]
                priority.total_votes,  # type: ignore[attr-defined]
            ]

    neighbourhood = cycle.neighbourhood
    return csv_response(
        VOTE_COLUMNS,
        rows(),
        filename=f"votes-{neighbourhood.force.slug}-{neighbourhood.code}-{cycle.pk}-{_today()}.csv",
    )


@require_safe
@_manager_page
def export_attendance(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = selectors.get_neighbourhood_for_manager(request.user, force, code)
    with_names = request.GET.get("names") == "1"
    audit(
        actor=request.user,
        action="meeting.attendance_exported",
        target=neighbourhood,
        detail={"names": with_names},
    )
    columns = (*ATTENDANCE_COLUMNS, "named_attendees") if with_names else ATTENDANCE_COLUMNS
    meetings = list(selectors.attendance_of(neighbourhood))
    names = selectors.named_attendees_of([m.pk for m in meetings]) if with_names else {}

    def rows() -> Iterator[list[Any]]:
        meeting: Meeting
        for meeting in meetings:
            counts = [getattr(meeting, method) for method in AttendanceMethod.values]
            row = [
                meeting.pk,
                _timestamp(meeting.starts_at),
                meeting.title,
                meeting.kind,
                "yes" if meeting.is_cancelled else "no",
                *counts,
                sum(counts),
                meeting.named,  # type: ignore[attr-defined]
            ]
            if with_names:
                row.append("; ".join(names.get(meeting.pk, [])))
            yield row

    return csv_response(
        columns,
        rows(),
        filename=f"attendance-{neighbourhood.force.slug}-{neighbourhood.code}-{_today()}.csv",
    )


@require_safe
@_manager_page
def export_action_items(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = selectors.get_neighbourhood_for_manager(request.user, force, code)
    audit(actor=request.user, action="meeting.action_items_exported", target=neighbourhood)

    def rows() -> Iterator[list[Any]]:
        item: ActionItem
        for item in selectors.action_items_of(neighbourhood).iterator(chunk_size=EXPORT_CHUNK):
            yield [
                item.pk,
                item.meeting_id,
                _timestamp(item.meeting.starts_at),
                item.text,
                item.owner,
                item.due_on.isoformat(),
                "open" if item.is_open else "done",
                _timestamp(item.done_at),
                item.outcome,
            ]

    return csv_response(
        ACTION_ITEM_COLUMNS,
        rows(),
        filename=f"action-items-{neighbourhood.force.slug}-{neighbourhood.code}-{_today()}.csv",
    )
