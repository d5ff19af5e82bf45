"""Fixtures every test shares."""

import pytest
from django.core.cache import cache
from django.utils import translation

from beatbridge.accounts.tests.factories import OfficerProfileFactory, TeamAssignmentFactory
from beatbridge.places import services
from beatbridge.places.tests.factories import (
    ForceFactory,
    NeighbourhoodFactory,
    SectorFactory,
    square,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Sign-in counters live in the cache: each test starts with an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language leaves it active in the thread (LocaleMiddleware never
    resets it): each test starts in the default language, whichever test ran before it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def force():
    return ForceFactory(
        slug="seattle",
        name="Seattle Police",
        description="Serving the city.",
        telephone="206-625-5011",
        url="https://police.example.org",
        engagement_methods=[
            {
                "type": "facebook",
                "title": "Facebook",
                "description": "News from the precincts",
                "url": "https://facebook.example/spd",
            }
        ],
    )


@pytest.fixture
def fremont(force):
    """A neighbourhood with a team of one, located by the spatial index."""
    neighbourhood = NeighbourhoodFactory(
        force=force,
        code="N-FRE",
        name="Fremont",
        description="Home of the troll.",
        population=24000,
        boundary=square(-122.35, 47.65),
        centre_latitude=47.655,
        centre_longitude=-122.345,
        sector=SectorFactory(force=force, slug="north", name="North"),
        email="fremont@police.example.org",
        telephone="206-555-0100",
        languages=["en", "es"],
    )
    officer = OfficerProfileFactory(
        force=force, display_name="Ana Ruiz", rank="Sergeant", bio="Twenty years in Fremont."
    )
    TeamAssignmentFactory(officer=officer, neighbourhood=neighbourhood)
    services.mark_boundaries_changed()
    return neighbourhood


@pytest.fixture
def fremont_officer(fremont):
    """The one officer serving Fremont (a user with the officer role)."""
    from beatbridge.accounts.models import TeamAssignment

    return TeamAssignment.objects.get(neighbourhood=fremont).officer.user


@pytest.fixture
def street_light(force):
    """A Seattle concern category with one optional question."""
    from beatbridge.reports.tests.factories import CategoryFactory, CategoryQuestionFactory

    category = CategoryFactory(
        force=force, code="street-light", name="Street light out", group="Streets"
    )
    CategoryQuestionFactory(
        category=category, code="pole-number", prompt="Number on the pole", required=False
    )
    return category
