"""Event pages, both ways: the public reads and registers, the team manages; nobody else."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from beatbridge.accounts.tests.factories import AdministratorFactory, UserFactory
from beatbridge.audit.models import AuditEntry
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import Event, EventPhoto, Registration
from beatbridge.voice.services.registrations import register
from beatbridge.voice.tests.factories_events import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(fremont):
    return EventFactory(neighbourhoods=[fremont], title="Troll party", capacity=2)


@pytest.fixture
def past_event(fremont):
    return EventFactory(
        neighbourhoods=[fremont],
        title="Last summer",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=30, hours=-2),
    )


@pytest.fixture
def other_officer(force):
    from beatbridge.accounts.tests.factories import TeamAssignmentFactory

    ballard = NeighbourhoodFactory(force=force, code="N-BAL")
    return TeamAssignmentFactory(neighbourhood=ballard).officer.user


def people(fremont_officer, other_officer):
    return {
        "anonymous": None,
        "resident": UserFactory(),
        "other_officer": other_officer,
        "team": fremont_officer,
        "admin": AdministratorFactory(),
    }


def test_the_public_sees_upcoming_and_past_events_with_few_queries(
    client, fremont, event, past_event, django_assert_max_num_queries
):
    for number in range(5):
        EventFactory(neighbourhoods=[fremont], title=f"More {number}")
    upcoming_url = reverse("voice:events", kwargs={"force": "seattle", "code": "N-FRE"})
    past_url = reverse("voice:past_events", kwargs={"force": "seattle", "code": "N-FRE"})

    with django_assert_max_num_queries(6):
        upcoming = client.get(upcoming_url)
    with django_assert_max_num_queries(7):
        past = client.get(past_url)

    assert "Troll party" in upcoming.text and "Last summer" not in upcoming.text
    assert "Last summer" in past.text and "Troll party" not in past.text


def test_an_unknown_neighbourhood_or_event_is_404(client, fremont):
    assert client.get("/forces/seattle/N-XXX/events/").status_code == 404
    assert client.get(reverse("voice:event", args=[999])).status_code == 404


def test_the_event_page_shows_places_left_and_the_translation_or_a_note(client, event):
    page = client.get(reverse("voice:event", args=[event.pk]))
    assert "2 places left." in page.text
    assert "shown in its original language" not in page.text

    event.translations = {"es": {"title": "Fiesta del trol"}}
    event.save(update_fields=["translations"])
    spanish = client.get(reverse("voice:event", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert "Fiesta del trol" in spanish.text


def test_a_full_event_offers_the_waiting_list(client, event):
    register(gathering=event, email="a@example.org")
    register(gathering=event, email="b@example.org")
    page = client.get(reverse("voice:event", args=[event.pk]))
    assert "Join the waiting list" in page.text


def test_anyone_registers_by_email_without_seeing_the_link(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("voice:event_register", args=[event.pk]),
            {"email": "Sam@Example.org", "name": "Sam"},
            follow=True,
        )
    registration = Registration.objects.get()
    assert registration.email == "sam@example.org"
    assert "We have sent a message" in response.text
    # The link is a capability: only the e-mail carries it.
    assert registration.token not in response.text
    assert registration.token in mail.outbox[0].body


def test_a_bad_address_shows_on_the_field_and_saves_nothing(client, event):
    response = client.post(reverse("voice:event_register", args=[event.pk]), {"email": "nope"})
    assert response.status_code == 400
    assert "Enter an e-mail address" in response.text
    assert Registration.objects.count() == 0


def test_a_signed_in_person_registers_in_one_click_and_sees_their_status(client, event):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("voice:event_register", args=[event.pk]), follow=True)
    assert Registration.objects.get().user == person
    assert "Coming" in response.text
    assert reverse("voice:registration", args=[Registration.objects.get().token]) in response.text


def test_registering_for_a_cancelled_event_is_refused_with_a_message(client, event):
    event.is_cancelled = True
    event.save(update_fields=["is_cancelled"])
    response = client.post(
        reverse("voice:event_register", args=[event.pk]), {"email": "a@example.org"}
    )
    assert response.status_code == 400
    assert "registration is closed" in response.text
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("resident", 403), ("other_officer", 403), ("team", 200), ("admin", 200)],
)
@pytest.mark.parametrize(
    "page", ["event_edit", "event_move", "event_cancel", "event_registrations", "event_photos"]
)
def test_team_pages_are_for_the_team(
    client, event, fremont_officer, other_officer, who, expected, page
):
    person = people(fremont_officer, other_officer)[who]
    if person:
        client.force_login(person)
    assert client.get(reverse(f"voice:{page}", args=[event.pk])).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("resident", 403), ("other_officer", 403), ("team", 200), ("admin", 200)],
)
def test_creating_and_listing_events_is_for_the_team(
    client, fremont, fremont_officer, other_officer, who, expected
):
    person = people(fremont_officer, other_officer)[who]
    if person:
        client.force_login(person)
    kwargs = {"force": "seattle", "code": "N-FRE"}
    assert client.get(reverse("voice:event_create", kwargs=kwargs)).status_code == expected
    assert client.get(reverse("voice:manage_events", kwargs=kwargs)).status_code == expected


def test_the_team_creates_an_event_through_the_form(client, fremont, fremont_officer):
    client.force_login(fremont_officer)
    starts = timezone.localtime() + datetime.timedelta(days=5)
    response = client.post(
        reverse("voice:event_create", kwargs={"force": "seattle", "code": "N-FRE"}),
        {
            "title": "Open day",
            "kind": "open_day",
            "organiser": "Fremont team",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "venue_name": "The precinct",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("voice:event", args=[event.pk])
    assert list(event.neighbourhoods.all()) == [fremont]


def test_an_event_in_the_past_is_refused_on_the_start_field(client, fremont, fremont_officer):
    client.force_login(fremont_officer)
    starts = timezone.localtime() - datetime.timedelta(days=1)
    response = client.post(
        reverse("voice:event_create", kwargs={"force": "seattle", "code": "N-FRE"}),
        {
            "title": "Too late",
            "kind": "open_day",
            "organiser": "Fremont team",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "venue_name": "The precinct",
        },
    )
    assert response.status_code == 400
    assert "The start must be in the future." in response.text
    assert Event.objects.count() == 0


def test_the_team_cancels_through_the_form(client, event, fremont_officer):
    client.force_login(fremont_officer)
    response = client.post(reverse("voice:event_cancel", args=[event.pk]), {"reason": "Rain"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.is_cancelled, event.cancellation_reason) == (True, "Rain")


def test_the_team_moves_through_the_form(client, event, fremont_officer):
    client.force_login(fremont_officer)
    starts = timezone.localtime(event.starts_at) + datetime.timedelta(days=1)
    response = client.post(
        reverse("voice:event_move", args=[event.pk]),
        {
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "venue_name": "Gas Works Park",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.venue_name == "Gas Works Park"


def test_the_registrations_list_shows_contacts_to_the_team_and_is_audited(
    client, event, fremont_officer, django_assert_max_num_queries
):
    for number in range(5):
        register(gathering=event, email=f"guest{number}@example.org", name=f"Guest {number}")
    register(gathering=event, user=UserFactory(full_name="Account Holder"))
    client.force_login(fremont_officer)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("voice:event_registrations", args=[event.pk]))

    assert "guest0@example.org" in response.text and "Account Holder" in response.text
    assert "On the waiting list" in response.text
    assert AuditEntry.objects.filter(
        action="event.registrations_viewed", actor=fremont_officer
    ).exists()


def test_the_public_event_page_never_shows_who_registered(client, event):
    register(gathering=event, email="secret@example.org", name="Secret Name")
    page = client.get(reverse("voice:event", args=[event.pk]))
    assert "secret@example.org" not in page.text and "Secret Name" not in page.text


def test_the_team_adds_a_photo_after_the_event_and_the_public_sees_it(
    client, past_event, fremont_officer
):
    image = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(image, format="JPEG")
    image.seek(0)
    image.name = "party.jpg"
    client.force_login(fremont_officer)
    response = client.post(
        reverse("voice:event_photos", args=[past_event.pk]), {"photo": image, "caption": "Fun"}
    )
    assert response.status_code == 302
    photo = EventPhoto.objects.get()
    client.logout()

    page = client.get(reverse("voice:event", args=[past_event.pk]))
    served = client.get(reverse("voice:event_photo", args=[past_event.pk, photo.pk]))
    assert 'alt="Fun"' in page.text
    assert served["Content-Type"] == "image/jpeg"
    assert (
        client.get(reverse("voice:event_photo", args=[past_event.pk + 1, photo.pk])).status_code
        == 404
    )


def test_a_photo_before_the_event_ends_is_refused_on_the_field(client, event, fremont_officer):
    image = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(image, format="JPEG")
    image.seek(0)
    image.name = "early.jpg"
    client.force_login(fremont_officer)
    response = client.post(reverse("voice:event_photos", args=[event.pk]), {"photo": image})
    assert response.status_code == 400
    assert "once the event is over" in response.text
    assert EventPhoto.objects.count() == 0
