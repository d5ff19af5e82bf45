"""Who an alert reaches: followers of its neighbourhoods, of circles that meet them, of a
sector, of an area, or a scheme's members; each person once, active people only."""

from __future__ import annotations

import pytest

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.notify.audience import recipient_ids
from beatbridge.notify.models import Audience
from beatbridge.notify.tests.factories import AlertFactory, FollowFactory
from beatbridge.places import services as places_services
from beatbridge.places.tests.factories import NeighbourhoodFactory, SectorFactory, square
from beatbridge.watch.models import MemberRole, Membership, MembershipStatus, Scheme, SchemeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballard(fremont):
    """Fremont's western neighbour, in the same sector, sharing the border at -122.35."""
    neighbourhood = NeighbourhoodFactory(
        force=fremont.force, sector=fremont.sector, code="N-BAL", boundary=square(-122.36, 47.65)
    )
    places_services.mark_boundaries_changed()
    return neighbourhood


@pytest.fixture
def far_away(fremont):
    """A neighbourhood of the same force in another sector, about 10 km south."""
    neighbourhood = NeighbourhoodFactory(
        force=fremont.force,
        sector=SectorFactory(force=fremont.force),
        code="N-FAR",
        boundary=square(-122.35, 47.56),
    )
    places_services.mark_boundaries_changed()
    return neighbourhood


def area_follower(latitude: float, longitude: float, radius: int) -> int:
    return FollowFactory(
        area=True, latitude=latitude, longitude=longitude, radius_metres=radius
    ).user_id


def test_a_neighbourhood_alert_reaches_its_followers_and_circles_reaching_into_it(fremont, ballard):
    follower = FollowFactory(neighbourhood=fremont).user_id
    inside = area_follower(47.655, -122.345, 300)
    # Centred in Ballard, 260 m from the border: a 500 m circle reaches into Fremont...
    across_the_border = area_follower(47.655, -122.3535, 500)
    # ...a 200 m circle 600 m from the border does not.
    area_follower(47.655, -122.358, 200)
    FollowFactory(neighbourhood=ballard)
    alert = AlertFactory(neighbourhoods=[fremont])

    assert recipient_ids(alert) == sorted([follower, inside, across_the_border])


def test_a_person_reached_several_ways_is_counted_once(fremont, ballard):
    person = UserFactory()
    FollowFactory(user=person, neighbourhood=fremont)
    FollowFactory(user=person, neighbourhood=ballard)
    FollowFactory(user=person, area=True)
    alert = AlertFactory(neighbourhoods=[fremont, ballard])
    assert recipient_ids(alert) == [person.pk]


def test_inactive_people_are_left_out(fremont):
    FollowFactory(neighbourhood=fremont, user=UserFactory(is_active=False))
    FollowFactory(area=True, user=UserFactory(is_active=False))
    assert recipient_ids(AlertFactory(neighbourhoods=[fremont])) == []


def test_a_sector_alert_reaches_every_neighbourhood_of_that_sector_only(fremont, ballard, far_away):
    in_fremont = FollowFactory(neighbourhood=fremont).user_id
    in_ballard = FollowFactory(neighbourhood=ballard).user_id
    FollowFactory(neighbourhood=far_away)
    alert = AlertFactory(audience=Audience.SECTOR, sector=fremont.sector)
    assert recipient_ids(alert) == sorted([in_fremont, in_ballard])


def test_an_area_alert_reaches_neighbourhoods_and_circles_it_meets(fremont, ballard, far_away):
    in_fremont = FollowFactory(neighbourhood=fremont).user_id
    FollowFactory(neighbourhood=ballard)  # the 300 m circle stays inside Fremont
    FollowFactory(neighbourhood=far_away)
    near = area_follower(47.6575, -122.345, 100)  # 280 m from the centre
    overlapping = area_follower(47.66, -122.345, 300)  # 556 m away, radii 300 + 300
    area_follower(47.665, -122.345, 200)  # 1.1 km away
    alert = AlertFactory(
        audience=Audience.AREA, latitude=47.655, longitude=-122.345, radius_metres=300
    )
    assert recipient_ids(alert) == sorted([in_fremont, near, overlapping])


def test_an_area_alert_near_a_border_reaches_the_neighbour_too(fremont, ballard):
    in_ballard = FollowFactory(neighbourhood=ballard).user_id
    alert = AlertFactory(
        audience=Audience.AREA, latitude=47.655, longitude=-122.3515, radius_metres=300
    )
    assert in_ballard in recipient_ids(alert)


def test_a_scheme_message_reaches_approved_members_who_take_messages(fremont):
    coordinator = UserFactory()
    scheme = Scheme.objects.create(
        neighbourhood=fremont,
        name="Elm Road Watch",
        streets=["Elm Road"],
        proposed_by=coordinator,
        status=SchemeStatus.ACTIVE,
    )

    def member(status, receives=True, role=MemberRole.MEMBER):
        user = UserFactory()
        Membership.objects.create(
            scheme=scheme, user=user, status=status, receives_messages=receives, role=role
        )
        return user.pk

    running = member(MembershipStatus.APPROVED, role=MemberRole.COORDINATOR)
    approved = member(MembershipStatus.APPROVED)
    member(MembershipStatus.APPROVED, receives=False)
    member(MembershipStatus.REQUESTED)
    member(MembershipStatus.LEFT)
    FollowFactory(neighbourhood=fremont)  # follows the place, not the scheme
    alert = AlertFactory(audience=Audience.SCHEME, scheme=scheme)

    assert recipient_ids(alert) == sorted([running, approved])
