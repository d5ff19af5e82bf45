"""Fan-out and the messages themselves: who gets which rows, on which channels, in which
language, when (quiet hours, digests), and what each e-mail, text and payload says."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.notify import alerts, services, sms
from beatbridge.notify.alerts import Choices, quiet_until
from beatbridge.notify.models import Alert, AlertDelivery, Channel, DeliveryStatus
from beatbridge.notify.tests.factories import (
    AlertDeliveryFactory,
    AlertFactory,
    FollowFactory,
    PreferencesFactory,
)

pytestmark = pytest.mark.django_db

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def _outboxes(settings):
    # Quiet hours and digests are reckoned in the site's time zone; the cases below are Seattle's.
    settings.TIME_ZONE = "America/Los_Angeles"
    settings.SMS_BACKEND = "beatbridge.notify.sms.LocmemBackend"
    settings.SITE_URL = "https://beatbridge.example"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def send(author, neighbourhood, capture, **fields):
    values = {
        "severity": "warning",
        "category": "crime",
        "title": "Break-ins on Elm Road",
        "message": "Lock your doors and sheds tonight.",
        "audience": "neighbourhoods",
        "neighbourhoods": [neighbourhood],
        **fields,
    }
    with capture(execute=True):
        return services.send_alert(author=author, **values)


def rows_of(alert: Alert) -> set[tuple[int, str, str]]:
    return set(
        AlertDelivery.objects.filter(alert=alert).values_list("recipient_id", "channel", "status")
    )


# --- who gets which rows ------------------------------------------------------------------


def test_every_follower_gets_the_inbox_and_the_channels_they_chose(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    by_default = FollowFactory(neighbourhood=fremont).user
    inbox_only = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(user=inbox_only, email_enabled=False)
    texter = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(user=texter, sms=True)

    alert = send(fremont_officer, fremont, django_capture_on_commit_callbacks)

    sent, delivered = DeliveryStatus.SENT, DeliveryStatus.DELIVERED
    assert rows_of(alert) == {
        (by_default.pk, Channel.INBOX, delivered),
        (by_default.pk, Channel.EMAIL, sent),
        (inbox_only.pk, Channel.INBOX, delivered),
        (texter.pk, Channel.INBOX, delivered),
        (texter.pk, Channel.EMAIL, sent),
        (texter.pk, Channel.SMS, sent),
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([by_default.email, texter.email])
    assert [to for _ref, to, _body in sms.outbox] == ["+447700900123"]
    alert.refresh_from_db()
    assert alert.recipient_count == 3
    assert alert.fanned_out_at is not None


def test_people_who_follow_nothing_there_or_are_inactive_get_nothing(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    FollowFactory()  # another neighbourhood
    gone = FollowFactory(neighbourhood=fremont, user=UserFactory(is_active=False)).user
    alert = send(fremont_officer, fremont, django_capture_on_commit_callbacks)
    assert rows_of(alert) == set()
    assert mail.outbox == []
    assert not AlertDelivery.objects.filter(recipient=gone).exists()


def test_below_their_minimum_severity_a_person_gets_the_inbox_copy_only(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    follower = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(user=follower, sms=True, minimum_severity="urgent")
    alert = send(fremont_officer, fremont, django_capture_on_commit_callbacks)
    assert rows_of(alert) == {(follower.pk, Channel.INBOX, DeliveryStatus.DELIVERED)}
    assert mail.outbox == []
    assert sms.outbox == []


def test_fan_out_run_twice_writes_the_same_rows_and_sends_nothing_twice(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    for _ in range(3):
        PreferencesFactory(user=FollowFactory(neighbourhood=fremont).user, sms=True)
    alert = send(fremont_officer, fremont, django_capture_on_commit_callbacks)
    before = rows_of(alert)
    # A fan-out cut short after its rows were written runs again from the start.
    Alert.objects.filter(pk=alert.pk).update(fanned_out_at=None)

    assert alerts.fan_out(alert.pk) == 3

    assert rows_of(alert) == before
    assert AlertDelivery.objects.filter(alert=alert).count() == 9
    assert len(mail.outbox) == 3
    assert len(sms.outbox) == 3


def test_fan_out_cut_short_adds_only_the_missing_rows(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    first, second = (FollowFactory(neighbourhood=fremont).user for _ in range(2))
    alert = send(fremont_officer, fremont, django_capture_on_commit_callbacks)
    AlertDelivery.objects.filter(recipient=second).delete()
    Alert.objects.filter(pk=alert.pk).update(fanned_out_at=None)
    mail.outbox.clear()

    alerts.fan_out(alert.pk)

    assert [m.to for m in mail.outbox] == [[second.email]]
    assert AlertDelivery.objects.filter(alert=alert, recipient=first).count() == 2


def test_a_finished_fan_out_is_not_run_again(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    FollowFactory(neighbourhood=fremont)
    alert = send(fremont_officer, fremont, django_capture_on_commit_callbacks)
    late = FollowFactory(neighbourhood=fremont).user
    assert alerts.fan_out(alert.pk) == 0
    assert not AlertDelivery.objects.filter(recipient=late).exists()


# --- languages ----------------------------------------------------------------------------


def test_each_person_gets_their_own_translation_or_else_the_original(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    spanish = FollowFactory(neighbourhood=fremont, user=UserFactory(preferred_language="es")).user
    PreferencesFactory(user=spanish, sms=True)
    arabic = FollowFactory(neighbourhood=fremont, user=UserFactory(preferred_language="ar")).user
    english = FollowFactory(neighbourhood=fremont, user=UserFactory(preferred_language="en")).user

    send(
        fremont_officer,
        fremont,
        django_capture_on_commit_callbacks,
        translations={"es": {"title": "Robos en Elm Road", "message": "Cierren sus puertas."}},
    )

    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Robos en Elm Road" in by_address[spanish.email].subject
    assert "Cierren sus puertas." in by_address[spanish.email].body
    assert "Lock your doors" not in by_address[spanish.email].body
    for person in (arabic, english):
        assert "Break-ins on Elm Road" in by_address[person.email].subject
        assert "Lock your doors and sheds tonight." in by_address[person.email].body
    [(_ref, _to, text)] = sms.outbox
    assert "Robos en Elm Road" in text
    assert "Cierren sus puertas." in text
    languages = dict(
        AlertDelivery.objects.filter(channel=Channel.INBOX).values_list("recipient_id", "language")
    )
    assert languages == {spanish.pk: "es", arabic.pk: "ar", english.pk: "en"}


def test_a_text_message_is_at_most_three_parts_and_ends_with_the_link(fremont):
    alert = AlertFactory(neighbourhoods=[fremont], title="T" * 140, message="M" * 2000)
    text = alerts.sms_text(alert, "en")
    assert len(text) <= alerts.SMS_MAX_LENGTH
    link = "https://beatbridge.example" + reverse("notify:alert", args=[alert.public_id])
    assert text.endswith(" " + link)
    assert text.startswith("Warning: " + "T" * 140)


# --- e-mail headers -----------------------------------------------------------------------


def test_every_alert_email_has_one_click_unsubscribe_headers(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    follower = FollowFactory(neighbourhood=fremont).user
    send(fremont_officer, fremont, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://beatbridge.example/")
    assert header.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header[1:-1].rstrip("/").rsplit("/", 1)[1]
    assert alerts.user_of_unsubscribe_token(token) == follower.pk
    # The link is also in the body, for people whose mail client shows no button.
    assert header[1:-1] in message.body


def test_the_unsubscribe_link_turns_email_off_and_queued_emails_are_not_sent(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    follower = FollowFactory(neighbourhood=fremont).user
    token = alerts.unsubscribe_token(follower.pk)
    alert = AlertFactory(neighbourhoods=[fremont], author=fremont_officer)
    row = AlertDelivery.objects.create(alert=alert, recipient=follower, channel=Channel.EMAIL)

    assert services.unsubscribe_email(token) is True
    alerts.deliver_many([row.pk])

    row.refresh_from_db()
    assert row.status == DeliveryStatus.SKIPPED
    assert mail.outbox == []
    assert services.preferences_of(follower).email_enabled is False


def test_a_tampered_unsubscribe_token_changes_nothing(fremont):
    follower = FollowFactory(neighbourhood=fremont).user
    token = alerts.unsubscribe_token(follower.pk)
    other = UserFactory()
    forged = f"{other.pk}:{token.split(':', 1)[1]}"
    assert alerts.user_of_unsubscribe_token(forged) is None
    assert services.unsubscribe_email(forged) is False
    assert services.unsubscribe_email("nonsense") is False
    assert services.preferences_of(other).email_enabled is True


# --- quiet hours --------------------------------------------------------------------------


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PACIFIC)


@pytest.mark.parametrize(
    ("now", "start", "end", "expected"),
    [
        # Overnight quiet hours, evening side and morning side of midnight.
        (at(2026, 6, 10, 23, 0), (22, 0), (7, 0), at(2026, 6, 11, 7, 0)),
        (at(2026, 6, 11, 2, 0), (22, 0), (7, 0), at(2026, 6, 11, 7, 0)),
        (at(2026, 6, 11, 7, 0), (22, 0), (7, 0), None),
        (at(2026, 6, 10, 21, 59), (22, 0), (7, 0), None),
        # Quiet hours within one day.
        (at(2026, 6, 10, 13, 30), (13, 0), (14, 0), at(2026, 6, 10, 14, 0)),
        (at(2026, 6, 10, 12, 59), (13, 0), (14, 0), None),
        # Across the spring-forward night: the night is an hour shorter.
        (at(2026, 3, 7, 23, 0), (22, 0), (7, 0), at(2026, 3, 8, 7, 0)),
        # Across the fall-back night: an hour longer.
        (at(2026, 10, 31, 23, 0), (22, 0), (7, 0), at(2026, 11, 1, 7, 0)),
    ],
)
def test_quiet_hours_end_at_the_local_time_the_person_chose(now, start, end, expected):
    choices = Choices(quiet_start=datetime.time(*start), quiet_end=datetime.time(*end))
    found = quiet_until(choices, now)
    if expected is None:
        assert found is None
    else:
        # Compared in UTC: a wall-clock comparison would hide a wrong offset.
        assert found.astimezone(datetime.UTC) == expected.astimezone(datetime.UTC)


def test_quiet_hours_across_spring_forward_end_at_seven_summer_time():
    choices = Choices(quiet_start=datetime.time(22), quiet_end=datetime.time(7))
    found = quiet_until(choices, at(2026, 3, 7, 23, 0))
    # 07:00 PDT on 8 March 2026 is 14:00 UTC (it would be 15:00 UTC in winter time).
    assert found.astimezone(datetime.UTC) == datetime.datetime(
        2026, 3, 8, 14, 0, tzinfo=datetime.UTC
    )


@freeze_time("2026-06-11 06:00:00")  # 23:00 in Seattle, in the follower's quiet hours
def test_quiet_hours_hold_email_and_sms_but_not_urgent_alerts_or_webhooks(
    fremont, fremont_officer, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFY_WEBHOOK_ALLOW_HTTP = True
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = True
    follower = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(
        user=follower,
        sms=True,
        quiet_hours_start=datetime.time(22),
        quiet_hours_end=datetime.time(7),
    )

    warning = send(fremont_officer, fremont, django_capture_on_commit_callbacks)

    held = AlertDelivery.objects.filter(alert=warning).exclude(channel=Channel.INBOX)
    assert {(row.channel, row.status) for row in held} == {
        (Channel.EMAIL, DeliveryStatus.QUEUED),
        (Channel.SMS, DeliveryStatus.QUEUED),
    }
    ends = datetime.datetime(2026, 6, 11, 14, 0, tzinfo=datetime.UTC)  # 07:00 PDT
    assert {row.next_attempt_at for row in held} == {ends}
    assert mail.outbox == []
    assert sms.outbox == []
    # Nothing sends them early, not even a duplicate task.
    alerts.deliver_many([row.pk for row in held])
    assert mail.outbox == []

    urgent = send(fremont_officer, fremont, django_capture_on_commit_callbacks, severity="urgent")
    assert rows_of(urgent) >= {
        (follower.pk, Channel.EMAIL, DeliveryStatus.SENT),
        (follower.pk, Channel.SMS, DeliveryStatus.SENT),
    }
    assert len(mail.outbox) == 1


def test_held_messages_go_once_quiet_hours_end(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    follower = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(
        user=follower, quiet_hours_start=datetime.time(22), quiet_hours_end=datetime.time(7)
    )
    with freeze_time("2026-06-11 06:00:00"):
        alert = send(fremont_officer, fremont, django_capture_on_commit_callbacks)
    with freeze_time("2026-06-11 14:20:00"):  # 07:20 local
        assert alerts.requeue_stale() == 1
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert AlertDelivery.objects.get(alert=alert, channel=Channel.EMAIL).status == "sent"


# --- the daily digest ---------------------------------------------------------------------


def digests_at(*local: int) -> int:
    with freeze_time(at(*local)):
        return alerts.send_digests()


def test_information_for_digest_readers_is_held_but_warnings_go_at_once(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    reader = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(user=reader, daily_digest=True)

    information = send(
        fremont_officer, fremont, django_capture_on_commit_callbacks, severity="information"
    )
    warning = send(fremont_officer, fremont, django_capture_on_commit_callbacks)

    assert AlertDelivery.objects.get(alert=information, channel=Channel.EMAIL).status == "held"
    assert AlertDelivery.objects.get(alert=warning, channel=Channel.EMAIL).status == "sent"
    assert len(mail.outbox) == 1


def test_the_digest_goes_once_a_day_after_the_digest_hour_with_what_was_held(
    fremont, fremont_officer, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFY_DIGEST_HOUR = 7
    reader = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(user=reader, daily_digest=True)
    with freeze_time("2026-06-11 03:00:00"):  # 20:00 local on 10 June
        first = send(
            fremont_officer, fremont, django_capture_on_commit_callbacks, severity="information"
        )
        second = send(
            fremont_officer,
            fremont,
            django_capture_on_commit_callbacks,
            severity="advice",
            title="Bike marking day",
        )
    assert mail.outbox == []

    assert digests_at(2026, 6, 11, 6, 59) == 0
    assert digests_at(2026, 6, 11, 7, 1) == 1
    assert digests_at(2026, 6, 11, 7, 30) == 0

    [digest] = mail.outbox
    assert digest.to == [reader.email]
    assert "Break-ins on Elm Road" in digest.body
    assert "Bike marking day" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest.extra_headers["List-Unsubscribe"].startswith("<https://")
    statuses = AlertDelivery.objects.filter(alert__in=[first, second], channel=Channel.EMAIL)
    assert set(statuses.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_an_alert_held_after_the_digest_hour_waits_for_the_next_day(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    reader = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(user=reader, daily_digest=True)
    with freeze_time("2026-06-11 16:00:00"):  # 09:00 local
        send(fremont_officer, fremont, django_capture_on_commit_callbacks, severity="information")
    assert digests_at(2026, 6, 11, 10, 0) == 0
    assert digests_at(2026, 6, 12, 7, 0) == 1


def test_an_expired_alert_is_left_out_of_the_digest(
    fremont, fremont_officer, django_capture_on_commit_callbacks
):
    reader = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(user=reader, daily_digest=True)
    with freeze_time("2026-06-11 03:00:00"):
        alert = send(
            fremont_officer,
            fremont,
            django_capture_on_commit_callbacks,
            severity="information",
            expires_at=datetime.datetime(2026, 6, 11, 5, 0, tzinfo=datetime.UTC),
        )
    assert digests_at(2026, 6, 11, 8, 0) == 0
    assert mail.outbox == []
    row = AlertDelivery.objects.get(alert=alert, channel=Channel.EMAIL)
    assert (row.status, row.last_error) == (DeliveryStatus.SKIPPED, "expired")


def test_a_failed_digest_is_held_again_not_lost(
    fremont, fremont_officer, django_capture_on_commit_callbacks, monkeypatch
):
    reader = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(user=reader, daily_digest=True)
    with freeze_time("2026-06-11 03:00:00"):
        alert = send(
            fremont_officer, fremont, django_capture_on_commit_callbacks, severity="information"
        )

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert digests_at(2026, 6, 11, 8, 0) == 0
    monkeypatch.undo()
    row = AlertDelivery.objects.get(alert=alert, channel=Channel.EMAIL)
    assert (row.status, row.attempts) == (DeliveryStatus.HELD, 1)
    # Not tried again before its pause is over, so an outage does not use up every try.
    assert digests_at(2026, 6, 11, 8, 0) == 0
    assert mail.outbox == []
    assert digests_at(2026, 6, 11, 8, 10) == 1
    assert len(mail.outbox) == 1


def test_each_reader_gets_their_own_unsubscribe_link_from_one_rendering(fremont):
    """A batch renders an alert once per language; every e-mail still unsubscribes only
    its own reader."""
    alert = AlertFactory(neighbourhoods=[fremont])
    rows = [AlertDeliveryFactory(alert=alert, channel=Channel.EMAIL) for _ in range(3)]
    alerts.deliver_many([row.pk for row in rows])
    assert len(mail.outbox) == 3
    by_address = {message.to[0]: message for message in mail.outbox}
    for row in rows:
        message = by_address[row.recipient.email]
        token = alerts.unsubscribe_token(row.recipient_id)
        assert token in message.body
        assert token in message.extra_headers["List-Unsubscribe"]
        assert "\x00" not in message.body
