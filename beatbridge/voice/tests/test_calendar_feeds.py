"""The iCalendar feeds and the personal feed page, through the test client."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory
from beatbridge.voice.models import CalendarFeed, Meeting, RegistrationStatus
from beatbridge.voice.tests.factories_calendar import (
    CalendarFeedFactory,
    EventFactory,
    MeetingFactory,
    RegistrationFactory,
)
from beatbridge.voice.tests.ical import parse, to_utc, unescape

pytestmark = pytest.mark.django_db
SEATTLE = zoneinfo.ZoneInfo("America/Los_Angeles")


def _days(days: int, hour: int = 19) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _summaries(response) -> list[str]:
    return [
        unescape(e.get("SUMMARY")) for e in parse(response.content.decode()).components("VEVENT")
    ]


def _feed(client: Client, name: str, **kwargs):
    return client.get(reverse(f"voice:{name}", kwargs=kwargs))


def test_neighbourhood_feed_has_its_meetings_and_events_of_the_last_90_days_and_to_come(
    client: Client, fremont
):
    ballard = NeighbourhoodFactory(force=fremont.force, code="N-BAL")
    MeetingFactory(title="Next beat meeting", starts_at=_days(7), neighbourhoods=[fremont])
    MeetingFactory(title="Last month", starts_at=_days(-30), neighbourhoods=[fremont])
    MeetingFactory(title="Long ago", starts_at=_days(-120), neighbourhoods=[fremont])
    MeetingFactory(title="Ballard's", starts_at=_days(3), neighbourhoods=[ballard])
    EventFactory(title="Clean-up day", starts_at=_days(10), neighbourhoods=[fremont, ballard])

    response = _feed(client, "neighbourhood_calendar", force="seattle", code="N-FRE")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert _summaries(response) == ["Last month", "Next beat meeting", "Clean-up day"]
    assert unescape(parse(response.content.decode()).get("X-WR-CALNAME")) == (
        "Fremont: meetings and events"
    )


def test_cancelled_meetings_stay_in_the_feed_marked_cancelled(client: Client, fremont):
    MeetingFactory(
        title="Called off",
        neighbourhoods=[fremont],
        is_cancelled=True,
        cancellation_reason="The hall flooded.",
    )

    response = _feed(client, "neighbourhood_calendar", force="seattle", code="N-FRE")

    [event] = parse(response.content.decode()).components("VEVENT")
    assert event.get("STATUS") == "CANCELLED"
    assert "The hall flooded." in unescape(event.get("DESCRIPTION"))


def test_entries_have_a_stable_uid_place_link_and_time_zone(client: Client, fremont, settings):
    settings.SITE_URL = "https://beatbridge.example"
    meeting = MeetingFactory(
        neighbourhoods=[fremont],
        starts_at=datetime.datetime(2031, 7, 8, 19, tzinfo=SEATTLE),
        ends_at=datetime.datetime(2031, 7, 8, 20, 30, tzinfo=SEATTLE),
        online_url="https://meet.example/fremont",
    )

    calendar = parse(_feed(client, "meeting_ics", pk=meeting.pk).content.decode())

    [event] = calendar.components("VEVENT")
    assert event.get("UID") == f"meeting-{meeting.pk}@beatbridge.example"
    assert event.params("DTSTART") == {"TZID": "America/Los_Angeles"}
    assert event.get("DTSTART") == "20310708T190000"
    assert to_utc(calendar, event, "DTSTART") == datetime.datetime(
        2031, 7, 9, 2, tzinfo=datetime.UTC
    )
    assert unescape(event.get("LOCATION")) == "Fremont Library, 731 N 35th St"
    assert "https://meet.example/fremont" in unescape(event.get("DESCRIPTION"))


def test_moving_a_meeting_raises_its_sequence(client: Client, fremont):
    meeting = MeetingFactory(neighbourhoods=[fremont])
    before = int(
        parse(_feed(client, "meeting_ics", pk=meeting.pk).content.decode())
        .components("VEVENT")[0]
        .get("SEQUENCE")
    )

    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=F("starts_at") + datetime.timedelta(days=1),
        ends_at=F("ends_at") + datetime.timedelta(days=1),
        updated_at=F("updated_at") + datetime.timedelta(minutes=5),
    )

    after = int(
        parse(_feed(client, "meeting_ics", pk=meeting.pk).content.decode())
        .components("VEVENT")[0]
        .get("SEQUENCE")
    )
    assert after > before


def test_one_event_has_its_own_file(client: Client, fremont):
    event = EventFactory(title="Open day", neighbourhoods=[fremont])

    response = _feed(client, "event_ics", pk=event.pk)

    assert _summaries(response) == ["Open day"]
    assert (
        parse(response.content.decode())
        .components("VEVENT")[0]
        .get("UID")
        .startswith(f"event-{event.pk}@")
    )


@pytest.mark.parametrize("name", ["meeting_ics", "event_ics"])
def test_a_missing_meeting_or_event_is_404(client: Client, name):
    assert _feed(client, name, pk=999).status_code == 404


def test_unknown_neighbourhood_or_force_is_404(client: Client, fremont):
    assert (
        _feed(client, "neighbourhood_calendar", force="seattle", code="N-NOPE").status_code == 404
    )
    assert _feed(client, "force_calendar", force="atlantis").status_code == 404


def test_feeds_are_read_only(client: Client, fremont):
    url = reverse("voice:neighbourhood_calendar", kwargs={"force": "seattle", "code": "N-FRE"})

    assert client.post(url).status_code == 405


def test_force_feed_has_every_neighbourhood_of_the_force_only(client: Client, fremont):
    ballard = NeighbourhoodFactory(force=fremont.force, code="N-BAL")
    elsewhere = NeighbourhoodFactory(force=ForceFactory(slug="tacoma"))
    MeetingFactory(title="Fremont's", neighbourhoods=[fremont], starts_at=_days(1))
    MeetingFactory(title="Ballard's", neighbourhoods=[ballard], starts_at=_days(2))
    EventFactory(title="Both", neighbourhoods=[fremont, ballard], starts_at=_days(3))
    MeetingFactory(title="Tacoma's", neighbourhoods=[elsewhere], starts_at=_days(4))

    response = _feed(client, "force_calendar", force="seattle")

    assert _summaries(response) == ["Fremont's", "Ballard's", "Both"]


def test_neighbourhood_feed_reads_a_fixed_number_of_queries(
    client: Client, fremont, django_assert_num_queries
):
    for day in range(1, 6):
        MeetingFactory(neighbourhoods=[fremont], starts_at=_days(day))
        EventFactory(neighbourhoods=[fremont], starts_at=_days(day))

    with django_assert_num_queries(3):  # neighbourhood, meetings, events
        response = _feed(client, "neighbourhood_calendar", force="seattle", code="N-FRE")

    assert len(_summaries(response)) == 10


# --- personal feeds -------------------------------------------------------------------------


def test_personal_feed_has_what_the_person_registered_for_and_not_what_they_cancelled(
    client: Client, fremont
):
    feed = CalendarFeedFactory()
    coming = MeetingFactory(title="Coming", neighbourhoods=[fremont], starts_at=_days(1))
    waiting = EventFactory(title="Waiting", neighbourhoods=[fremont], starts_at=_days(2))
    cancelled = MeetingFactory(title="Changed my mind", neighbourhoods=[fremont])
    someone_elses = MeetingFactory(title="Not mine", neighbourhoods=[fremont])
    RegistrationFactory(user=feed.user, meeting=coming)
    RegistrationFactory(user=feed.user, event=waiting, status=RegistrationStatus.WAITING)
    RegistrationFactory(user=feed.user, meeting=cancelled, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(meeting=someone_elses)

    response = _feed(client, "personal_calendar", token=feed.token)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    events = parse(response.content.decode()).components("VEVENT")
    assert [(unescape(e.get("SUMMARY")), e.get("STATUS")) for e in events] == [
        ("Coming", "CONFIRMED"),
        ("Waiting", "TENTATIVE"),
    ]


def test_a_wrong_personal_token_is_404(client: Client):
    CalendarFeedFactory()

    assert _feed(client, "personal_calendar", token="not-the-token").status_code == 404


def test_a_deactivated_accounts_feed_is_404(client: Client):
    feed = CalendarFeedFactory(user=UserFactory(is_active=False))

    assert _feed(client, "personal_calendar", token=feed.token).status_code == 404


def test_my_calendar_needs_a_sign_in(client: Client, settings):
    response = client.get(reverse("voice:my_calendar"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert client.post(reverse("voice:my_calendar")).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_a_person_makes_then_replaces_their_calendar_address(client: Client):
    user = UserFactory()
    client.force_login(user)

    assert "calendar-address" not in client.get(reverse("voice:my_calendar")).content.decode()
    client.post(reverse("voice:my_calendar"), {"action": "create"})
    old = CalendarFeed.objects.get(user=user).token
    page = client.get(reverse("voice:my_calendar")).content.decode()
    assert f"/calendar/{old}.ics" in page
    assert "webcal://" in page

    response = client.post(reverse("voice:my_calendar"), {"action": "reset"})

    new = CalendarFeed.objects.get(user=user).token
    assert response.status_code == 302
    assert new != old
    assert _feed(client, "personal_calendar", token=old).status_code == 404
    assert _feed(client, "personal_calendar", token=new).status_code == 200


def test_making_the_address_twice_keeps_the_first(client: Client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("voice:my_calendar"), {"action": "create"})
    first = CalendarFeed.objects.get(user=user).token
    client.post(reverse("voice:my_calendar"), {"action": "create"})

    assert CalendarFeed.objects.get(user=user).token == first
