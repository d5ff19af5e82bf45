"""iCalendar (RFC 5545) for meetings and events, written by hand: a few dozen lines do it.

Times are written in the service's time zone (``DTSTART;TZID=...``) with a VTIMEZONE
built from the zone's real transitions over the years the calendar covers, so a
calendar app shows 7pm as 7pm on both sides of a daylight-saving change. Text values
are escaped, lines folded at 75 octets without splitting a UTF-8 character, and lines
end in CRLF, as the RFC requires.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from beatbridge.voice.models import Event, Meeting

PRODUCT_ID = "-//Beatbridge//Community voice//EN"
MAX_LINE_OCTETS = 75
_UTC = datetime.UTC


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT. ``sequence`` must grow whenever the entry changes (moved, cancelled)."""

    uid: str
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    is_cancelled: bool = False
    is_tentative: bool = False
    sequence: int = 0
    last_modified: datetime.datetime | None = None


def gathering_entry(gathering: Meeting | Event, *, is_waiting: bool = False) -> CalendarEntry:
    """A meeting or an event as a calendar entry, in the active language where translated.

    The UID is stable for the life of the row, and the sequence grows with every save,
    so a calendar app updates the entry it has when a meeting is moved or cancelled.
    """
    kind = "meeting" if isinstance(gathering, Meeting) else "event"
    notes = [gathering.translated("description")]
    if gathering.is_cancelled:
        notes.insert(0, _("Cancelled.") + " " + gathering.cancellation_reason)
    if is_waiting:
        notes.insert(0, _("You are on the waiting list."))
    if gathering.accessibility:
        notes.append(_("Accessibility: %(details)s") % {"details": gathering.accessibility})
    if gathering.online_url:
        notes.append(_("Join online: %(link)s") % {"link": gathering.online_url})
    if gathering.contact_details:
        notes.append(_("Contact: %(details)s") % {"details": gathering.contact_details})
    place = ", ".join(part for part in (gathering.venue_name, gathering.address) if part)
    return CalendarEntry(
        uid=f"{kind}-{gathering.pk}@{urlsplit(settings.SITE_URL).hostname}",
        summary=gathering.translated("title"),
        starts_at=gathering.starts_at,
        ends_at=gathering.ends_at,
        description="\n\n".join(note.strip() for note in notes if note.strip()),
        location=place or gathering.online_url,
        url=_page_url(kind, gathering.pk),
        is_cancelled=gathering.is_cancelled,
        is_tentative=is_waiting,
        sequence=max(0, int((gathering.updated_at - gathering.created_at).total_seconds())),
        last_modified=gathering.updated_at,
    )


def _page_url(kind: str, pk: int) -> str:
    # The meeting and event pages belong to their own modules ("voice:meeting",
    # "voice:event"); an entry without a page still belongs in the calendar.
    try:
        return settings.SITE_URL + reverse(f"voice:{kind}", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


def render_calendar(
    *,
    name: str,
    entries: Iterable[CalendarEntry],
    time_zone: str,
    now: datetime.datetime,
) -> str:
    """A whole VCALENDAR, CRLF-terminated, with one VTIMEZONE for ``time_zone``."""
    entries = list(entries)
    zone = zoneinfo.ZoneInfo(time_zone)
    moments = [moment for entry in entries for moment in (entry.starts_at, entry.ends_at)]
    first, last = (min(moments), max(moments)) if moments else (now, now)
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODUCT_ID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{time_zone}",
        *timezone_lines(zone, first=first, last=last),
    ]
    stamp = _utc(now)
    for entry in entries:
        lines.extend(_event_lines(entry, zone=zone, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event_lines(entry: CalendarEntry, *, zone: zoneinfo.ZoneInfo, stamp: str) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{escape_text(entry.uid)}"
    yield f"DTSTAMP:{stamp}"
    yield _date_time("DTSTART", entry.starts_at, zone)
    yield _date_time("DTEND", entry.ends_at, zone)
    yield f"SEQUENCE:{entry.sequence}"
    if entry.last_modified is not None:
        yield f"LAST-MODIFIED:{_utc(entry.last_modified)}"
    yield f"SUMMARY:{escape_text(entry.summary)}"
    if entry.description:
        yield f"DESCRIPTION:{escape_text(entry.description)}"
    if entry.location:
        yield f"LOCATION:{escape_text(entry.location)}"
    if entry.url:
        # A URI value: its commas and semicolons are part of it, not separators.
        yield f"URL;VALUE=URI:{entry.url}"
    if entry.is_cancelled:
        yield "STATUS:CANCELLED"
    elif entry.is_tentative:
        yield "STATUS:TENTATIVE"
    else:
        yield "STATUS:CONFIRMED"
    yield "TRANSP:OPAQUE"
    yield "END:VEVENT"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    if len(line.encode()) <= MAX_LINE_OCTETS:
        return line
    parts: list[str] = []
    current, size, limit = [], 0, MAX_LINE_OCTETS
    for character in line:
        width = len(character.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1
        current.append(character)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def timezone_lines(
    zone: zoneinfo.ZoneInfo, *, first: datetime.datetime, last: datetime.datetime
) -> list[str]:
    """A VTIMEZONE with the zone's offset at the start of ``first``'s year and every change
    up to the end of ``last``'s year, each as its own observance (no rules to get wrong)."""
    start = datetime.datetime(first.astimezone(zone).year, 1, 1, tzinfo=_UTC)
    end = datetime.datetime(last.astimezone(zone).year + 1, 1, 1, tzinfo=_UTC)
    initial = start.astimezone(zone)
    offset = initial.utcoffset() or datetime.timedelta()
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone.key}"]
    lines += _observance(initial, offset_from=offset, onset=start + offset)
    for moment, before in _transitions(zone, start, end):
        local = moment.astimezone(zone)
        # An observance starts at the local wall-clock time of the offset it replaces.
        lines += _observance(local, offset_from=before, onset=moment + before)
    lines.append("END:VTIMEZONE")
    return lines


def _observance(
    local: datetime.datetime, *, offset_from: datetime.timedelta, onset: datetime.datetime
) -> list[str]:
    kind = "DAYLIGHT" if local.dst() else "STANDARD"
    offset_to = local.utcoffset() or datetime.timedelta()
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{onset.replace(tzinfo=None):%Y%m%dT%H%M%S}",
        f"TZOFFSETFROM:{_offset(offset_from)}",
        f"TZOFFSETTO:{_offset(offset_to)}",
        f"TZNAME:{escape_text(local.tzname() or _offset(offset_to))}",
        f"END:{kind}",
    ]


def _transitions(
    zone: zoneinfo.ZoneInfo, start: datetime.datetime, end: datetime.datetime
) -> Iterator[tuple[datetime.datetime, datetime.timedelta]]:
    """(the UTC instant the offset changes, the offset before it), found day by day and
    narrowed to the second: zoneinfo does not list its transitions."""
    day = datetime.timedelta(days=1)
    moment = start
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + day
        after = following.astimezone(zone).utcoffset()
        if after != before:
            low, high = moment, following
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            yield high.replace(microsecond=0), before or datetime.timedelta()
            before = after
        moment = following


def _offset(offset: datetime.timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _date_time(name: str, moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    local = moment.astimezone(zone)
    if local.fold:
        # The second pass through a repeated hour (autumn): a TZID time means the first
        # (RFC 5545 3.3.5), so only UTC says which.
        return f"{name}:{_utc(moment)}"
    return f"{name};TZID={zone.key}:{local:%Y%m%dT%H%M%S}"


def _utc(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(_UTC):%Y%m%dT%H%M%SZ}"
