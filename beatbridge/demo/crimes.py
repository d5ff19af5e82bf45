"""The demo city's recorded crime: two years of made-up police.uk files, imported for real.

The files are written as data.police.uk writes them (street-level files with each crime's
latest outcome, and outcomes files with what happened month by month), in its archive
layout, to a temporary folder, then imported through ``import_police_uk``: the demo
takes the same path as real data, street points, rollups and all.

What makes them look real:

- Volume and mix: about 1,800 incidents a month, a third anti-social behaviour and a
  third violence, then criminal damage, public order, theft, shoplifting, vehicle crime,
  burglary and drugs, roughly as police.uk's national mix; busy neighbourhoods (downtown,
  Capitol Hill, the University District) have several times a quiet one's rate.
- Seasons: more crime in summer, anti-social behaviour most of all (police.uk gives no
  time of day, so its summer evenings show as summer months), burglary up in winter,
  bicycle theft in summer, shoplifting before Christmas.
- Places: a few dozen to a few hundred street points inside each neighbourhood's
  boundary, named as police.uk names them ("On or near N 45th St", "On or near Parking
  Area"), a few of them much busier than the rest; ``HOTSPOTS`` are four points with
  dozens of incidents every month; about 1.5% of crimes have no location.
- Outcomes: anti-social behaviour has none; most crimes end "Investigation complete; no
  suspect identified" or "Unable to prosecute suspect", some in court months after a
  charge, some with a caution, a local resolution or a drugs warning; recent crimes are
  mostly still "Under investigation".
- ``FREMONT_RESPONSE``: the Fremont hotspot's burglary and anti-social behaviour fall
  clearly in the last months, where a problem-solving response worked.

The months are the ``MONTHS`` full months before today. The same seed and the same
latest month give the same files. A run that finds the latest month imported writes
nothing; one in a later month imports the whole window again (importing a month
replaces it), so that the demo's latest month stays recent.
"""

from __future__ import annotations

import csv
import datetime
import math
import random
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.crimedata.categories import CrimeCategory as C
from beatbridge.crimedata.categories import OutcomeCategory as O
from beatbridge.crimedata.categories import english_name
from beatbridge.crimedata.importing import OUTCOME_COLUMNS, STREET_COLUMNS, import_police_uk
from beatbridge.crimedata.models import CrimeImport
from beatbridge.crimedata.selectors.counts import latest_month
from beatbridge.demo.services import DEMO_NEIGHBOURHOOD, DEMO_SEED
from beatbridge.errors import DomainError
from beatbridge.places.models import Force
from beatbridge.places.selectors import neighbourhoods_of
from beatbridge.places.spatial import boundary_index

MONTHS = 24
# Background incidents a month over the whole city, hotspots aside.
MONTHLY_INCIDENTS = 1_650
WITHOUT_LOCATION = 0.015
# Street points a neighbourhood has at most, the largest ones; the smallest have 30.
MAX_POINTS = 250


@dataclass(frozen=True)
class Hotspot:
    """A street point with many incidents every month, as hotspot analysis should find."""

    # The code of the neighbourhood it lies in.
    neighbourhood: str
    # Location, Latitude and Longitude as its files give them, which is how to find its
    # StreetPoint: (latitude, longitude, street_name) is the point's natural key.
    street: str
    latitude: float
    longitude: float
    # Incidents a month before seasons and any response, and their mix by category.
    monthly: float
    mix: dict[str, float]


@dataclass(frozen=True)
class Response:
    """A problem-solving response that cut some categories at one hotspot."""

    hotspot: Hotspot
    categories: tuple[str, ...]
    # The last so many months of the demo's data are after the response began.
    months: int
    # What share of those categories' incidents was left.
    remaining: float


HOTSPOTS = (
    Hotspot(
        DEMO_NEIGHBOURHOOD,
        "On or near N 36th St",
        47.651020,
        -122.349560,
        30,
        {C.ANTI_SOCIAL_BEHAVIOUR: 36, C.BURGLARY: 22, C.VEHICLE_CRIME: 16,
         C.CRIMINAL_DAMAGE_ARSON: 14, C.OTHER_THEFT: 12},
    ),
    Hotspot(
        "belltown",
        "On or near 3rd Ave",
        47.614000,
        -122.343500,
        44,
        {C.ANTI_SOCIAL_BEHAVIOUR: 30, C.VIOLENT_CRIME: 28, C.DRUGS: 14, C.PUBLIC_ORDER: 14,
         C.THEFT_FROM_THE_PERSON: 6, C.ROBBERY: 4, C.SHOPLIFTING: 4},
    ),
    Hotspot(
        "pioneer-square",
        "On or near Occidental Ave S",
        47.600500,
        -122.333000,
        38,
        {C.ANTI_SOCIAL_BEHAVIOUR: 30, C.VIOLENT_CRIME: 28, C.DRUGS: 20, C.PUBLIC_ORDER: 10,
         C.ROBBERY: 6, C.POSSESSION_OF_WEAPONS: 6},
    ),
    Hotspot(
        "university-district",
        "On or near University Way NE",
        47.658500,
        -122.313200,
        32,
        {C.ANTI_SOCIAL_BEHAVIOUR: 28, C.OTHER_THEFT: 20, C.BICYCLE_THEFT: 18, C.SHOPLIFTING: 14,
         C.VIOLENT_CRIME: 12, C.CRIMINAL_DAMAGE_ARSON: 8},
    ),
)  # fmt: skip
FREMONT_RESPONSE = Response(
    hotspot=HOTSPOTS[0],
    categories=(C.BURGLARY, C.ANTI_SOCIAL_BEHAVIOUR),
    months=5,
    remaining=0.3,
)

# Percent of incidents, near police.uk's national mix.
_MIX = {
    C.ANTI_SOCIAL_BEHAVIOUR: 30, C.VIOLENT_CRIME: 29, C.CRIMINAL_DAMAGE_ARSON: 7,
    C.PUBLIC_ORDER: 6.5, C.OTHER_THEFT: 6.5, C.SHOPLIFTING: 5.5, C.VEHICLE_CRIME: 5,
    C.BURGLARY: 3.5, C.DRUGS: 2.5, C.OTHER_CRIME: 1.5, C.THEFT_FROM_THE_PERSON: 1,
    C.ROBBERY: 1, C.BICYCLE_THEFT: 0.9, C.POSSESSION_OF_WEAPONS: 0.7,
}  # fmt: skip
_CATEGORIES = list(_MIX)
# January to December.
_SEASONS = {
    C.ANTI_SOCIAL_BEHAVIOUR: (.76, .74, .86, .98, 1.14, 1.24, 1.34, 1.28, 1.04, .96, .86, .80),
    C.BURGLARY: (1.20, 1.06, .98, .90, .86, .84, .86, .88, .94, 1.08, 1.18, 1.22),
    C.BICYCLE_THEFT: (.55, .60, .80, 1.00, 1.25, 1.40, 1.50, 1.45, 1.20, .95, .70, .60),
    C.SHOPLIFTING: (.95, .90, .97, .96, 1.00, .98, 1.00, 1.00, .98, 1.02, 1.06, 1.18),
}  # fmt: skip
_SEASON = (.92, .86, .96, .97, 1.04, 1.06, 1.09, 1.08, 1.02, 1.01, .98, 1.01)  # fmt: skip
# Busy places have several times a quiet one's crime; the rest vary at random.
_BUSY = {
    "central-business-district": 6, "belltown": 5, "pike-market": 5, "pioneer-square": 5,
    "international-district": 3.5, "broadway": 3, "university-district": 2.5,
    "south-lake-union": 2.2, "lower-queen-anne": 2.2, "first-hill": 2, "yesler-terrace": 1.6,
    "rainier-beach": 1.6, "bitter-lake": 1.6, "georgetown": 1.5, "columbia-city": 1.4,
    "fremont": 1.4, "haller-lake": 1.3, "industrial-district": 1.2, "harbor-island": 0.5,
    "laurelhurst": 0.4, "windermere": 0.4, "madison-park": 0.5, "view-ridge": 0.5,
    "arbor-heights": 0.5, "seaview": 0.5, "briarcliff": 0.5, "sunset-hill": 0.6,
}  # fmt: skip

# What became of a crime: a final outcome, or _COURT (charged, then a court's result).
_COURT = "court"
_PROPERTY = {
    O.NO_FURTHER_ACTION: 66,
    O.UNABLE_TO_PROSECUTE: 14,
    _COURT: 5,
    O.LOCAL_RESOLUTION: 3,
    O.FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST: 4,
    O.ACTION_TAKEN_BY_ANOTHER_ORGANISATION: 2,
    O.CAUTIONED: 1,
    O.STATUS_UPDATE_UNAVAILABLE: 3,
    O.FORMAL_ACTION_NOT_IN_PUBLIC_INTEREST: 1,
    O.SENTENCED_IN_ANOTHER_CASE: 1,
}
_PERSON = {
    O.UNABLE_TO_PROSECUTE: 50,
    O.NO_FURTHER_ACTION: 17,
    _COURT: 10,
    O.LOCAL_RESOLUTION: 5,
    O.CAUTIONED: 4,
    O.ACTION_TAKEN_BY_ANOTHER_ORGANISATION: 4,
    O.FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST: 3,
    O.FORMAL_ACTION_NOT_IN_PUBLIC_INTEREST: 3,
    O.STATUS_UPDATE_UNAVAILABLE: 3,
    O.PENALTY_NOTICE_ISSUED: 1,
}
_SHOPLIFTING = {
    O.NO_FURTHER_ACTION: 36,
    O.UNABLE_TO_PROSECUTE: 18,
    _COURT: 20,
    O.LOCAL_RESOLUTION: 8,
    O.CAUTIONED: 5,
    O.PENALTY_NOTICE_ISSUED: 4,
    O.FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST: 3,
    O.STATUS_UPDATE_UNAVAILABLE: 2,
    O.FORMAL_ACTION_NOT_IN_PUBLIC_INTEREST: 2,
    O.SENTENCED_IN_ANOTHER_CASE: 2,
}
_DRUGS = {
    _COURT: 22,
    O.DRUGS_POSSESSION_WARNING: 26,
    O.CAUTIONED: 14,
    O.LOCAL_RESOLUTION: 12,
    O.PENALTY_NOTICE_ISSUED: 6,
    O.UNABLE_TO_PROSECUTE: 10,
    O.FURTHER_ACTION_NOT_IN_PUBLIC_INTEREST: 4,
    O.FORMAL_ACTION_NOT_IN_PUBLIC_INTEREST: 3,
    O.STATUS_UPDATE_UNAVAILABLE: 3,
}
_WEAPONS = {
    _COURT: 45,
    O.CAUTIONED: 15,
    O.UNABLE_TO_PROSECUTE: 18,
    O.LOCAL_RESOLUTION: 6,
    O.NO_FURTHER_ACTION: 6,
    O.FORMAL_ACTION_NOT_IN_PUBLIC_INTEREST: 4,
    O.FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST: 3,
    O.STATUS_UPDATE_UNAVAILABLE: 3,
}
_OUTCOMES = {
    **dict.fromkeys(
        (C.BURGLARY, C.VEHICLE_CRIME, C.OTHER_THEFT, C.BICYCLE_THEFT, C.THEFT_FROM_THE_PERSON,
         C.CRIMINAL_DAMAGE_ARSON, C.ROBBERY),
        _PROPERTY,
    ),
    **dict.fromkeys((C.VIOLENT_CRIME, C.PUBLIC_ORDER, C.OTHER_CRIME), _PERSON),
    C.SHOPLIFTING: _SHOPLIFTING,
    C.DRUGS: _DRUGS,
    C.POSSESSION_OF_WEAPONS: _WEAPONS,
}  # fmt: skip
_COURT_RESULTS = {
    O.IMPRISONED: 18, O.SUSPENDED_SENTENCE: 10, O.COMMUNITY_PENALTY: 17, O.FINED: 20,
    O.CONDITIONAL_DISCHARGE: 8, O.COMPENSATION: 4, O.DEPRIVED_OF_PROPERTY: 2, O.NOT_GUILTY: 8,
    O.UNABLE_TO_PROCEED: 7, O.COURT_RESULT_UNAVAILABLE: 4, O.OTHER_COURT_DISPOSAL: 2,
}  # fmt: skip
# Months from the crime to its outcome (or to the charge), and from a charge to the result.
_DELAYS = {0: 30, 1: 25, 2: 15, 3: 10, 4: 6, 5: 4, 6: 3, 8: 3, 10: 2, 12: 2}
_COURT_DELAYS = {1: 10, 2: 15, 3: 18, 4: 17, 5: 14, 6: 11, 7: 9, 8: 6}


def _table(weights: dict) -> tuple[np.ndarray, np.ndarray]:
    """Keys and their cumulative shares, for ``_pick``."""
    keys = np.empty(len(weights), dtype=object)
    keys[:] = list(weights)
    shares = np.cumsum(list(weights.values()), dtype=float)
    return keys, shares / shares[-1]


_ENDING_TABLES = {category: _table(weights) for category, weights in _OUTCOMES.items()}
_RESULT_TABLE = _table(_COURT_RESULTS)
_DELAY_TABLE = _table(_DELAYS)
_COURT_DELAY_TABLE = _table(_COURT_DELAYS)

# police.uk's names for points that are not a street.
_PLACES = (
    "Parking Area", "Supermarket", "Petrol Station", "Park/Open Space", "Shopping Area",
    "Nightclub", "Sports/Recreation Area", "Further/Higher Educational Building", "Hospital",
    "Bus/Coach Station", "Theatre/Concert Hall", "Conference/Exhibition Centre",
)  # fmt: skip
_NAMED = {
    "N": ("Aurora Ave N", "Stone Way N", "Wallingford Ave N", "Meridian Ave N", "Fremont Ave N",
          "Linden Ave N", "Evanston Ave N", "Phinney Ave N", "Greenwood Ave N", "Dayton Ave N",
          "Densmore Ave N", "Interlake Ave N", "Woodland Park Ave N", "Bagley Ave N"),
    "NE": ("Roosevelt Way NE", "University Way NE", "Lake City Way NE", "Sand Point Way NE",
           "Ravenna Ave NE", "Brooklyn Ave NE", "Latona Ave NE", "Bothell Way NE"),
    "NW": ("Leary Ave NW", "Ballard Ave NW", "Holman Rd NW", "Market St NW", "Seaview Ave NW",
           "Golden Gardens Dr NW", "Mary Ave NW", "Alonzo Ave NW"),
    "W": ("W Galer St", "W Dravus St", "W McGraw St", "W Howe St", "Elliott Ave W",
          "Gilman Ave W", "Thorndyke Ave W", "Magnolia Blvd W", "W Emerson St", "Queen Anne Ave N",
          "Taylor Ave N", "W Mercer St", "W Republican St", "Westlake Ave N"),
    "": ("Pike St", "Pine St", "Union St", "University St", "Seneca St", "Spring St",
         "Madison St", "Marion St", "Columbia St", "Cherry St", "James St", "Stewart St",
         "Virginia St", "Lenora St", "Blanchard St", "Bell St", "Battery St", "Denny Way",
         "Yesler Way", "Westlake Ave", "Boren Ave", "Terry Ave", "Fairview Ave N"),
    "E": ("E Pike St", "E Pine St", "E Olive Way", "E Denny Way", "E John St", "E Thomas St",
          "E Harrison St", "E Republican St", "E Mercer St", "E Roy St", "E Aloha St",
          "E Madison St", "E Union St", "E Cherry St", "E Jefferson St", "E Yesler Way",
          "Broadway E", "Lakeview Blvd E", "Boylston Ave E", "E Spruce St"),
    "S": ("S Main St", "S Washington St", "Occidental Ave S", "S Jackson St", "S King St",
          "S Weller St", "S Dearborn St", "S Massachusetts St", "S Holgate St", "S Lander St",
          "S Hanford St", "S Spokane St", "S Columbian Way",
          "S Alaska St", "S Genesee St", "S Orcas St", "S Graham St", "S Othello St",
          "S Holly St", "S Henderson St", "S Cloverdale St", "S Director St", "S Kenyon St",
          "S Myrtle St", "Rainier Ave S", "Martin Luther King Jr Way S", "Beacon Ave S",
          "Airport Way S", "Renton Ave S", "Swift Ave S", "Seward Park Ave S",
          "East Marginal Way S"),
    "SW": ("SW Alaska St", "SW Admiral Way", "SW Genesee St", "SW Oregon St", "SW Edmunds St",
           "SW Hudson St", "SW Holden St", "SW Barton St", "SW Roxbury St", "SW Morgan St",
           "SW Thistle St", "SW Findlay St", "SW Juneau St", "California Ave SW",
           "Delridge Way SW", "Fauntleroy Way SW", "Alki Ave SW", "Beach Dr SW",
           "Avalon Way SW", "Harbor Ave SW"),
}  # fmt: skip


@dataclass(frozen=True)
class CrimesSummary:
    """What ``load_crimes`` imported: nothing (zeros and no months) when it had been."""

    months_imported: int
    incidents_created: int
    outcomes_created: int
    first_month: datetime.date | None
    latest_month: datetime.date | None
    seconds: float


def load_crimes(force: Force, *, seed: int = DEMO_SEED, scale: float = 1.0) -> CrimesSummary:
    """The demo's recorded crime for the ``MONTHS`` months to last month, imported once.

    Nothing is written when the force already has incidents in the latest month. The
    files go through ``import_police_uk`` in one transaction; ``scale`` multiplies the
    volume (tests use less). Raises a DomainError if the importer refuses a file.
    """
    started = time.perf_counter()
    months = demo_months()
    if (latest_month(force) or months[0]) >= months[-1]:
        return CrimesSummary(0, 0, 0, None, None, time.perf_counter() - started)
    with tempfile.TemporaryDirectory(prefix="beatbridge-demo-crimes-") as folder:
        # Incidents keep the path below the folder as their source: no random part in it.
        archive = Path(folder) / f"{force.slug}-demo"
        write_archive(force, archive, months=months, seed=seed, scale=scale)
        with transaction.atomic():
            result = import_police_uk(paths=[archive], force_slug=force.slug)
            if result.refused:
                refused = result.refused[0]
                raise DomainError(
                    _("The demo's crime file %(source)s was refused: %(message)s")
                    % {"source": refused.source, "message": refused.message},
                    field="crimes",
                )
    street = [file for file in result.imported if file.kind == CrimeImport.Kind.STREET]
    return CrimesSummary(
        months_imported=len(street),
        incidents_created=sum(file.rows for file in street),
        outcomes_created=sum(
            file.rows for file in result.imported if file.kind == CrimeImport.Kind.OUTCOMES
        ),
        first_month=months[0],
        latest_month=months[-1],
        seconds=time.perf_counter() - started,
    )


def demo_months(today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the ``MONTHS`` full months before today's (or ``today``'s), oldest
    first."""
    today = today or timezone.localdate()
    current = _index(today)
    return [_month(index) for index in range(current - MONTHS, current)]


def response_months(today: datetime.date | None = None) -> list[datetime.date]:
    """The months of the demo's data after ``FREMONT_RESPONSE`` began, oldest first."""
    return demo_months(today)[-FREMONT_RESPONSE.months :]


def write_archive(
    force: Force,
    folder: Path,
    *,
    months: Sequence[datetime.date],
    seed: int = DEMO_SEED,
    scale: float = 1.0,
) -> list[Path]:
    """Write the demo's police.uk files for ``months`` under ``folder``; return their paths.

    ``YYYY-MM/YYYY-MM-<force>-street.csv`` for every month, and ``-outcomes.csv`` for
    every month in which an outcome was recorded: outcomes are known up to the last of
    ``months``, the latest month. The force's neighbourhoods must have their boundaries.
    """
    places = _places(force, seed)
    latest = _index(months[-1])
    response = {_index(month) for month in months[-FREMONT_RESPONSE.months :]}
    crime_names = [english_name(category) for category in _CATEGORIES]
    outcome_names = {outcome: english_name(outcome) for outcome in O}
    by = (force.name, force.name)  # "Reported by" and "Falls within"
    texts = {index: _month_text(_month(index)) for index in range(_index(months[0]), latest + 1)}
    paths: list[Path] = []
    outcomes: dict[int, list[list[str]]] = defaultdict(list)
    for month in months:
        index = _index(month)
        rng = np.random.default_rng([seed, month.year, month.month])
        located, categories = _month_crimes(rng, places, month, scale, index in response)
        rows = []
        for where, category, (reference, last, steps) in zip(
            located, categories.tolist(), _fates(rng, categories), strict=True
        ):
            for delay, outcome in steps:
                if index + delay > latest:
                    break
                last = outcome
                outcomes[index + delay].append(
                    [reference, texts[index + delay], *by, *where, outcome_names[outcome]]
                )
            rows.append(
                [reference, texts[index], *by, *where, crime_names[category],
                 outcome_names[last] if last else "", ""]
            )  # fmt: skip
        paths.append(_write(folder, month, force.slug, "street", STREET_COLUMNS, rows))
    for index, rows in sorted(outcomes.items()):
        paths.append(_write(folder, _month(index), force.slug, "outcomes", OUTCOME_COLUMNS, rows))
    return paths


@dataclass(frozen=True)
class _Place:
    """A neighbourhood's street points and how much crime it has."""

    code: str
    # Its place in the force's neighbourhoods by code, and its bounding box's middle.
    number: int
    middle: tuple[float, float]
    # Per point: the Longitude, Latitude, Location, LSOA code and LSOA name columns.
    columns: list[tuple[str, str, str, str, str]]
    weights: np.ndarray
    size: float
    rate: float = 0.0


def _places(force: Force, seed: int) -> list[_Place]:
    """Every neighbourhood's points and its share of ``MONTHLY_INCIDENTS``, by code."""
    places = []
    index = boundary_index()
    neighbourhoods = sorted(neighbourhoods_of(force), key=lambda neighbourhood: neighbourhood.code)
    for number, neighbourhood in enumerate(neighbourhoods, 1):
        geometry = index.geometry_of(neighbourhood.pk)
        if geometry is None:
            continue
        rng = np.random.default_rng([seed, zlib.crc32(neighbourhood.code.encode())])
        names = random.Random(f"{seed}:streets:{neighbourhood.code}")  # noqa: S311 (made-up data)
        minx, miny, maxx, maxy = geometry.bounds
        middle = ((minx + maxx) / 2, (miny + maxy) / 2)
        km2 = geometry.area * 111.32**2 * math.cos(math.radians(middle[1]))
        columns = [
            (
                f"{longitude:.6f}",
                f"{latitude:.6f}",
                f"On or near {_street_name(names, longitude, latitude)}",
                *_area(number, middle, longitude, latitude),
            )
            for longitude, latitude in _points_inside(geometry, int(30 + 45 * km2), rng)
        ]
        weights = rng.lognormal(0, 1, len(columns))
        busy = _BUSY.get(neighbourhood.code, 1.0) * rng.lognormal(0, 0.35)
        places.append(
            _Place(
                code=neighbourhood.code,
                number=number,
                middle=middle,
                columns=columns,
                weights=weights / weights.sum(),
                size=math.sqrt(km2) * busy,
            )
        )
    total = sum(place.size for place in places) or 1.0
    return [replace(place, rate=MONTHLY_INCIDENTS * place.size / total) for place in places]


def _points_inside(
    geometry: shapely.Geometry, wanted: int, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """Up to ``MAX_POINTS`` points drawn evenly inside the geometry, rounded as police.uk's."""
    wanted = min(max(wanted, 30), MAX_POINTS)
    minx, miny, maxx, maxy = geometry.bounds
    found: list[tuple[float, float]] = []
    for _attempt in range(20):
        xs = np.round(rng.uniform(minx, maxx, wanted * 4), 6)
        ys = np.round(rng.uniform(miny, maxy, wanted * 4), 6)
        inside = shapely.contains_xy(geometry, xs, ys)
        found.extend(zip(xs[inside].tolist(), ys[inside].tolist(), strict=True))
        if len(found) >= wanted:
            break
    return found[:wanted]


def _area(
    number: int, middle: tuple[float, float], longitude: float, latitude: float
) -> tuple[str, str]:
    """The LSOA code and name columns: four areas a neighbourhood, as a census tract's
    block groups ("53033" is King County)."""
    area = int(longitude > middle[0]) + 2 * int(latitude < middle[1])
    return f"53033{number * 100 + area + 1:06d}", f"Seattle {number:03d}{'ABCD'[area]}"


def _street_name(rng: random.Random, longitude: float, latitude: float) -> str:
    """A street where the point lies, on Seattle's pattern: numbered streets and avenues
    with the quarter's suffix, the quarter's named streets, or a police.uk place name."""
    if latitude >= 47.652:
        quarter = "NW" if longitude < -122.3575 else "N" if longitude < -122.3245 else "NE"
    elif latitude >= 47.598:
        quarter = "W" if longitude < -122.345 else "" if longitude < -122.325 else "E"
    else:
        quarter = "SW" if longitude < -122.36 else "S"
    north = quarter in ("N", "NE", "NW")
    draw = rng.random()
    if draw < 0.1:
        return rng.choice(_PLACES)
    if north and draw < 0.45:
        # N 36th St runs by the Troll; the numbers grow about every 90 m northwards.
        number = max(34, round(36 + (latitude - 47.6513) / 0.0008))
        return f"{quarter} {_ordinal(number)} St"
    if draw < (0.75 if north else 0.5):
        if quarter in ("NW", "W"):
            number = round((-122.3565 - longitude) / 0.00125) + 1
        elif quarter == "SW":
            number = round((-122.3355 - longitude) / 0.00105)
        else:
            number = round((longitude + 122.3355) / 0.0014)
        # Between Yesler Way and Madison, the Central District's avenues have no suffix.
        suffix = "" if quarter == "E" and latitude < 47.612 else quarter
        if number >= 1:
            return f"{_ordinal(number)} Ave {suffix}".rstrip()
    return rng.choice(_NAMED[quarter])


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


_NOWHERE = ("", "", "No Location", "", "")
_RESPONDED = {(FREMONT_RESPONSE.hotspot.street, c) for c in FREMONT_RESPONSE.categories}
_ASB = _CATEGORIES.index(C.ANTI_SOCIAL_BEHAVIOUR)


def _month_crimes(
    rng: np.random.Generator,
    places: list[_Place],
    month: datetime.date,
    scale: float,
    response: bool,
) -> tuple[list[tuple[str, ...]], np.ndarray]:
    """Where each of a month's crimes was (its five location columns) and its category's
    place in ``_CATEGORIES``."""
    season = np.array([_SEASONS.get(c, _SEASON)[month.month - 1] for c in _CATEGORIES])
    mix = np.array([_MIX[c] for c in _CATEGORIES]) / sum(_MIX.values())
    located: list[tuple[str, ...]] = []
    categories = []
    for place in places:
        counts = rng.poisson(place.rate * scale * mix * season)
        points = rng.choice(len(place.columns), size=int(counts.sum()), p=place.weights)
        nowhere = rng.random(len(points)) < WITHOUT_LOCATION
        located.extend(
            _NOWHERE if lost else place.columns[point]
            for point, lost in zip(points.tolist(), nowhere.tolist(), strict=True)
        )
        categories.append(np.repeat(np.arange(len(_CATEGORIES)), counts))
    by_code = {place.code: place for place in places}
    for hotspot in HOTSPOTS:
        home = by_code.get(hotspot.neighbourhood)
        area = (
            _area(home.number, home.middle, hotspot.longitude, hotspot.latitude)
            if home
            else ("", "")
        )
        where = (f"{hotspot.longitude:.6f}", f"{hotspot.latitude:.6f}", hotspot.street, *area)
        shares = sum(hotspot.mix.values())
        for category, share in hotspot.mix.items():
            rate = hotspot.monthly * scale * share / shares
            rate *= _SEASONS.get(category, _SEASON)[month.month - 1]
            if response and (hotspot.street, category) in _RESPONDED:
                rate *= FREMONT_RESPONSE.remaining
            count = int(rng.poisson(rate))
            located.extend([where] * count)
            categories.append(np.full(count, _CATEGORIES.index(category)))
    return located, np.concatenate(categories)


def _fates(
    rng: np.random.Generator, categories: np.ndarray
) -> list[tuple[str, O | str, tuple[tuple[int, O], ...]]]:
    """For each crime: its Crime ID, its outcome while no step is known, and its steps
    (months after the crime's, outcome) as the outcomes files record them.

    police.uk gives anti-social behaviour neither a Crime ID nor an outcome.
    """
    count = len(categories)
    ids = rng.bytes(32 * count).hex()
    ending_draws, delay_draws, court_draws, result_draws = rng.random((4, count))
    endings = np.full(count, "", dtype=object)
    for index, category in enumerate(_CATEGORIES):
        chosen = categories == index
        if index != _ASB and chosen.any():
            endings[chosen] = _pick(_ENDING_TABLES[category], ending_draws[chosen])
    delays = _pick(_DELAY_TABLE, delay_draws).tolist()
    results = _pick(_RESULT_TABLE, result_draws).tolist()
    courts = _pick(_COURT_DELAY_TABLE, court_draws).tolist()
    fates: list[tuple[str, O | str, tuple[tuple[int, O], ...]]] = []
    for n, ending in enumerate(endings.tolist()):
        reference = ids[64 * n : 64 * n + 64]
        if not ending:
            fates.append(("", "", ()))
        elif ending == O.STATUS_UPDATE_UNAVAILABLE:
            fates.append((reference, ending, ()))
        elif ending == _COURT:
            steps = ((delays[n], O.CHARGED), (delays[n] + courts[n], results[n]))
            fates.append((reference, O.UNDER_INVESTIGATION, steps))
        else:
            fates.append((reference, O.UNDER_INVESTIGATION, ((delays[n], ending),)))
    return fates


def _pick(table: tuple[np.ndarray, np.ndarray], draws: np.ndarray) -> np.ndarray:
    """The keys that uniform ``draws`` pick from a ``_table``."""
    keys, cumulative = table
    return keys[np.minimum(np.searchsorted(cumulative, draws, side="right"), len(keys) - 1)]


def _write(
    folder: Path,
    month: datetime.date,
    slug: str,
    kind: str,
    header: list[str],
    rows: list[list[str]],
) -> Path:
    text = _month_text(month)
    path = folder / text / f"{text}-{slug}-{kind}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _index(month: datetime.date) -> int:
    return month.year * 12 + month.month - 1


def _month(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_text(month: datetime.date) -> str:
    return f"{month:%Y-%m}"
