"""Events: who may create and change them, the rules on times and places, notifications
of moves and cancellations (once each, in the registrant's language), photos afterwards."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.utils import formats, timezone, translation
from PIL import Image

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import AdministratorFactory, UserFactory
from beatbridge.audit.models import AuditEntry
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import Event, EventPhoto, RegistrantNotification
from beatbridge.voice.services.events import (
    EventDetails,
    add_event_photo,
    cancel_event,
    create_event,
    move_event,
    update_event,
)
from beatbridge.voice.services.registrations import register
from beatbridge.voice.tests.factories_events import EventFactory

pytestmark = pytest.mark.django_db


def details(**changes) -> EventDetails:
    starts = timezone.now() + datetime.timedelta(days=10)
    values = {
        "title": "Clean-up day",
        "kind": "clean_up",
        "organiser": "Friends of Fremont",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=3),
        "venue_name": "Troll Park",
        "capacity": 30,
    }
    return EventDetails(**{**values, **changes})


def jpeg_with_gps() -> io.BytesIO:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x8825] = {2: (47.0, 39.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    return out


def test_the_team_creates_an_event_and_the_audit_says_so(fremont, fremont_officer):
    event = create_event(by=fremont_officer, neighbourhoods=[fremont], details=details())

    assert list(event.neighbourhoods.all()) == [fremont]
    assert (event.organiser, event.capacity, event.created_by) == (
        "Friends of Fremont",
        30,
        fremont_officer,
    )
    assert AuditEntry.objects.filter(action="event.created", actor=fremont_officer).exists()


def test_a_supervisor_and_an_administrator_may_create_events(fremont, force):
    from beatbridge.accounts.tests.factories import OfficerProfileFactory

    supervisor = OfficerProfileFactory(force=force, supervisor=True).user
    for person in (supervisor, AdministratorFactory()):
        create_event(by=person, neighbourhoods=[fremont], details=details())
    assert Event.objects.count() == 2


@pytest.mark.parametrize("who", ["resident", "other_officer"])
def test_others_may_not_create_events(fremont, force, who):
    from beatbridge.accounts.tests.factories import TeamAssignmentFactory

    person = (
        UserFactory()
        if who == "resident"
        else TeamAssignmentFactory(
            neighbourhood=NeighbourhoodFactory(force=force, code="N-BAL")
        ).officer.user
    )
    with pytest.raises(PermissionDenied):
        create_event(by=person, neighbourhoods=[fremont], details=details())
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"kind": "rave"}, "kind"),
        ({"organiser": ""}, "organiser"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
        ({"ends_at": timezone.now() + datetime.timedelta(days=1)}, "ends_at"),
        ({"venue_name": "", "address": "", "online_url": ""}, "venue_name"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(fremont, fremont_officer, changes, field):
    with pytest.raises(DomainError) as refused:
        create_event(by=fremont_officer, neighbourhoods=[fremont], details=details(**changes))
    assert refused.value.field == field
    assert Event.objects.count() == 0


def test_moving_tells_each_registrant_once_in_their_language(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    event = create_event(by=fremont_officer, neighbourhoods=[fremont], details=details())
    register(gathering=event, email="en@example.org", language="en")
    register(gathering=event, email="es@example.org", language="es")
    mail.outbox.clear()
    new_start = event.starts_at + datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        move_event(
            event=event,
            by=fremont_officer,
            starts_at=new_start,
            ends_at=new_start + datetime.timedelta(hours=2),
        )
        # Saving the same time again is no move: nothing more is sent.
        move_event(
            event=event,
            by=fremont_officer,
            starts_at=new_start,
            ends_at=new_start + datetime.timedelta(hours=2),
        )

    assert sorted(m.to[0] for m in mail.outbox) == ["en@example.org", "es@example.org"]
    spanish = next(m for m in mail.outbox if m.to == ["es@example.org"])
    with translation.override("es"):
        month = formats.date_format(timezone.localtime(new_start), "F")
    assert month in spanish.body
    assert RegistrantNotification.objects.filter(message="moved").count() == 2


def test_cancelling_tells_registrants_once_with_the_reason(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    event = create_event(by=fremont_officer, neighbourhoods=[fremont], details=details())
    register(gathering=event, email="coming@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(event=event, by=fremont_officer, reason="Storm warning.")
    with pytest.raises(DomainError):
        cancel_event(event=event, by=fremont_officer, reason="Again.")

    (sent,) = mail.outbox
    assert "Storm warning." in sent.body
    assert "Cancelled" in sent.subject


def test_cancelling_needs_a_reason(fremont, fremont_officer):
    event = create_event(by=fremont_officer, neighbourhoods=[fremont], details=details())
    with pytest.raises(DomainError) as refused:
        cancel_event(event=event, by=fremont_officer, reason=" ")
    assert refused.value.field == "reason"
    event.refresh_from_db()
    assert not event.is_cancelled


def test_a_resident_may_not_change_an_event(fremont, fremont_officer):
    event = create_event(by=fremont_officer, neighbourhoods=[fremont], details=details())
    with pytest.raises(PermissionDenied):
        update_event(event=event, by=UserFactory(), details=details(title="Mine now"))
    with pytest.raises(PermissionDenied):
        cancel_event(event=event, by=UserFactory(role=Role.PARTNER), reason="No")


def test_capacity_cannot_drop_below_the_places_taken_and_raising_it_promotes(
    fremont, fremont_officer
):
    event = create_event(by=fremont_officer, neighbourhoods=[fremont], details=details(capacity=2))
    register(gathering=event, email="a@example.org")
    register(gathering=event, email="b@example.org")
    waiting = register(gathering=event, email="c@example.org")
    same_time = {"starts_at": event.starts_at, "ends_at": event.ends_at}

    with pytest.raises(DomainError) as refused:
        update_event(event=event, by=fremont_officer, details=details(**same_time, capacity=1))
    assert refused.value.field == "capacity"

    update_event(event=event, by=fremont_officer, details=details(**same_time, capacity=3))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_photos_only_after_the_event_and_without_metadata(fremont, fremont_officer):
    upcoming = EventFactory(neighbourhoods=[fremont])
    with pytest.raises(DomainError) as refused:
        add_event_photo(event=upcoming, by=fremont_officer, upload=jpeg_with_gps())
    assert refused.value.code == "not_over"

    past = EventFactory(
        neighbourhoods=[fremont],
        starts_at=timezone.now() - datetime.timedelta(days=1, hours=3),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    photo = add_event_photo(event=past, by=fremont_officer, upload=jpeg_with_gps(), caption="Us")

    stored = Image.open(photo.image.open("rb"))
    assert not stored.getexif()
    assert (photo.width, photo.height, photo.caption) == (40, 30, "Us")
    assert EventPhoto.objects.count() == 1
    with pytest.raises(PermissionDenied):
        add_event_photo(event=past, by=UserFactory(), upload=jpeg_with_gps())


def test_a_file_that_is_not_a_photo_is_refused(fremont, fremont_officer):
    past = EventFactory(
        neighbourhoods=[fremont],
        starts_at=timezone.now() - datetime.timedelta(days=1, hours=3),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(DomainError) as refused:
        add_event_photo(event=past, by=fremont_officer, upload=io.BytesIO(b"%PDF-1.4"))
    assert refused.value.field == "photo"
    assert EventPhoto.objects.count() == 0
