"""Reports submitted per second through the API, and the triage inbox of a busy neighbourhood.

Run: .venv/bin/python bench/reports.py [--submissions 1000] [--reports 100000]
Uses its own throwaway SQLite database in a temporary folder (migrated here), one
force with one neighbourhood, a category and the neighbourhood's officer. Then:
(a) POSTs anonymous concerns to /api/v1/reports with Django's test client, each with
its own Idempotency-Key, and prints submissions per second and latency (in process:
Django, ninja, the service and SQLite, no network or web server); then repeats the
first keys to time idempotent replays.
(b) bulk-creates ``--reports`` reports in the neighbourhood (statuses, priorities and
ages mixed as a real inbox would be) and times the triage inbox: the selector's count
and first page of 50, for each sort order, and the whole API answer
(GET /api/v1/forces/bench/neighbourhoods/N-BENCH/inbox?limit=50) as the officer.
Prints a table; record it in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# The script's own folder goes first on sys.path, where bench/http.py would hide the
# standard library's http: put the project there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

DATA_DIR = tempfile.mkdtemp(prefix="beatbridge-bench-reports-")
os.environ.update(
    BEATBRIDGE_DATA_DIR=DATA_DIR,
    DATABASE_URL=f"sqlite:///{DATA_DIR}/bench.sqlite3",
    DJANGO_SETTINGS_MODULE="beatbridge.settings",
    SECRET_KEY="bench-only-secret-key-0123456789-0123456789-0123456789",  # noqa: S106
    DEBUG="0",
    HTTPS="0",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="WARNING",
)

# WhiteNoise looks for collected static files at start-up; there are none to serve here.
Path(DATA_DIR, "static").mkdir()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from beatbridge.accounts.models import OfficerProfile, Role, TeamAssignment, User  # noqa: E402
from beatbridge.places import services as places_services  # noqa: E402
from beatbridge.places.models import Force, Neighbourhood  # noqa: E402
from beatbridge.reports import selectors  # noqa: E402
from beatbridge.reports.models import (  # noqa: E402
    Category,
    Priority,
    Report,
    ReportKind,
    Source,
    Status,
)
from beatbridge.reports.services import public_point  # noqa: E402

WEST, SOUTH, SIZE = -122.35, 47.65, 0.01
PAGE = 50


def setup() -> tuple[Neighbourhood, Category, User]:
    call_command("migrate", verbosity=0, interactive=False)
    force = Force.objects.create(slug="bench", name="Bench Police", telephone="101")
    ring = [
        [WEST, SOUTH],
        [WEST + SIZE, SOUTH],
        [WEST + SIZE, SOUTH + SIZE],
        [WEST, SOUTH + SIZE],
        [WEST, SOUTH],
    ]
    neighbourhood = Neighbourhood.objects.create(
        force=force,
        code="N-BENCH",
        name="Benchley",
        boundary={"type": "Polygon", "coordinates": [ring]},
        centre_latitude=SOUTH + SIZE / 2,
        centre_longitude=WEST + SIZE / 2,
    )
    places_services.mark_boundaries_changed()
    category = Category.objects.create(force=force, code="street-light", name="Street light out")
    user = User.objects.create_user("officer@bench.example", "bench", role=Role.OFFICER)
    profile = OfficerProfile.objects.create(user=user, force=force, display_name="Officer Bench")
    TeamAssignment.objects.create(
        officer=profile,
        neighbourhood=neighbourhood,
        role="neighbourhood_officer",
        starts_on=datetime.date(2024, 1, 1),
    )
    return neighbourhood, category, user


def timed(action: Callable[[], object], times: int) -> list[float]:
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return durations


def submissions(count: int) -> None:
    client = Client()
    rng = random.Random(1)

    def body(number: int) -> str:
        return json.dumps(
            {
                "force": "bench",
                "category": "street-light",
                "description": f"Light {number} on the corner has been out since Tuesday.",
                "latitude": SOUTH + rng.uniform(0.001, SIZE - 0.001),
                "longitude": WEST + rng.uniform(0.001, SIZE - 0.001),
            }
        )

    bodies = [body(number) for number in range(count)]

    def post(number: int) -> float:
        started = time.perf_counter()
        response = client.post(
            "/api/v1/reports",
            bodies[number],
            content_type="application/json",
            headers={"idempotency-key": f"bench-{number}"},
        )
        elapsed = time.perf_counter() - started
        if response.status_code not in (200, 201):
            sys.exit(f"submission answered {response.status_code}: {response.content[:300]!r}")
        return elapsed

    post(0)  # warm-up: imports, the spatial index
    started = time.perf_counter()
    latencies = [post(number) for number in range(1, count)]
    rate = (count - 1) / (time.perf_counter() - started)
    replay_count = min(200, count - 1)
    replays = [post(number) for number in range(1, replay_count + 1)]
    cuts = statistics.quantiles(latencies, n=100)
    print(f"(a) {count - 1:,} anonymous submissions through POST /api/v1/reports, one at a time:")
    print(
        f"    {rate:,.0f} submissions/s; p50 {cuts[49] * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms"
    )
    print(
        f"    idempotent replay (same key and payload, answers 200): "
        f"p50 {statistics.median(replays) * 1000:.2f} ms over {replay_count}"
    )
    assert Report.staff_objects.count() == count


def fill(neighbourhood: Neighbourhood, category: Category, officer: User, count: int) -> float:
    rng = random.Random(2)
    now = timezone.now()
    statuses = [Status.NEW] * 2 + [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REFERRED]
    statuses += [Status.RESOLVED] * 5  # most of a long-lived inbox is closed
    rows = []
    started = time.perf_counter()
    for number in range(count):
        latitude = SOUTH + rng.uniform(0.0005, SIZE - 0.0005)
        longitude = WEST + rng.uniform(0.0005, SIZE - 0.0005)
        public_latitude, public_longitude = public_point(latitude, longitude)
        created = now - datetime.timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        status = rng.choice(statuses)
        rows.append(
            Report(
                reference=f"B{number:07d}",
                kind=rng.choice([ReportKind.CONCERN] * 8 + [ReportKind.TIP]),
                force_id=neighbourhood.force_id,
                category=category,
                neighbourhood=neighbourhood,
                status=status,
                priority=rng.choice(Priority.values),
                description="Street light out by the bus stop; the corner is dark at night.",
                latitude=latitude,
                longitude=longitude,
                public_latitude=public_latitude,
                public_longitude=public_longitude,
                source=Source.WEB,
                assigned_to=officer if number % 7 == 0 else None,
                created_at=created,
                updated_at=created,
                resolved_at=created if status == Status.RESOLVED else None,
            )
        )
    Report.staff_objects.bulk_create(rows, batch_size=2000)
    return time.perf_counter() - started


def inbox(neighbourhood: Neighbourhood, officer: User, count: int) -> None:
    print(f"\n(b) triage inbox of one neighbourhood holding {count:,} reports (median of 5):")
    print(f"    {'what':<48} {'ms':>8}")
    for sort in selectors.INBOX_SORTS:
        filters = selectors.InboxFilters(sort=sort)

        def selector_page(filters: selectors.InboxFilters = filters) -> None:
            reports = selectors.inbox(neighbourhood, filters)
            reports.count()
            list(reports[:PAGE])

        durations = timed(selector_page, 5)
        label = f"selector: count + first {PAGE}, open, sort={sort}"
        print(f"    {label:<48} {statistics.median(durations) * 1000:>8.1f}")
    everything = selectors.InboxFilters(open_only=False, sort="newest")
    durations = timed(
        lambda: (
            selectors.inbox(neighbourhood, everything).count(),
            list(selectors.inbox(neighbourhood, everything)[:PAGE]),
        ),
        5,
    )
    label = f"selector: count + first {PAGE}, all statuses"
    print(f"    {label:<48} {statistics.median(durations) * 1000:>8.1f}")

    client = Client()
    client.force_login(officer)
    path = f"/api/v1/forces/bench/neighbourhoods/N-BENCH/inbox?limit={PAGE}"

    def api_page() -> None:
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"inbox answered {response.status_code}: {response.content[:300]!r}")

    api_page()
    durations = timed(api_page, 5)
    label = f"GET …/inbox?limit={PAGE} (API, whole answer)"
    print(f"    {label:<48} {statistics.median(durations) * 1000:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    if not 2 <= args.submissions <= 100_000 or not 1 <= args.reports <= 2_000_000:
        parser.error("--submissions 2..100000, --reports 1..2000000")
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {connection.Database.sqlite_version}; database in {DATA_DIR}"
    )
    try:
        neighbourhood, category, officer = setup()
        submissions(args.submissions)
        # The inbox is timed over the bulk rows only: clear the submissions out of it.
        Report.staff_objects.all().delete()
        seconds = fill(neighbourhood, category, officer, args.reports)
        print(f"\nbulk_create of {args.reports:,} reports: {seconds:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        inbox(neighbourhood, officer, args.reports)
    finally:
        connection.close()
        shutil.rmtree(DATA_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
