"""Registering for gatherings: capacity, waiting list, idempotency, messages, reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone, translation

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.errors import DomainError, NotFound, TooManyRequests
from beatbridge.voice import tasks
from beatbridge.voice.models import (
    RegistrantMessage,
    RegistrantNotification,
    Registration,
    RegistrationStatus,
)
from beatbridge.voice.services.registrations import (
    cancel_registration,
    fill_free_places,
    notify_registrants,
    register,
    registration_by_token,
    send_due_reminders,
)
from beatbridge.voice.tests.factories_events import EventFactory

pytestmark = pytest.mark.django_db


def messages_of(registration: Registration) -> list[str]:
    return list(registration.notifications.values_list("message", flat=True))


def test_someone_without_an_account_registers_by_email_lower_cased_and_is_told(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(title="Clean-up day")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(gathering=event, email=" Guest@Example.ORG ", name="Sam")

    assert (registration.email, registration.status) == ("guest@example.org", "confirmed")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["guest@example.org"]
    assert "Clean-up day" in sent.subject
    assert f"/registrations/{registration.token}/" in sent.body
    assert "Step-free access." in sent.body


def test_a_signed_in_person_registers_with_their_account_and_language(
    django_capture_on_commit_callbacks,
):
    person = UserFactory(preferred_language="es", email="ana@example.org")
    event = EventFactory(title="Fiesta", translations={"es": {"title": "Fiesta del barrio"}})
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(gathering=event, user=person, email="ignored@example.org")

    assert (registration.user, registration.email) == (person, "")
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "Fiesta del barrio" in mail.outbox[0].subject


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b"])
def test_a_bad_address_is_refused_on_the_email_field(email):
    event = EventFactory()
    with pytest.raises(DomainError) as refused:
        register(gathering=event, email=email)
    assert refused.value.field == "email"
    assert Registration.objects.count() == 0


def test_a_second_registration_returns_the_first_and_sends_nothing_more():
    event = EventFactory()
    first = register(gathering=event, email="sam@example.org")
    again = register(gathering=event, email="SAM@example.org")

    assert again.pk == first.pk
    assert Registration.objects.count() == 1
    assert messages_of(first) == [RegistrantMessage.CONFIRMED]


def test_two_people_for_the_last_place_one_gets_it_and_one_waits():
    event = EventFactory(capacity=2)
    register(gathering=event, email="first@example.org")

    second = register(gathering=event, email="second@example.org")
    third = register(gathering=event, email="third@example.org")

    assert second.status == RegistrationStatus.CONFIRMED
    assert third.status == RegistrationStatus.WAITING
    assert event.registrations.filter(status="confirmed").count() == 2


def test_cancelling_gives_the_place_to_the_first_on_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1, title="Youth football")
    coming = register(gathering=event, email="coming@example.org")
    first_waiting = register(gathering=event, email="first@example.org", language="es")
    second_waiting = register(gathering=event, email="second@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=coming)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert second_waiting.status == RegistrationStatus.WAITING
    assert RegistrantMessage.PROMOTED in messages_of(first_waiting)
    (promoted_mail,) = mail.outbox
    assert promoted_mail.to == ["first@example.org"]
    assert "Youth football" in promoted_mail.subject
    # Written in Spanish, the language the person registered in: the date says so.
    with translation.override("es"):
        month = formats.date_format(timezone.localtime(event.starts_at), "F")
    assert f" de {month} de " in promoted_mail.body


def test_cancelling_twice_changes_nothing_and_promotes_once():
    event = EventFactory(capacity=1)
    coming = register(gathering=event, email="coming@example.org")
    waiting = register(gathering=event, email="waiting@example.org")
    late = register(gathering=event, email="late@example.org")

    cancel_registration(registration=coming)
    cancel_registration(registration=coming)

    waiting.refresh_from_db()
    late.refresh_from_db()
    assert (waiting.status, late.status) == ("confirmed", "waiting")


def test_a_newcomer_waits_behind_the_queue_even_when_a_place_is_free():
    event = EventFactory(capacity=1)
    register(gathering=event, email="coming@example.org")
    waiting = register(gathering=event, email="waiting@example.org")
    event.capacity = 2
    event.save(update_fields=["capacity"])

    newcomer = register(gathering=event, email="new@example.org")

    assert newcomer.status == RegistrationStatus.WAITING
    assert [r.email for r in fill_free_places(gathering=event)] == [waiting.email]


def test_registering_again_after_cancelling_reactivates_at_the_end_of_the_queue():
    event = EventFactory(capacity=1)
    mine = register(gathering=event, email="me@example.org")
    cancel_registration(registration=mine)
    register(gathering=event, email="other@example.org")

    again = register(gathering=event, email="me@example.org")

    assert again.pk == mine.pk
    assert again.status == RegistrationStatus.WAITING
    assert again.cancelled_at is None
    assert messages_of(again).count(RegistrantMessage.CONFIRMED) == 2


def test_a_cancelled_or_past_gathering_takes_no_registrations():
    cancelled = EventFactory(is_cancelled=True, cancellation_reason="Storm")
    past = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-2),
    )
    for gathering in (cancelled, past):
        with pytest.raises(DomainError):
            register(gathering=gathering, email="late@example.org")
    assert Registration.objects.count() == 0


def test_registrations_by_email_from_one_client_are_limited():
    event = EventFactory()
    for number in range(20):
        register(gathering=event, email=f"p{number}@example.org", client_address="192.0.2.1")
    with pytest.raises(TooManyRequests):
        register(gathering=event, email="one-more@example.org", client_address="192.0.2.1")
    assert Registration.objects.count() == 20
    # Someone else is not held back.
    register(gathering=event, email="one-more@example.org", client_address="192.0.2.2")


def test_notify_registrants_writes_once_per_registration_and_skips_the_cancelled(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(title="Open day")
    coming = register(gathering=event, email="coming@example.org")
    gone = register(gathering=event, email="gone@example.org")
    cancel_registration(registration=gone)

    with django_capture_on_commit_callbacks(execute=True):
        first = notify_registrants(gathering=event, message=RegistrantMessage.CANCELLED)
        second = notify_registrants(gathering=event, message=RegistrantMessage.CANCELLED)

    assert (first, second) == (1, 0)
    assert [m.to for m in mail.outbox] == [[coming.email]]


def test_registration_by_token_finds_it_and_refuses_anything_else():
    registration = register(gathering=EventFactory(), email="me@example.org")
    assert registration_by_token(registration.token) == registration
    for token in ("", "nope", "x" * 200):
        with pytest.raises(NotFound):
            registration_by_token(token)


def test_reminders_go_once_to_those_coming_within_a_day(django_capture_on_commit_callbacks):
    soon = EventFactory(
        title="Tomorrow's party", starts_at=timezone.now() + datetime.timedelta(hours=20)
    )
    later = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=3))
    coming = register(gathering=soon, email="coming@example.org")
    register(gathering=later, email="later@example.org")
    gone = register(gathering=soon, email="gone@example.org")
    cancel_registration(registration=gone)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0

    assert [m.to for m in mail.outbox] == [[coming.email]]
    assert "Reminder" in mail.outbox[0].subject


def test_a_moved_gathering_is_announced_once_and_reminded_again_of_the_new_time():
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=5))
    registration = register(gathering=event, email="me@example.org")
    assert send_due_reminders() == 1
    event.starts_at += datetime.timedelta(hours=2)
    event.ends_at += datetime.timedelta(hours=2)
    event.save(update_fields=["starts_at", "ends_at"])

    assert notify_registrants(gathering=event, message="moved", about="new-time") == 1
    assert notify_registrants(gathering=event, message="moved", about="new-time") == 0
    assert send_due_reminders() == 1
    assert messages_of(registration).count(RegistrantMessage.REMINDER) == 2


def test_the_task_and_the_command_send_due_reminders(django_capture_on_commit_callbacks):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=2))
    register(gathering=event, email="a@example.org")
    register(gathering=EventFactory(starts_at=event.starts_at), email="b@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders.enqueue().return_value == 2
    assert RegistrantNotification.objects.filter(message="reminder").count() == 2
    call_command("send_reminders")
    assert RegistrantNotification.objects.filter(message="reminder").count() == 2
