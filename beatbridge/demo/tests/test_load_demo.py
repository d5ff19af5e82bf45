from __future__ import annotations

import functools
import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from beatbridge.accounts.models import OfficerProfile, Role, TeamAssignment, TeamRole, User
from beatbridge.demo import crimes
from beatbridge.demo.services import load_demo
from beatbridge.places.models import BoundaryRevision, Force, Neighbourhood, Sector

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (it takes seconds), rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _small_crime_data(monkeypatch):
    """The command's tests are about the city and its accounts: a twentieth of the crime data
    keeps each from re-importing two years (test_crimes_demo.py checks the full size)."""
    monkeypatch.setattr(
        "beatbridge.demo.management.commands.load_demo.load_crimes",
        functools.partial(crimes.load_crimes, scale=0.05),
    )


def _printed_password() -> str:
    """Run the command as a person would and read the password from what it prints.

    The test database is not the demo's own (SQLite under var/), so it takes the flag.
    """
    output = io.StringIO()
    call_command("load_demo", "--allow-published-passwords", stdout=output)
    printed = output.getvalue()
    assert "admin@beatbridge.invalid" in printed
    return re.search(r"with the password '([^']+)'", printed).group(1)


def _counts() -> dict[str, int]:
    models = [Force, Sector, Neighbourhood, User, OfficerProfile, TeamAssignment]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_city_is_seattles_90_neighbourhoods_in_five_precincts():
    force = Force.objects.get(slug="seattle")
    assert "fictional" in force.description
    assert force.neighbourhoods.count() == 90
    assert sorted(force.sectors.values_list("name", flat=True)) == [
        "East Precinct",
        "North Precinct",
        "South Precinct",
        "Southwest Precinct",
        "West Precinct",
    ]
    assert not force.neighbourhoods.filter(sector=None).exists()
    fremont = force.neighbourhoods.get(code="fremont")
    assert fremont.sector.name == "North Precinct"
    assert fremont.email.endswith(".invalid")
    assert fremont.languages[0] == "en"
    assert fremont.population > 0


def test_every_demo_neighbourhood_has_a_current_team_with_a_supervisor():
    current = TeamAssignment.objects.current()
    for role in (TeamRole.NEIGHBOURHOOD_OFFICER, TeamRole.LIAISON_OFFICER, TeamRole.SUPERVISOR):
        served = set(current.filter(role=role).values_list("neighbourhood__code", flat=True))
        assert len(served) == 90, role


def test_demo_keeps_a_history_of_past_assignments_and_lists_senior_officers():
    assert TeamAssignment.objects.filter(ends_on__isnull=False).count() > 10
    senior_ranks = set(OfficerProfile.objects.filter(is_senior=True).values_list("rank", flat=True))
    assert {"Chief of Police", "Captain"} <= senior_ranks


def test_loading_the_demo_again_changes_and_duplicates_nothing():
    before = _counts()
    token = BoundaryRevision.objects.get().token
    fremont_updated_at = Neighbourhood.objects.get(code="fremont").updated_at

    again = load_demo()

    assert _counts() == before
    assert (again.neighbourhoods_created, again.officers_created) == (0, 0)
    assert (again.assignments_created, again.accounts_created) == (0, 0)
    assert BoundaryRevision.objects.get().token == token
    assert Neighbourhood.objects.get(code="fremont").updated_at == fremont_updated_at


def test_demo_residents_have_home_neighbourhoods_and_languages():
    residents = User.objects.filter(role=Role.RESIDENT)
    assert not residents.filter(home_neighbourhood=None).exists()
    assert {"es", "ar"} <= set(residents.values_list("preferred_language", flat=True))


def test_the_administrator_signs_in_with_the_printed_password(client):
    password = _printed_password()

    response = client.post(
        "/accounts/sign-in/",
        {"username": "admin@beatbridge.invalid", "password": password},
    )

    admin = User.objects.get(email="admin@beatbridge.invalid")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert admin.is_superuser
    assert admin.role == Role.ADMINISTRATOR


def test_the_demo_officer_signs_in_and_serves_fremont(client):
    password = _printed_password()

    signed_in = client.login(email="officer@beatbridge.invalid", password=password)

    assert signed_in
    officer = OfficerProfile.objects.get(user__email="officer@beatbridge.invalid")
    assert (
        officer.assignments.current()
        .filter(neighbourhood__code="fremont", role=TeamRole.NEIGHBOURHOOD_OFFICER)
        .exists()
    )


@pytest.mark.parametrize(
    ("code", "precinct"),
    [
        ("adams", "North Precinct"),
        ("alki", "Southwest Precinct"),
        ("rainier-beach", "South Precinct"),
        ("belltown", "West Precinct"),
        ("broadway", "East Precinct"),
    ],
)
def test_neighbourhoods_fall_in_the_precinct_where_they_lie(code, precinct):
    assert Neighbourhood.objects.get(code=code).sector.name == precinct


def test_the_command_loads_the_demo_database_under_var_without_the_flag(monkeypatch):
    # Described as make run's database; the connection itself stays the test database.
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.sqlite3")
    monkeypatch.setitem(
        connection.settings_dict, "NAME", str(settings.BASE_DIR / "var" / "beatbridge.sqlite3")
    )
    output = io.StringIO()

    call_command("load_demo", stdout=output)

    assert "admin@beatbridge.invalid" in output.getvalue()
