"""Reading Open311's parameters into typed values, or a DomainError naming the parameter.

Open311 treats an empty parameter as an absent one, so every reader here does too.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from beatbridge.errors import DomainError
from beatbridge.reports.services import Contact, Place
from beatbridge.web.validation import refuse_nul_characters as refuse_nul

# The specification: "a span of 90 days or first 1000 requests, whichever is smallest".
WINDOW = datetime.timedelta(days=90)
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 1000
MAX_IDS = 1000
# Far enough for any real client; beyond it an offset overflows the database's integers.
_MAX_PAGE = 1_000_000

# attribute[code], attribute[code][] (multivaluelist) and attribute[code][0] (PHP's way).
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\d*\])?$")
# An unencoded "+" in a query string arrives as a space: "...T09:00:00 01:00".
_SPACE_FOR_PLUS = re.compile(r"^(\S+T[\d:.]+) (\d\d:?\d\d)$")
_IDEMPOTENCY_HEADERS = ("X-Idempotency-Key", "Idempotency-Key")


def refuse_nul_characters(*sources: QueryDict, path: dict[str, str]) -> None:
    """No parameter, in the query, the form or the path, may hold a NUL."""
    given: dict[str, list[str]] = {}
    for source in sources:
        for name, values in source.lists():
            given.setdefault(name, []).extend(values)
    refuse_nul(given)
    refuse_nul(path)


def text(data: QueryDict, name: str) -> str:
    return (data.get(name) or "").strip()


def comma_list(data: QueryDict, name: str) -> list[str]:
    """Every value of a parameter given once with commas, or many times, in order, once each."""
    values = []
    for given in data.getlist(name):
        values.extend(part.strip() for part in given.split(","))
    return list(dict.fromkeys(value for value in values if value))


def w3c_datetime(value: str, *, field: str) -> datetime.datetime | None:
    """A W3C date and time; leniently also a date alone, or one without a zone (local time)."""
    value = _SPACE_FOR_PLUS.sub(r"\1+\2", value.strip())
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.datetime.combine(day, datetime.time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise DomainError(
            _("Give a W3C date and time such as 2026-01-31T09:00:00-08:00."),
            field=field,
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _shifted(moment: datetime.datetime, delta: datetime.timedelta) -> datetime.datetime:
    try:
        return moment + delta
    except OverflowError:
        if delta > datetime.timedelta():
            return datetime.datetime.max.replace(tzinfo=datetime.UTC)
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)


def request_window(data: QueryDict) -> tuple[datetime.datetime, datetime.datetime]:
    """start_date and end_date: the most recent 90 days by default, never more than 90 days."""
    start = w3c_datetime(text(data, "start_date"), field="start_date")
    end = w3c_datetime(text(data, "end_date"), field="end_date")
    if start is None:
        end = end or timezone.now()
        return _shifted(end, -WINDOW), end
    if end is None:
        return start, _shifted(start, WINDOW)
    if end < start:
        raise DomainError(_("Must not be before start_date."), field="end_date")
    if end - start > WINDOW:
        raise DomainError(
            _("May not be more than %(days)d days after start_date.") % {"days": WINDOW.days},
            field="end_date",
        )
    return start, end


def closed_filter(data: QueryDict) -> bool | None:
    """``status``: True for closed only, False for open only, None for both."""
    statuses = {status.lower() for status in comma_list(data, "status")}
    unknown = sorted(statuses - {"open", "closed"})
    if unknown:
        raise DomainError(
            _("“%(status)s” is not a status: use open or closed.") % {"status": unknown[0][:20]},
            field="status",
        )
    if len(statuses) == 1:
        return statuses == {"closed"}
    return None


def page(data: QueryDict) -> tuple[int, int]:
    """``page`` (from 1) and ``page_size`` (at most 1000), the common extension of the spec."""
    number = _whole_number(data, "page", default=1, minimum=1, maximum=_MAX_PAGE)
    size = _whole_number(
        data, "page_size", default=DEFAULT_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE
    )
    return number, size


def _whole_number(data: QueryDict, name: str, *, default: int, minimum: int, maximum: int) -> int:
    value = text(data, name)
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not minimum <= int(value) <= maximum:
        raise DomainError(
            _("Give a whole number from %(minimum)d to %(maximum)d.")
            % {"minimum": minimum, "maximum": maximum},
            field=name,
        )
    return int(value)


def request_ids(data: QueryDict) -> list[str]:
    ids = comma_list(data, "service_request_id")
    if len(ids) > MAX_IDS:
        raise DomainError(
            _("Ask for at most %(count)d at once.") % {"count": MAX_IDS},
            field="service_request_id",
        )
    return ids


@dataclass
class ServiceRequestIn:
    """A POSTed service request, in the reports app's terms."""

    service_code: str
    description: str
    place: Place
    answers: dict[str, Any] = field(default_factory=dict)
    contact: Contact | None = None
    idempotency_key: str = ""


def service_request(request: HttpRequest) -> ServiceRequestIn:
    """The form of a POST service request. device_id, account_id and media_url are ignored."""
    data = request.POST
    latitude = _coordinate(data, "lat")
    longitude = _coordinate(data, "long")
    address = text(data, "address_string")
    if latitude is None and longitude is None and not address and text(data, "address_id"):
        raise DomainError(
            _("Not supported: send lat and long, or address_string."),
            field="address_id",
        )
    name = " ".join(part for part in (text(data, "first_name"), text(data, "last_name")) if part)
    email, phone = text(data, "email"), text(data, "phone")
    idempotency_key = text(data, "idempotency_key")
    for header in _IDEMPOTENCY_HEADERS:
        idempotency_key = idempotency_key or request.headers.get(header, "").strip()
    return ServiceRequestIn(
        service_code=text(data, "service_code"),
        description=text(data, "description"),
        place=Place(latitude=latitude, longitude=longitude, address=address),
        answers=_attributes(data),
        contact=Contact(name=name, email=email, phone=phone) if name or email or phone else None,
        idempotency_key=idempotency_key,
    )


def _coordinate(data: QueryDict, name: str) -> float | None:
    value = text(data, name)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise DomainError(
            _("Give a number in decimal degrees (WGS84)."),
            field=name,
        ) from None


def _attributes(data: QueryDict) -> dict[str, Any]:
    """Answers by attribute code: a list where the client sent a list, else one value."""
    answers: dict[str, Any] = {}
    for name, values in data.lists():
        match = _ATTRIBUTE.match(name)
        if match is None:
            continue
        code, as_list = match.group(1), match.group(2) is not None
        given = [value.strip() for value in values]
        if code in answers or as_list or len(given) > 1:
            earlier = answers.get(code, [])
            answers[code] = [*([earlier] if isinstance(earlier, str) else earlier), *given]
        else:
            answers[code] = given[0]
    return answers
