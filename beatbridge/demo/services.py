"""The demo city and synthetic cities: a police service, its places, teams and people.

``load_demo`` builds a fictional police service over Seattle's 90 real
neighbourhoods; ``generate_city`` builds one over a synthetic city of any size.
Both plan from a seed and write only what is missing, keyed by natural keys
(force slug, neighbourhood code, e-mail, officer + neighbourhood + role + start),
so running them again changes nothing.
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from beatbridge.accounts.models import TeamRole, User
from beatbridge.accounts.services import register_resident
from beatbridge.demo import people
from beatbridge.demo.synthetic import synthetic_city
from beatbridge.demo.teams import plan_teams, staff_city
from beatbridge.errors import DomainError
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.places.services import (
    code_from_name,
    import_boundaries,
    mark_public_content_changed,
)

SEATTLE_BOUNDARIES = Path(__file__).resolve().parent / "data" / "seattle.geojson"
DEMO_SEED = 2026
# Printed for anyone to use: demo accounts only, never a real deployment's.
DEMO_PASSWORD = "walk-the-beat"  # noqa: S105
DEMO_FORCE_SLUG = "seattle"
MAX_SYNTHETIC_NEIGHBOURHOODS = 100_000

# The demo's signed-in journeys start in Fremont: its officer, their supervisor and liaison.
DEMO_NEIGHBOURHOOD = "fremont"
DEMO_OFFICER_SIGN_INS = {
    TeamRole.NEIGHBOURHOOD_OFFICER: "officer@beatbridge.invalid",
    TeamRole.LIAISON_OFFICER: "liaison@beatbridge.invalid",
    TeamRole.SUPERVISOR: "supervisor@beatbridge.invalid",
}
DEMO_ADMIN = ("admin@beatbridge.invalid", "Alex Morgan")
# (e-mail, name, preferred language, home neighbourhood code)
DEMO_RESIDENTS = [
    ("resident@beatbridge.invalid", "Jordan Ellis", "en", "fremont"),
    ("residente@beatbridge.invalid", "Lucía Hernández", "es", "south-park"),
    ("resident.ar@beatbridge.invalid", "Layla Haddad", "ar", "columbia-city"),
    ("hoa.tran@beatbridge.invalid", "Hoa Tran", "", "rainier-beach"),
    ("abdirahman.warsame@beatbridge.invalid", "Abdirahman Warsame", "", "holly-park"),
    ("karen.olsen@beatbridge.invalid", "Karen Olsen", "en", "adams"),
    ("miguel.reyes@beatbridge.invalid", "Miguel Reyes", "es", "georgetown"),
]
# Signs up as a resident; the partners demo makes them a contact of a Fremont partner.
DEMO_PARTNER = ("partner@beatbridge.invalid", "Sam Okafor", "en", "fremont")

# Where few people live, whatever the area.
_SPARSELY_PEOPLED = {"harbor-island", "industrial-district", "interbay"}


@dataclass(frozen=True)
class CitySpec:
    """What differs between the demo city and a synthetic one."""

    place: str
    seed: int
    area_code: str
    sector_of: Callable[[dict], str]
    # (neighbourhood code, team role) -> the fixed e-mail of the officer planned for it.
    officer_sign_ins: Mapping[tuple[str, TeamRole], str] = field(default_factory=dict)


@dataclass(frozen=True)
class CityResult:
    force: Force
    neighbourhoods_created: int
    officers_created: int
    assignments_created: int
    accounts_created: int = 0


def seattle_precinct(longitude: float, latitude: float) -> str:
    """The demo precinct of a point in Seattle, roughly as the city's precincts lie.

    North of the Ship Canal is North; south of Yesler and I-90, west of the
    Duwamish is Southwest and east of it South; in between, downtown and Queen
    Anne/Magnolia are West and Capitol Hill and the Central District are East.
    """
    if latitude >= 47.655 and longitude > -122.40:
        return "North Precinct"
    if latitude < 47.595:
        return "Southwest Precinct" if longitude <= -122.34 else "South Precinct"
    return "West Precinct" if longitude < -122.327 else "East Precinct"


def load_demo() -> CityResult:
    """The fictional Seattle Community Police Service, its places, teams and demo accounts.

    Safe to run on every start: a second run writes nothing. The demo accounts
    all use ``DEMO_PASSWORD``; see ``demo_sign_ins``.
    """
    with transaction.atomic():
        force, _created = Force.objects.get_or_create(
            slug=DEMO_FORCE_SLUG,
            defaults={
                "name": "Seattle Community Police Service",
                "description": (
                    "A fictional police service for Seattle's neighbourhoods, made up for "
                    "the Beatbridge demo. The neighbourhood boundaries are the city's real "
                    "ones; the service, its officers and its residents are not. In an "
                    "emergency call 911."
                ),
                "telephone": "(206) 555-0100",
                "url": "https://beatbridge.invalid/seattle/",
                "engagement_methods": _engagement_methods(DEMO_FORCE_SLUG),
            },
        )
        collection = json.loads(SEATTLE_BOUNDARIES.read_text())
        spec = CitySpec(
            place="Seattle",
            seed=DEMO_SEED,
            area_code="206",
            sector_of=lambda feature: seattle_precinct(*_centre(feature)),
            officer_sign_ins={
                (DEMO_NEIGHBOURHOOD, role): email for role, email in DEMO_OFFICER_SIGN_INS.items()
            },
        )
        result = _build_city(force=force, collection=collection, spec=spec)
        accounts_created = _ensure_demo_accounts(force)
    return replace(result, accounts_created=accounts_created)


def is_demo_database(database: Mapping[str, Any]) -> bool:
    """Whether database settings (as in DATABASES) name the demo's own database.

    That is an SQLite file inside the project's var/ directory, where ``make run`` keeps
    it. Only there may the demo's accounts, whose password is published, be created
    without the operator saying so: any other database may be a real deployment's.
    """
    name = str(database.get("NAME") or "")
    if database.get("ENGINE") != "django.db.backends.sqlite3" or not name:
        return False
    if name == ":memory:" or name.startswith("file:"):
        return False
    demo_directory = (Path(settings.BASE_DIR) / "var").resolve()
    return Path(name).resolve().is_relative_to(demo_directory)


def demo_sign_ins() -> list[tuple[str, str]]:
    """The demo accounts to print: (who, e-mail); all share ``DEMO_PASSWORD``."""
    officers = DEMO_OFFICER_SIGN_INS
    residents = [
        (_("Resident (preferred language: %(language)s)") % {"language": language}, email)
        for email, _name, language, _home in DEMO_RESIDENTS[:3]
    ]
    return [
        (_("Administrator"), DEMO_ADMIN[0]),
        (_("Neighbourhood officer (Fremont)"), officers[TeamRole.NEIGHBOURHOOD_OFFICER]),
        (_("Liaison officer"), officers[TeamRole.LIAISON_OFFICER]),
        (_("Supervisor"), officers[TeamRole.SUPERVISOR]),
        *residents,
        (_("Partner-organisation member"), DEMO_PARTNER[0]),
    ]


def generate_city(*, neighbourhoods: int, seed: int, force_slug: str) -> CityResult:
    """A police service over a synthetic city of ``neighbourhoods`` neighbourhoods.

    The same seed gives the same city and teams. Refuses a force id already in
    use, so a second city never mixes with the first.
    """
    if not 1 <= neighbourhoods <= MAX_SYNTHETIC_NEIGHBOURHOODS:
        raise DomainError(
            _("The number of neighbourhoods must be between 1 and %(max)d; got %(got)d.")
            % {"max": MAX_SYNTHETIC_NEIGHBOURHOODS, "got": neighbourhoods},
            field="neighbourhoods",
        )
    if seed < 0:
        raise DomainError(
            _("The seed must be zero or more; got %(got)d.") % {"got": seed}, field="seed"
        )
    try:
        validate_slug(force_slug)
    except ValidationError:
        raise DomainError(
            _("“%(id)s” is not a force id: use letters, digits, dashes and underscores.")
            % {"id": force_slug},
            field="force",
        ) from None
    if Force.objects.filter(slug=force_slug).exists():
        raise DomainError(
            _("A force with the id “%(id)s” already exists; choose another id.")
            % {"id": force_slug},
            field="force",
            code="duplicate",
        )
    with transaction.atomic():
        force = Force.objects.create(
            slug=force_slug,
            name=f"Synthetic City Police ({neighbourhoods:,} neighbourhoods, seed {seed})",
            description=(
                "A fictional police service over a generated city, for tests and benchmarks."
            ),
            telephone="(555) 555-0100",
            url=f"https://beatbridge.invalid/{force_slug}/",
            engagement_methods=_engagement_methods(force_slug),
        )
        spec = CitySpec(
            place="Synthetic City",
            seed=seed,
            area_code="555",
            sector_of=lambda feature: feature["properties"]["sector"],
        )
        return _build_city(force=force, collection=synthetic_city(neighbourhoods, seed), spec=spec)


def _build_city(*, force: Force, collection: dict, spec: CitySpec) -> CityResult:
    """Import the neighbourhoods a force lacks, describe the new ones and staff them all."""
    features = [
        {
            **feature,
            "properties": {
                **feature["properties"],
                "code": code_from_name(feature["properties"]["name"]),
                "sector": spec.sector_of(feature),
            },
        }
        for feature in collection["features"]
    ]
    known = set(Neighbourhood.objects.filter(force=force).values_list("code", flat=True))
    missing = [feature for feature in features if feature["properties"]["code"] not in known]
    if missing:
        import_boundaries(
            force=force,
            collection={"type": "FeatureCollection", "features": missing},
            sector_property="sector",
        )
    by_code = {
        neighbourhood.code: neighbourhood
        for neighbourhood in Neighbourhood.objects.filter(force=force).select_related("sector")
    }
    _describe(
        [by_code[feature["properties"]["code"]] for feature in missing],
        force=force,
        spec=spec,
    )

    sectors: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for feature in features:
        properties = feature["properties"]
        sectors[properties["sector"]].append((properties["code"], properties["name"]))
    plan = plan_teams(
        sectors=sectors,
        seed=spec.seed,
        email_domain=f"{force.slug}.beatbridge.invalid",
        service_name=spec.place,
    )
    for (code, role), email in spec.officer_sign_ins.items():
        officer = plan.officer_for(code, role)
        officer.email, officer.password = email, DEMO_PASSWORD
    staffing = staff_city(force=force, plan=plan, neighbourhoods=by_code)
    return CityResult(
        force=force,
        neighbourhoods_created=len(missing),
        officers_created=staffing.officers_created,
        assignments_created=staffing.assignments_created,
    )


def _describe(neighbourhoods: list[Neighbourhood], *, force: Force, spec: CitySpec) -> None:
    """Give newly imported neighbourhoods a description, population, contacts and languages.

    Only new ones: an administrator's later edits survive the next run.
    """
    for neighbourhood in neighbourhoods:
        # Seeded per neighbourhood, so each one's details do not depend on which others are new.
        rng = random.Random(f"{spec.seed}:{neighbourhood.code}")  # noqa: S311 (made-up data)
        sector = neighbourhood.sector.name if neighbourhood.sector else spec.place
        neighbourhood.description = (
            f"{neighbourhood.name} is a neighbourhood of {spec.place} in the {sector}. "
            f"Its team works with residents, businesses and community groups on what "
            f"matters here; tell them what you see, or come to a meeting."
        )
        neighbourhood.population = _population(neighbourhood, rng)
        neighbourhood.email = f"{neighbourhood.code}@{force.slug}.beatbridge.invalid"
        # 555-0100 to 555-0199 are reserved for fiction.
        neighbourhood.telephone = f"({spec.area_code}) 555-01{rng.randint(1, 99):02d}"
        neighbourhood.languages = people.pick_languages(rng, at_most=3)
    Neighbourhood.objects.bulk_update(
        neighbourhoods,
        ["description", "population", "email", "telephone", "languages"],
        batch_size=500,
    )
    mark_public_content_changed()


def _population(neighbourhood: Neighbourhood, rng: random.Random) -> int:
    """Area times a plausible density for a North American city (people per km²)."""
    geometry = shape(neighbourhood.boundary)
    # Degrees² to km² near the neighbourhood's latitude.
    km2 = geometry.area * 111.32**2 * math.cos(math.radians(neighbourhood.centre_latitude))
    density = 40 if neighbourhood.code in _SPARSELY_PEOPLED else rng.randint(1_500, 6_500)
    return max(50, int(round(km2 * density, -1)))


def _ensure_demo_accounts(force: Force) -> int:
    """The administrator, the residents and the partner, created once; returns how many
    were new."""
    existing = set(User.objects.values_list("email", flat=True))
    created = 0
    if DEMO_ADMIN[0] not in existing:
        User.objects.create_superuser(DEMO_ADMIN[0], DEMO_PASSWORD, full_name=DEMO_ADMIN[1])
        created += 1
    homes = {n.code: n for n in Neighbourhood.objects.filter(force=force)}
    for email, name, language, home in [*DEMO_RESIDENTS, DEMO_PARTNER]:
        if email in existing:
            continue
        register_resident(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            preferred_language=language,
            home_neighbourhood=homes[home],
        )
        created += 1
    return created


def _centre(feature: dict) -> tuple[float, float]:
    point = shape(feature["geometry"]).representative_point()
    return point.x, point.y


def _engagement_methods(slug: str) -> list[dict[str, str]]:
    """police.uk's engagement-method shape; fictional addresses only."""
    return [
        {
            "type": "email",
            "title": "E-mail",
            "description": "Write to the service (not for emergencies).",
            "url": f"mailto:contact@{slug}.beatbridge.invalid",
        },
        {
            "type": "web",
            "title": "Website",
            "description": "News, meetings and how to report a problem.",
            "url": f"https://beatbridge.invalid/{slug}/",
        },
        {
            "type": "telephone",
            "title": "Non-emergency line",
            "description": "Call for anything that is not an emergency.",
            "url": "tel:+12065550100",
        },
    ]
