"""The rules of priority cycles, both ways: who may do what, when, and with what input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.accounts.tests.factories import AdministratorFactory, UserFactory
from beatbridge.audit.models import AuditEntry
from beatbridge.errors import Conflict, DomainError, NotFound, PermissionDenied
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.reports.tests.factories import CategoryFactory, ReportFactory
from beatbridge.voice.models import (
    Cycle,
    Priority,
    PrioritySource,
    PriorityStatus,
    PriorityUpdate,
    Residency,
    Vote,
    VoteMethod,
)
from beatbridge.voice.selectors.priorities import totals_of
from beatbridge.voice.services import priorities as services

from .factories_priorities import (
    CycleFactory,
    OnlineVoteFactory,
    PriorityFactory,
    ResidencyFactory,
    meeting_of,
    officer_of,
    resident_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def _cycle_dates(start: int = 1) -> dict[str, datetime.date]:
    return {
        "starts_on": _days(start),
        "voting_opens_on": _days(start + 14),
        "voting_closes_on": _days(start + 28),
        "ends_on": _days(start + 90),
    }


def _audited(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- create_cycle -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["team", "supervisor", "administrator"])
def test_the_team_supervisors_and_administrators_create_a_cycle(fremont, fremont_officer, who):
    actor = {
        "team": lambda: fremont_officer,
        "supervisor": lambda: supervisor_of(fremont.force),
        "administrator": AdministratorFactory,
    }[who]()
    cycle = services.create_cycle(
        actor=actor, neighbourhood=fremont, title="Spring", **_cycle_dates()
    )
    assert cycle.neighbourhood == fremont
    assert _audited("priority_cycle.created") == 1


@pytest.mark.parametrize("who", ["resident", "other_team"])
def test_residents_and_other_teams_may_not_create_a_cycle(fremont, who):
    actor = resident_of(fremont) if who == "resident" else officer_of(NeighbourhoodFactory())
    with pytest.raises(PermissionDenied):
        services.create_cycle(actor=actor, neighbourhood=fremont, title="x", **_cycle_dates())
    assert not Cycle.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"voting_opens_on": _days(0)}, "voting_opens_on"),
        ({"voting_closes_on": _days(10)}, "voting_closes_on"),
        ({"ends_on": _days(20)}, "ends_on"),
        ({"votes_per_person": 0}, "votes_per_person"),
        ({"max_adopted": 0}, "max_adopted"),
        ({"title": "  "}, "title"),
    ],
)
def test_a_cycle_with_bad_input_is_refused_naming_the_field(
    fremont, fremont_officer, change, field
):
    arguments = {"title": "Spring", **_cycle_dates(), **change}
    with pytest.raises(DomainError) as refused:
        services.create_cycle(actor=fremont_officer, neighbourhood=fremont, **arguments)
    assert refused.value.field == field
    assert not Cycle.objects.exists()


def test_a_cycle_overlapping_another_is_refused(fremont, fremont_officer):
    services.create_cycle(actor=fremont_officer, neighbourhood=fremont, title="A", **_cycle_dates())
    with pytest.raises(Conflict) as refused:
        services.create_cycle(
            actor=fremont_officer, neighbourhood=fremont, title="B", **_cycle_dates(start=60)
        )
    assert refused.value.field == "starts_on"
    assert "“A”" in refused.value.message
    assert Cycle.objects.count() == 1


def test_a_cycle_may_follow_another_or_overlap_another_neighbourhoods(fremont, fremont_officer):
    services.create_cycle(actor=fremont_officer, neighbourhood=fremont, title="A", **_cycle_dates())
    services.create_cycle(
        actor=fremont_officer, neighbourhood=fremont, title="B", **_cycle_dates(start=92)
    )
    other = NeighbourhoodFactory(force=fremont.force)
    services.create_cycle(actor=officer_of(other), neighbourhood=other, title="C", **_cycle_dates())
    assert Cycle.objects.count() == 3


# --- residency ----------------------------------------------------------------------------


def test_declaring_residency_twice_keeps_one_row_and_its_verification(fremont, fremont_officer):
    person = UserFactory()
    residency = services.declare_residency(user=person, neighbourhood=fremont)
    services.verify_residency(actor=fremont_officer, residency=residency)
    again = services.declare_residency(user=person, neighbourhood=fremont)
    assert again.pk == residency.pk
    assert again.verified_at is not None
    assert Residency.objects.count() == 1


def test_declaring_residency_needs_a_sign_in(fremont):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.declare_residency(user=AnonymousUser(), neighbourhood=fremont)


def test_the_team_verifies_a_residency_once_and_it_is_audited(fremont, fremont_officer):
    residency = ResidencyFactory(neighbourhood=fremont)
    services.verify_residency(actor=fremont_officer, residency=residency)
    services.verify_residency(actor=fremont_officer, residency=residency)
    residency.refresh_from_db()
    assert residency.verified_by == fremont_officer
    assert _audited("residency.verified") == 1


def test_another_team_may_not_verify_a_residency(fremont):
    residency = ResidencyFactory(neighbourhood=fremont)
    with pytest.raises(PermissionDenied):
        services.verify_residency(actor=officer_of(NeighbourhoodFactory()), residency=residency)
    residency.refresh_from_db()
    assert residency.verified_at is None


# --- proposals ----------------------------------------------------------------------------


def test_a_resident_proposes_a_priority_while_proposals_are_open(fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="proposing")
    person = resident_of(fremont)
    priority = services.propose_priority(
        user=person,
        cycle=cycle,
        title="  Speeding on Fremont Ave  ",
        place="By the school",
        language="es",
    )
    assert priority.title == "Speeding on Fremont Ave"
    assert priority.source == PrioritySource.RESIDENT
    assert priority.proposed_by == person
    assert priority.original_language == "es"


@pytest.mark.parametrize("phase", ["upcoming", "voting", "deciding", "closed"])
def test_proposals_outside_the_proposing_phase_are_refused(fremont, phase):
    cycle = CycleFactory(neighbourhood=fremont, phase=phase)
    with pytest.raises(DomainError) as refused:
        services.propose_priority(user=resident_of(fremont), cycle=cycle, title="Speeding")
    assert refused.value.code == "not_proposing"
    assert not Priority.objects.exists()


def test_only_residents_of_the_neighbourhood_propose(fremont):
    cycle = CycleFactory(neighbourhood=fremont)
    elsewhere = resident_of(NeighbourhoodFactory())
    with pytest.raises(PermissionDenied) as refused:
        services.propose_priority(user=elsewhere, cycle=cycle, title="Speeding")
    assert refused.value.code == "no_residency"


def test_an_unverified_resident_may_not_propose_when_the_cycle_requires_verification(fremont):
    cycle = CycleFactory(neighbourhood=fremont, requires_verified_residency=True)
    with pytest.raises(PermissionDenied) as refused:
        services.propose_priority(user=resident_of(fremont), cycle=cycle, title="Speeding")
    assert refused.value.code == "unverified"
    verified = resident_of(fremont, verified=True)
    assert services.propose_priority(user=verified, cycle=cycle, title="Speeding").pk


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_proposal_needs_a_bounded_title(fremont, title):
    cycle = CycleFactory(neighbourhood=fremont)
    with pytest.raises(DomainError) as refused:
        services.propose_priority(user=resident_of(fremont), cycle=cycle, title=title)
    assert refused.value.field == "title"


def test_a_proposal_repeating_a_candidate_is_refused_with_a_clear_message(fremont):
    cycle = CycleFactory(neighbourhood=fremont)
    PriorityFactory(cycle=cycle, title="Speeding on Fremont Ave")
    with pytest.raises(Conflict) as refused:
        services.propose_priority(
            user=resident_of(fremont), cycle=cycle, title="speeding  on FREMONT ave"
        )
    assert refused.value.field == "title"
    assert "already a candidate" in refused.value.message
    assert Priority.objects.count() == 1


def test_the_same_title_may_come_back_in_another_cycle(fremont):
    PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="closed"), title="Speeding")
    cycle = CycleFactory(neighbourhood=fremont)
    assert services.propose_priority(user=resident_of(fremont), cycle=cycle, title="Speeding")


# --- candidates from the team -------------------------------------------------------------


def test_the_team_adds_a_candidate_from_reports_of_the_neighbourhood(fremont, fremont_officer):
    category = CategoryFactory(force=fremont.force)
    first = ReportFactory(category=category, neighbourhood=fremont)
    second = ReportFactory(category=category, neighbourhood=fremont)
    cycle = CycleFactory(neighbourhood=fremont)
    priority = services.add_candidate(
        actor=fremont_officer,
        cycle=cycle,
        title="Street lights out on 36th",
        source=PrioritySource.REPORT,
        source_reference=f"{first.reference.lower()}; {second.reference}",
    )
    assert priority.source_reference == f"{first.reference}, {second.reference}"
    assert priority.proposed_by is None
    assert _audited("priority.candidate_added") == 1


def test_a_candidate_from_an_unknown_report_is_refused(fremont, fremont_officer):
    cycle = CycleFactory(neighbourhood=fremont)
    with pytest.raises(DomainError) as refused:
        services.add_candidate(
            actor=fremont_officer,
            cycle=cycle,
            title="Lights",
            source=PrioritySource.REPORT,
            source_reference="NOSUCH1",
        )
    assert refused.value.field == "source_reference"
    assert not Priority.objects.exists()


def test_a_candidate_from_another_neighbourhoods_report_is_refused(fremont, fremont_officer):
    other = NeighbourhoodFactory(force=fremont.force)
    report = ReportFactory(category=CategoryFactory(force=fremont.force), neighbourhood=other)
    with pytest.raises(DomainError) as refused:
        services.add_candidate(
            actor=supervisor_of(fremont.force),
            cycle=CycleFactory(neighbourhood=fremont),
            title="Lights",
            source=PrioritySource.REPORT,
            source_reference=report.reference,
        )
    assert refused.value.field == "source_reference"


def test_a_candidate_from_a_meeting_must_name_a_meeting_of_the_neighbourhood(
    fremont, fremont_officer
):
    cycle = CycleFactory(neighbourhood=fremont)
    ours = meeting_of(fremont, TODAY())
    theirs = meeting_of(NeighbourhoodFactory(), TODAY())
    added = services.add_candidate(
        actor=fremont_officer,
        cycle=cycle,
        title="Noise",
        source=PrioritySource.MEETING,
        source_reference=f" {ours.pk} ",
    )
    assert added.source_reference == str(ours.pk)
    with pytest.raises(NotFound) as refused:
        services.add_candidate(
            actor=fremont_officer,
            cycle=cycle,
            title="Litter",
            source=PrioritySource.MEETING,
            source_reference=str(theirs.pk),
        )
    assert refused.value.field == "source_reference"


@pytest.mark.parametrize(
    ("source", "reference", "field"),
    [
        (PrioritySource.CRIME_DATA, "", "source_reference"),
        (PrioritySource.RESIDENT, "", "source"),
        ("nonsense", "", "source"),
    ],
)
def test_a_candidate_needs_a_team_source_and_its_reference(
    fremont, fremont_officer, source, reference, field
):
    with pytest.raises(DomainError) as refused:
        services.add_candidate(
            actor=fremont_officer,
            cycle=CycleFactory(neighbourhood=fremont),
            title="Burglaries",
            source=source,
            source_reference=reference,
        )
    assert refused.value.field == field


@pytest.mark.parametrize("phase", ["upcoming", "proposing", "voting"])
def test_the_team_adds_candidates_until_voting_closes(fremont, fremont_officer, phase):
    cycle = CycleFactory(neighbourhood=fremont, phase=phase)
    assert services.add_candidate(
        actor=fremont_officer, cycle=cycle, title="Burglaries", source=PrioritySource.TEAM
    )


@pytest.mark.parametrize("phase", ["deciding", "closed"])
def test_no_candidates_are_added_after_voting_closes(fremont, fremont_officer, phase):
    cycle = CycleFactory(neighbourhood=fremont, phase=phase)
    with pytest.raises(DomainError) as refused:
        services.add_candidate(
            actor=fremont_officer, cycle=cycle, title="Burglaries", source=PrioritySource.TEAM
        )
    assert refused.value.code == "too_late"


def test_a_resident_may_not_add_a_team_candidate(fremont):
    with pytest.raises(PermissionDenied):
        services.add_candidate(
            actor=resident_of(fremont),
            cycle=CycleFactory(neighbourhood=fremont),
            title="Burglaries",
            source=PrioritySource.TEAM,
        )


# --- votes --------------------------------------------------------------------------------


@pytest.fixture
def voting(fremont):
    return CycleFactory(neighbourhood=fremont, phase="voting", votes_per_person=2)


def test_a_resident_votes_online_for_a_candidate(fremont, voting):
    priority = PriorityFactory(cycle=voting)
    person = resident_of(fremont)
    vote = services.cast_vote(user=person, priority=priority)
    assert (vote.method, vote.voter, vote.count) == (VoteMethod.ONLINE, person, 1)


@pytest.mark.parametrize("phase", ["upcoming", "proposing", "deciding", "closed"])
def test_votes_outside_the_voting_period_are_refused(fremont, phase):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase=phase))
    with pytest.raises(DomainError) as refused:
        services.cast_vote(user=resident_of(fremont), priority=priority)
    assert refused.value.code == "outside_voting"
    assert not Vote.objects.exists()


def test_a_person_without_residency_may_not_vote(fremont, voting):
    priority = PriorityFactory(cycle=voting)
    with pytest.raises(PermissionDenied) as refused:
        services.cast_vote(user=resident_of(NeighbourhoodFactory()), priority=priority)
    assert refused.value.code == "no_residency"
    assert "Fremont" in refused.value.message


def test_an_unverified_resident_votes_only_once_verified_when_the_cycle_requires_it(
    fremont, fremont_officer
):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting", requires_verified_residency=True)
    priority = PriorityFactory(cycle=cycle)
    person = resident_of(fremont)
    with pytest.raises(PermissionDenied) as refused:
        services.cast_vote(user=person, priority=priority)
    assert refused.value.code == "unverified"
    services.verify_residency(actor=fremont_officer, residency=Residency.objects.get(user=person))
    assert services.cast_vote(user=person, priority=priority)


def test_a_second_vote_for_the_same_candidate_is_refused(fremont, voting):
    priority = PriorityFactory(cycle=voting)
    person = resident_of(fremont)
    services.cast_vote(user=person, priority=priority)
    with pytest.raises(Conflict) as refused:
        services.cast_vote(user=person, priority=priority)
    assert refused.value.code == "already_voted"
    assert Vote.objects.count() == 1


def test_a_person_has_only_the_cycles_votes_and_withdrawing_frees_one(fremont, voting):
    first, second, third = PriorityFactory.create_batch(3, cycle=voting)
    person = resident_of(fremont)
    services.cast_vote(user=person, priority=first)
    services.cast_vote(user=person, priority=second)
    with pytest.raises(DomainError) as refused:
        services.cast_vote(user=person, priority=third)
    assert refused.value.code == "no_votes_left"
    services.withdraw_vote(user=person, priority=first)
    assert services.cast_vote(user=person, priority=third)
    assert set(Vote.objects.values_list("priority", flat=True)) == {second.pk, third.pk}


def test_others_votes_do_not_use_up_a_persons_votes(fremont, voting):
    priority = PriorityFactory(cycle=voting)
    OnlineVoteFactory.create_batch(3, priority=priority)
    assert services.cast_vote(user=resident_of(fremont), priority=priority)


def test_withdrawing_a_vote_one_never_cast_is_refused(fremont, voting):
    with pytest.raises(DomainError) as refused:
        services.withdraw_vote(user=resident_of(fremont), priority=PriorityFactory(cycle=voting))
    assert refused.value.code == "not_voted"


def test_withdrawing_after_voting_closed_is_refused(fremont):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="deciding"))
    vote = OnlineVoteFactory(priority=priority)
    with pytest.raises(DomainError) as refused:
        services.withdraw_vote(user=vote.voter, priority=priority)
    assert refused.value.code == "outside_voting"
    assert Vote.objects.filter(pk=vote.pk).exists()


def test_voting_needs_a_sign_in(voting):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.cast_vote(user=AnonymousUser(), priority=PriorityFactory(cycle=voting))


# --- show of hands ------------------------------------------------------------------------


def test_the_team_records_a_show_of_hands_at_a_meeting_of_the_voting_period(
    fremont, fremont_officer, voting
):
    priority = PriorityFactory(cycle=voting)
    OnlineVoteFactory(priority=priority)
    meeting = meeting_of(fremont, voting.voting_opens_on)
    services.record_meeting_votes(
        actor=fremont_officer, priority=priority, meeting=meeting, count=12
    )
    assert totals_of(priority) == {"online": 1, "meeting": 12, "total": 13}
    assert _audited("priority.meeting_votes_recorded") == 1


@pytest.mark.parametrize("when", ["before", "after", "elsewhere", "cancelled"])
def test_only_a_meeting_of_the_neighbourhood_during_voting_counts_hands(
    fremont, fremont_officer, voting, when
):
    priority = PriorityFactory(cycle=voting)
    meeting = {
        "before": lambda: meeting_of(fremont, voting.voting_opens_on - datetime.timedelta(days=1)),
        "after": lambda: meeting_of(fremont, voting.voting_closes_on + datetime.timedelta(days=1)),
        "elsewhere": lambda: meeting_of(NeighbourhoodFactory(), TODAY()),
        "cancelled": lambda: meeting_of(fremont, TODAY(), is_cancelled=True),
    }[when]()
    with pytest.raises(DomainError) as refused:
        services.record_meeting_votes(
            actor=fremont_officer, priority=priority, meeting=meeting, count=5
        )
    assert refused.value.field == "meeting"
    assert not Vote.objects.exists()


def test_a_meetings_count_is_recorded_once_and_must_be_positive(fremont, fremont_officer, voting):
    priority = PriorityFactory(cycle=voting)
    meeting = meeting_of(fremont, TODAY())
    with pytest.raises(DomainError) as refused:
        services.record_meeting_votes(
            actor=fremont_officer, priority=priority, meeting=meeting, count=0
        )
    assert refused.value.field == "count"
    services.record_meeting_votes(
        actor=fremont_officer, priority=priority, meeting=meeting, count=3
    )
    with pytest.raises(Conflict):
        services.record_meeting_votes(
            actor=fremont_officer, priority=priority, meeting=meeting, count=4
        )
    assert Vote.objects.get().count == 3


def test_a_resident_may_not_record_a_show_of_hands(fremont, voting):
    with pytest.raises(PermissionDenied):
        services.record_meeting_votes(
            actor=resident_of(fremont),
            priority=PriorityFactory(cycle=voting),
            meeting=meeting_of(fremont, TODAY()),
            count=3,
        )


# --- decisions ----------------------------------------------------------------------------


def _plan(**change):
    return {
        "action_plan": "Speed checks at 8am twice a week.",
        "action_owner": "Sgt Ana Ruiz",
        "action_due_on": _days(30),
        **change,
    }


@pytest.fixture
def decided(fremont):
    return CycleFactory(neighbourhood=fremont, phase="deciding", max_adopted=1)


def test_the_team_adopts_a_candidate_with_a_plan(fremont_officer, decided):
    priority = services.adopt(
        actor=fremont_officer, priority=PriorityFactory(cycle=decided), **_plan()
    )
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.ADOPTED
    assert priority.adopted_at is not None
    assert priority.action_owner == "Sgt Ana Ruiz"
    assert _audited("priority.adopted") == 1


def test_nothing_is_adopted_before_voting_closes(fremont, fremont_officer, voting):
    with pytest.raises(DomainError) as refused:
        services.adopt(actor=fremont_officer, priority=PriorityFactory(cycle=voting), **_plan())
    assert refused.value.code == "voting_not_closed"


def test_no_more_than_max_adopted_are_adopted(fremont_officer, decided):
    first, second = PriorityFactory.create_batch(2, cycle=decided)
    services.adopt(actor=fremont_officer, priority=first, **_plan())
    with pytest.raises(Conflict) as refused:
        services.adopt(actor=fremont_officer, priority=second, **_plan())
    assert refused.value.code == "max_adopted"
    second.refresh_from_db()
    assert second.status == PriorityStatus.PROPOSED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"action_plan": " "}, "action_plan"),
        ({"action_owner": ""}, "action_owner"),
        ({"action_due_on": None}, "action_due_on"),
        ({"action_due_on": _days(-365)}, "action_due_on"),
    ],
)
def test_an_adoption_needs_what_who_and_by_when(fremont_officer, decided, change, field):
    priority = PriorityFactory(cycle=decided)
    with pytest.raises(DomainError) as refused:
        services.adopt(actor=fremont_officer, priority=priority, **_plan(**change))
    assert refused.value.field == field
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.PROPOSED


def test_a_resident_may_not_adopt(fremont, decided):
    with pytest.raises(PermissionDenied):
        services.adopt(
            actor=resident_of(fremont), priority=PriorityFactory(cycle=decided), **_plan()
        )


def test_the_team_declines_a_candidate_with_a_public_reason(fremont_officer, decided):
    priority = PriorityFactory(cycle=decided)
    with pytest.raises(DomainError) as refused:
        services.decline(actor=fremont_officer, priority=priority, reason=" ")
    assert refused.value.field == "reason"
    services.decline(actor=fremont_officer, priority=priority, reason="The city's to fix.")
    priority.refresh_from_db()
    assert (priority.status, priority.decision_reason) == (
        PriorityStatus.NOT_ADOPTED,
        "The city's to fix.",
    )
    with pytest.raises(Conflict):
        services.adopt(actor=fremont_officer, priority=priority, **_plan())


def _adopted(officer, cycle):
    return services.adopt(actor=officer, priority=PriorityFactory(cycle=cycle), **_plan())


def test_updates_go_on_adopted_priorities_only(fremont_officer, decided):
    with pytest.raises(Conflict):
        services.post_update(
            actor=fremont_officer, priority=PriorityFactory(cycle=decided), text="Progress"
        )
    priority = _adopted(fremont_officer, decided)
    update = services.post_update(actor=fremont_officer, priority=priority, text=" Two checks ")
    assert (update.text, update.author) == ("Two checks", fremont_officer)
    assert _audited("priority.update_posted") == 1


def test_the_team_closes_an_adopted_priority_with_an_account(fremont_officer, decided):
    priority = _adopted(fremont_officer, decided)
    for status, outcome, field in [
        (PriorityStatus.DELIVERED, "", "outcome"),
        (PriorityStatus.ADOPTED, "Done", "status"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.close(actor=fremont_officer, priority=priority, status=status, outcome=outcome)
        assert refused.value.field == field
    services.close(
        actor=fremont_officer,
        priority=priority,
        status=PriorityStatus.DELIVERED,
        outcome="Speeds fell by a third.",
    )
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.DELIVERED
    assert priority.closed_at is not None
    assert _audited("priority.closed") == 1
    with pytest.raises(Conflict):
        services.post_update(actor=fremont_officer, priority=priority, text="More")
    assert not PriorityUpdate.objects.exists()


def test_another_team_may_not_close_a_priority(fremont_officer, decided):
    priority = _adopted(fremont_officer, decided)
    with pytest.raises(PermissionDenied):
        services.close(
            actor=officer_of(NeighbourhoodFactory()),
            priority=priority,
            status=PriorityStatus.NOT_DELIVERED,
            outcome="No",
        )
