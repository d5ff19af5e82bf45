"""The iCalendar writer: what a calendar app reads back is what was meant."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from beatbridge.voice.calendar import CalendarEntry, escape_text, fold, render_calendar
from beatbridge.voice.tests.ical import parse, to_utc, unescape, unfold

SEATTLE = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC)


def _entry(**changes) -> CalendarEntry:
    values = {
        "uid": "meeting-1@beatbridge.test",
        "summary": "Fremont beat meeting",
        "starts_at": datetime.datetime(2025, 1, 14, 19, tzinfo=SEATTLE),
        "ends_at": datetime.datetime(2025, 1, 14, 20, 30, tzinfo=SEATTLE),
    }
    return CalendarEntry(**(values | changes))


def _render(*entries: CalendarEntry, zone: str = "America/Los_Angeles") -> str:
    return render_calendar(name="Fremont", entries=entries, time_zone=zone, now=NOW)


def test_calendar_has_the_properties_apps_need():
    calendar = parse(_render(_entry()))

    assert calendar.get("VERSION") == "2.0"
    assert calendar.get("PRODID")
    assert calendar.get("CALSCALE") == "GREGORIAN"
    assert calendar.get("METHOD") == "PUBLISH"
    assert calendar.get("X-WR-CALNAME") == "Fremont"
    [event] = calendar.components("VEVENT")
    assert event.get("UID") == "meeting-1@beatbridge.test"
    assert event.get("DTSTAMP") == "20250601T120000Z"
    assert event.get("STATUS") == "CONFIRMED"


def test_times_carry_the_time_zone_and_stay_at_7pm_across_daylight_saving():
    winter = _entry(uid="w@x")
    summer = _entry(
        uid="s@x",
        starts_at=datetime.datetime(2025, 7, 8, 19, tzinfo=SEATTLE),
        ends_at=datetime.datetime(2025, 7, 8, 20, 30, tzinfo=SEATTLE),
    )
    calendar = parse(_render(winter, summer))

    first, second = calendar.components("VEVENT")
    assert first.get("DTSTART") == "20250114T190000"
    assert first.params("DTSTART") == {"TZID": "America/Los_Angeles"}
    assert second.get("DTSTART") == "20250708T190000"
    # Read back through the calendar's own VTIMEZONE: -8 hours in January, -7 in July.
    assert to_utc(calendar, first, "DTSTART") == datetime.datetime(
        2025, 1, 15, 3, tzinfo=datetime.UTC
    )
    assert to_utc(calendar, second, "DTSTART") == datetime.datetime(
        2025, 7, 9, 2, tzinfo=datetime.UTC
    )
    assert to_utc(calendar, second, "DTEND") == datetime.datetime(
        2025, 7, 9, 3, 30, tzinfo=datetime.UTC
    )


def test_vtimezone_lists_the_real_transitions_of_the_covered_years():
    calendar = parse(_render(_entry()))

    [zone] = calendar.components("VTIMEZONE")
    assert zone.get("TZID") == "America/Los_Angeles"
    observances = [
        (o.name, o.get("DTSTART"), o.get("TZOFFSETFROM"), o.get("TZOFFSETTO"), o.get("TZNAME"))
        for o in zone.children
    ]
    assert observances == [
        ("STANDARD", "20241231T160000", "-0800", "-0800", "PST"),
        ("DAYLIGHT", "20250309T020000", "-0800", "-0700", "PDT"),
        ("STANDARD", "20251102T020000", "-0700", "-0800", "PST"),
    ]


def test_a_zone_without_daylight_saving_has_one_standard_observance():
    calendar = parse(_render(_entry(), zone="Asia/Tokyo"))

    [zone] = calendar.components("VTIMEZONE")
    assert [(o.name, o.get("TZOFFSETTO")) for o in zone.children] == [("STANDARD", "+0900")]
    [event] = calendar.components("VEVENT")
    assert event.get("DTSTART") == "20250115T120000"  # 7pm in Seattle is noon next day in Tokyo


def test_text_is_escaped_and_reads_back_unchanged():
    tricky = "Agenda; items, and a back\\slash\nSecond line\r\nThird"
    calendar = parse(_render(_entry(summary="Safety, traffic; parking", description=tricky)))

    [event] = calendar.components("VEVENT")
    assert event.get("SUMMARY") == "Safety\\, traffic\\; parking"
    assert (
        unescape(event.get("DESCRIPTION")) == "Agenda; items, and a back\\slash\nSecond line\nThird"
    )
    assert escape_text("a\\b") == "a\\\\b"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    title = "Reunión comunitaria — seguridad vial y ruido nocturno en la avenida 🚦 " * 4
    text = _render(_entry(summary=title, description="ñ" * 200))

    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in physical)
    assert all(line.encode().decode() == line for line in physical)
    [event] = parse(text).components("VEVENT")
    assert unescape(event.get("SUMMARY")) == title
    assert unescape(event.get("DESCRIPTION")) == "ñ" * 200


def test_fold_leaves_short_lines_alone_and_continues_with_a_space():
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("X:" + "a" * 100)
    assert folded.split("\r\n")[1].startswith(" ")
    assert unfold(folded + "\r\n") == ["X:" + "a" * 100]


def test_cancelled_and_waiting_list_entries_say_so():
    calendar = parse(
        _render(
            _entry(uid="a@x", is_cancelled=True, sequence=5), _entry(uid="b@x", is_tentative=True)
        )
    )

    cancelled, waiting = calendar.components("VEVENT")
    assert cancelled.get("STATUS") == "CANCELLED"
    assert cancelled.get("SEQUENCE") == "5"
    assert waiting.get("STATUS") == "TENTATIVE"


@pytest.mark.parametrize("zone", ["Europe/London", "Australia/Sydney", "America/Los_Angeles"])
def test_every_entry_time_resolves_to_the_same_instant_in_any_zone(zone):
    # In London this is the repeated hour when the clocks go back: written in UTC.
    starts = datetime.datetime(2025, 10, 26, 1, 30, tzinfo=datetime.UTC)
    entry = _entry(starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))

    calendar = parse(_render(entry, zone=zone))

    [event] = calendar.components("VEVENT")
    assert to_utc(calendar, event, "DTSTART") == starts
