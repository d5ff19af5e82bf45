from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from beatbridge.accounts.models import OfficerProfile, TeamAssignment, TeamRole
from beatbridge.places.models import Force, Neighbourhood

pytestmark = pytest.mark.django_db


def _generate(*args: str) -> str:
    output = io.StringIO()
    call_command("generate_city", *args, stdout=output)
    return output.getvalue()


def _city(slug: str) -> list[tuple[str, str, str, dict]]:
    return [
        (n.code, n.name, n.sector.name, n.boundary)
        for n in Neighbourhood.objects.filter(force__slug=slug).select_related("sector")
    ]


def test_generate_city_makes_n_neighbourhoods_each_with_a_current_team():
    _generate("--neighbourhoods", "30", "--seed", "4", "--force", "gotham")

    force = Force.objects.get(slug="gotham")
    assert force.neighbourhoods.count() == 30
    led = TeamAssignment.objects.current().filter(
        neighbourhood__force=force, role=TeamRole.NEIGHBOURHOOD_OFFICER
    )
    assert led.values("neighbourhood").distinct().count() == 30
    assert not force.neighbourhoods.filter(sector=None).exists()


def test_the_same_seed_gives_the_same_city_and_officers():
    _generate("--neighbourhoods", "12", "--seed", "7", "--force", "first")
    _generate("--neighbourhoods", "12", "--seed", "7", "--force", "second")
    _generate("--neighbourhoods", "12", "--seed", "8", "--force", "other")

    assert _city("first") == _city("second")
    assert _city("first") != _city("other")

    def officers(slug: str) -> list[tuple[str, str, str]]:
        return list(
            OfficerProfile.objects.filter(force__slug=slug)
            .order_by("pk")
            .values_list("display_name", "rank", "bio")
        )

    assert officers("first") == officers("second")


def test_default_force_id_names_the_size_and_seed():
    printed = _generate("--neighbourhoods", "3", "--seed", "1")

    assert "synthetic-3-1" in printed
    assert Force.objects.get(slug="synthetic-3-1").neighbourhoods.count() == 3


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--neighbourhoods", "0"], "--neighbourhoods"),
        (["--neighbourhoods", "5", "--seed", "-1"], "--seed"),
        (["--neighbourhoods", "5", "--force", "not a slug"], "--force"),
    ],
)
def test_bad_arguments_are_refused_by_name_and_write_nothing(args, field):
    with pytest.raises(CommandError, match=field):
        _generate(*args)

    assert Force.objects.count() == 0


def test_an_existing_force_id_is_refused_and_left_alone():
    _generate("--neighbourhoods", "4", "--force", "taken")

    with pytest.raises(CommandError, match=r"--force.*already exists"):
        _generate("--neighbourhoods", "9", "--force", "taken")

    assert Neighbourhood.objects.filter(force__slug="taken").count() == 4
