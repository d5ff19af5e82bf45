from __future__ import annotations

import csv
import datetime
import re
from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from freezegun import freeze_time

from beatbridge.crimedata.categories import CrimeCategory, OutcomeCategory
from beatbridge.crimedata.importing import STREET_COLUMNS
from beatbridge.crimedata.models import (
    CrimeImport,
    Incident,
    MonthlyCount,
    Outcome,
    PointMonthlyCount,
    StreetPoint,
)
from beatbridge.demo.crimes import (
    FREMONT_RESPONSE,
    HOTSPOTS,
    MAX_POINTS,
    demo_months,
    load_crimes,
    response_months,
    write_archive,
)
from beatbridge.demo.services import DEMO_NEIGHBOURHOOD, load_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_crimes")]

ASB = CrimeCategory.ANTI_SOCIAL_BEHAVIOUR
TABLES = [StreetPoint, Incident, Outcome, MonthlyCount, PointMonthlyCount, CrimeImport]


@pytest.fixture(scope="module")
def demo_crimes(django_db_setup, django_db_blocker):
    """The demo city and its crime, loaded once for the module (the real call, at full
    volume: it takes seconds), rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        city = load_demo()
        summary = load_crimes(city.force)
        # Check the deferred foreign keys of the rows just written once, here: each test
        # checks them at its end inside a savepoint whose rollback would leave them
        # pending for the next test to check again (seconds each on PostgreSQL).
        connection.check_constraints()
        yield city.force, summary
        transaction.set_rollback(True)


def _hotspot_point(hotspot) -> StreetPoint:
    return StreetPoint.objects.get(
        latitude=hotspot.latitude, longitude=hotspot.longitude, street_name=hotspot.street
    )


def test_two_years_to_last_month_in_every_neighbourhood(demo_crimes):
    force, summary = demo_crimes
    months = demo_months()
    incidents = Incident.objects.filter(force=force)

    assert len(months) == 24
    assert summary.months_imported == 24
    assert (summary.first_month, summary.latest_month) == (months[0], months[-1])
    assert 40_000 <= summary.incidents_created == incidents.count() <= 60_000
    per_month = dict(incidents.values_list("month").annotate(n=Count("id")).order_by())
    assert sorted(per_month) == months
    assert min(per_month.values()) > 1_200
    assert incidents.values("neighbourhood").distinct().count() >= 86
    # Busy places have several times a quiet one's crime.
    per_place = Counter(incidents.values_list("neighbourhood__code", flat=True))
    assert per_place["belltown"] > 5 * per_place["laurelhurst"]


def test_the_mix_of_categories_is_police_uks():
    counts = Counter(Incident.objects.values_list("category", flat=True))
    total = sum(counts.values())

    (first, _n), (second, _m), *_rest = counts.most_common()
    assert {first, second} == {ASB, CrimeCategory.VIOLENT_CRIME}
    assert 0.25 < counts[ASB] / total < 0.35
    assert 0.25 < counts[CrimeCategory.VIOLENT_CRIME] / total < 0.35
    assert counts[CrimeCategory.CRIMINAL_DAMAGE_ARSON] > counts[CrimeCategory.BURGLARY]
    assert counts[CrimeCategory.BURGLARY] > counts[CrimeCategory.POSSESSION_OF_WEAPONS]
    assert set(counts) == set(CrimeCategory) - {CrimeCategory.PUBLIC_DISORDER_WEAPONS}


def test_summer_brings_anti_social_behaviour_and_winter_burglary():
    def total(category, calendar_months):
        rows = MonthlyCount.objects.filter(category=category, month__month__in=calendar_months)
        return rows.aggregate(n=Sum("incidents"))["n"]

    assert total(ASB, [6, 7, 8]) > 1.3 * total(ASB, [12, 1, 2])
    burglary = CrimeCategory.BURGLARY
    assert total(burglary, [11, 12, 1]) > 1.15 * total(burglary, [6, 7, 8])
    bicycles = CrimeCategory.BICYCLE_THEFT
    assert total(bicycles, [6, 7, 8]) > 1.5 * total(bicycles, [12, 1, 2])


def test_anti_social_behaviour_has_no_crime_id_nor_outcome_and_crimes_have_both():
    assert not Incident.objects.filter(category=ASB).exclude(reference="", outcome="").exists()
    crimes = Incident.objects.exclude(category=ASB)
    references = list(crimes.values_list("reference", flat=True))
    assert all(re.fullmatch(r"[0-9a-f]{64}", reference) for reference in references)
    assert len(set(references)) == len(references)
    assert not crimes.filter(outcome="").exists()


def test_outcomes_are_mostly_no_suspect_or_unable_to_prosecute_and_recent_crimes_open():
    months = demo_months()
    crimes = Incident.objects.exclude(category=ASB)
    older = Counter(crimes.filter(month__lte=months[-13]).values_list("outcome", flat=True))
    latest = Counter(crimes.filter(month=months[-1]).values_list("outcome", flat=True))
    open_ = OutcomeCategory.UNDER_INVESTIGATION

    assert latest[open_] > 0.5 * latest.total()
    assert older[open_] < 0.05 * older.total()
    (first, _n), (second, _m), *_rest = older.most_common()
    assert {first, second} == {
        OutcomeCategory.NO_FURTHER_ACTION,
        OutcomeCategory.UNABLE_TO_PROSECUTE,
    }
    assert {
        OutcomeCategory.LOCAL_RESOLUTION,
        OutcomeCategory.CAUTIONED,
        OutcomeCategory.DRUGS_POSSESSION_WARNING,
        OutcomeCategory.IMPRISONED,
        OutcomeCategory.FINED,
        OutcomeCategory.NOT_GUILTY,
        OutcomeCategory.STATUS_UPDATE_UNAVAILABLE,
    } <= set(older)


def test_outcomes_files_record_what_happened_to_the_demos_crimes(demo_crimes):
    _force, summary = demo_crimes
    crimes = Incident.objects.exclude(category=ASB)

    assert summary.outcomes_created == Outcome.objects.count() > 0.5 * crimes.count()
    assert set(Outcome.objects.values_list("reference", flat=True)) <= set(
        crimes.values_list("reference", flat=True)
    )
    # A court's result follows a charge months later, both recorded.
    sentenced = crimes.filter(outcome=OutcomeCategory.IMPRISONED).first()
    steps = list(
        Outcome.objects.filter(reference=sentenced.reference)
        .order_by("month")
        .values_list("category", "month")
    )
    assert [step for step, _month in steps] == [OutcomeCategory.CHARGED, OutcomeCategory.IMPRISONED]
    assert sentenced.month <= steps[0][1] < steps[1][1] == sentenced.outcome_month


def test_the_hotspots_are_the_busiest_street_points():
    busiest = list(
        PointMonthlyCount.objects.values("point")
        .annotate(n=Sum("incidents"))
        .order_by("-n")
        .values_list("point", flat=True)[: len(HOTSPOTS)]
    )
    hotspots = [_hotspot_point(hotspot) for hotspot in HOTSPOTS]

    assert set(busiest) == {point.pk for point in hotspots}
    for hotspot, point in zip(HOTSPOTS, hotspots, strict=True):
        assert point.neighbourhood.code == hotspot.neighbourhood
        monthly = PointMonthlyCount.objects.filter(point=point).values("month")
        assert min(row["n"] for row in monthly.annotate(n=Sum("incidents"))) >= 8
    assert HOTSPOTS[0].neighbourhood == DEMO_NEIGHBOURHOOD


def test_the_fremont_response_cut_burglary_and_anti_social_behaviour_there_only():
    point = _hotspot_point(FREMONT_RESPONSE.hotspot)
    after = response_months()
    before = demo_months()[-FREMONT_RESPONSE.months - 12 : -FREMONT_RESPONSE.months]
    counts = PointMonthlyCount.objects.filter(point=point)
    cut = Q(category__in=FREMONT_RESPONSE.categories)

    def monthly(rows, months):
        return rows.filter(month__in=months).aggregate(n=Sum("incidents"))["n"] / len(months)

    assert len(after) == FREMONT_RESPONSE.months and after[-1] == demo_months()[-1]
    assert monthly(counts.filter(cut), after) < 0.5 * monthly(counts.filter(cut), before)
    assert monthly(counts.exclude(cut), after) > 0.6 * monthly(counts.exclude(cut), before)


def test_some_crimes_have_no_location_and_the_counts_keep_them(demo_crimes):
    force, _summary = demo_crimes
    total = Incident.objects.count()
    nowhere = Incident.objects.filter(point=None)

    assert 0.005 * total < nowhere.count() < 0.03 * total
    assert not nowhere.exclude(neighbourhood=None).exists()
    counted = MonthlyCount.objects.filter(force=force).aggregate(n=Sum("without_location"))["n"]
    assert counted == nowhere.count()


def test_street_points_lie_in_their_neighbourhoods_named_as_police_uk_names_them():
    points = StreetPoint.objects.all()

    assert not points.filter(neighbourhood=None).exists()
    assert all(
        name.startswith("On or near ") for name in points.values_list("street_name", flat=True)
    )
    per_neighbourhood = points.values("neighbourhood").annotate(n=Count("id")).order_by("-n")
    assert per_neighbourhood[0]["n"] <= MAX_POINTS + 1
    names = set(points.values_list("street_name", flat=True))
    assert {"On or near N 45th St", "On or near Rainier Ave S", "On or near Parking Area"} <= names


def test_the_monthly_counts_agree_with_the_incidents():
    incidents = (
        Incident.objects.values("neighbourhood", "month", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    expected = {(r["neighbourhood"], r["month"], r["category"]): r["n"] for r in incidents}
    counted = {
        (c.neighbourhood_id, c.month, c.category): c.incidents for c in MonthlyCount.objects.all()
    }

    assert counted == expected
    on_points = PointMonthlyCount.objects.aggregate(n=Sum("incidents"))["n"]
    assert on_points == Incident.objects.exclude(point=None).count()


def test_loading_the_crime_again_writes_nothing(demo_crimes):
    force, _summary = demo_crimes
    before = {model.__name__: model.objects.count() for model in TABLES}

    again = load_crimes(force)

    assert (again.months_imported, again.incidents_created, again.outcomes_created) == (0, 0, 0)
    assert {model.__name__: model.objects.count() for model in TABLES} == before


def test_a_run_in_a_later_month_brings_the_crime_up_to_last_month(demo_crimes):
    force, summary = demo_crimes
    # Today is the month after the latest; a month on, the next one is the latest.
    next_month = (summary.latest_month + datetime.timedelta(days=32)).replace(day=1)
    a_month_on = (next_month + datetime.timedelta(days=32)).replace(day=10)

    with freeze_time(a_month_on):
        later = load_crimes(force, scale=0.05)

    assert later.months_imported == 24
    assert later.latest_month == next_month
    assert Incident.objects.filter(month=later.latest_month).exists()
    # Re-imported months were replaced, at the smaller volume asked for.
    assert Incident.objects.filter(month=summary.latest_month).count() < 300


def test_the_same_seed_writes_the_same_police_uk_files(demo_crimes, tmp_path):
    force, _summary = demo_crimes
    months = demo_months()[-3:]

    first = write_archive(force, tmp_path / "a", months=months, seed=7, scale=0.05)
    second = write_archive(force, tmp_path / "b", months=months, seed=7, scale=0.05)
    other = write_archive(force, tmp_path / "c", months=months, seed=8, scale=0.05)

    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    assert [path.read_bytes() for path in first] != [path.read_bytes() for path in other]
    names = [str(path.relative_to(tmp_path / "a")) for path in first]
    latest = f"{months[-1]:%Y-%m}"
    assert f"{latest}/{latest}-seattle-street.csv" in names
    assert f"{latest}/{latest}-seattle-outcomes.csv" in names
    with first[0].open(newline="") as file:
        assert next(csv.reader(file)) == STREET_COLUMNS
