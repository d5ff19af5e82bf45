"""What the priority selectors return: the right rows, counted right, in few queries."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import PriorityStatus, PriorityUpdate, Vote, VoteMethod
from beatbridge.voice.selectors import priorities as selectors

from .factories_priorities import (
    CycleFactory,
    OnlineVoteFactory,
    PriorityFactory,
    meeting_of,
    officer_of,
    resident_of,
)

pytestmark = pytest.mark.django_db


def test_the_current_cycle_is_the_running_one_else_the_next(fremont):
    assert selectors.current_cycle(fremont) is None
    CycleFactory(neighbourhood=fremont, phase="closed")
    assert selectors.current_cycle(fremont) is None
    upcoming = CycleFactory(neighbourhood=fremont, phase="upcoming")
    assert selectors.current_cycle(fremont) == upcoming
    running = CycleFactory(neighbourhood=fremont, phase="deciding")
    assert selectors.current_cycle(fremont) == running
    assert selectors.cycles_of(fremont).first() == upcoming


def test_candidates_count_votes_by_how_they_were_cast(fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    popular, quiet = PriorityFactory.create_batch(2, cycle=cycle)
    OnlineVoteFactory.create_batch(2, priority=popular)
    Vote.objects.create(
        priority=popular,
        method=VoteMethod.MEETING,
        meeting=meeting_of(fremont, cycle.voting_opens_on),
        count=7,
    )
    OnlineVoteFactory(priority=quiet)
    first, second = selectors.candidates_of(cycle, with_totals=True)
    assert (first, first.online_votes, first.meeting_votes, first.total_votes) == (popular, 2, 7, 9)
    assert (second, second.online_votes, second.meeting_votes, second.total_votes) == (
        quiet,
        1,
        0,
        1,
    )


def test_totals_are_hidden_from_the_public_while_voting_and_shown_to_the_team(fremont):
    voting = CycleFactory(neighbourhood=fremont, phase="voting")
    assert not selectors.shows_totals(voting, AnonymousUser())
    assert not selectors.shows_totals(voting, resident_of(fremont))
    assert not selectors.shows_totals(voting, officer_of(NeighbourhoodFactory()))
    assert selectors.shows_totals(voting, officer_of(fremont))
    closed = CycleFactory(neighbourhood=fremont, phase="deciding")
    assert selectors.shows_totals(closed, AnonymousUser())


def test_a_ballot_counts_the_persons_own_votes_only(fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting", votes_per_person=3)
    person = resident_of(fremont)
    mine = PriorityFactory(cycle=cycle)
    OnlineVoteFactory(priority=mine, voter=person)
    OnlineVoteFactory(priority=PriorityFactory(cycle=cycle))
    ballot = selectors.ballot_of(person, cycle)
    assert (ballot.voted, ballot.votes_left, ballot.counts_as_resident) == (
        frozenset({mine.pk}),
        2,
        True,
    )
    nobody = selectors.ballot_of(AnonymousUser(), cycle)
    assert (nobody.residency, nobody.voted, nobody.counts_as_resident) == (None, frozenset(), False)


def _closed_cycle_with_every_outcome(neighbourhood):
    cycle = CycleFactory(neighbourhood=neighbourhood, phase="closed")
    now = timezone.now()
    adopted = PriorityFactory(
        cycle=cycle,
        status=PriorityStatus.ADOPTED,
        action_plan="Checks",
        adopted_at=now - datetime.timedelta(days=2),
    )
    delivered = PriorityFactory(
        cycle=cycle,
        status=PriorityStatus.DELIVERED,
        adopted_at=now - datetime.timedelta(days=1),
        outcome="Done",
        closed_at=now,
    )
    declined = PriorityFactory(
        cycle=cycle, status=PriorityStatus.NOT_ADOPTED, decision_reason="City"
    )
    proposed = PriorityFactory(cycle=cycle)
    return adopted, delivered, declined, proposed


def test_you_said_we_did_lists_what_was_taken_on_and_why_not(
    fremont, fremont_officer, django_assert_num_queries
):
    adopted, delivered, declined, _proposed = _closed_cycle_with_every_outcome(fremont)
    for n in range(3):
        PriorityUpdate.objects.create(priority=adopted, text=f"Update {n}", author=fremont_officer)
    _closed_cycle_with_every_outcome(NeighbourhoodFactory())
    with django_assert_num_queries(3):
        account = selectors.you_said_we_did(fremont)
        updates = [len(priority.updates.all()) for priority in account.taken_on]
    assert account.taken_on == [delivered, adopted]
    assert updates == [0, 3]
    assert account.not_taken_on == [declined]


def test_police_uk_gets_adopted_priorities_of_the_neighbourhood_only(fremont):
    adopted, delivered, _declined, _proposed = _closed_cycle_with_every_outcome(fremont)
    _closed_cycle_with_every_outcome(NeighbourhoodFactory())
    assert list(selectors.adopted_for_policeuk(fremont)) == [delivered, adopted]


def test_open_priorities_are_the_adopted_ones_not_yet_closed(fremont, django_assert_num_queries):
    adopted, _delivered, _declined, _proposed = _closed_cycle_with_every_outcome(fremont)
    other = NeighbourhoodFactory()
    theirs, *_rest = _closed_cycle_with_every_outcome(other)
    _closed_cycle_with_every_outcome(NeighbourhoodFactory())
    with django_assert_num_queries(1):
        found = list(selectors.open_priorities_for([fremont.pk, other.pk]))
        names = {priority.cycle.neighbourhood.name for priority in found}
    assert set(found) == {adopted, theirs}
    assert names == {fremont.name, other.name}


def test_meetings_for_counting_are_the_neighbourhoods_during_voting(fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    during = meeting_of(fremont, cycle.voting_opens_on)
    meeting_of(fremont, cycle.voting_opens_on - datetime.timedelta(days=1))
    meeting_of(fremont, cycle.voting_closes_on, is_cancelled=True)
    meeting_of(NeighbourhoodFactory(), cycle.voting_opens_on)
    assert list(selectors.meetings_for_counting(cycle)) == [during]
