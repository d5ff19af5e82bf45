"""police.uk's neighbourhood priorities and events, served from community voice."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import PriorityStatus
from beatbridge.voice.tests.factories_calendar import (
    CycleFactory,
    EventFactory,
    MeetingFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db
SEATTLE = zoneinfo.ZoneInfo("America/Los_Angeles")


def _at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SEATTLE)


def test_priorities_are_the_adopted_ones_with_police_uks_keys_and_formats(client: Client, fremont):
    cycle = CycleFactory(neighbourhood=fremont)
    PriorityFactory(
        cycle=cycle,
        title="Speeding on 35th <by the school>",
        description="Worst at 8am.",
        status=PriorityStatus.DELIVERED,
        adopted_at=_at(2025, 2, 3, 10, 15),
        outcome="Speed humps in;\naverage speed down 9 mph.",
        closed_at=_at(2025, 7, 1, 9),
    )
    PriorityFactory(
        cycle=cycle,
        title="Dumping in the alley",
        status=PriorityStatus.ADOPTED,
        adopted_at=_at(2025, 2, 4, 9),
    )
    PriorityFactory(cycle=cycle, title="Still a candidate")
    PriorityFactory(cycle=cycle, status=PriorityStatus.NOT_ADOPTED, decision_reason="City's job")
    PriorityFactory(
        cycle=CycleFactory(neighbourhood=NeighbourhoodFactory(force=fremont.force)),
        status=PriorityStatus.ADOPTED,
        adopted_at=_at(2025, 2, 5, 9),
    )

    response = client.get("/api/seattle/N-FRE/priorities")

    assert response.status_code == 200
    assert response.json() == [
        {
            "issue": "<p>Dumping in the alley</p>",
            "issue-date": "2025-02-04T09:00:00",
            "action": None,
            "action-date": None,
        },
        {
            "issue": "<p>Speeding on 35th &lt;by the school&gt;</p><p>Worst at 8am.</p>",
            "issue-date": "2025-02-03T10:15:00",
            "action": "<p>Speed humps in;<br>average speed down 9 mph.</p>",
            "action-date": "2025-07-01T09:00:00",
        },
    ]


def test_events_are_meetings_and_events_not_cancelled_with_police_uks_shape(
    client: Client, fremont
):
    soon = timezone.localtime() + datetime.timedelta(days=5)
    starts = soon.replace(hour=18, minute=30, second=0, microsecond=0)
    MeetingFactory(
        title="Fremont beat meeting",
        description="Bring your questions.",
        accessibility="Step-free entrance.",
        contact_details="fremont@police.example.org",
        online_url="https://meet.example/fremont",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        neighbourhoods=[fremont],
    )
    EventFactory(
        title="Clean-up day",
        description="",
        venue_name="",
        address="Troll Ave N",
        starts_at=starts + datetime.timedelta(days=1),
        ends_at=starts + datetime.timedelta(days=1, hours=3),
        neighbourhoods=[fremont],
    )
    MeetingFactory(title="Cancelled", is_cancelled=True, neighbourhoods=[fremont])
    MeetingFactory(
        title="Too long ago",
        starts_at=starts - datetime.timedelta(days=200),
        ends_at=starts - datetime.timedelta(days=200, hours=-1),
        neighbourhoods=[fremont],
    )

    response = client.get("/api/seattle/N-FRE/events")

    assert response.json() == [
        {
            "contact_details": {"web": "https://meet.example/fremont"},
            "description": (
                "<p>Bring your questions.</p><p>Step-free entrance.</p>"
                "<p>fremont@police.example.org</p>"
            ),
            "title": "Fremont beat meeting",
            "address": "Fremont Library, 731 N 35th St",
            "type": "meeting",
            "start_date": f"{starts:%Y-%m-%d}T18:30:00",
            "end_date": f"{starts:%Y-%m-%d}T20:30:00",
        },
        {
            "contact_details": {},
            "description": None,
            "title": "Clean-up day",
            "address": "Troll Ave N",
            "type": "event",
            "start_date": f"{starts + datetime.timedelta(days=1):%Y-%m-%d}T18:30:00",
            "end_date": f"{starts + datetime.timedelta(days=1):%Y-%m-%d}T21:30:00",
        },
    ]


@pytest.mark.parametrize("what", ["events", "priorities"])
def test_lists_read_a_fixed_number_of_queries(
    client: Client, fremont, what, django_assert_num_queries
):
    cycle = CycleFactory(neighbourhood=fremont)
    for day in range(1, 6):
        MeetingFactory(
            neighbourhoods=[fremont], starts_at=timezone.now() + datetime.timedelta(days=day)
        )
        PriorityFactory(cycle=cycle, status=PriorityStatus.ADOPTED, adopted_at=timezone.now())

    expected = 3 if what == "events" else 2  # neighbourhood, then meetings and events / priorities
    with django_assert_num_queries(expected):
        response = client.get(f"/api/seattle/N-FRE/{what}")

    assert len(response.json()) == 5
