"""Registration pages: the link from the e-mail, one's own list, RSVP to a meeting, and the
team's list of who registered for a meeting."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beatbridge.accounts.tests.factories import AdministratorFactory, UserFactory
from beatbridge.audit.models import AuditEntry
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import Meeting, MeetingKind, Registration, RegistrationStatus
from beatbridge.voice.services.registrations import register
from beatbridge.voice.tests.factories_events import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(fremont):
    starts = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        title="Beat meeting",
        kind=MeetingKind.BEAT,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        venue_name="Library",
        capacity=1,
    )
    meeting.neighbourhoods.set([fremont])
    return meeting


def test_the_link_shows_title_time_and_status_but_no_personal_data(client, fremont):
    event = EventFactory(neighbourhoods=[fremont], title="Clean-up")
    registration = register(gathering=event, email="private@example.org", name="Private Name")

    page = client.get(reverse("voice:registration", args=[registration.token]))

    assert page.status_code == 200
    assert "Clean-up" in page.text and "Coming" in page.text
    assert "private@example.org" not in page.text and "Private Name" not in page.text
    assert "no-cache" in page["Cache-Control"]


def test_cancelling_through_the_link_frees_the_place_for_the_next(client, meeting):
    coming = register(gathering=meeting, email="coming@example.org")
    waiting = register(gathering=meeting, email="waiting@example.org")

    response = client.post(reverse("voice:registration", args=[coming.token]), follow=True)

    coming.refresh_from_db()
    waiting.refresh_from_db()
    assert (coming.status, waiting.status) == ("cancelled", "confirmed")
    assert "Your registration is cancelled." in response.text
    assert "Cancel my registration" not in response.text


def test_a_wrong_link_is_404(client):
    assert client.get(reverse("voice:registration", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("voice:registration", args=["not-a-token"])).status_code == 404


def test_cancelling_after_the_gathering_is_refused_with_a_message(client, fremont):
    event = EventFactory(neighbourhoods=[fremont])
    registration = register(gathering=event, email="me@example.org")
    Registration.objects.filter(pk=registration.pk)
    event.starts_at = timezone.now() - datetime.timedelta(hours=3)
    event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    event.save(update_fields=["starts_at", "ends_at"])

    response = client.post(reverse("voice:registration", args=[registration.token]))

    assert response.status_code == 400
    assert "already taken place" in response.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_my_registrations_needs_sign_in_and_shows_only_mine(client, fremont, meeting):
    me, someone = UserFactory(), UserFactory()
    register(gathering=meeting, user=me)
    register(gathering=EventFactory(neighbourhoods=[fremont], title="Not mine"), user=someone)
    url = reverse("voice:my_registrations")

    assert client.get(url).status_code == 302
    client.force_login(me)
    page = client.get(url)
    assert "Beat meeting" in page.text and "Not mine" not in page.text


def test_my_registrations_list_takes_a_fixed_number_of_queries(
    client, fremont, django_assert_max_num_queries
):
    me = UserFactory()
    for number in range(6):
        register(gathering=EventFactory(neighbourhoods=[fremont], title=f"E{number}"), user=me)
    client.force_login(me)
    with django_assert_max_num_queries(5):
        page = client.get(reverse("voice:my_registrations"))
    assert "E5" in page.text


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("resident", 403), ("other_officer", 403), ("team", 200), ("admin", 200)],
)
def test_who_registered_for_a_meeting_is_for_the_team(
    client, force, meeting, fremont_officer, who, expected
):
    from beatbridge.accounts.tests.factories import TeamAssignmentFactory

    register(gathering=meeting, email="guest@example.org")
    person = {
        "anonymous": None,
        "resident": UserFactory(),
        "other_officer": TeamAssignmentFactory(
            neighbourhood=NeighbourhoodFactory(force=force, code="N-BAL")
        ).officer.user,
        "team": fremont_officer,
        "admin": AdministratorFactory(),
    }[who]
    if person:
        client.force_login(person)
    response = client.get(reverse("voice:meeting_registrations", args=[meeting.pk]))
    assert response.status_code == expected
    assert ("guest@example.org" in response.text) == (expected == 200)
    viewed = AuditEntry.objects.filter(action="meeting.registrations_viewed").exists()
    assert viewed == (expected == 200)
