"""Counts of crime for dashboards and the API, read from the rollups, never from incidents.

Months are the first day of their month. A neighbourhood's counts are its
``MonthlyCount`` rows; the force's row with no neighbourhood counts its incidents
outside every neighbourhood, those published without a location among them, so a
page can say what a neighbourhood's figures leave out. Street points come from
``PointMonthlyCount``. Only ``incidents_between`` reads incidents: the API's list of
them, one page at a time.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Max, Min, Q, QuerySet, Sum, TextChoices
from django.utils.translation import gettext as _

from beatbridge.crimedata.categories import CrimeCategory, OutcomeCategory
from beatbridge.crimedata.models import Incident, MonthlyCount, PointMonthlyCount
from beatbridge.crimedata.selectors.streets import months_with_crimes
from beatbridge.errors import DomainError
from beatbridge.places import selectors as places
from beatbridge.places.models import Force, Neighbourhood

_FIRST_MONTH = datetime.date(1, 1, 1)
_LAST_MONTH = datetime.date(9999, 12, 1)
_CATEGORY_ORDER = {str(category.value): index for index, category in enumerate(CrimeCategory)}


def category_name(category: str) -> str:
    """A category's name in the active language; an id we do not know stays as it is."""
    return _name_of(CrimeCategory, category)


def outcome_name(outcome: str) -> str:
    """An outcome's name in the active language; an id we do not know stays as it is."""
    return _name_of(OutcomeCategory, outcome)


def _name_of(choices: type[TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def shift_month(month: datetime.date, months: int) -> datetime.date:
    """The month ``months`` after (or, negative, before) ``month``, held within the
    years a date can have rather than failing on a month given as 0001-01."""
    index = month.year * 12 + month.month - 1 + months
    shifted = datetime.date(index // 12, index % 12 + 1, 1) if 12 <= index < 120_000 else None
    if shifted is None:
        return _FIRST_MONTH if months < 0 else _LAST_MONTH
    return shifted


def latest_month(force: Force | None = None) -> datetime.date | None:
    """The latest month with any incident, of ``force`` or of any force."""
    months = months_with_crimes(force)
    return months[0] if months else None


def counted_months(force: Force) -> list[datetime.date]:
    """Every month from the force's first with counts to its latest, oldest first.

    One query on the two ends of an index, not a scan of every count: a month the
    source left out between them is listed, and has no incidents.
    """
    ends = MonthlyCount.objects.filter(force=force).aggregate(first=Min("month"), last=Max("month"))
    if ends["last"] is None:
        return []
    return months_between(ends["first"], ends["last"])


def month_window(
    force: Force,
    *,
    first_month: datetime.date | None = None,
    last_month: datetime.date | None = None,
    months: int = 12,
) -> tuple[datetime.date, datetime.date] | None:
    """The first and last month to show, filling in what the caller left out.

    Without ``last_month``, the latest month the force has data for (or ``first_month``,
    if that is later); without ``first_month``, ``months`` months ending at the last.
    None when nothing was asked and the force has no data. A first month after the
    last is refused on ``month_from``.
    """
    if last_month is None:
        latest = latest_month(force)
        candidates = [month for month in (latest, first_month) if month is not None]
        if not candidates:
            return None
        last_month = max(candidates)
    if first_month is None:
        first_month = shift_month(last_month, 1 - months)
    if first_month > last_month:
        raise DomainError(
            _("The first month (month_from) comes after the last month (month_to)."),
            field="month_from",
        )
    return first_month, last_month


def months_between(first_month: datetime.date, last_month: datetime.date) -> list[datetime.date]:
    """Every month from the first to the last, oldest first."""
    found = []
    month = first_month
    while month <= last_month:
        found.append(month)
        if month == _LAST_MONTH:
            break
        month = shift_month(month, 1)
    return found


# --- A neighbourhood's dashboard ----------------------------------------------------------


@dataclass(frozen=True)
class CategorySeries:
    """One category's monthly counts over the window, and over the same months a year earlier."""

    category: str
    counts: tuple[int, ...]
    year_earlier: tuple[int, ...]

    @property
    def name(self) -> str:
        return category_name(self.category)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def year_earlier_total(self) -> int:
        return sum(self.year_earlier)


@dataclass(frozen=True)
class CrimeDashboard:
    """What a neighbourhood's crime page shows; see ``neighbourhood_dashboard``.

    Rates are incidents over the window per 1,000 residents: None where the
    population is not known. ``force_rate`` counts only the force's neighbourhoods
    whose population is known. The caveat counts are the force's, over the window.
    """

    neighbourhood: Neighbourhood
    months: tuple[datetime.date, ...]
    categories: tuple[CategorySeries, ...]
    totals: tuple[int, ...]
    year_earlier_totals: tuple[int, ...]
    rate: float | None
    force_rate: float | None
    force_without_location: int
    force_outside_neighbourhoods: int

    @property
    def year_earlier_months(self) -> tuple[datetime.date, ...]:
        return tuple(shift_month(month, -12) for month in self.months)

    @property
    def total(self) -> int:
        return sum(self.totals)

    @property
    def year_earlier_total(self) -> int:
        return sum(self.year_earlier_totals)

    @property
    def totals_by_category(self) -> dict[str, int]:
        return {series.category: series.total for series in self.categories}

    @property
    def has_data(self) -> bool:
        return bool(self.months)


def neighbourhood_dashboard(
    neighbourhood: Neighbourhood, *, last_month: datetime.date | None = None, months: int = 12
) -> CrimeDashboard:
    """A neighbourhood's crime over ``months`` months ending at ``last_month`` (by default
    the latest month its force has data for), with the year before, rates and caveats.

    Categories are those with an incident in the window or the year before, the most
    frequent in the window first (ties in police.uk's order). Four queries at most,
    all on the rollups: the latest month, the neighbourhood's counts, the force's
    counts per neighbourhood, and the force's populations; give the neighbourhood
    with its force loaded (as places' ``get_neighbourhood`` does), or it costs a fifth.
    """
    force = neighbourhood.force
    if last_month is None:
        last_month = latest_month(force)
    if last_month is None or months < 1:
        return CrimeDashboard(neighbourhood, (), (), (), (), None, None, 0, 0)
    last_month = last_month.replace(day=1)
    shown = tuple(months_between(shift_month(last_month, 1 - months), last_month))
    earlier = tuple(shift_month(month, -12) for month in shown)

    counted: dict[tuple[datetime.date, str], int] = defaultdict(int)
    for month, category, incidents in MonthlyCount.objects.filter(
        neighbourhood=neighbourhood, month__gte=min(earlier[0], shown[0]), month__lte=last_month
    ).values_list("month", "category", "incidents"):
        counted[month, category] += incidents
    categories = sorted(
        {category for _month, category in counted},
        key=lambda category: _CATEGORY_ORDER.get(category, len(_CATEGORY_ORDER)),
    )
    series = [
        CategorySeries(
            category=category,
            counts=tuple(counted.get((month, category), 0) for month in shown),
            year_earlier=tuple(counted.get((month, category), 0) for month in earlier),
        )
        for category in categories
    ]
    # Rows of months outside both windows (when months > 12) are not shown.
    series = [item for item in series if item.total or item.year_earlier_total]
    series.sort(key=lambda item: -item.total)
    totals = tuple(sum(item.counts[index] for item in series) for index in range(len(shown)))
    year_earlier_totals = tuple(
        sum(item.year_earlier[index] for item in series) for index in range(len(shown))
    )

    by_neighbourhood = _force_totals(force, shown[0], last_month)
    nowhere, without_location = by_neighbourhood.pop(None, (0, 0))
    return CrimeDashboard(
        neighbourhood=neighbourhood,
        months=shown,
        categories=tuple(series),
        totals=totals,
        year_earlier_totals=year_earlier_totals,
        rate=_per_thousand(sum(totals), neighbourhood.population),
        force_rate=_force_rate(force, by_neighbourhood),
        force_without_location=without_location,
        force_outside_neighbourhoods=nowhere - without_location,
    )


def _force_totals(
    force: Force, first_month: datetime.date, last_month: datetime.date
) -> dict[int | None, tuple[int, int]]:
    """The force's incidents and those without a location over the months, by neighbourhood
    id (None: outside every neighbourhood)."""
    rows = (
        MonthlyCount.objects.filter(force=force, month__gte=first_month, month__lte=last_month)
        .values("neighbourhood_id")
        .annotate(total=Sum("incidents"), without=Sum("without_location"))
        .order_by()
    )
    return {row["neighbourhood_id"]: (row["total"], row["without"]) for row in rows}


def _force_rate(force: Force, by_neighbourhood: dict[int | None, tuple[int, int]]) -> float | None:
    """Incidents per 1,000 residents over the force's neighbourhoods whose population is
    known; the others are left out of both sides so they cannot inflate the rate."""
    populations = places.neighbourhoods_of(force).filter(population__gt=0)
    incidents = residents = 0
    for pk, population in populations.values_list("pk", "population").order_by():
        incidents += by_neighbourhood.get(pk, (0, 0))[0]
        residents += population
    return _per_thousand(incidents, residents)


def _per_thousand(incidents: int, population: int | None) -> float | None:
    return incidents * 1000 / population if population else None


# --- Counts for the API -----------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    """Incidents of one category in one month; for a force, with how many of them lie
    outside every neighbourhood or have no location (both 0 for a neighbourhood)."""

    month: datetime.date
    category: str
    incidents: int
    outside_neighbourhoods: int = 0
    without_location: int = 0

    @property
    def in_neighbourhoods(self) -> int:
        return self.incidents - self.outside_neighbourhoods - self.without_location


def monthly_counts(
    *,
    neighbourhood: Neighbourhood | None = None,
    force: Force | None = None,
    first_month: datetime.date,
    last_month: datetime.date,
    category: str | None = None,
) -> list[MonthCount]:
    """Counts by month then category (police.uk's order), of a neighbourhood or, without
    one, of the whole force, its incidents outside every neighbourhood included. One query.
    """
    if neighbourhood is not None:
        counts = MonthlyCount.objects.filter(neighbourhood=neighbourhood)
    elif force is not None:
        counts = MonthlyCount.objects.filter(force=force)
    else:
        raise ValueError("monthly_counts needs a neighbourhood or a force.")
    counts = counts.filter(month__gte=first_month, month__lte=last_month)
    if category is not None:
        counts = counts.filter(category=category)
    rows = (
        counts.values("month", "category")
        .annotate(
            total=Sum("incidents"),
            nowhere=Sum("incidents", filter=Q(neighbourhood__isnull=True)),
            without=Sum("without_location"),
        )
        .order_by()
    )
    found = [
        MonthCount(
            month=row["month"],
            category=row["category"],
            incidents=row["total"],
            outside_neighbourhoods=(row["nowhere"] or 0) - row["without"],
            without_location=row["without"],
        )
        for row in rows
    ]
    found.sort(key=lambda row: (row.month, _CATEGORY_ORDER.get(row.category, 99)))
    return found


@dataclass(frozen=True)
class CountTotals:
    """Counts added up over their months: overall and per category (most first)."""

    incidents: int
    outside_neighbourhoods: int
    without_location: int
    by_category: tuple[tuple[str, int], ...]

    @property
    def in_neighbourhoods(self) -> int:
        return self.incidents - self.outside_neighbourhoods - self.without_location


def totals_of(counts: Iterable[MonthCount]) -> CountTotals:
    """Add up ``monthly_counts`` rows; categories the most frequent first, ties in
    police.uk's order."""
    by_category: dict[str, int] = defaultdict(int)
    incidents = outside = without = 0
    for row in counts:
        by_category[row.category] += row.incidents
        incidents += row.incidents
        outside += row.outside_neighbourhoods
        without += row.without_location
    ordered = sorted(
        by_category.items(),
        key=lambda item: (-item[1], _CATEGORY_ORDER.get(item[0], len(_CATEGORY_ORDER))),
    )
    return CountTotals(incidents, outside, without, tuple(ordered))


@dataclass(frozen=True)
class CrimeCounts:
    """Counts over a window of months, with their totals; no months when there is no data."""

    force: Force
    neighbourhood: Neighbourhood | None
    first_month: datetime.date | None
    last_month: datetime.date | None
    counts: tuple[MonthCount, ...]
    totals: CountTotals


def crime_counts(
    *,
    force: Force,
    neighbourhood: Neighbourhood | None = None,
    first_month: datetime.date | None = None,
    last_month: datetime.date | None = None,
    category: str | None = None,
) -> CrimeCounts:
    """``monthly_counts`` and their totals over a window ``month_window`` fills in (by
    default the force's last 12 months with data); a first month after the last is
    refused on ``month_from``."""
    window = month_window(force, first_month=first_month, last_month=last_month)
    if window is None:
        return CrimeCounts(force, neighbourhood, None, None, (), totals_of(()))
    rows = monthly_counts(
        neighbourhood=neighbourhood,
        force=force,
        first_month=window[0],
        last_month=window[1],
        category=category,
    )
    return CrimeCounts(force, neighbourhood, window[0], window[1], tuple(rows), totals_of(rows))


# --- Street points ----------------------------------------------------------------------


@dataclass(frozen=True)
class PointCount:
    """A street point and how many incidents were placed on it over a period."""

    point_id: int
    name: str
    latitude: float
    longitude: float
    incidents: int


def point_counts(
    neighbourhood: Neighbourhood,
    *,
    first_month: datetime.date,
    last_month: datetime.date,
    category: str | None = None,
    limit: int | None = None,
) -> list[PointCount]:
    """The neighbourhood's street points with incidents over the months, most first (ties
    by point id, so the order is the same every time). One query."""
    counts = PointMonthlyCount.objects.filter(
        neighbourhood=neighbourhood, month__gte=first_month, month__lte=last_month
    )
    if category is not None:
        counts = counts.filter(category=category)
    rows = (
        counts.values("point_id")
        .annotate(
            name=F("point__street_name"),
            latitude=F("point__latitude"),
            longitude=F("point__longitude"),
            total=Sum("incidents"),
        )
        .order_by("-total", "point_id")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        PointCount(
            point_id=row["point_id"],
            name=row["name"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            incidents=row["total"],
        )
        for row in rows
    ]


# --- The incidents behind the counts ----------------------------------------------------


def incidents_between(
    *,
    force: Force,
    first_month: datetime.date | None = None,
    last_month: datetime.date | None = None,
    neighbourhood: Neighbourhood | None = None,
    category: str | None = None,
) -> QuerySet[Incident]:
    """The force's incidents over the months, by month then public id, with their street
    point and ``neighbourhood_code`` (None outside every neighbourhood) in the same query.

    Months left out are filled in by ``month_window`` over one month: without either,
    the force's latest month. Read a page at a time: a force has millions.
    """
    window = month_window(force, first_month=first_month, last_month=last_month, months=1)
    if window is None:
        return Incident.objects.none()
    found = Incident.objects.filter(force=force, month__gte=window[0], month__lte=window[1])
    if neighbourhood is not None:
        found = found.filter(neighbourhood=neighbourhood)
    if category is not None:
        found = found.filter(category=category)
    return (
        found.select_related("point")
        .annotate(neighbourhood_code=F("neighbourhood__code"))
        .defer("source_file", "source_line", "area_code", "area_name", "point__neighbourhood")
        .order_by("month", "public_id", "pk")
    )
