from __future__ import annotations

import datetime
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.db.models import Count, F
from django.test import Client
from django.utils import timezone

from beatbridge.accounts.models import TeamAssignment
from beatbridge.demo.services import load_demo
from beatbridge.demo.voice import load_voice
from beatbridge.places.models import Force
from beatbridge.voice.models import (
    ActionItem,
    Attendance,
    Cycle,
    CyclePhase,
    Event,
    Meeting,
    MeetingSeries,
    NamedAttendee,
    Priority,
    PriorityStatus,
    PriorityUpdate,
    Question,
    QuestionVote,
    RaisedConcern,
    Registration,
    Residency,
    Vote,
    VoteMethod,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_voice")]


@pytest.fixture(scope="module")
def demo_voice(django_db_setup, django_db_blocker):
    """The demo city and its community voice, loaded once for the module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        city = load_demo()
        yield load_voice(city.force)
        transaction.set_rollback(True)


@pytest.fixture
def now():
    # The loader's "now" is noon of the day of the run.
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))


def _served() -> set[int]:
    return set(TeamAssignment.objects.current().values_list("neighbourhood_id", flat=True))


def _snapshot() -> list[list[tuple]]:
    return [
        list(Cycle.objects.order_by("neighbourhood__code", "starts_on").values_list(
            "neighbourhood__code", "starts_on", "voting_opens_on", "voting_closes_on", "ends_on"
        )),
        list(Priority.objects.order_by("cycle__neighbourhood__code", "created_at").values_list(
            "title", "status", "created_at", "adopted_at", "closed_at"
        )),
        list(Vote.objects.order_by(
            "priority__cycle__neighbourhood__code", "priority__title", "voter__email", "created_at"
        ).values_list("priority__title", "voter__email", "count", "created_at")),
        list(Meeting.objects.order_by("starts_at", "title").values_list(
            "title", "starts_at", "is_cancelled"
        )),
        list(Event.objects.order_by("starts_at", "title").values_list(
            "title", "starts_at", "kind"
        )),
    ]  # fmt: skip


def test_every_neighbourhood_with_a_team_gets_cycles_meetings_and_events(demo_voice):
    served = _served()

    assert demo_voice.neighbourhoods_loaded == len(served) > 50
    assert set(MeetingSeries.objects.values_list("neighbourhood_id", flat=True)) == served
    meetings = Counter(Meeting.objects.values_list("neighbourhoods", flat=True))
    assert set(meetings) == served and set(meetings.values()) == {12}
    assert set(Event.objects.values_list("neighbourhoods", flat=True)) == served
    cycles = Counter(Cycle.objects.values_list("neighbourhood_id", flat=True))
    assert set(cycles) == served and set(cycles.values()) == {2}


def test_a_closed_and_a_current_cycle_taking_proposals_or_votes():
    phases = defaultdict(list)
    for cycle in Cycle.objects.all():
        phases[cycle.neighbourhood_id].append(cycle.phase())

    assert all(
        sorted(found)[0] == CyclePhase.CLOSED and sorted(found)[1] in {"proposing", "voting"}
        for found in phases.values()
    )
    assert {sorted(found)[1] for found in phases.values()} == {"proposing", "voting"}


def test_cycles_of_a_neighbourhood_never_overlap_and_their_dates_are_in_order():
    by_neighbourhood = defaultdict(list)
    for cycle in Cycle.objects.order_by("starts_on"):
        by_neighbourhood[cycle.neighbourhood_id].append(cycle)
    for cycles in by_neighbourhood.values():
        earlier, later = cycles
        assert earlier.ends_on < later.starts_on
        for cycle in cycles:
            assert (
                cycle.starts_on <= cycle.voting_opens_on <= cycle.voting_closes_on <= cycle.ends_on
            )


def test_online_votes_are_by_declared_residents_while_voting_was_open_within_their_allowance():
    residencies = {(r.user_id, r.neighbourhood_id): r.declared_at for r in Residency.objects.all()}
    per_voter = Counter()
    votes = Vote.objects.filter(method=VoteMethod.ONLINE).select_related("priority__cycle")
    assert votes.exists()
    for vote in votes:
        cycle = vote.priority.cycle
        declared_at = residencies[(vote.voter_id, cycle.neighbourhood_id)]
        assert declared_at <= vote.created_at
        assert (
            cycle.voting_opens_on <= timezone.localdate(vote.created_at) <= cycle.voting_closes_on
        )
        assert vote.priority.created_at <= vote.created_at
        per_voter[(vote.voter_id, cycle.pk)] += 1
    assert max(per_voter.values()) <= 3


def test_show_of_hands_counts_come_from_meetings_held_while_voting_was_open():
    counts = Vote.objects.filter(method=VoteMethod.MEETING).select_related(
        "priority__cycle", "meeting"
    )
    assert counts.exists()
    for vote in counts:
        cycle = vote.priority.cycle
        assert not vote.meeting.is_cancelled
        assert (
            cycle.voting_opens_on
            <= timezone.localdate(vote.meeting.starts_at)
            <= cycle.voting_closes_on
        )
        assert cycle.neighbourhood_id in set(
            vote.meeting.neighbourhoods.values_list("pk", flat=True)
        )


def test_past_cycles_adopt_some_close_them_with_an_account_and_say_why_for_the_rest(now):
    for cycle in Cycle.objects.prefetch_related("priorities"):
        statuses = Counter(p.status for p in cycle.priorities.all())
        if cycle.phase() != CyclePhase.CLOSED:
            assert set(statuses) == {PriorityStatus.PROPOSED}
            continue
        assert PriorityStatus.PROPOSED not in statuses
        taken_on = (
            statuses[PriorityStatus.DELIVERED]
            + statuses[PriorityStatus.NOT_DELIVERED]
            + statuses[PriorityStatus.ADOPTED]
        )
        assert taken_on == 3
        assert statuses[PriorityStatus.ADOPTED] <= 1
        assert statuses[PriorityStatus.NOT_ADOPTED] >= 1
        for priority in cycle.priorities.all():
            if priority.status == PriorityStatus.NOT_ADOPTED:
                assert priority.decision_reason
            elif priority.status == PriorityStatus.ADOPTED:
                # Still being worked on: a plan, due ahead, no account yet.
                assert priority.action_plan and not priority.outcome and priority.closed_at is None
                assert priority.action_due_on > now.date()
            else:
                assert priority.action_plan and priority.outcome
                assert priority.created_at < priority.adopted_at < priority.closed_at <= now
    assert Priority.objects.filter(status=PriorityStatus.NOT_DELIVERED).exists()
    assert Priority.objects.filter(status=PriorityStatus.ADOPTED).exists()


def test_updates_fall_between_adoption_and_closing():
    updates = PriorityUpdate.objects.select_related("priority")
    assert updates.exists()
    for update in updates:
        until = update.priority.closed_at or timezone.now()
        assert update.priority.adopted_at < update.created_at < until


def test_past_meetings_have_minutes_attendance_questions_and_action_items(now):
    held = Meeting.objects.filter(ends_at__lt=now - datetime.timedelta(days=2), is_cancelled=False)
    assert held.exists()
    assert not held.filter(minutes_published_at=None).exists()
    assert not held.exclude(pk__in=Attendance.objects.values("meeting")).exists()
    assert not held.exclude(pk__in=ActionItem.objects.values("meeting")).exists()
    assert not held.exclude(pk__in=Question.objects.values("meeting")).exists()
    assert Meeting.objects.filter(is_cancelled=True).exclude(cancellation_reason="").exists()
    assert NamedAttendee.objects.exists()
    assert RaisedConcern.objects.exclude(priority=None).exists()


def test_action_items_are_some_open_some_done_and_done_ones_say_what_was_done(now):
    assert ActionItem.objects.filter(done_at=None).exists()
    done = ActionItem.objects.exclude(done_at=None).select_related("meeting")
    assert done.exists()
    for item in done:
        assert item.outcome
        assert item.meeting.ends_at < item.done_at <= now


def test_nothing_that_happened_is_dated_after_the_day_of_the_run(now):
    for model, field in [
        (Vote, "created_at"),
        (Question, "created_at"),
        (QuestionVote, "created_at"),
        (PriorityUpdate, "created_at"),
        (Priority, "created_at"),
        (Registration, "created_at"),
        (Meeting, "minutes_published_at"),
        (Meeting, "created_at"),
        (Event, "created_at"),
    ]:
        assert not model.objects.filter(**{f"{field}__gt": now}).exists(), (model, field)


def test_upcoming_meetings_and_events_have_registrations_within_capacity(now):
    upcoming = Event.objects.filter(starts_at__gt=now)
    assert upcoming.count() == Event.objects.count()
    assert set(Event.objects.values_list("kind", flat=True)) >= {
        "clean_up",
        "block_party",
        "sports",
    }
    over = (
        Event.objects.exclude(capacity=None)
        .annotate(coming=Count("registrations"))
        .filter(coming__gt=F("capacity"))
    )
    assert not over.exists()
    assert Registration.objects.filter(meeting__starts_at__gt=now).exists()
    assert Registration.objects.filter(event__isnull=False).exists()


def test_spanish_speaking_neighbourhoods_get_spanish_content():
    translated = Priority.objects.filter(translations__has_key="es")
    assert translated.exists()
    meeting = Meeting.objects.filter(translations__has_key="es").exclude(minutes_raised="").first()
    assert meeting.translated("minutes_raised", "es") != meeting.minutes_raised
    assert Event.objects.filter(translations__has_key="es").exists()


def test_loading_again_writes_nothing():
    before = _snapshot()

    again = load_voice(Force.objects.get(slug="seattle"))

    assert (again.neighbourhoods_loaded, again.residents_created, again.votes_created) == (0, 0, 0)
    assert _snapshot() == before


def test_the_same_seed_gives_the_same_content():
    before = _snapshot()
    with transaction.atomic():
        for model in (Registration, RaisedConcern, ActionItem, NamedAttendee, Attendance,
                      QuestionVote, Question, Vote, PriorityUpdate, Priority, Cycle):  # fmt: skip
            model.objects.all().delete()
        Meeting.neighbourhoods.through.objects.all().delete()
        Event.neighbourhoods.through.objects.all().delete()
        for model in (Meeting, MeetingSeries, Event, Residency):
            model.objects.all().delete()

        load_voice(Force.objects.get(slug="seattle"))

        assert _snapshot() == before
        transaction.set_rollback(True)


def test_the_demo_shows_in_the_police_uk_endpoints_and_the_calendar(client: Client):
    code = "fremont"

    priorities = client.get(f"/api/seattle/{code}/priorities").json()
    events = client.get(f"/api/seattle/{code}/events").json()
    feed = client.get(f"/forces/seattle/{code}/calendar.ics").content.decode()

    assert len(priorities) == 3
    # Both keys always present; null for what is still being worked on.
    assert all(set(p) == {"issue", "issue-date", "action", "action-date"} for p in priorities)
    assert all((p["action"] is None) == (p["action-date"] is None) for p in priorities)
    assert {e["type"] for e in events} == {"meeting", "event"}
    assert feed.count("BEGIN:VEVENT") >= 5


def test_a_held_meetings_record_keeps_the_priorities_it_discussed(now):
    from beatbridge.voice.selectors.meetings import agenda_for

    held = Meeting.objects.filter(starts_at__lt=now).exclude(minutes_published_at=None)
    discussed = [m for m in held.order_by("-starts_at")[:30] if agenda_for(m).priorities]
    assert discussed
    for meeting in discussed:
        for priority in agenda_for(meeting).priorities:
            assert priority.adopted_at <= meeting.starts_at
            assert priority.closed_at is None or priority.closed_at > meeting.starts_at
    upcoming = Meeting.objects.filter(starts_at__gt=now, is_cancelled=False)
    assert any(agenda_for(m).priorities for m in upcoming[:30])
