"""A small RFC 5545 reader for the tests: enough to check what a calendar app would read."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field


@dataclass
class Component:
    name: str
    properties: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> str:
        values = self.all(name)
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    def all(self, name: str) -> list[str]:
        return [value for key, _params, value in self.properties if key == name]

    def params(self, name: str) -> dict[str, str]:
        return next(params for key, params, _value in self.properties if key == name)

    def components(self, name: str) -> list[Component]:
        return [child for child in self.children if child.name == name]


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "bare LF"
    return text[:-2].replace("\r\n ", "").split("\r\n")


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(text: str) -> Component:
    stack: list[Component] = [Component("ROOT")]
    for line in unfold(text):
        head, value = line.split(":", 1)
        name, *raw_params = head.split(";")
        params = dict(param.split("=", 1) for param in raw_params)
        if name == "BEGIN":
            child = Component(value)
            stack[-1].children.append(child)
            stack.append(child)
        elif name == "END":
            assert stack.pop().name == value
        else:
            stack[-1].properties.append((name, params, value))
    [calendar] = stack[0].children
    return calendar


def _offset(text: str) -> datetime.timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * datetime.timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def _wall_clock(value: str) -> datetime.datetime:
    # Naive on purpose: a local time is compared with observance onsets, both wall-clock.
    return datetime.datetime.strptime(value, "%Y%m%dT%H%M%S")  # noqa: DTZ007


def to_utc(calendar: Component, prop: Component, name: str) -> datetime.datetime:
    """A DATE-TIME with TZID resolved through the calendar's own VTIMEZONE, as an app does."""
    value = prop.get(name)
    if value.endswith("Z"):
        return datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    local = _wall_clock(value)
    tzid = prop.params(name)["TZID"]
    [zone] = [z for z in calendar.components("VTIMEZONE") if z.get("TZID") == tzid]
    observances = sorted(
        (
            _wall_clock(o.get("DTSTART")),
            _offset(o.get("TZOFFSETTO")),
        )
        for o in zone.children
    )
    offset = next(offset for onset, offset in reversed(observances) if onset <= local)
    return (local - offset).replace(tzinfo=datetime.UTC)
