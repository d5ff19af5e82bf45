"""Found in review: other teams kept out, numbers bounded, waiting lists served, views of
personal data audited, results fixed once public, messages in the registrant's language."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbridge.audit.models import AuditEntry
from beatbridge.errors import DomainError
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import (
    Meeting,
    PriorityStatus,
    Registration,
    RegistrationStatus,
)
from beatbridge.voice.services import meetings as meeting_services
from beatbridge.voice.services import priorities as priority_services
from beatbridge.voice.services.registrations import register
from beatbridge.voice.tests.factories_events import EventFactory
from beatbridge.voice.tests.factories_meetings import (
    MeetingFactory,
)
from beatbridge.voice.tests.factories_priorities import (
    CycleFactory,
    PriorityFactory,
    officer_of,
    resident_of,
)

pytestmark = pytest.mark.django_db


def _local_in(delta: datetime.timedelta) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


HUGE = "99999999999999999999"


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_officer(force):
    return officer_of(NeighbourhoodFactory(force=force, code="N-OTH", name="Other"))


def test_officer_of_another_neighbourhood_is_refused_everywhere(fremont, other_officer):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    priority = PriorityFactory(cycle=cycle)
    meeting = MeetingFactory(neighbourhoods=[fremont])
    event = EventFactory(neighbourhoods=[fremont])
    client = _signed_in(other_officer)
    gets = [
        reverse("voice:manage_cycle", kwargs={"cycle_id": cycle.pk}),
        reverse("voice:manage_priority", kwargs={"priority_id": priority.pk}),
        reverse("voice:manage_meeting", kwargs={"pk": meeting.pk}),
        reverse("voice:meeting_registrations", kwargs={"pk": meeting.pk}),
        reverse("voice:event_registrations", kwargs={"pk": event.pk}),
        reverse("voice:export_votes", kwargs={"pk": cycle.pk}),
        reverse("voice:export_attendance", kwargs={"force": "seattle", "code": "N-FRE"}),
        reverse("voice:manage_cycles", kwargs={"force": "seattle", "code": "N-FRE"}),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    adopt = reverse(
        "voice:manage_priority_action", kwargs={"priority_id": priority.pk, "action": "adopt"}
    )
    response = client.post(
        adopt, {"action_plan": "x", "action_owner": "me", "action_due_on": "2099-01-01"}
    )
    assert response.status_code == 403
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.PROPOSED


def test_raising_a_meeting_capacity_gives_places_to_the_waiting_list(fremont, fremont_officer):
    meeting = MeetingFactory(neighbourhoods=[fremont], capacity=1)
    register(gathering=meeting, email="a@example.org")
    waiting = register(gathering=meeting, email="b@example.org")
    assert waiting.status == RegistrationStatus.WAITING
    details = meeting_services.MeetingDetails(
        kind=meeting.kind, title=meeting.title, venue_name=meeting.venue_name, capacity=10
    )
    meeting_services.update_meeting(by=fremont_officer, meeting=meeting, details=details)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_email_registration_for_a_meeting_keeps_the_page_language(fremont):
    meeting = MeetingFactory(neighbourhoods=[fremont])
    response = Client().post(
        reverse("voice:meeting_register", kwargs={"pk": meeting.pk}),
        {"email": "ana@example.org", "name": ""},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 302
    assert Registration.objects.get(email="ana@example.org").language == "es"


def test_huge_votes_per_person_is_a_400(fremont, fremont_officer):
    today = timezone.localdate()
    response = _signed_in(fremont_officer).post(
        reverse("voice:manage_cycles", kwargs={"force": "seattle", "code": "N-FRE"}),
        {
            "title": "Big",
            "starts_on": today.isoformat(),
            "voting_opens_on": (today + datetime.timedelta(days=1)).isoformat(),
            "voting_closes_on": (today + datetime.timedelta(days=2)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
            "votes_per_person": HUGE,
            "max_adopted": "3",
        },
    )
    assert response.status_code == 400


def test_huge_show_of_hands_is_a_400(fremont, fremont_officer):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    priority = PriorityFactory(cycle=cycle)
    meeting = Meeting.objects.create(
        title="m",
        kind="beat",
        venue_name="v",
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    meeting.neighbourhoods.add(fremont)
    response = _signed_in(fremont_officer).post(
        reverse(
            "voice:manage_cycle_action", kwargs={"cycle_id": cycle.pk, "action": "meeting-votes"}
        ),
        {"priority": priority.pk, "meeting": meeting.pk, "count": HUGE},
    )
    assert response.status_code == 400


def test_huge_meeting_capacity_is_a_400(fremont, fremont_officer):
    meeting = MeetingFactory(neighbourhoods=[fremont])
    response = _signed_in(fremont_officer).post(
        reverse("voice:edit_meeting", kwargs={"pk": meeting.pk}),
        {"kind": "beat", "title": "t", "venue_name": "v", "capacity": HUGE},
    )
    assert response.status_code == 400


def test_huge_event_capacity_is_a_400(fremont, fremont_officer):
    event = EventFactory(neighbourhoods=[fremont])
    data = {
        "title": "t",
        "kind": "block_party",
        "organiser": "o",
        "venue_name": "v",
        "starts_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (timezone.localtime() + datetime.timedelta(days=3, hours=2)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "capacity": HUGE,
    }
    response = _signed_in(fremont_officer).post(
        reverse("voice:event_edit", kwargs={"pk": event.pk}), data
    )
    assert response.status_code == 400


def test_team_view_of_residents_emails_is_audited(fremont, fremont_officer):
    cycle = CycleFactory(neighbourhood=fremont, requires_verified_residency=True)
    resident_of(fremont, email="private@example.org")
    before = AuditEntry.objects.count()
    response = _signed_in(fremont_officer).get(
        reverse("voice:manage_cycle", kwargs={"cycle_id": cycle.pk})
    )
    assert b"private@example.org" in response.content
    assert AuditEntry.objects.count() > before


def test_control_event_email_registration_keeps_the_page_language(fremont):
    event = EventFactory(neighbourhoods=[fremont])
    Client().post(
        reverse("voice:event_register", kwargs={"pk": event.pk}),
        {"email": "ana@example.org", "name": ""},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert Registration.objects.get(email="ana@example.org").language == "es"


def test_series_keeps_wall_clock_across_dst():
    import zoneinfo

    zone = zoneinfo.ZoneInfo("America/Los_Angeles")
    times = meeting_services.series_times(
        weekday=2,
        week_of_month=2,
        start_time=datetime.time(19),
        duration_minutes=90,
        after=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
        until=datetime.date(2027, 12, 31),
        zone=zone,
    )
    assert len(times) == 12
    assert {start.astimezone(zone).hour for start, _ in times} == {19}
    # Nov 2027: 2nd Tuesday is 9 Nov, PST
    assert times[10][0].astimezone(datetime.UTC).hour == 3


def test_hands_cannot_be_added_once_results_are_public(fremont, fremont_officer):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    priority = PriorityFactory(cycle=cycle)
    day = cycle.voting_closes_on
    meeting = Meeting.objects.create(
        title="m",
        kind="beat",
        venue_name="v",
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(19))),
        ends_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(20))),
    )
    meeting.neighbourhoods.add(fremont)
    # Results have been public since voting closed; a count added now silently rewrites them.
    with pytest.raises(DomainError) as refused:
        priority_services.record_meeting_votes(
            actor=fremont_officer, priority=priority, meeting=meeting, count=500
        )
    assert refused.value.code == "outside_voting"
    assert not priority.votes.exists()
