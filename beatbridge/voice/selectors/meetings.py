"""Reading meetings: a neighbourhood's calendar, one meeting, its agenda, minutes and actions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.places.selectors import get_neighbourhood
from beatbridge.voice.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    Priority,
    Question,
    QuestionVote,
    RaisedConcern,
)
from beatbridge.voice.permissions import can_manage, can_manage_any, is_signed_in
from beatbridge.voice.selectors.priorities import open_priorities_for

# Questions residents upvoted most join the agenda, up to this many.
AGENDA_QUESTIONS = 10
# police.uk's events list shows what is coming and what just happened.


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.select_related("force"))
    )


def upcoming_meetings(
    neighbourhood: Neighbourhood, *, now: datetime.datetime | None = None
) -> QuerySet[Meeting]:
    """Meetings of the neighbourhood (alone or with others) not yet over, soonest first;
    cancelled ones included, so nobody turns up to a meeting that silently vanished."""
    moment = now or timezone.now()
    return (
        _meetings()
        .filter(neighbourhoods=neighbourhood, ends_at__gte=moment)
        .order_by("starts_at", "id")
    )


def past_meetings(
    neighbourhood: Neighbourhood, *, now: datetime.datetime | None = None
) -> QuerySet[Meeting]:
    """Meetings of the neighbourhood that are over, latest first."""
    moment = now or timezone.now()
    return (
        _meetings()
        .filter(neighbourhoods=neighbourhood, ends_at__lt=moment)
        .order_by("-starts_at", "-id")
    )


def get_meeting(meeting_id: int) -> Meeting:
    """One meeting, for anyone (meetings are public); NotFound when there is none."""
    meeting = _meetings().select_related("series").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("There is no such meeting."), field="meeting")
    return meeting


def get_meeting_for_team(user: Any, meeting_id: int) -> Meeting:
    """One meeting for its team's pages: PermissionDenied for anyone else."""
    meeting = get_meeting(meeting_id)
    if not can_manage_any(user, list(meeting.neighbourhoods.all())):
        raise PermissionDenied(_("Only the neighbourhood's team may manage this meeting."))
    return meeting


def get_neighbourhood_for_meetings(user: Any, force: str, code: str) -> Neighbourhood:
    """A neighbourhood whose meetings the user runs: NotFound, or PermissionDenied."""
    neighbourhood = get_neighbourhood(force, code)
    if not can_manage(user, neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team may manage its meetings."))
    return neighbourhood


def joint_meeting_candidates(neighbourhood: Neighbourhood) -> QuerySet[Neighbourhood]:
    """Neighbourhoods a meeting may also be for: the others of the same sector."""
    if neighbourhood.sector_id is None:
        return Neighbourhood.objects.none()
    return (
        Neighbourhood.objects.filter(sector_id=neighbourhood.sector_id)
        .exclude(pk=neighbourhood.pk)
        .defer("boundary")
        .order_by("name")
    )


def concern_categories(meeting: Meeting) -> Any:
    """The categories a concern raised at the meeting may be filed in as a report."""
    from beatbridge.reports.models import CategoryKind
    from beatbridge.reports.selectors import categories_of

    neighbourhood = meeting.neighbourhoods.all()[0]
    return categories_of(neighbourhood.force_id, kind=CategoryKind.CONCERN)


# --- questions and the agenda -------------------------------------------------------------


def questions_for(
    meeting: Meeting, *, viewer: Any = None, include_hidden: bool = False
) -> QuerySet[Question]:
    """The meeting's questions, most supported first, with ``upvote_count`` and, for a
    signed-in viewer, ``upvoted`` (whether they support it)."""
    questions = meeting.questions.annotate(upvote_count=Count("upvotes"))
    if is_signed_in(viewer):
        questions = questions.annotate(
            upvoted=Exists(QuestionVote.objects.filter(question=OuterRef("pk"), voter=viewer))
        )
    else:
        questions = questions.annotate(upvoted=Value(False))
    if not include_hidden:
        questions = questions.filter(is_hidden=False)
    return questions.order_by("-upvote_count", "created_at", "id")


@dataclass(frozen=True)
class Agenda:
    """A meeting's agenda: what joins by itself, then what the team added by hand."""

    priorities: list[Priority]
    questions: list[Question]
    action_items: list[ActionItem]
    items: list[AgendaItem]

    @property
    def is_empty(self) -> bool:
        return not (self.priorities or self.questions or self.action_items or self.items)


def agenda_for(meeting: Meeting) -> Agenda:
    """The agenda: open adopted priorities of the meeting's neighbourhoods, the most
    upvoted visible questions, action items of their earlier meetings still open, and
    the team's own items, each as it stood when the meeting began. Five queries, whatever
    the sizes."""
    neighbourhood_ids = [n.pk for n in meeting.neighbourhoods.all()]
    # What was open when the meeting began: a past agenda stays as it was.
    return Agenda(
        priorities=list(open_priorities_for(neighbourhood_ids, at=meeting.starts_at)),
        questions=list(questions_for(meeting)[:AGENDA_QUESTIONS]),
        action_items=list(open_action_items(neighbourhood_ids, at=meeting.starts_at)),
        items=list(meeting.agenda_items.all()),
    )


# --- what a meeting recorded --------------------------------------------------------------


def open_action_items(
    neighbourhood_ids: list[int], *, at: datetime.datetime | None = None
) -> QuerySet[ActionItem]:
    """Action items of meetings of these neighbourhoods open at ``at`` (now by default): set
    at an earlier meeting and not done by then. By due date."""
    moment = at or timezone.now()
    return (
        ActionItem.objects.filter(
            meeting__neighbourhoods__in=neighbourhood_ids, meeting__starts_at__lt=moment
        )
        .filter(Q(done_at__isnull=True) | Q(done_at__gt=moment))
        .select_related("meeting")
        .distinct()
        .order_by("due_on", "id")
    )


def overdue_action_items(
    neighbourhood_ids: list[int], *, today: datetime.date | None = None
) -> QuerySet[ActionItem]:
    return open_action_items(neighbourhood_ids).filter(due_on__lt=today or timezone.localdate())


def action_items_of(meeting: Meeting) -> list[ActionItem]:
    """The action items a meeting decided, open and closed, by due date."""
    return list(meeting.action_items.all())


def attendance_of(meeting: Meeting) -> dict[str, int]:
    """People who came, by how they came (method -> count); empty until recorded."""
    return {row.method: row.count for row in meeting.attendance.all()}


def named_attendees_of(meeting: Meeting) -> list[Any]:
    return list(meeting.named_attendees.order_by("name", "id"))


def concerns_of(meeting: Meeting) -> list[RaisedConcern]:
    return list(meeting.concerns.select_related("priority"))


def concerns_in(neighbourhood_ids: Iterable[int]) -> QuerySet[RaisedConcern]:
    """Concerns raised at meetings of these neighbourhoods, for staff linking them to their work."""
    return RaisedConcern.objects.filter(
        meeting__neighbourhoods__in=list(neighbourhood_ids)
    ).distinct()
