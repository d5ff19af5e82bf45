"""Importing police.uk street-level files, and a neighbourhood's crime dashboard over millions.

Run: .venv/bin/python bench/crimes.py [--rows 1000000] [--points 50000]
                                      [--incidents 10000000] [--months 36] [--profile]
                                      [--sqlite-cache-mib N] [--keep]

Uses its own throwaway data folder (a temporary directory): a fresh SQLite database there
unless ``DATABASE_URL`` is set (it must then name an empty, throwaway database, such as
one made with ``createdb bench_crimes``: the script refuses one that holds any force, and
empties it again at the end unless ``--keep``). One force over the demo's 90 Seattle
neighbourhoods (beatbridge/demo/data/seattle.geojson, imported with
``places.services.import_boundaries``).

(1) Writes a street-level file of ``--rows`` rows in data.police.uk's exact format (its
header; 64-hex Crime IDs; 30% anti-social behaviour without one; "On or near ..." points,
``--points`` of them, 1% outside every neighbourhood, some far busier than others; 3% of
rows without a location), imports it with ``crimedata.importing.import_police_uk`` as
``beatbridge import_crimes`` does, and prints rows per second and where the time went
(measured by wrapping the importer's steps where importing.py calls them). Then a second
month over the same points, which exist by then.
(2) Fills the months before with generated incidents (SQL ``INSERT ... SELECT`` over a
number series, with the incident table's indexes made again afterwards, then
``rollups.rebuild_counts`` per month; timed apart, as setup) until
the incidents number ``--incidents`` in all, and times a neighbourhood's dashboard
(``crimedata.selectors.counts.neighbourhood_dashboard``, which reads the rollups) beside
the same counts grouped from the incidents, for the busiest and the median neighbourhood.
Then imports one more month into the full database.
(3) Times Gi* (``crimedata.hotspots.gi_star``) on a 250 x 400 grid beside PySAL's
``esda.G_Local(star=True)`` on the same grid, and prints how far their z-scores differ.
Targets: at least 200,000 rows/s imported, a dashboard in under 50 ms, Gi* on 100,000
cells in 20 ms or less.
``--profile`` runs the first import under cProfile and prints the functions that
dominate (the profiler slows the per-row code most). ``--sqlite-cache-mib`` gives
SQLite another page cache than the app's 64 MiB (beatbridge/settings.py) for the whole
run, to show what that changes. Record the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime
import json
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The script's own folder goes first on sys.path, where bench/http.py would hide the
# standard library's http: put the project there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per imported file")
    parser.add_argument("--points", type=int, default=50_000, help="distinct street points")
    parser.add_argument(
        "--incidents", type=int, default=10_000_000, help="incidents in all for the dashboard"
    )
    parser.add_argument("--months", type=int, default=36, help="months the generated fill spans")
    parser.add_argument("--profile", action="store_true", help="cProfile the first import")
    parser.add_argument(
        "--sqlite-cache-mib",
        type=int,
        default=None,
        help="SQLite page cache for the whole run (default: the app's own, 64 MiB)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data folder and database")
    return parser.parse_args()


OPTIONS = arguments()
DATA_DIR = tempfile.mkdtemp(prefix="beatbridge-bench-crimes-")
os.environ.update(
    BEATBRIDGE_DATA_DIR=DATA_DIR,
    DJANGO_SETTINGS_MODULE="beatbridge.settings",
    SECRET_KEY="bench-only-secret-key-0123456789-0123456789-0123456789",  # noqa: S106
    DEBUG="0",
    HTTPS="0",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="WARNING",
)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA_DIR}/bench.sqlite3")
THROWAWAY_SQLITE = os.environ["DATABASE_URL"].startswith(f"sqlite:///{DATA_DIR}")
# Set once the database given was found empty: only then is it emptied again at the end.
FOUND_EMPTY = False
# WhiteNoise looks for collected static files at start-up; there are none to serve here.
Path(DATA_DIR, "static").mkdir()

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Sum  # noqa: E402

from beatbridge.crimedata import importing  # noqa: E402
from beatbridge.crimedata.categories import CRIME_TYPES, outcome_types  # noqa: E402
from beatbridge.crimedata.models import (  # noqa: E402
    Incident,
    MonthlyCount,
    PointMonthlyCount,
    StreetPoint,
)
from beatbridge.crimedata.rollups import rebuild_counts  # noqa: E402
from beatbridge.demo.services import SEATTLE_BOUNDARIES  # noqa: E402
from beatbridge.places.models import Force, Neighbourhood  # noqa: E402
from beatbridge.places.services import import_boundaries  # noqa: E402

FORCE_SLUG = "seattle"
FORCE_NAME = "Seattle Community Police Service"
# The imported months; the generated fill takes the months before the first.
FIRST_MONTH = datetime.date(2025, 1, 1)
# Kibibytes, negative as PRAGMA cache_size takes them; None leaves the app's setting.
SQLITE_CACHE = -(OPTIONS.sqlite_cache_mib * 1024) if OPTIONS.sqlite_cache_mib else None
DASHBOARD_MONTHS = 12
DASHBOARD_CALLS = 20
RAW_CALLS = 5
IMPORT_TARGET = 200_000
DASHBOARD_TARGET_MS = 50.0

ASB = "Anti-social behaviour"
# Shares of all rows, as police.uk's street-level files run (England and Wales, 2023-24).
CRIME_MIX = [
    (ASB, 30),
    ("Violence and sexual offences", 28),
    ("Criminal damage and arson", 7),
    ("Other theft", 7),
    ("Public order", 6),
    ("Shoplifting", 5),
    ("Vehicle crime", 5),
    ("Burglary", 4),
    ("Drugs", 2),
    ("Other crime", 2),
    ("Theft from the person", 1),
    ("Bicycle theft", 1),
    ("Robbery", 1),
    ("Possession of weapons", 1),
]
# Last outcome categories of crimes (anti-social behaviour has none), roughly as published.
OUTCOME_MIX = [
    ("Investigation complete; no suspect identified", 40),
    ("Unable to prosecute suspect", 30),
    ("Under investigation", 8),
    ("Status update unavailable", 5),
    ("Court result unavailable", 3),
    ("Awaiting court outcome", 3),
    ("Local resolution", 3),
    ("Further investigation is not in the public interest", 2),
    ("Action to be taken by another organisation", 2),
    ("Offender given a caution", 1),
    ("Formal action is not in the public interest", 1),
    ("Suspect charged as part of another case", 1),
    ("Offender sent to prison", 1),
]
NO_LOCATION_PERCENT = 3
OUTSIDE_SHARE = 0.01
# police.uk names some map points for what is there rather than the street.
PLACES = [
    "Parking Area",
    "Supermarket",
    "Petrol Station",
    "Shopping Area",
    "Sports/Recreation Area",
    "Nightclub",
    "Further/Higher Educational Building",
    "Hospital",
    "Theatre/Concert Hall",
    "Police Station",
    "Bus/Coach Station",
    "Park/Open Space",
    "Pedestrian Subway",
    "Conference/Exhibition Centre",
]
STREET_WORDS = [
    "Aurora",
    "Pine",
    "Pike",
    "Union",
    "Madison",
    "Cherry",
    "Yesler",
    "Jackson",
    "Denny",
    "Mercer",
    "Roy",
    "Galer",
    "Fremont",
    "Stone",
    "Leary",
    "Market",
    "Ballard",
    "Greenwood",
    "Phinney",
    "Dexter",
    "Westlake",
    "Eastlake",
    "Boylston",
    "Broadway",
    "Harvard",
    "Rainier",
    "Beacon",
    "Columbia",
    "Marginal",
    "Delridge",
    "California",
    "Fauntleroy",
    "Sand Point",
    "Lake City",
    "Roosevelt",
    "Ravenna",
    "Holman",
    "Magnolia",
    "Gilman",
    "Nickerson",
]
STREET_KINDS = ["Street", "Avenue", "Way", "Place", "Road", "Drive", "Boulevard", "Lane"]
QUARTERS = ["North", "South", "East", "West", "Northeast", "Northwest", "Southwest", "Southeast"]


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def street_names(rng: random.Random) -> list[str]:
    """About 4,000 Seattle-like street names ("45th Avenue Northeast", "Pine Street")."""
    numbered = [
        f"{ordinal(n)} {kind} {quarter}"
        for n in range(1, 151)
        for kind in ("Street", "Avenue")
        for quarter in QUARTERS
    ]
    named = [
        f"{word} {kind}{f' {quarter}' if rng.random() < 0.5 else ''}"
        for word in STREET_WORDS
        for kind in STREET_KINDS
        for quarter in QUARTERS[:2]
    ]
    return numbered + named


@dataclass
class PointPool:
    """The street points files draw from, written as police.uk writes them."""

    latitudes: list[str]
    longitudes: list[str]
    streets: list[str]
    area_codes: list[str]
    area_names: list[str]
    # Relative busyness: a few points see many incidents, most see a few.
    weights: np.ndarray


def point_pool(count: int, seed: int) -> PointPool:
    """``count`` distinct points over Seattle's neighbourhoods, 1% just outside them."""
    collection = json.loads(SEATTLE_BOUNDARIES.read_text())
    city = shapely.union_all(
        [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
    )
    shapely.prepare(city)
    west, south, east, north = city.bounds
    rng = np.random.default_rng(seed)
    outside_wanted = int(count * OUTSIDE_SHARE)
    inside: list[tuple[float, float]] = []
    outside: list[tuple[float, float]] = []
    while len(inside) < count - outside_wanted or len(outside) < outside_wanted:
        longitudes = np.round(rng.uniform(west, east, count), 6)
        latitudes = np.round(rng.uniform(south, north, count), 6)
        within = shapely.contains_xy(city, longitudes, latitudes)
        inside += zip(latitudes[within].tolist(), longitudes[within].tolist(), strict=True)
        outside += zip(latitudes[~within].tolist(), longitudes[~within].tolist(), strict=True)
    chosen = inside[: count - outside_wanted] + outside[:outside_wanted]
    names = random.Random(seed)
    streets = street_names(names)
    areas: dict[tuple[int, int], int] = {}
    pool = PointPool([], [], [], [], [], rng.lognormal(0.0, 1.0, len(chosen)))
    for latitude, longitude in chosen:
        place = names.random() < 0.08
        pool.latitudes.append(f"{latitude:.6f}")
        pool.longitudes.append(f"{longitude:.6f}")
        pool.streets.append(
            f"On or near {names.choice(PLACES) if place else names.choice(streets)}"
        )
        # About 600 census areas over the city, as police.uk's LSOAs are.
        cell = (int((latitude - south) / 0.008), int((longitude - west) / 0.012))
        area = areas.setdefault(cell, len(areas))
        pool.area_codes.append(f"E0{1030000 + area}")
        pool.area_names.append(f"Seattle {area // 4 + 1:03d}{'ABCD'[area % 4]}")
    pool.weights /= pool.weights.sum()
    return pool


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    rows: int
    points: int
    asb: int
    without_location: int
    seconds: float


def write_street_file(month: datetime.date, rows: int, pool: PointPool, seed: int) -> WrittenFile:
    """A data.police.uk street-level file: its header, columns, quoting and line ends."""
    started = time.perf_counter()
    name = f"{month:%Y-%m}"
    path = Path(DATA_DIR, name, f"{name}-{FORCE_SLUG}-street.csv")
    path.parent.mkdir(exist_ok=True)
    rng = np.random.default_rng(seed)
    ids = random.Random(seed)
    crime_types = [crime_type for crime_type, _share in CRIME_MIX]
    outcomes = [outcome for outcome, _share in OUTCOME_MIX]
    assert all(crime_type in CRIME_TYPES for crime_type in crime_types)
    assert all(outcome in outcome_types() for outcome in outcomes)
    points = rng.choice(len(pool.weights), size=rows, p=pool.weights).tolist()
    types = rng.choice(
        len(CRIME_MIX), size=rows, p=np.array([s for _c, s in CRIME_MIX]) / 100
    ).tolist()
    outcome_of = rng.choice(
        len(OUTCOME_MIX), size=rows, p=np.array([s for _o, s in OUTCOME_MIX]) / 100
    ).tolist()
    located = (rng.integers(0, 100, size=rows) >= NO_LOCATION_PERCENT).tolist()
    asb = without_location = 0
    used: set[int] = set()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(importing.STREET_COLUMNS)
        for point, type_index, outcome_index, has_location in zip(
            points, types, outcome_of, located, strict=True
        ):
            crime_type = crime_types[type_index]
            is_asb = crime_type == ASB
            asb += is_asb
            if has_location:
                used.add(point)
                place = (
                    pool.longitudes[point],
                    pool.latitudes[point],
                    pool.streets[point],
                    pool.area_codes[point],
                    pool.area_names[point],
                )
            else:
                without_location += 1
                place = ("", "", "No Location", "", "")
            writer.writerow(
                (
                    "" if is_asb else f"{ids.getrandbits(256):064x}",
                    name,
                    FORCE_NAME,
                    FORCE_NAME,
                    *place,
                    crime_type,
                    "" if is_asb else outcomes[outcome_index],
                    "",
                )
            )
    return WrittenFile(path, rows, len(used), asb, without_location, time.perf_counter() - started)


class Phases:
    """Seconds spent in the importer's steps, by wrapping them where importing.py calls them.

    A step the importer no longer has is left out, not an error.
    """

    STEPS = [
        ("_parse_street", lambda args: "read and parse"),
        ("_replace_months", lambda args: "clear the months"),
        ("_street_points", lambda args: "street points"),
        ("_find_points", lambda args: "  of which: read stored points"),
        (
            "insert_rows",
            lambda args: (
                "  of which: insert new points" if args[0] is StreetPoint else "insert incidents"
            ),
        ),
        ("rebuild_counts", lambda args: "rollups (rebuild_counts)"),
        ("refresh_latest_outcomes", lambda args: "latest outcomes"),
    ]
    # Nested inside "street points": not added again to the total.
    NESTED = ("  of which: read stored points", "  of which: insert new points")

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        for name, label_of in self.STEPS:
            if hasattr(importing, name):
                setattr(importing, name, self._timed(getattr(importing, name), label_of))

    def _timed(self, step: Callable, label_of: Callable[[tuple], str]) -> Callable:
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                self.seconds[label_of(args)] += time.perf_counter() - started

        return timed

    def take(self, total: float) -> dict[str, float]:
        """The seconds by step since the last take, with the rest of ``total``."""
        taken = dict(self.seconds)
        self.seconds.clear()
        counted = sum(s for label, s in taken.items() if label not in self.NESTED)
        taken["rest (row tuples, commit, bookkeeping)"] = total - counted
        return taken


@dataclass(frozen=True)
class Imported:
    label: str
    file: WrittenFile
    rows: int
    new_points: int
    seconds: float
    phases: dict[str, float]
    profile: cProfile.Profile | None = None

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def import_file(label: str, file: WrittenFile, phases: Phases, profile: bool = False) -> Imported:
    points_before = StreetPoint.objects.count()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = importing.import_police_uk(paths=[file.path], force_slug=FORCE_SLUG)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    if result.refused or len(result.imported) != 1:
        sys.exit(f"The import refused {file.path}: {result.refused}")
    return Imported(
        label=label,
        file=file,
        rows=result.imported[0].rows,
        new_points=StreetPoint.objects.count() - points_before,
        seconds=seconds,
        phases=phases.take(seconds),
        profile=profiler,
    )


def print_profile(done: Imported) -> None:
    if done.profile is None:
        return
    print(f"\ncProfile of the {done.label} import (slower than unprofiled), by own time:")
    pstats.Stats(done.profile).sort_stats("tottime").print_stats(25)
    print("... and by cumulative time:")
    pstats.Stats(done.profile).sort_stats("cumulative").print_stats(30)


def print_import_header() -> None:
    print(
        f"{'file':<28} {'rows':>10} {'points':>7} {'ASB':>8} {'no loc.':>7} {'MB':>5} "
        f"{'new points':>10} {'seconds':>8} {'rows/s':>9}"
    )


def print_import(done: Imported) -> None:
    file = done.file
    print(
        f"{done.label:<28} {done.rows:>10,} {file.points:>7,} {file.asb:>8,} "
        f"{file.without_location:>7,} {file.path.stat().st_size / 1e6:>5.0f} "
        f"{done.new_points:>10,} {done.seconds:>8.2f} {done.rate:>9,.0f}",
        flush=True,
    )


def print_phases(imports: list[Imported]) -> None:
    print(f"\n{'phase (seconds)':<42}" + "".join(f"{d.label[:14]:>16}" for d in imports))
    labels = list(dict.fromkeys(label for done in imports for label in done.phases))
    for label in labels:
        print(f"{label:<42}" + "".join(f"{d.phases.get(label, 0.0):>16.2f}" for d in imports))


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


CATEGORY_MIX = [(CRIME_TYPES[crime_type], share) for crime_type, share in CRIME_MIX]
OUTCOME_ID_MIX = [(outcome_types()[outcome], share) for outcome, share in OUTCOME_MIX]


def case_by_percent(bucket: str, mix: list[tuple[str, int]]) -> str:
    """SQL CASE picking a value of ``mix`` by a bucket expression between 0 and 99."""
    whens, bound = [], 0
    for value, share in mix:
        bound += share
        whens.append(f"WHEN {bucket} < {bound} THEN '{value}'")
    return f"CASE {' '.join(whens)} END"


def fill_sql(table: str) -> str:
    """One month of generated incidents: each of series n..m at a point (busy points more
    often), with a category, outcome and reference as the file's rows have them."""
    postgres = connection.vendor == "postgresql"
    series = (
        "WITH series(n) AS (SELECT generate_series(%s::bigint, %s::bigint))"
        if postgres
        else "WITH RECURSIVE series(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM series "
        "WHERE n < %s)"
    )
    hex64 = (
        "md5(g.n::text || 'a') || md5(g.n::text || 'b')"
        if postgres
        else "lower(hex(randomblob(32)))"
    )
    asb = "'anti-social-behaviour'"
    # The product of two uniform numbers favours low point numbers: hotspots.
    return f"""
        {series}
        INSERT INTO {table} (force_id, month, category, reference, public_id, point_id,
            neighbourhood_id, location_type, area_code, area_name, outcome, reported_outcome,
            context, source_file, source_line)
        SELECT %s, %s, g.category,
            CASE WHEN g.category = {asb} THEN '' ELSE {hex64} END,
            %s + g.n,
            CASE WHEN g.no_location = 1 THEN NULL ELSE p.id END,
            CASE WHEN g.no_location = 1 THEN NULL ELSE p.neighbourhood_id END,
            'Force', 'E01030000', 'Seattle 001A',
            CASE WHEN g.category = {asb} THEN '' ELSE g.outcome END,
            CASE WHEN g.category = {asb} THEN '' ELSE g.outcome END,
            '', 'generated', g.n
        FROM (
            SELECT h.n AS n,
                ((h.a %% %s) * ((h.a / %s) %% %s)) / %s AS point_index,
                {case_by_percent("h.b %% 100", CATEGORY_MIX)} AS category,
                {case_by_percent("(h.b / 100) %% 100", OUTCOME_ID_MIX)} AS outcome,
                CASE WHEN (h.b / 10000) %% 100 < {NO_LOCATION_PERCENT} THEN 1 ELSE 0 END
                    AS no_location
            FROM (
                SELECT n, (n * 2654435761) %% 4294967296 AS a, (n * 2246822519) %% 4294967291 AS b
                FROM series
            ) AS h
        ) AS g
        JOIN bench_points AS p ON p.idx = g.point_index
    """  # noqa: S608 (table from the model, numbers from this script)


@dataclass(frozen=True)
class Fill:
    incidents: int
    months: list[datetime.date]
    insert_s: float
    indexes_s: float
    rollups_s: float
    analyze_s: float


def secondary_indexes(table: str) -> dict[str, str]:
    """The incident table's own indexes (not its primary key), each with its CREATE."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname "
                "NOT IN (SELECT conname FROM pg_constraint)",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
        return dict(cursor.fetchall())


def fill(force: Force, incidents: int, months: int) -> Fill:
    """``incidents`` generated over the ``months`` before the first imported month.

    The incident table's indexes are dropped for the fill and made again after it, as a
    bulk load would: made from sorted keys they take a fraction of the time that
    maintaining them row by row would. The schema ends as migrations made it.
    """
    month_list = [add_months(FIRST_MONTH, -k) for k in range(months, 0, -1)]
    if incidents <= 0:
        return Fill(0, [], 0.0, 0.0, 0.0, 0.0)
    table = Incident._meta.db_table
    points = connection.ops.quote_name(StreetPoint._meta.db_table)
    # Point numbers 0..n-1 over the point ids, whatever gaps the ids have.
    numbered = (
        "CREATE TEMPORARY TABLE bench_points AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 "  # noqa: S608 (table from the model)
        f"AS idx, id, neighbourhood_id FROM {points}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            run_cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")
        cursor.execute("DROP TABLE IF EXISTS bench_points")
        cursor.execute(numbered)
        cursor.execute("CREATE UNIQUE INDEX bench_points_idx ON bench_points (idx)")
        cursor.execute("SELECT COUNT(*) FROM bench_points")
        point_count = cursor.fetchone()[0]
    if not point_count:
        sys.exit("No street points to put generated incidents at.")
    sql = fill_sql(connection.ops.quote_name(table))
    indexes = secondary_indexes(table)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for name in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        per_month, extra = divmod(incidents, len(month_list))
        first = 1
        for number, month in enumerate(month_list):
            count = per_month + (1 if number < extra else 0)
            with transaction.atomic(), connection.cursor() as cursor:
                month_value = month if connection.vendor == "postgresql" else month.isoformat()
                counts = [point_count] * 4
                cursor.execute(
                    sql, [first, first + count - 1, force.pk, month_value, 1 << 60, *counts]
                )
            first += count
    finally:
        inserted = time.perf_counter()
        print(f"  inserted in {inserted - started:.1f} s; making the indexes", flush=True)
        with connection.cursor() as cursor:
            for create in indexes.values():
                cursor.execute(create)
            cursor.execute("DROP TABLE bench_points")
    indexed = time.perf_counter()
    print(f"  indexes made in {indexed - inserted:.1f} s; rebuilding the counts", flush=True)
    for month in month_list:
        with transaction.atomic():
            rebuild_counts(force=force, months={month})
    counted = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA cache_size = {run_cache}")
        # What autovacuum would have done by the time anyone looks; SQLite has no autovacuum
        # analyze and Beatbridge runs no ANALYZE, so it is left as it would be in use.
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return Fill(
        incidents,
        month_list,
        insert_s=inserted - started,
        indexes_s=indexed - inserted,
        rollups_s=counted - indexed,
        analyze_s=time.perf_counter() - counted,
    )


def timed(action: Callable[[], object], times: int) -> tuple[float, float, object]:
    """(first call ms, median ms of all calls, the answer)."""
    durations = []
    answer = None
    for _ in range(times):
        started = time.perf_counter()
        answer = action()
        durations.append((time.perf_counter() - started) * 1000)
    return durations[0], statistics.median(durations), answer


def raw_counts(neighbourhood: Neighbourhood, first: datetime.date, last: datetime.date) -> dict:
    """The dashboard's counts grouped from the incidents themselves."""
    rows = (
        Incident.objects.filter(neighbourhood=neighbourhood, month__range=(first, last))
        .order_by()
        .values_list("month", "category")
        .annotate(incidents=Count("id"))
    )
    return {(month, category): n for month, category, n in rows}


def rollup_counts(neighbourhood: Neighbourhood, first: datetime.date, last: datetime.date) -> dict:
    """The same counts from the rollup: what the dashboard reads."""
    rows = (
        MonthlyCount.objects.filter(neighbourhood=neighbourhood, month__range=(first, last))
        .order_by()
        .values_list("month", "category")
        .annotate(incidents=Sum("incidents"))
    )
    return {(month, category): n for month, category, n in rows}


def dashboard_function() -> Callable | None:
    try:
        from beatbridge.crimedata.selectors.counts import neighbourhood_dashboard
    except ImportError:
        return None
    return neighbourhood_dashboard


def dashboards(fill_result: Fill) -> None:
    last = MonthlyCount.objects.aggregate(last=Max("month"))["last"]
    first = add_months(last, 1 - DASHBOARD_MONTHS)
    in_window = list(
        MonthlyCount.objects.filter(month__range=(first, last), neighbourhood__isnull=False)
        .values_list("neighbourhood")
        .annotate(n=Sum("incidents"))
        .order_by("-n")
    )
    busiest, median = in_window[0], in_window[len(in_window) // 2]
    dashboard = dashboard_function()
    print(
        f"incidents: {Incident.objects.count():,} ({fill_result.incidents:,} generated); "
        f"monthly counts: {MonthlyCount.objects.count():,}; "
        f"street point counts: {PointMonthlyCount.objects.count():,}"
    )
    print(f"window: {first:%Y-%m} to {last:%Y-%m} ({DASHBOARD_MONTHS} months, the latest)")
    if dashboard is None:
        print(
            "crimedata.selectors.counts.neighbourhood_dashboard does not exist yet: the "
            "'dashboard' column times the same counts read from MonthlyCount with the ORM."
        )
    print(
        f"{'neighbourhood':<30} {'incidents':>10} {'dashboard ms':>18} {'rollup query ms':>18} "
        f"{'raw GROUP BY ms':>18}"
    )
    print(f"{'':<30} {'in window':>10}" + f" {'first / median':>18}" * 3)
    for label, (pk, total) in (("busiest", busiest), ("median", median)):
        neighbourhood = Neighbourhood.objects.get(pk=pk)
        rollup_first, rollup_median, from_rollups = timed(
            lambda n=neighbourhood: rollup_counts(n, first, last), DASHBOARD_CALLS
        )
        if dashboard is not None:
            board_first, board_median, answer = timed(
                lambda n=neighbourhood: dashboard(n), DASHBOARD_CALLS
            )
            if sum(answer.totals) != total:
                print(
                    f"WARNING: the dashboard counts {sum(answer.totals):,}, the rollups {total:,}"
                )
        else:
            board_first, board_median = rollup_first, rollup_median
        raw_first, raw_median, from_incidents = timed(
            lambda n=neighbourhood: raw_counts(n, first, last), RAW_CALLS
        )
        if from_rollups != from_incidents:
            print(f"WARNING: the rollups and the incidents disagree for {neighbourhood.name}")
        name = f"{label}: {neighbourhood.name}"[:30]
        print(
            f"{name:<30} {total:>10,} {board_first:>8.1f} / {board_median:>7.1f} "
            f"{rollup_first:>8.1f} / {rollup_median:>7.1f} {raw_first:>8.1f} / {raw_median:>7.1f}"
        )
    verdict = "met" if board_median < DASHBOARD_TARGET_MS else "MISSED"
    print(
        f"target: dashboard < {DASHBOARD_TARGET_MS:.0f} ms ({verdict} for the median neighbourhood)"
    )


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version}"
    else:
        version = connection.pg_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    return (
        f"{os.cpu_count()} CPUs ({model or platform.machine()}), Python "
        f"{platform.python_version()}, {database}"
    )


def setup() -> Force:
    global FOUND_EMPTY
    call_command("migrate", verbosity=0, interactive=False)
    if Force.objects.exists():
        sys.exit("DATABASE_URL names a database with forces in it; give an empty, throwaway one.")
    FOUND_EMPTY = True
    if connection.vendor == "sqlite" and SQLITE_CACHE is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE}")
    force = Force.objects.create(slug=FORCE_SLUG, name=FORCE_NAME, telephone="(206) 555-0100")
    import_boundaries(force=force, collection=json.loads(SEATTLE_BOUNDARIES.read_text()))
    return force


def load() -> str:
    """The load averages: other work on the machine slows every figure."""
    return "load average " + " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> None:
    print(f"machine: {machine()}; {load()}")
    print(f"data folder: {DATA_DIR}", flush=True)
    force = setup()
    neighbourhoods = Neighbourhood.objects.filter(force=force).count()
    started = time.perf_counter()
    pool = point_pool(OPTIONS.points, seed=1)
    print(
        f"{neighbourhoods} neighbourhoods; {len(pool.streets):,} street points made in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    phases = Phases()

    def imported(number: int, label: str, profile: bool = False) -> Imported:
        file = write_street_file(
            add_months(FIRST_MONTH, number), OPTIONS.rows, pool, seed=10 + number
        )
        done = import_file(label, file, phases, profile=profile)
        print_import(done)
        return done

    print(
        f"\n(1) Importing police.uk street-level files (target >= {IMPORT_TARGET:,} rows/s)",
        flush=True,
    )
    print_import_header()
    imports = [
        imported(0, "first month, new points", profile=OPTIONS.profile),
        imported(1, "second month, same points"),
    ]
    print_phases(imports)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mib:.0f} MiB (file writing included)")
    print(
        "target: "
        + ", ".join(f"{d.label} {'met' if d.rate >= IMPORT_TARGET else 'MISSED'}" for d in imports)
    )
    for done in imports:
        print_profile(done)

    stored = Incident.objects.count()
    to_generate = max(OPTIONS.incidents - stored, 0)
    print(
        f"\n(2) A neighbourhood's dashboard over {max(OPTIONS.incidents, stored):,} incidents "
        f"(target < {DASHBOARD_TARGET_MS:.0f} ms)\nsetup: generating {to_generate:,} incidents "
        f"over the {OPTIONS.months} months before {FIRST_MONTH:%Y-%m}",
        flush=True,
    )
    started = time.perf_counter()
    filled = fill(force, to_generate, OPTIONS.months)
    print(
        f"setup: {time.perf_counter() - started:.1f} s (insert {filled.insert_s:.1f} s, indexes "
        f"{filled.indexes_s:.1f} s, rollups {filled.rollups_s:.1f} s for {len(filled.months)} "
        f"months, ANALYZE {filled.analyze_s:.1f} s)",
        flush=True,
    )
    dashboards(filled)

    print("\n(1b) One more month into the full database")
    print_import_header()
    print_phases([imported(2, "third month, full database")])

    gi_star_figures()

    print(f"\n{load()}")


def gi_star_figures(rows: int = 250, columns: int = 400) -> None:
    """(3) Gi* over a grid of 100,000 cells (target <= 20 ms) beside PySAL's esda."""
    import numpy as np

    from beatbridge.crimedata.hotspots import gi_star

    print(f"\n(3) Gi* hotspots over {rows * columns:,} cells (target <= 20 ms)")
    rng = np.random.default_rng(2026)
    counts = rng.poisson(1.5, size=(rows, columns)).astype(np.float64)
    counts[100:104, 200:204] += 40
    timings = []
    for _ in range(21):
        started = time.perf_counter()
        ours = gi_star(counts)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"beatbridge gi_star: median {statistics.median(timings):.1f} ms, "
        f"best {min(timings):.1f} ms (21 runs)"
    )
    try:
        import esda
        import libpysal
    except ImportError:
        print("esda: not installed (it comes with the test extra: pip install -e '.[test]')")
        return
    weights = libpysal.weights.lat2W(rows, columns, rook=False)
    started = time.perf_counter()
    theirs = esda.G_Local(counts.ravel(), weights, transform="B", star=True, permutations=0)
    elapsed = (time.perf_counter() - started) * 1000
    difference = float(np.max(np.abs(ours.z.ravel() - np.asarray(theirs.Zs))))
    print(
        f"esda.G_Local(star=True, permutations=0), same grid and weights: {elapsed:,.0f} ms; "
        f"largest difference in z {difference:.1e}"
    )


def empty_database() -> None:
    """Remove what the run wrote from the throwaway database it was given (empty at start)."""
    call_command("flush", verbosity=0, interactive=False)


if __name__ == "__main__":
    try:
        main()
    finally:
        if not OPTIONS.keep:
            if FOUND_EMPTY and not THROWAWAY_SQLITE:
                empty_database()
            shutil.rmtree(DATA_DIR, ignore_errors=True)
