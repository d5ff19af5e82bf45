"""A program written for data.police.uk, pointed at Beatbridge, works unchanged.

The client is police-api-client, the library police.uk's own site was built on.
"""

from __future__ import annotations

import pytest
from police_api import PoliceAPI

from beatbridge.accounts.tests.factories import OfficerProfileFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory


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
