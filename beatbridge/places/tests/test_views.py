from __future__ import annotations

import datetime
import json
import re

import factory
import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbridge.accounts import services as accounts_services
from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import (
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.places import services, views
from beatbridge.places.models import Neighbourhood
from beatbridge.places.tests.factories import (
    ForceFactory,
    NeighbourhoodFactory,
    SectorFactory,
    square,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def force():
    return ForceFactory(
        slug="seattle",
        name="Seattle Police",
        description="Serving the city since 1886.",
        telephone="206 555 0199",
        url="https://police.example.org",
        engagement_methods=[
            {"type": "web", "title": "Community newsletter", "url": "https://news.example.org"},
            {"type": "email", "title": "Write to us", "url": "mailto:contact@example.org"},
            {"type": "other", "title": "Suspicious link", "url": "javascript:alert(1)"},
        ],
    )


@pytest.fixture
def north(force):
    return SectorFactory(force=force, slug="north", name="North Precinct")


@pytest.fixture
def montlake(force, north):
    return NeighbourhoodFactory(
        force=force,
        sector=north,
        code="55.CR3001",
        name="Montlake Café",
        description="Between the lake and the cut.",
        population=12345,
        boundary=square(-122.5, 47.5, size=0.25),
        email="montlake@police.example.org",
        telephone="206 555 0100",
        address="1 Lake Street\nSeattle",
        web_url="https://police.example.org/montlake",
        languages=["es", "so", "xx-unknown"],
    )


@pytest.fixture
def eastlake(force, north):
    # Shares Montlake's eastern edge (sizes exact in binary, so the edges meet exactly).
    return NeighbourhoodFactory(
        force=force,
        sector=north,
        code="EAST",
        name="Eastlake",
        boundary=square(-122.25, 47.5, size=0.25),
    )


@pytest.fixture
def far_away(force):
    return NeighbourhoodFactory(
        force=force,
        sector=None,
        code="FAR",
        name="Far Shore",
        boundary=square(-121.0, 47.5, size=0.25),
    )


@pytest.fixture
def officer(force):
    return OfficerProfileFactory(
        force=force, display_name="Amina Hassan", rank="Sergeant", languages=["so", "en"]
    )


def page(client: Client, neighbourhood: Neighbourhood) -> str:
    response = client.get(
        reverse(
            "places:neighbourhood",
            kwargs={"force": neighbourhood.force.slug, "code": neighbourhood.code},
        )
    )
    assert response.status_code == 200
    return response.content.decode()


def main(content: str) -> str:
    return content.split('<main id="main"')[1].split("</main>")[0]


# Home


def test_home_offers_search_by_name_and_lists_the_forces(client: Client, force):
    content = client.get(reverse("places:home")).content.decode()

    assert 'action="/neighbourhoods/"' in content
    assert "Neighbourhood name" in content
    assert f'href="/forces/{force.slug}/"' in content
    assert content.count("<h1") == 1


def test_home_map_reads_the_force_boundaries_from_the_api(client: Client, force):
    content = client.get(reverse("places:home")).content.decode()

    assert 'data-boundaries-url="/api/v1/forces/seattle/boundaries"' in content
    assert 'data-neighbourhood-url="/forces/__force__/ID__/"' in content


def test_home_offers_use_my_location_only_through_the_script(client: Client, force):
    content = client.get(reverse("places:home")).content.decode()

    assert '<template id="use-my-location">' in content
    assert 'data-locate-url="/locate/"' in content


def test_home_before_any_force_is_set_up_says_so(client: Client):
    content = client.get(reverse("places:home")).content.decode()

    assert "No police service has been set up yet." in content
    assert "data-map" not in content


def test_home_with_several_forces_leaves_the_maps_to_the_force_pages(client: Client, force):
    ForceFactory(slug="tacoma", name="Tacoma Police")

    content = client.get(reverse("places:home")).content.decode()

    assert "data-boundaries-url" not in content
    assert 'href="/forces/tacoma/"' in content


# Search


def test_search_ignores_accents_and_case(client: Client, montlake, eastlake):
    response = client.get(reverse("places:search"), {"q": "CAFE"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'href="/forces/seattle/55.CR3001/"' in content
    assert "Eastlake" not in content


def test_search_lists_every_match_with_its_force(client: Client, montlake, eastlake):
    content = client.get(reverse("places:search"), {"q": "lake"}).content.decode()

    assert "2 neighbourhoods found." in content
    assert 'href="/forces/seattle/EAST/"' in content
    assert 'href="/forces/seattle/55.CR3001/"' in content
    assert "Seattle Police" in content


def test_search_single_exact_match_goes_straight_to_it(client: Client, montlake, eastlake):
    response = client.get(reverse("places:search"), {"q": "montlake CAFÉ"})

    assert response.status_code == 302
    assert response["Location"] == "/forces/seattle/55.CR3001/"


def test_search_too_short_query_asks_for_more_letters(client: Client, montlake):
    response = client.get(reverse("places:search"), {"q": " é "})

    assert response.status_code == 200
    assert "Type at least 2 letters" in response.content.decode()


def test_search_empty_query_asks_for_a_name(client: Client, montlake):
    response = client.get(reverse("places:search"), {"q": ""})

    assert response.status_code == 200
    assert "Type the name of your neighbourhood" in response.content.decode()


def test_search_without_matches_says_so(client: Client, montlake):
    content = client.get(reverse("places:search"), {"q": "atlantis"}).content.decode()

    assert "No neighbourhood is called anything like" in content


def test_search_shows_a_limited_number_of_results_and_says_so(client: Client, force):
    NeighbourhoodFactory.create_batch(
        51, force=force, name=factory.Sequence(lambda n: f"Park {n:03d}")
    )

    content = client.get(reverse("places:search"), {"q": "park"}).content.decode()

    assert content.count('<li><a href="/forces/seattle/') == 50
    assert "Only the first 50 are shown" in content


def test_live_search_answers_with_a_fragment_and_never_redirects(client: Client, montlake):
    response = client.get(
        reverse("places:search"), {"q": "Montlake Café"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'href="/forces/seattle/55.CR3001/"' in content
    assert "HX-Request" in response["Vary"]


def test_live_search_with_an_emptied_box_shows_nothing(client: Client, montlake):
    response = client.get(reverse("places:search"), {"q": ""}, headers={"HX-Request": "true"})

    assert response.content.decode().strip() == ""


# Locate


def test_locate_redirects_to_the_neighbourhood_containing_the_point(client: Client, montlake):
    services.mark_boundaries_changed()

    response = client.get(reverse("places:locate"), {"latitude": "47.6", "longitude": "-122.4"})

    assert response.status_code == 302
    assert response["Location"] == "/forces/seattle/55.CR3001/"


def test_locate_outside_every_neighbourhood_is_a_helpful_not_found_page(client: Client, montlake):
    services.mark_boundaries_changed()

    response = client.get(reverse("places:locate"), {"latitude": "10", "longitude": "10"})

    assert response.status_code == 404
    content = response.content.decode()
    assert "couldn't find a neighbourhood at that point" in content
    assert 'action="/neighbourhoods/"' in content


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "label"),
    [
        ("200", "-122.3", "latitude", "Latitude"),
        ("47.6", "-500", "longitude", "Longitude"),
        ("north", "-122.3", "latitude", "Latitude"),
        ("47.6", "", "longitude", "Longitude"),
        ("nan", "-122.3", "latitude", "Latitude"),
    ],
)
def test_locate_bad_point_is_refused_naming_the_field(
    client: Client, montlake, latitude, longitude, field, label
):
    response = client.get(reverse("places:locate"), {"latitude": latitude, "longitude": longitude})

    assert response.status_code == 400
    content = response.content.decode()
    assert f'<a href="#id_{field}">{label}: ' in content
    assert f'id="id_{field}"' in content


def test_locate_without_a_point_offers_the_form(client: Client):
    response = client.get(reverse("places:locate"))

    assert response.status_code == 200
    assert 'name="latitude"' in response.content.decode()


# Force page


def test_force_page_shows_contacts_methods_and_neighbourhoods_by_sector(
    client: Client, force, montlake, eastlake, far_away
):
    response = client.get(reverse("places:force", kwargs={"force": "seattle"}))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Serving the city since 1886." in content
    assert 'href="tel:2065550199"' in content
    assert '<a href="https://news.example.org">Community newsletter</a>' in content
    assert '<a href="mailto:contact@example.org">Write to us</a>' in content
    assert "javascript:" not in content
    assert "Suspicious link" in content
    north_list = content.split("<h3>North Precinct</h3>")[1].split("<h3>")[0]
    assert 'href="/forces/seattle/EAST/"' in north_list
    assert 'href="/forces/seattle/55.CR3001/"' in north_list
    other_list = content.split("<h3>Other neighbourhoods</h3>")[1]
    assert 'href="/forces/seattle/FAR/"' in other_list


def test_force_page_lists_senior_officers(client: Client, force):
    OfficerProfileFactory(force=force, display_name="Chief Carla Ortiz", is_senior=True)
    OfficerProfileFactory(force=force, display_name="Constable Not Senior")

    content = client.get(reverse("places:force", kwargs={"force": "seattle"})).content.decode()

    assert "Chief Carla Ortiz" in content
    assert "Constable Not Senior" not in content


def test_force_page_has_the_emergency_reminder_near_its_contacts(client: Client, force):
    content = client.get(reverse("places:force", kwargs={"force": "seattle"})).content.decode()

    contact = content.split('id="contact-heading"')[1].split("</section>")[0]
    assert "Not for emergencies." in contact


def test_unknown_force_is_a_404_page(client: Client, force):
    response = client.get("/forces/atlantis/")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_force_page_queries_do_not_grow_with_neighbourhoods(
    client: Client, django_assert_num_queries, force, north, count
):
    NeighbourhoodFactory.create_batch(count, force=force, sector=north)
    NeighbourhoodFactory.create_batch(count, force=force, sector=SectorFactory(force=force))
    OfficerProfileFactory.create_batch(count, force=force, is_senior=True)

    # The force, its senior officers, its neighbourhoods with their sectors.
    with django_assert_num_queries(3):
        response = client.get(reverse("places:force", kwargs={"force": "seattle"}))

    assert response.status_code == 200


# Neighbourhood page


def test_neighbourhood_page_shows_the_neighbourhood(client: Client, montlake):
    content = page(client, montlake)

    assert "<h1>Montlake Café</h1>" in content
    assert "Between the lake and the cut." in content
    assert "About 12,345 people live here." in content
    assert "North Precinct" in content
    assert "<title>Montlake Café · Seattle Police · Beatbridge</title>" in content


def test_neighbourhood_page_shows_the_current_team(client: Client, montlake, officer):
    TeamAssignmentFactory(officer=officer, neighbourhood=montlake, role="coordination_officer")
    former = OfficerProfileFactory(force=montlake.force, display_name="Gone Away")
    TeamAssignmentFactory(officer=former, neighbourhood=montlake, ends_on="2024-06-30")

    content = page(client, montlake)

    team = content.split('id="team-heading"')[1].split("</section>")[0]
    assert "Amina Hassan" in team
    assert "Sergeant · Coordination officer" in team
    assert "Somali, English" in team
    assert "Gone Away" not in content
    assert f'<a href="/officers/{officer.pk}/">Amina Hassan</a>' in team


def test_neighbourhood_page_without_a_team_says_so(client: Client, montlake):
    content = page(client, montlake)

    assert "No officers are assigned to this neighbourhood at the moment." in content


def test_neighbourhood_page_shows_the_team_contacts_with_the_emergency_reminder(
    client: Client, montlake
):
    content = page(client, montlake)

    contact = content.split('id="contact-heading"')[1].split("</section>")[0]
    assert 'href="mailto:montlake@police.example.org"' in contact
    assert 'href="tel:2065550100"' in contact
    assert "1 Lake Street<br>Seattle" in contact
    assert 'href="https://police.example.org/montlake"' in contact
    assert "Not for emergencies." in contact


def test_neighbourhood_page_without_team_contacts_falls_back_to_the_force(client: Client, eastlake):
    content = page(client, eastlake)

    contact = content.split('id="contact-heading"')[1].split("</section>")[0]
    assert 'href="tel:2065550199"' in contact


def test_neighbourhood_page_names_the_languages_spoken(client: Client, montlake):
    content = page(client, montlake)

    languages = content.split('id="languages-heading"')[1].split("</section>")[0]
    assert "<li>Spanish</li>" in languages
    assert "<li>Somali</li>" in languages
    assert "<li>xx-unknown</li>" in languages


def test_neighbourhood_page_links_its_neighbours_only(client: Client, montlake, eastlake, far_away):
    services.mark_boundaries_changed()

    content = page(client, montlake)

    neighbours = content.split('id="neighbours-heading"')[1].split("</section>")[0]
    assert '<a href="/forces/seattle/EAST/">Eastlake</a>' in neighbours
    assert "Far Shore" not in neighbours


def test_neighbourhood_page_embeds_its_boundary_for_the_map(client: Client, montlake):
    content = page(client, montlake)

    embedded = re.search(
        r'<script id="neighbourhood-boundary" type="application/json">(.*?)</script>', content
    )
    assert embedded is not None
    assert json.loads(embedded.group(1)) == montlake.boundary
    assert 'data-boundary="neighbourhood-boundary"' in content
    assert 'href="/api/v1/forces/seattle/neighbourhoods/55.CR3001/boundary"' in content


def test_neighbourhood_map_uses_the_configured_tiles(client: Client, settings, montlake):
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "© Example <contributors>"

    content = page(client, montlake)

    assert 'data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"' in content
    assert 'data-tiles-attribution="© Example &lt;contributors&gt;"' in content


def test_neighbourhood_map_draws_without_a_tile_server(client: Client, settings, montlake):
    settings.MAP_TILES_URL = ""

    content = page(client, montlake)

    assert 'data-tiles-url=""' in content
    assert 'data-boundary="neighbourhood-boundary"' in content


@pytest.mark.parametrize(
    "path",
    ["/forces/atlantis/55.CR3001/", "/forces/seattle/NOPE/"],
    ids=["unknown force", "unknown neighbourhood"],
)
def test_unknown_neighbourhood_is_a_404_page(client: Client, montlake, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_neighbourhood_page_queries_do_not_grow_with_team_or_neighbours(
    client: Client, django_assert_num_queries, montlake, count
):
    for step in range(count):
        NeighbourhoodFactory(
            force=montlake.force, boundary=square(-122.75, 47.5 + step * 0.03125, size=0.25)
        )
        TeamAssignmentFactory(
            officer=OfficerProfileFactory(force=montlake.force), neighbourhood=montlake
        )
    services.mark_boundaries_changed()
    page(client, montlake)  # builds this process's spatial index, once per boundary change
    cache.clear()

    # The neighbourhood with its force and sector, the team, the index's revision check,
    # the published problem-solving summaries.
    with django_assert_num_queries(4):
        content = page(client, montlake)

    neighbours = content.split('id="neighbours-heading"')[1].split("</section>")[0]
    assert content.count('class="person"') == count
    assert neighbours.count("<li>") == count


def test_neighbourhood_page_is_served_from_the_cache_without_queries(
    client: Client, django_assert_num_queries, montlake, officer
):
    TeamAssignmentFactory(officer=officer, neighbourhood=montlake)
    first = page(client, montlake)

    with django_assert_num_queries(0):
        again = page(client, montlake)

    assert main(again) == main(first)
    assert "Amina Hassan" in main(again)


def test_a_cached_page_keeps_each_visitors_own_header(client: Client, montlake):
    anonymous = page(client, montlake)
    client.force_login(UserFactory(role=Role.RESIDENT))

    signed_in = page(client, montlake)

    assert "Sign in" in anonymous
    assert "Sign out" in signed_in
    assert "Sign in" not in signed_in
    assert 'name="csrfmiddlewaretoken"' in signed_in
    assert "Montlake Café" in signed_in


def test_the_cached_page_gives_each_anonymous_visitor_a_working_language_form(montlake):
    page(Client(), montlake)  # cached by an earlier visitor
    visitor = Client(enforce_csrf_checks=True)

    content = visitor.get("/forces/seattle/55.CR3001/?from=map").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)[1]
    response = visitor.post(
        reverse("accounts:language"),
        {"csrfmiddlewaretoken": token, "language": "es", "next": "/forces/seattle/55.CR3001/"},
    )

    assert 'name="next" type="hidden" value="/forces/seattle/55.CR3001/?from=map"' in content
    assert "\x00" not in content
    assert response.status_code == 302
    assert "Montlake Café" in visitor.get(response["Location"]).content.decode()


def test_an_anonymous_visitor_with_a_message_waiting_sees_it_on_the_cached_page(
    client: Client, rf, montlake
):
    page(client, montlake)
    request = rf.get("/forces/seattle/55.CR3001/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.info(request, "You have been signed out.")

    response = views.neighbourhood_detail(request, force="seattle", code="55.CR3001")

    assert "You have been signed out." in response.content.decode()
    assert "Montlake Café" in response.content.decode()


def test_a_cached_page_is_kept_per_language(client: Client, montlake):
    english = page(client, montlake)

    spanish = client.get(
        "/forces/seattle/55.CR3001/", headers={"Accept-Language": "es"}
    ).content.decode()

    assert "12,345" in english
    assert "12\xa0345" in spanish


def test_a_new_team_member_shows_on_the_page_at_once(client: Client, montlake, officer):
    assert "Amina Hassan" not in page(client, montlake)

    accounts_services.assign_officer(
        officer=officer,
        neighbourhood=montlake,
        role="neighbourhood_officer",
        starts_on=datetime.date(2024, 1, 1),
    )

    assert "Amina Hassan" in page(client, montlake)


def test_an_ended_assignment_leaves_the_page_at_once(client: Client, montlake, officer):
    assignment = TeamAssignmentFactory(officer=officer, neighbourhood=montlake)
    assert "Amina Hassan" in page(client, montlake)

    accounts_services.end_assignment(
        assignment=assignment, ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    assert "Amina Hassan" not in page(client, montlake)


def test_a_new_neighbour_shows_on_the_page_once_boundaries_change(client: Client, montlake):
    services.mark_boundaries_changed()
    assert "No other neighbourhood borders this one." in page(client, montlake)

    services.import_boundaries(
        force=montlake.force,
        collection={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": square(-122.25, 47.5, size=0.25),
                    "properties": {"id": "EAST", "name": "Eastlake"},
                }
            ],
        },
        id_property="id",
    )

    assert '<a href="/forces/seattle/EAST/">Eastlake</a>' in page(client, montlake)


# Public to everyone, in every language


@pytest.fixture(params=["anonymous", "resident", "officer"])
def visitor(request, client: Client, force) -> Client:
    if request.param == "resident":
        client.force_login(UserFactory(role=Role.RESIDENT))
    elif request.param == "officer":
        client.force_login(OfficerProfileFactory(force=force).user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/neighbourhoods/?q=lake",
        "/locate/",
        "/forces/seattle/",
        "/forces/seattle/55.CR3001/",
    ],
)
def test_public_pages_are_open_to_everyone(visitor: Client, montlake, path):
    response = visitor.get(path)

    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


def test_pages_render_in_spanish_from_the_browser_language(client: Client, montlake):
    response = client.get("/forces/seattle/55.CR3001/", headers={"Accept-Language": "es"})

    content = response.content.decode()
    assert '<html lang="es" dir="ltr">' in content
    assert "12\xa0345" in content


def test_pages_render_in_the_language_chosen_with_the_cookie(client: Client, settings, force):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    content = client.get("/").content.decode()

    assert '<html lang="es" dir="ltr">' in content


def test_arabic_pages_are_laid_out_right_to_left(client: Client, montlake):
    response = client.get("/forces/seattle/55.CR3001/", headers={"Accept-Language": "ar"})

    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize("code", ["%00", "_hidden", "a%20b", "x" * 65])
def test_a_code_no_neighbourhood_could_have_is_a_404_before_any_query(
    client: Client, force, code, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(f"/forces/{force.slug}/{code}/")

    assert response.status_code == 404
