"""Reads for neighbourhood priorities: cycles, candidates and their votes, ballots, and the
public account of what was done ("you said, we did").

Vote totals are public only once voting has closed (``shows_totals``): while people vote,
a page shows each person the candidates they chose and nothing of the counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.errors import DomainError, NotFound, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.places.selectors import get_neighbourhood
from beatbridge.voice.models import (
    ADOPTED_STATUSES,
    Cycle,
    CyclePhase,
    Meeting,
    Priority,
    PriorityStatus,
    PriorityUpdate,
    Residency,
    Vote,
    VoteMethod,
)
from beatbridge.voice.permissions import can_manage, is_signed_in

# Phases in which the votes are counted and public.
RESULT_PHASES = frozenset({CyclePhase.DECIDING, CyclePhase.CLOSED})


# --- cycles -------------------------------------------------------------------------------


def cycles_of(neighbourhood: Neighbourhood) -> QuerySet[Cycle]:
    """The neighbourhood's cycles, the latest first."""
    return Cycle.objects.filter(neighbourhood=neighbourhood).order_by("-starts_on")


def current_cycle(neighbourhood: Neighbourhood, *, on: datetime.date | None = None) -> Cycle | None:
    """The cycle running on ``on`` (today by default), else the next one to start, else None."""
    day = on or timezone.localdate()
    cycles = cycles_of(neighbourhood)
    running = cycles.filter(starts_on__lte=day, ends_on__gte=day).first()
    if running is not None:
        return running
    return cycles.filter(starts_on__gt=day).order_by("starts_on").first()


def get_cycle(neighbourhood: Neighbourhood, cycle_id: int) -> Cycle:
    """One cycle of the neighbourhood: NotFound otherwise."""
    cycle = cycles_of(neighbourhood).filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound(_("This neighbourhood has no such priority cycle."), field="cycle")
    return cycle


def get_neighbourhood_to_manage(user: Any, force: str, code: str) -> Neighbourhood:
    """A neighbourhood whose cycles the user runs: NotFound, or PermissionDenied."""
    neighbourhood = get_neighbourhood(force, code)
    if not can_manage(user, neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team may manage its priorities."))
    return neighbourhood


def get_cycle_to_manage(user: Any, cycle_id: int) -> Cycle:
    """A cycle the user runs: NotFound if there is none, PermissionDenied if not theirs."""
    cycle = (
        Cycle.objects.select_related("neighbourhood__force")
        .defer("neighbourhood__boundary")
        .filter(pk=cycle_id)
        .first()
    )
    if cycle is None:
        raise NotFound(_("There is no such priority cycle."), field="cycle")
    if not can_manage(user, cycle.neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team may manage its priorities."))
    return cycle


# --- priorities ---------------------------------------------------------------------------


def _priorities() -> QuerySet[Priority]:
    # A neighbourhood's boundary can be large and no priority page draws it.
    return Priority.objects.select_related("cycle__neighbourhood__force").defer(
        "cycle__neighbourhood__boundary"
    )


def get_priority(priority_id: int) -> Priority:
    """A priority or candidate, as anyone may see it (they are all public): NotFound otherwise."""
    priority = _priorities().filter(pk=priority_id).first()
    if priority is None:
        raise NotFound(_("There is no such priority."), field="priority")
    return priority


def get_priority_to_manage(user: Any, priority_id: int) -> Priority:
    """A priority the user's team handles: NotFound, or PermissionDenied."""
    priority = get_priority(priority_id)
    if not can_manage(user, priority.cycle.neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team may manage its priorities."))
    return priority


def shows_totals(cycle: Cycle, user: Any) -> bool:
    """Whether ``user`` may see the vote counts: everyone once voting closed, the team always
    (it records the counts made at meetings)."""
    return cycle.phase() in RESULT_PHASES or can_manage(user, cycle.neighbourhood)


def candidates_of(cycle: Cycle, *, with_totals: bool) -> QuerySet[Priority]:
    """The cycle's candidates in the order they came; with ``with_totals``, annotated with
    ``online_votes``, ``meeting_votes`` and ``total_votes`` and the most voted first."""
    candidates = Priority.objects.filter(cycle=cycle).select_related("proposed_by")
    if not with_totals:
        return candidates.order_by("created_at", "id")
    return candidates.annotate(
        online_votes=Coalesce(
            Sum("votes__count", filter=Q(votes__method=VoteMethod.ONLINE)), Value(0)
        ),
        meeting_votes=Coalesce(
            Sum("votes__count", filter=Q(votes__method=VoteMethod.MEETING)), Value(0)
        ),
        total_votes=Coalesce(Sum("votes__count"), Value(0)),
    ).order_by("-total_votes", "created_at", "id")


def totals_of(priority: Priority) -> dict[str, int]:
    """One candidate's votes by method and in all: ``{"online": n, "meeting": n, "total": n}``."""
    rows = Vote.objects.filter(priority=priority).values("method").annotate(votes=Sum("count"))
    totals = {VoteMethod.ONLINE.value: 0, VoteMethod.MEETING.value: 0}
    totals.update({row["method"]: row["votes"] for row in rows})
    return {**totals, "total": sum(totals.values())}


def meeting_counts_of(cycle: Cycle) -> QuerySet[Vote]:
    """The show-of-hands counts recorded for the cycle's candidates, meeting by meeting."""
    return (
        Vote.objects.filter(priority__cycle=cycle, method=VoteMethod.MEETING)
        .select_related("priority", "meeting")
        .order_by("meeting__starts_at", "priority_id")
    )


def meetings_for_counting(cycle: Cycle) -> QuerySet[Meeting]:
    """Meetings of the cycle's neighbourhood during its voting period, where hands may be
    counted."""
    return (
        Meeting.objects.filter(
            neighbourhoods=cycle.neighbourhood,
            is_cancelled=False,
            starts_at__date__gte=cycle.voting_opens_on,
            starts_at__date__lte=cycle.voting_closes_on,
        )
        .only("id", "title", "starts_at")
        .order_by("starts_at")
    )


# --- residency and ballots ----------------------------------------------------------------


def residency_of(user: Any, neighbourhood: Neighbourhood) -> Residency | None:
    """The person's declared residency of the neighbourhood, or None (always None signed out)."""
    if not is_signed_in(user):
        return None
    return Residency.objects.filter(user=user, neighbourhood=neighbourhood).first()


def counts_as_resident(residency: Residency | None, cycle: Cycle) -> bool:
    """Declared, and verified too when the cycle asks for it: who may propose and vote."""
    if residency is None:
        return False
    return residency.verified_at is not None or not cycle.requires_verified_residency


def my_votes(user: Any, cycle: Cycle) -> frozenset[int]:
    """The ids of the cycle's candidates the person voted for online."""
    if not is_signed_in(user):
        return frozenset()
    return frozenset(
        Vote.objects.filter(
            priority__cycle=cycle, voter=user, method=VoteMethod.ONLINE
        ).values_list("priority_id", flat=True)
    )


@dataclass(frozen=True)
class Ballot:
    """A person's standing in a cycle: whether they count as a resident, and their votes."""

    residency: Residency | None
    counts_as_resident: bool
    voted: frozenset[int]
    votes_left: int


def ballot_of(user: Any, cycle: Cycle) -> Ballot:
    residency = residency_of(user, cycle.neighbourhood)
    voted = my_votes(user, cycle)
    return Ballot(
        residency=residency,
        counts_as_resident=counts_as_resident(residency, cycle),
        voted=voted,
        votes_left=max(cycle.votes_per_person - len(voted), 0),
    )


def residencies_to_verify(neighbourhood: Neighbourhood) -> QuerySet[Residency]:
    """Declared residencies the team has not yet confirmed, the oldest first."""
    return (
        Residency.objects.filter(neighbourhood=neighbourhood, verified_at__isnull=True)
        .select_related("user")
        .order_by("declared_at", "id")
    )


def get_residency_to_verify(cycle: Cycle, residency_id: int) -> Residency:
    """One of the residencies of the cycle's neighbourhood waiting to be confirmed; a
    DomainError on ``residency`` for any other."""
    residency = residencies_to_verify(cycle.neighbourhood).filter(pk=residency_id).first()
    if residency is None:
        raise DomainError(
            _("That residency is not waiting to be confirmed."), field="residency", code="unknown"
        )
    return residency


# --- what was done ------------------------------------------------------------------------


@dataclass(frozen=True)
class YouSaidWeDid:
    """A neighbourhood's account: priorities taken on, and candidates turned down with why."""

    taken_on: list[Priority]
    not_taken_on: list[Priority]


def you_said_we_did(neighbourhood: Neighbourhood) -> YouSaidWeDid:
    """Adopted, delivered and not delivered priorities (plans, updates, outcomes), the latest
    adopted first; then the candidates not adopted, with their reasons. Three queries."""
    priorities = Priority.objects.filter(cycle__neighbourhood=neighbourhood).select_related("cycle")
    taken_on = priorities.filter(status__in=ADOPTED_STATUSES).prefetch_related(
        Prefetch("updates", queryset=PriorityUpdate.objects.order_by("created_at", "id"))
    )
    not_taken_on = priorities.filter(status=PriorityStatus.NOT_ADOPTED)
    return YouSaidWeDid(
        taken_on=list(taken_on.order_by("-adopted_at", "-id")),
        not_taken_on=list(not_taken_on.order_by("-cycle__starts_on", "created_at", "id")),
    )


def adopted_for_policeuk(neighbourhood: Neighbourhood) -> QuerySet[Priority]:
    """The neighbourhood's adopted priorities (open or closed), the latest adopted first: what
    police.uk's ``{force}/{neighbourhood}/priorities`` serves.

    Map each as police.uk does: ``issue`` the translated title (with the description),
    ``issue-date`` ``adopted_at``; ``action`` the ``outcome`` and ``action-date``
    ``closed_at`` once closed, both None before.
    """
    return Priority.objects.filter(
        cycle__neighbourhood=neighbourhood, status__in=ADOPTED_STATUSES
    ).order_by("-adopted_at", "-id")


def open_priorities_for(
    neighbourhood_ids: Iterable[int], *, at: datetime.datetime | None = None
) -> QuerySet[Priority]:
    """Adopted priorities being worked on in these neighbourhoods at ``at`` (now by default),
    the soonest due first: what a meeting's agenda reports on. A past meeting's agenda
    keeps what was open then, however the priorities moved on. Neighbourhood loaded
    (without boundary)."""
    moment = at or timezone.now()
    return (
        _priorities()
        .filter(
            cycle__neighbourhood_id__in=list(neighbourhood_ids),
            status__in=ADOPTED_STATUSES,
            adopted_at__lte=moment,
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=moment))
        .order_by("action_due_on", "adopted_at", "id")
    )


def priorities_in(neighbourhood_ids: Iterable[int]) -> QuerySet[Priority]:
    """Every priority of these neighbourhoods' cycles, for staff linking them to their work."""
    return Priority.objects.filter(cycle__neighbourhood_id__in=list(neighbourhood_ids))
