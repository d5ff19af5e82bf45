"""The dates of a monthly series: month edges, the last weekday, daylight saving."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from beatbridge.voice.services.meetings import nth_weekday, series_times

SEATTLE = zoneinfo.ZoneInfo("America/Los_Angeles")
LONDON = zoneinfo.ZoneInfo("Europe/London")
TUESDAY, FRIDAY, SUNDAY = 2, 5, 7


@pytest.mark.parametrize(
    ("year", "month", "weekday", "week", "expected"),
    [
        (2026, 9, TUESDAY, 1, datetime.date(2026, 9, 1)),  # the 1st is a Tuesday
        (2026, 3, TUESDAY, 2, datetime.date(2026, 3, 10)),
        (2026, 2, SUNDAY, 4, datetime.date(2026, 2, 22)),
        (2026, 3, TUESDAY, -1, datetime.date(2026, 3, 31)),  # the last day is a Tuesday
        (2028, 2, TUESDAY, -1, datetime.date(2028, 2, 29)),  # leap day
        (2027, 2, TUESDAY, -1, datetime.date(2027, 2, 23)),
        (2026, 12, FRIDAY, -1, datetime.date(2026, 12, 25)),
    ],
)
def test_nth_weekday_finds_the_day_at_month_edges(year, month, weekday, week, expected):
    assert nth_weekday(year, month, weekday=weekday, week_of_month=week) == expected


def _series(**overrides):
    arguments = {
        "weekday": TUESDAY,
        "week_of_month": 2,
        "start_time": datetime.time(19, 0),
        "duration_minutes": 90,
        "after": datetime.datetime(2026, 1, 1, tzinfo=SEATTLE),
        "until": datetime.date(2026, 12, 31),
        "zone": SEATTLE,
    }
    return series_times(**(arguments | overrides))


def test_a_series_has_one_meeting_a_month_until_the_end_date():
    times = _series()
    assert [start.date() for start, _end in times] == [
        nth_weekday(2026, month, weekday=TUESDAY, week_of_month=2) for month in range(1, 13)
    ]


def test_the_wall_clock_time_holds_across_daylight_saving():
    times = {start.month: start for start, _end in _series()}
    # 19:00 in Seattle is 03:00 UTC the next day in winter and 02:00 in summer.
    assert times[2].astimezone(datetime.UTC).hour == 3
    assert times[3].astimezone(datetime.UTC).hour == 2  # 10 March: clocks went forward on 8
    assert all(start.hour == 19 for start in times.values())


def test_a_meeting_that_spans_the_clock_change_lasts_its_real_length():
    # The second Sunday of March 2026 is when Seattle's clocks go forward at 02:00.
    [(start, end)] = _series(
        weekday=SUNDAY,
        start_time=datetime.time(1, 0),
        duration_minutes=90,
        after=datetime.datetime(2026, 3, 1, tzinfo=SEATTLE),
        until=datetime.date(2026, 3, 31),
    )
    # Same-zone subtraction is wall-clock in Python: compare real instants.
    assert end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(
        minutes=90
    )
    assert (end.hour, end.minute) == (3, 30)


def test_a_time_the_clocks_skip_becomes_the_same_time_after_the_change():
    [(start, _end)] = _series(
        weekday=SUNDAY,
        start_time=datetime.time(2, 30),
        after=datetime.datetime(2026, 3, 1, tzinfo=SEATTLE),
        until=datetime.date(2026, 3, 31),
    )
    assert (start.hour, start.minute) == (3, 30)
    assert start.utcoffset() == datetime.timedelta(hours=-7)


def test_a_time_that_happens_twice_is_its_first():
    # The first Sunday of November 2026: Seattle's clocks go back at 02:00.
    [(start, _end)] = _series(
        weekday=SUNDAY,
        week_of_month=1,
        start_time=datetime.time(1, 30),
        after=datetime.datetime(2026, 11, 1, 0, 0, tzinfo=SEATTLE),
        until=datetime.date(2026, 11, 30),
    )
    assert start.utcoffset() == datetime.timedelta(hours=-7)


def test_only_meetings_after_the_start_are_made():
    after = datetime.datetime(2026, 3, 10, 19, 0, tzinfo=SEATTLE)  # the meeting's own start
    times = _series(after=after, until=datetime.date(2026, 5, 31))
    assert [start.date() for start, _end in times] == [
        datetime.date(2026, 4, 14),
        datetime.date(2026, 5, 12),
    ]


def test_the_end_date_is_inclusive_and_nothing_after_it_is_made():
    times = _series(until=datetime.date(2026, 3, 10))
    assert times[-1][0].date() == datetime.date(2026, 3, 10)
    assert _series(until=datetime.date(2026, 1, 12)) == []  # January's is the 13th


def test_the_series_follows_the_zone_it_is_given():
    [(start, _end)] = _series(
        zone=LONDON,
        after=datetime.datetime(2026, 3, 1, tzinfo=LONDON),
        until=datetime.date(2026, 3, 31),
    )
    assert start.astimezone(datetime.UTC).hour == 19  # London is on GMT until the 29th
