"""A program written for data.police.uk, pointed at Beatbridge, works unchanged.

The client is police-api-client, the library police.uk's own site was built on.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from police_api import PoliceAPI

from beatbridge.accounts.tests.factories import OfficerProfileFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import PriorityStatus
from beatbridge.voice.tests.factories_calendar import (
    CycleFactory,
    EventFactory,
    MeetingFactory,
    PriorityFactory,
)


@pytest.fixture
def police_api(live_server) -> PoliceAPI:
    return PoliceAPI(base_url=f"{live_server.url}/api/", timeout=10)


def test_police_uk_client_reads_forces_neighbourhoods_boundaries_and_teams(police_api, fremont):
    NeighbourhoodFactory(force=fremont.force, code="N-BAL", name="Ballard")

    [force] = police_api.get_forces()
    neighbourhoods = police_api.get_neighbourhoods(force)
    neighbourhood = police_api.get_neighbourhood("seattle", "N-FRE")

    assert (force.id, force.name) == ("seattle", "Seattle Police")
    assert force.telephone == "206-625-5011"
    assert [n.id for n in neighbourhoods] == ["N-BAL", "N-FRE"]
    assert neighbourhood.name == "Fremont"
    assert neighbourhood.population == 24000
    assert neighbourhood.centre == {"latitude": "47.655", "longitude": "-122.345"}
    assert neighbourhood.boundary[:2] == [(47.65, -122.35), (47.65, -122.34)]
    assert [(o.name, o.rank) for o in neighbourhood.officers] == [("Ana Ruiz", "Sergeant")]
    assert neighbourhood.events == []
    assert neighbourhood.priorities == []


def test_police_uk_client_locates_a_point(police_api, fremont):
    found = police_api.locate_neighbourhood(47.655, -122.345)
    nowhere = police_api.locate_neighbourhood(51.5, -0.12)

    assert (found.force.id, found.id) == ("seattle", "N-FRE")
    assert found.name == "Fremont"
    assert nowhere is None


def test_police_uk_client_reads_senior_officers(police_api, fremont):
    OfficerProfileFactory(force=fremont.force, display_name="Chief Diaz", is_senior=True)

    officers = police_api.get_force("seattle").senior_officers

    assert [(o.name, o.contact_details) for o in officers] == [("Chief Diaz", {})]


def _wall_clock(*parts: int) -> datetime.datetime:
    """police.uk's times are local wall-clock times, which the client reads as naive."""
    return datetime.datetime(*parts, tzinfo=zoneinfo.ZoneInfo("UTC")).replace(tzinfo=None)


def test_police_uk_client_reads_priorities_and_events(police_api, fremont):
    seattle = zoneinfo.ZoneInfo("America/Los_Angeles")
    cycle = CycleFactory(neighbourhood=fremont)
    PriorityFactory(
        cycle=cycle,
        title="Speeding by the school",
        status=PriorityStatus.DELIVERED,
        adopted_at=datetime.datetime(2025, 2, 3, 10, tzinfo=seattle),
        outcome="Speed humps in.",
        closed_at=datetime.datetime(2025, 7, 1, 9, tzinfo=seattle),
    )
    PriorityFactory(
        cycle=cycle,
        title="Dumping in the alley",
        status=PriorityStatus.ADOPTED,
        adopted_at=datetime.datetime(2025, 4, 1, 9, tzinfo=seattle),
    )
    starts = datetime.datetime(2031, 3, 11, 19, tzinfo=seattle)
    MeetingFactory(
        title="Beat meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        neighbourhoods=[fremont],
    )
    EventFactory(title="Clean-up day", neighbourhoods=[fremont], starts_at=starts)

    neighbourhood = police_api.get_neighbourhood("seattle", "N-FRE")
    priorities = neighbourhood.priorities
    events = neighbourhood.events

    assert [(p.issue, p.issue_date, p.action, p.action_date) for p in priorities] == [
        ("<p>Dumping in the alley</p>", _wall_clock(2025, 4, 1, 9), None, None),
        (
            "<p>Speeding by the school</p>",
            _wall_clock(2025, 2, 3, 10),
            "<p>Speed humps in.</p>",
            _wall_clock(2025, 7, 1, 9),
        ),
    ]
    assert [(e.title, e.type, e.start_date) for e in events] == [
        ("Beat meeting", "meeting", _wall_clock(2031, 3, 11, 19)),
        ("Clean-up day", "event", _wall_clock(2031, 3, 11, 19)),
    ]
