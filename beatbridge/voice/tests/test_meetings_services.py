"""The meetings service: who may do what, what is refused, and what is left behind."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.errors import Conflict, DomainError, PermissionDenied
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.reports.models import Report
from beatbridge.voice.models import (
    ActionItem,
    Attendance,
    Cycle,
    Meeting,
    MeetingKind,
    MeetingSeries,
    NamedAttendee,
    Priority,
    PrioritySource,
    PriorityStatus,
    Question,
    QuestionVote,
    RegistrantMessage,
    RegistrantNotification,
)
from beatbridge.voice.selectors import meetings as selectors
from beatbridge.voice.services import meetings as services
from beatbridge.voice.services.registrations import register
from beatbridge.voice.tests.factories_meetings import (
    ActionItemFactory,
    MeetingFactory,
    PastMeetingFactory,
    QuestionFactory,
    RaisedConcernFactory,
    in_days,
)

pytestmark = pytest.mark.django_db

DETAILS = services.MeetingDetails(
    kind=MeetingKind.BEAT,
    title="Fremont beat meeting",
    venue_name="Fremont Library",
    languages=["en", "es"],
    interpretation=["so"],
    childcare=True,
    capacity=40,
)


@pytest.fixture
def resident():
    return UserFactory()


@pytest.fixture
def other_officer(force):
    """An officer serving another neighbourhood of the same force."""
    return TeamAssignmentFactory(officer__force=force).officer.user


@pytest.fixture
def supervisor(force):
    return OfficerProfileFactory(force=force, supervisor=True).user


@pytest.fixture
def meeting(fremont):
    return MeetingFactory(neighbourhoods=[fremont])


@pytest.fixture
def past_meeting(fremont):
    return PastMeetingFactory(neighbourhoods=[fremont])


def _create(by, neighbourhoods, **overrides):
    return services.create_meeting(
        by=by,
        neighbourhoods=neighbourhoods,
        details=overrides.pop("details", DETAILS),
        starts_at=overrides.pop("starts_at", in_days(3)),
        ends_at=overrides.pop("ends_at", in_days(3, hour=21)),
    )


# --- creating -----------------------------------------------------------------------------


def test_the_team_schedules_a_meeting_with_its_details_and_an_audit_entry(fremont, fremont_officer):
    meeting = _create(fremont_officer, [fremont])
    assert list(meeting.neighbourhoods.all()) == [fremont]
    assert (meeting.languages, meeting.interpretation, meeting.childcare) == (
        ["en", "es"],
        ["so"],
        True,
    )
    assert AuditEntry.objects.filter(action="meeting.created", target_id=str(meeting.pk)).exists()


@pytest.mark.parametrize("who", ["resident", "other_officer"])
def test_only_the_team_schedules_a_meeting(request, fremont, who):
    with pytest.raises(PermissionDenied):
        _create(request.getfixturevalue(who), [fremont])
    assert Meeting.objects.count() == 0


def test_a_joint_meeting_needs_the_team_of_every_neighbourhood(fremont, fremont_officer, force):
    other = NeighbourhoodFactory(force=force)
    with pytest.raises(PermissionDenied) as refused:
        _create(fremont_officer, [fremont, other])
    assert refused.value.field == "neighbourhoods"
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_administrators_schedule_joint_meetings(request, fremont, force, who):
    other = NeighbourhoodFactory(force=force)
    by = AdministratorFactory() if who == "admin" else request.getfixturevalue(who)
    meeting = _create(by, [fremont, other])
    assert set(meeting.neighbourhoods.all()) == {fremont, other}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": in_days(-1), "ends_at": in_days(-1, hour=21)}, "starts_at"),
        ({"ends_at": in_days(3, hour=18)}, "ends_at"),
        ({"ends_at": None}, "ends_at"),
        (
            {"details": services.MeetingDetails(kind=MeetingKind.ONLINE, title="Online")},
            "online_url",
        ),
        (
            {"details": services.MeetingDetails(kind=MeetingKind.BEAT, title="Nowhere")},
            "venue_name",
        ),
        ({"details": services.MeetingDetails(kind="party", title="x", venue_name="y")}, "kind"),
        ({"details": services.MeetingDetails(kind="beat", title=" ", venue_name="y")}, "title"),
        (
            {
                "details": services.MeetingDetails(
                    kind="beat", title="x", venue_name="y", languages=["english!"]
                )
            },
            "languages",
        ),
        (
            {
                "details": services.MeetingDetails(
                    kind="beat", title="x", venue_name="y", interpretation=["1"]
                )
            },
            "interpretation",
        ),
        (
            {
                "details": services.MeetingDetails(
                    kind="online", title="x", online_url="javascript:alert(1)"
                )
            },
            "online_url",
        ),
        (
            {
                "details": services.MeetingDetails(
                    kind="beat", title="x", venue_name="y", capacity=0
                )
            },
            "capacity",
        ),
    ],
)
def test_bad_meetings_are_refused_on_the_field_at_fault(fremont, fremont_officer, overrides, field):
    with pytest.raises(DomainError) as refused:
        _create(fremont_officer, [fremont], **overrides)
    assert refused.value.field == field
    assert Meeting.objects.count() == 0


def test_an_online_meeting_needs_no_venue(fremont, fremont_officer):
    details = services.MeetingDetails(
        kind=MeetingKind.ONLINE, title="Online", online_url="https://meet.example.org/fremont"
    )
    assert _create(fremont_officer, [fremont], details=details).online_url.startswith("https://")


# --- series -------------------------------------------------------------------------------


def _series(by, neighbourhood, **overrides):
    arguments = {
        "by": by,
        "neighbourhood": neighbourhood,
        "details": DETAILS,
        "weekday": 2,
        "week_of_month": 2,
        "start_time": datetime.time(19),
        "duration_minutes": 90,
        "until": None,
    }
    return services.create_series(**(arguments | overrides))


def test_a_series_makes_a_year_of_monthly_meetings(fremont, fremont_officer):
    series, meetings = _series(fremont_officer, fremont)
    assert 12 <= len(meetings) <= 13
    assert all(m.series == series and m.starts_at > timezone.now() for m in meetings)
    assert all(timezone.localtime(m.starts_at).time() == datetime.time(19) for m in meetings)
    assert selectors.upcoming_meetings(fremont).count() == len(meetings)


def test_a_series_stops_at_its_end_date(fremont, fremont_officer):
    until = timezone.localdate() + datetime.timedelta(days=95)
    _made, meetings = _series(fremont_officer, fremont, until=until)
    assert 2 <= len(meetings) <= 4
    assert all(timezone.localdate(m.starts_at) <= until for m in meetings)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"weekday": 8}, "weekday"),
        ({"week_of_month": 5}, "week_of_month"),
        ({"start_time": None}, "start_time"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"until": datetime.date(2020, 1, 1)}, "until"),
    ],
)
def test_bad_series_are_refused_and_nothing_is_made(fremont, fremont_officer, overrides, field):
    with pytest.raises(DomainError) as refused:
        _series(fremont_officer, fremont, **overrides)
    assert refused.value.field == field
    assert (MeetingSeries.objects.count(), Meeting.objects.count()) == (0, 0)


def test_only_the_team_makes_a_series(fremont, other_officer):
    with pytest.raises(PermissionDenied):
        _series(other_officer, fremont)
    assert MeetingSeries.objects.count() == 0


# --- changing, moving, cancelling ---------------------------------------------------------


def test_the_team_edits_a_meeting(meeting, fremont_officer):
    services.update_meeting(
        by=fremont_officer,
        meeting=meeting,
        details=DETAILS.__class__(**{**DETAILS.__dict__, "title": "New"}),
    )
    meeting.refresh_from_db()
    assert meeting.title == "New"


def test_another_team_cannot_edit_a_meeting(meeting, other_officer):
    with pytest.raises(PermissionDenied):
        services.update_meeting(by=other_officer, meeting=meeting, details=DETAILS)


def _registered(meeting):
    return register(gathering=meeting, email="sam@example.org", name="Sam")


def _messages(message):
    return RegistrantNotification.objects.filter(message=message)


def test_moving_a_meeting_tells_those_registered_once(meeting, fremont_officer):
    _registered(meeting)
    new_start = in_days(10)
    for _attempt in range(2):
        services.move_meeting(
            by=fremont_officer,
            meeting=meeting,
            starts_at=new_start,
            ends_at=new_start + datetime.timedelta(hours=1),
        )
    meeting.refresh_from_db()
    assert meeting.starts_at == new_start
    assert list(_messages(RegistrantMessage.MOVED).values_list("about", flat=True)) == [
        new_start.isoformat()
    ]


def test_a_meeting_cannot_be_moved_into_the_past(meeting, fremont_officer):
    before = meeting.starts_at
    with pytest.raises(DomainError) as refused:
        services.move_meeting(
            by=fremont_officer, meeting=meeting, starts_at=in_days(-2), ends_at=in_days(-2, 21)
        )
    assert refused.value.field == "starts_at"
    meeting.refresh_from_db()
    assert meeting.starts_at == before
    assert not _messages(RegistrantMessage.MOVED).exists()


def test_cancelling_needs_a_reason_and_tells_those_registered(meeting, fremont_officer):
    _registered(meeting)
    with pytest.raises(DomainError) as refused:
        services.cancel_meeting(by=fremont_officer, meeting=meeting, reason="  ")
    assert refused.value.field == "reason"
    assert not Meeting.objects.get(pk=meeting.pk).is_cancelled
    services.cancel_meeting(by=fremont_officer, meeting=meeting, reason="The library is closed.")
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert _messages(RegistrantMessage.CANCELLED).count() == 1
    with pytest.raises(Conflict):
        services.cancel_meeting(by=fremont_officer, meeting=meeting, reason="Again")


def test_a_resident_cannot_cancel_a_meeting(meeting, resident):
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(by=resident, meeting=meeting, reason="No")
    assert not Meeting.objects.get(pk=meeting.pk).is_cancelled


def test_a_meeting_that_has_started_cannot_be_moved_or_cancelled(past_meeting, fremont_officer):
    with pytest.raises(DomainError):
        services.cancel_meeting(by=fremont_officer, meeting=past_meeting, reason="Too late")
    with pytest.raises(DomainError):
        services.move_meeting(
            by=fremont_officer, meeting=past_meeting, starts_at=in_days(5), ends_at=in_days(5, 21)
        )


# --- questions ----------------------------------------------------------------------------


def test_a_resident_asks_a_question_before_the_meeting(meeting, resident):
    question = services.ask_question(
        by=resident, meeting=meeting, text="  Will the light be fixed?  "
    )
    assert (question.text, question.asked_by) == ("Will the light be fixed?", resident)


def test_an_anonymous_visitor_cannot_ask(meeting):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.ask_question(by=AnonymousUser(), meeting=meeting, text="Hello?")
    assert Question.objects.count() == 0


@pytest.mark.parametrize("text", ["", "   ", "x" * (services.QUESTION_MAX + 1)])
def test_empty_or_overlong_questions_are_refused(meeting, resident, text):
    with pytest.raises(DomainError) as refused:
        services.ask_question(by=resident, meeting=meeting, text=text)
    assert refused.value.field == "text"


def test_questions_close_when_the_meeting_starts(past_meeting, resident):
    with pytest.raises(DomainError) as refused:
        services.ask_question(by=resident, meeting=past_meeting, text="Too late?")
    assert refused.value.code == "closed"


def test_one_person_asks_a_bounded_number_of_questions(meeting, resident):
    for number in range(services.QUESTIONS_PER_PERSON):
        services.ask_question(by=resident, meeting=meeting, text=f"Question {number}")
    with pytest.raises(DomainError):
        services.ask_question(by=resident, meeting=meeting, text="One more")


def test_one_upvote_per_person_and_it_can_be_withdrawn(meeting, resident):
    question = QuestionFactory(meeting=meeting)
    assert services.upvote_question(by=resident, question=question) is True
    assert services.upvote_question(by=resident, question=question) is False
    assert QuestionVote.objects.filter(question=question).count() == 1
    assert services.withdraw_upvote(by=resident, question=question) is True
    assert not QuestionVote.objects.exists()


def test_hidden_questions_cannot_be_upvoted(meeting, resident):
    question = QuestionFactory(meeting=meeting, is_hidden=True)
    with pytest.raises(DomainError):
        services.upvote_question(by=resident, question=question)
    assert not QuestionVote.objects.exists()


def test_the_team_answers_and_hides_questions_and_others_cannot(meeting, fremont_officer, resident):
    question = QuestionFactory(meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.answer_question(by=resident, question=question, answer="Yes")
    with pytest.raises(PermissionDenied):
        services.hide_question(by=resident, question=question)
    services.answer_question(by=fremont_officer, question=question, answer="Monday.")
    services.hide_question(by=fremont_officer, question=question)
    question.refresh_from_db()
    assert (question.answer, question.is_hidden) == ("Monday.", True)
    with pytest.raises(DomainError) as refused:
        services.answer_question(by=fremont_officer, question=question, answer="")
    assert refused.value.field == "answer"


# --- attendance and the record ------------------------------------------------------------


def test_attendance_replaces_what_was_recorded(past_meeting, fremont_officer):
    services.record_attendance(
        by=fremont_officer, meeting=past_meeting, counts={"in_person": 20, "online": 5}
    )
    services.record_attendance(
        by=fremont_officer, meeting=past_meeting, counts={"in_person": 22, "phone": 1, "online": 0}
    )
    assert selectors.attendance_of(past_meeting) == {"in_person": 22, "phone": 1}


@pytest.mark.parametrize("counts", [{"in_person": -1}, {"carrier_pigeon": 3}, {"online": 10**9}])
def test_bad_attendance_is_refused_and_the_old_counts_kept(past_meeting, fremont_officer, counts):
    services.record_attendance(by=fremont_officer, meeting=past_meeting, counts={"in_person": 9})
    with pytest.raises(DomainError):
        services.record_attendance(by=fremont_officer, meeting=past_meeting, counts=counts)
    assert selectors.attendance_of(past_meeting) == {"in_person": 9}


def test_attendance_waits_for_the_meeting_and_for_the_team(
    meeting, past_meeting, fremont_officer, resident
):
    with pytest.raises(DomainError):
        services.record_attendance(by=fremont_officer, meeting=meeting, counts={"in_person": 3})
    with pytest.raises(PermissionDenied):
        services.record_attendance(by=resident, meeting=past_meeting, counts={"in_person": 3})
    assert not Attendance.objects.exists()


def test_names_are_recorded_only_with_consent(past_meeting, fremont_officer):
    with pytest.raises(DomainError) as refused:
        services.add_named_attendee(
            by=fremont_officer, meeting=past_meeting, name="Pat", consented=False
        )
    assert refused.value.field == "consented"
    assert not NamedAttendee.objects.exists()
    attendee = services.add_named_attendee(
        by=fremont_officer, meeting=past_meeting, name="Pat", consented=True
    )
    services.remove_named_attendee(by=fremont_officer, attendee=attendee)
    assert not NamedAttendee.objects.exists()


def test_minutes_are_published_after_the_meeting_started(meeting, past_meeting, fremont_officer):
    with pytest.raises(DomainError):
        services.publish_minutes(
            by=fremont_officer, meeting=meeting, raised="x", answered="", decided=""
        )
    with pytest.raises(DomainError) as refused:
        services.publish_minutes(
            by=fremont_officer, meeting=past_meeting, raised="", answered=" ", decided=""
        )
    assert refused.value.field == "raised"
    services.publish_minutes(
        by=fremont_officer,
        meeting=past_meeting,
        raised="Speeding.",
        answered="Patrols at 8am.",
        decided="Speed survey.",
    )
    past_meeting.refresh_from_db()
    first = past_meeting.minutes_published_at
    assert first is not None
    services.publish_minutes(
        by=fremont_officer, meeting=past_meeting, raised="Speeding!", answered="", decided=""
    )
    past_meeting.refresh_from_db()
    assert (past_meeting.minutes_raised, past_meeting.minutes_published_at) == ("Speeding!", first)


def test_a_resident_cannot_publish_minutes(past_meeting, resident):
    with pytest.raises(PermissionDenied):
        services.publish_minutes(
            by=resident, meeting=past_meeting, raised="x", answered="", decided=""
        )


# --- concerns -----------------------------------------------------------------------------


def _cycle(neighbourhood, **overrides):
    today = timezone.localdate()
    dates = {
        "starts_on": today - datetime.timedelta(days=10),
        "voting_opens_on": today + datetime.timedelta(days=10),
        "voting_closes_on": today + datetime.timedelta(days=20),
        "ends_on": today + datetime.timedelta(days=90),
    }
    return Cycle.objects.create(
        neighbourhood=neighbourhood, title="This quarter", **(dates | overrides)
    )


def test_a_concern_becomes_a_candidate_priority_of_the_current_cycle(
    past_meeting, fremont, fremont_officer
):
    cycle = _cycle(fremont)
    concern = RaisedConcernFactory(meeting=past_meeting)
    priority = services.concern_to_priority(
        by=fremont_officer, concern=concern, title="Speeding by the school"
    )
    assert (priority.cycle, priority.source, priority.source_reference, priority.status) == (
        cycle,
        PrioritySource.MEETING,
        str(past_meeting.pk),
        PriorityStatus.PROPOSED,
    )
    concern.refresh_from_db()
    assert concern.priority == priority
    with pytest.raises(Conflict):
        services.concern_to_priority(by=fremont_officer, concern=concern)
    assert Priority.objects.count() == 1


def test_without_a_cycle_a_concern_cannot_become_a_priority(past_meeting, fremont_officer):
    concern = RaisedConcernFactory(meeting=past_meeting)
    with pytest.raises(DomainError) as refused:
        services.concern_to_priority(by=fremont_officer, concern=concern)
    assert refused.value.code == "no_open_cycle"
    concern.refresh_from_db()
    assert concern.priority is None


def test_a_cycle_past_its_results_takes_no_candidate(past_meeting, fremont, fremont_officer):
    today = timezone.localdate()
    _cycle(
        fremont,
        starts_on=today - datetime.timedelta(days=60),
        voting_opens_on=today - datetime.timedelta(days=40),
        voting_closes_on=today - datetime.timedelta(days=30),
    )
    concern = RaisedConcernFactory(meeting=past_meeting)
    with pytest.raises(DomainError):
        services.concern_to_priority(by=fremont_officer, concern=concern)
    assert not Priority.objects.exists()


def test_a_concern_becomes_a_report_once(past_meeting, fremont, fremont_officer, street_light):
    concern = RaisedConcernFactory(meeting=past_meeting)
    report = services.concern_to_report(by=fremont_officer, concern=concern, category=street_light)
    assert (report.neighbourhood, report.reporter, report.description) == (
        fremont,
        None,
        concern.text,
    )
    concern.refresh_from_db()
    assert concern.report_reference == report.reference
    with pytest.raises(Conflict):
        services.concern_to_report(by=fremont_officer, concern=concern, category=street_light)
    assert Report.staff_objects.count() == 1


def test_a_category_of_another_force_is_refused(past_meeting, fremont_officer):
    from beatbridge.reports.tests.factories import CategoryFactory

    concern = RaisedConcernFactory(meeting=past_meeting)
    with pytest.raises(DomainError) as refused:
        services.concern_to_report(by=fremont_officer, concern=concern, category=CategoryFactory())
    assert refused.value.field == "category"
    assert not Report.staff_objects.exists()


def test_only_the_team_converts_concerns(past_meeting, other_officer, street_light):
    concern = RaisedConcernFactory(meeting=past_meeting)
    with pytest.raises(PermissionDenied):
        services.concern_to_report(by=other_officer, concern=concern, category=street_light)


# --- action items and the agenda ----------------------------------------------------------


def test_action_items_need_an_owner_and_a_due_date_and_close_with_an_outcome(
    past_meeting, fremont_officer
):
    with pytest.raises(DomainError) as refused:
        services.create_action_item(
            by=fremont_officer, meeting=past_meeting, text="Speed survey", owner="", due_on=None
        )
    assert refused.value.field == "owner"
    item = services.create_action_item(
        by=fremont_officer,
        meeting=past_meeting,
        text="Speed survey",
        owner="SDOT",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    with pytest.raises(DomainError) as refused:
        services.close_action_item(by=fremont_officer, item=item, outcome=" ")
    assert refused.value.field == "outcome"
    services.close_action_item(by=fremont_officer, item=item, outcome="Survey done: 40% over.")
    item.refresh_from_db()
    assert item.done_at is not None
    with pytest.raises(Conflict):
        services.close_action_item(by=fremont_officer, item=item, outcome="Again")


def test_a_resident_cannot_add_or_close_action_items(past_meeting, resident):
    with pytest.raises(PermissionDenied):
        services.create_action_item(
            by=resident, meeting=past_meeting, text="x", owner="y", due_on=timezone.localdate()
        )
    item = ActionItemFactory(meeting=past_meeting)
    with pytest.raises(PermissionDenied):
        services.close_action_item(by=resident, item=item, outcome="done")
    assert ActionItem.objects.get().is_open


def test_the_agenda_gathers_priorities_questions_open_actions_and_items(
    fremont, fremont_officer, past_meeting, meeting, resident, django_assert_num_queries
):
    cycle = _cycle(fremont)
    adopted = Priority.objects.create(
        cycle=cycle,
        title="Speeding",
        source="team",
        status=PriorityStatus.ADOPTED,
        adopted_at=timezone.now() - datetime.timedelta(days=30),
    )
    Priority.objects.create(cycle=cycle, title="Not yet", source="team")
    open_item = ActionItemFactory(meeting=past_meeting)
    ActionItemFactory(meeting=past_meeting, done_at=timezone.now(), outcome="Done")
    ActionItemFactory(meeting=PastMeetingFactory(neighbourhoods=[NeighbourhoodFactory()]))
    popular, quiet = QuestionFactory(meeting=meeting), QuestionFactory(meeting=meeting)
    QuestionFactory(meeting=meeting, is_hidden=True)
    services.upvote_question(by=resident, question=popular)
    services.add_agenda_item(by=fremont_officer, meeting=meeting, title="Welcome")
    meeting = selectors.get_meeting(meeting.pk)
    with django_assert_num_queries(4):
        agenda = selectors.agenda_for(meeting)
    assert agenda.priorities == [adopted]
    assert agenda.action_items == [open_item]
    assert agenda.questions == [popular, quiet]
    assert [item.title for item in agenda.items] == ["Welcome"]


def test_a_joint_meeting_is_listed_for_each_neighbourhood(fremont, force, supervisor):
    other = NeighbourhoodFactory(force=force)
    meeting = _create(supervisor, [fremont, other])
    assert list(selectors.upcoming_meetings(fremont)) == [meeting]
    assert list(selectors.upcoming_meetings(other)) == [meeting]
    assert not selectors.past_meetings(other).exists()


def test_a_past_agenda_keeps_what_was_open_then(fremont, fremont_officer):
    """What a meeting discussed stays on its record, and what came later never joins it."""
    cycle = _cycle(fremont)
    month_ago = timezone.now() - datetime.timedelta(days=30)
    discussed = Priority.objects.create(
        cycle=cycle,
        title="Speeding",
        source="team",
        status=PriorityStatus.ADOPTED,
        adopted_at=month_ago,
    )
    meeting = PastMeetingFactory(neighbourhoods=[fremont])
    later = Priority.objects.create(
        cycle=cycle,
        title="Dumping",
        source="team",
        status=PriorityStatus.ADOPTED,
        adopted_at=timezone.now(),
    )
    Priority.objects.filter(pk=discussed.pk).update(
        status=PriorityStatus.DELIVERED, outcome="Done.", closed_at=timezone.now()
    )
    done_later = ActionItemFactory(
        meeting=PastMeetingFactory(
            neighbourhoods=[fremont], starts_at=month_ago, ends_at=month_ago
        ),
        done_at=timezone.now(),
        outcome="Done",
    )

    agenda = selectors.agenda_for(selectors.get_meeting(meeting.pk))

    assert agenda.priorities == [discussed]
    assert later not in agenda.priorities
    assert agenda.action_items == [done_later]
