from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.places import selectors, services
from beatbridge.places.models import BoundaryRevision, Neighbourhood
from beatbridge.places.tests.factories import (
    ForceFactory,
    NeighbourhoodFactory,
    SectorFactory,
    square,
)

pytestmark = pytest.mark.django_db

BOW_TIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change_form(neighbourhood: Neighbourhood, **changes: object) -> dict:
    data = {
        "force": neighbourhood.force_id,
        "sector": neighbourhood.sector_id or "",
        "code": neighbourhood.code,
        "name": neighbourhood.name,
        "description": "",
        "population": "",
        "email": "",
        "telephone": "",
        "address": "",
        "web_url": "",
        "languages": "[]",
        "boundary": json.dumps(neighbourhood.boundary),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:places_force_changelist",
        "admin:places_sector_changelist",
        "admin:places_neighbourhood_changelist",
        "admin:places_neighbourhood_add",
    ],
)
def test_an_administrator_opens_the_places_admin_pages(admin_client, url_name):
    NeighbourhoodFactory(name="Montlake", sector=SectorFactory())

    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200


def test_the_neighbourhood_changelist_lists_and_searches_by_folded_name(admin_client):
    NeighbourhoodFactory(name="Montlake Café")
    NeighbourhoodFactory(name="Fremont")

    response = admin_client.get(
        reverse("admin:places_neighbourhood_changelist"), {"q": "montlake cafe"}
    )

    assert "Montlake Café" in response.content.decode()
    assert "Fremont" not in response.content.decode()


def test_the_change_pages_show_the_force_with_its_sectors_and_the_boundary(admin_client):
    sector = SectorFactory(name="East Precinct")
    neighbourhood = NeighbourhoodFactory(force=sector.force, sector=sector)

    force_page = admin_client.get(reverse("admin:places_force_change", args=[sector.force.pk]))
    page = admin_client.get(reverse("admin:places_neighbourhood_change", args=[neighbourhood.pk]))

    assert "East Precinct" in force_page.content.decode()
    assert "&quot;Polygon&quot;" in page.content.decode()


def test_the_neighbourhood_changelist_costs_the_same_queries_for_more_rows(admin_client):
    url = reverse("admin:places_neighbourhood_changelist")
    NeighbourhoodFactory(sector=SectorFactory())
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for _ in range(5):
        NeighbourhoodFactory(sector=SectorFactory())

    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)

    assert response.content.decode().count('class="field-code"') == 6
    assert len(many) == len(few)
    assert not any('"boundary"' in query["sql"] for query in many)


def test_boundary_revisions_are_not_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert "boundary revision" not in response.content.decode().lower()


@pytest.mark.parametrize("user_kwargs", [{"is_staff": False}, None])
def test_people_without_admin_access_are_sent_to_sign_in(client, user_kwargs):
    if user_kwargs is not None:
        client.force_login(UserFactory(**user_kwargs))

    response = client.get(reverse("admin:places_neighbourhood_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_changed_boundary_is_repaired_recentred_and_reindexed(admin_client):
    neighbourhood = NeighbourhoodFactory()
    services.mark_boundaries_changed()
    token = BoundaryRevision.objects.get().token

    response = admin_client.post(
        reverse("admin:places_neighbourhood_change", args=[neighbourhood.pk]),
        change_form(neighbourhood, name="Renamed", boundary=json.dumps(BOW_TIE)),
    )

    neighbourhood.refresh_from_db()
    assert response.status_code == 302
    assert neighbourhood.name == "Renamed"
    assert neighbourhood.boundary["type"] == "MultiPolygon"
    assert 0 <= neighbourhood.centre_latitude <= 1
    assert BoundaryRevision.objects.get().token != token


def test_saving_neither_boundary_nor_id_nor_name_leaves_the_index_alone(admin_client):
    neighbourhood = NeighbourhoodFactory()
    services.mark_boundaries_changed()
    token = BoundaryRevision.objects.get().token

    admin_client.post(
        reverse("admin:places_neighbourhood_change", args=[neighbourhood.pk]),
        change_form(neighbourhood, description="Quieter now."),
    )

    neighbourhood.refresh_from_db()
    assert neighbourhood.description == "Quieter now."
    assert BoundaryRevision.objects.get().token == token


def test_a_renamed_neighbourhood_is_located_by_its_new_name_at_once(admin_client):
    neighbourhood = NeighbourhoodFactory(name="Before", boundary=square(-122.30, 47.60))
    services.mark_boundaries_changed()
    assert selectors.locate_neighbourhood_ref(47.605, -122.295).name == "Before"

    admin_client.post(
        reverse("admin:places_neighbourhood_change", args=[neighbourhood.pk]),
        change_form(neighbourhood, name="After", code="NEW-CODE"),
    )

    found = selectors.locate_neighbourhood_ref(47.605, -122.295)
    assert (found.name, found.code) == ("After", "NEW-CODE")


def test_a_deleted_neighbourhood_is_no_longer_located(admin_client):
    neighbourhood = NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    services.mark_boundaries_changed()
    assert selectors.locate_neighbourhood_ref(47.605, -122.295) is not None

    admin_client.post(
        reverse("admin:places_neighbourhood_delete", args=[neighbourhood.pk]), {"post": "yes"}
    )

    assert not Neighbourhood.objects.exists()
    assert selectors.locate_neighbourhood_ref(47.605, -122.295) is None


def test_a_description_edited_in_the_admin_shows_on_the_page_at_once(admin_client):
    neighbourhood = NeighbourhoodFactory(description="Before.")
    url = reverse(
        "places:neighbourhood",
        kwargs={"force": neighbourhood.force.slug, "code": neighbourhood.code},
    )
    assert "Before." in admin_client.get(url).content.decode()

    admin_client.post(
        reverse("admin:places_neighbourhood_change", args=[neighbourhood.pk]),
        change_form(neighbourhood, description="After."),
    )

    assert "After." in admin_client.get(url).content.decode()


def test_a_force_renamed_in_the_admin_shows_on_its_neighbourhood_pages_at_once(admin_client):
    neighbourhood = NeighbourhoodFactory(force__name="Old Police")
    force = neighbourhood.force
    url = reverse("places:neighbourhood", kwargs={"force": force.slug, "code": neighbourhood.code})
    assert "Old Police" in admin_client.get(url).content.decode()

    response = admin_client.post(
        reverse("admin:places_force_change", args=[force.pk]),
        {
            "slug": force.slug,
            "name": "New Police",
            "description": "",
            "telephone": "",
            "url": "",
            "engagement_methods": "[]",
            "sectors-TOTAL_FORMS": "0",
            "sectors-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    content = admin_client.get(url).content.decode()
    assert "New Police" in content
    assert "Old Police" not in content


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        (json.dumps({"type": "Point", "coordinates": [0, 0]}), "only Polygon and MultiPolygon"),
        (json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}), "at least 4"),
        ("{not json", "Enter a valid JSON"),
    ],
)
def test_an_invalid_boundary_is_a_form_error_and_nothing_changes(admin_client, boundary, message):
    neighbourhood = NeighbourhoodFactory(name="Before")
    before = neighbourhood.boundary

    response = admin_client.post(
        reverse("admin:places_neighbourhood_change", args=[neighbourhood.pk]),
        change_form(neighbourhood, name="After", boundary=boundary),
    )

    neighbourhood.refresh_from_db()
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (neighbourhood.name, neighbourhood.boundary) == ("Before", before)


def test_an_administrator_adds_a_neighbourhood_with_its_centre_computed(admin_client):
    force = ForceFactory()
    data = change_form(
        Neighbourhood(force=force, code="NEW1", name="New", boundary=square(-122.3, 47.6))
    )

    response = admin_client.post(reverse("admin:places_neighbourhood_add"), data)

    added = Neighbourhood.objects.get(code="NEW1")
    assert response.status_code == 302
    assert (added.centre_longitude, added.centre_latitude) == pytest.approx((-122.295, 47.605))
    assert added.search_name == "new"
    assert BoundaryRevision.objects.exists()


@pytest.mark.parametrize("languages", ['["en", 7]', '"es"', '["not a code"]'])
def test_languages_that_are_not_a_list_of_codes_are_refused_in_the_admin(admin_client, languages):
    neighbourhood = NeighbourhoodFactory(languages=["en"])

    response = admin_client.post(
        reverse("admin:places_neighbourhood_change", args=[neighbourhood.pk]),
        change_form(neighbourhood, languages=languages),
    )

    neighbourhood.refresh_from_db()
    assert response.status_code == 200
    assert "languages" in response.context["adminform"].form.errors
    assert neighbourhood.languages == ["en"]


@pytest.mark.parametrize(
    "methods",
    ['["see our website"]', '[{"url": "javascript:alert(1)"}]', '[{"title": 3}]', '{"a": 1}'],
)
def test_malformed_engagement_methods_are_refused_in_the_admin(admin_client, methods):
    force = ForceFactory()

    response = admin_client.post(
        reverse("admin:places_force_change", args=[force.pk]),
        {
            "slug": force.slug,
            "name": force.name,
            "engagement_methods": methods,
            "sectors-TOTAL_FORMS": "0",
            "sectors-INITIAL_FORMS": "0",
        },
    )

    force.refresh_from_db()
    assert response.status_code == 200
    assert "engagement_methods" in response.context["adminform"].form.errors
    assert force.engagement_methods == []
