"""The public crime page of a neighbourhood, and downloads of what it shows.

Figures come from the count and outcome selectors (the monthly rollups), never from
incidents. It is all public open data, so every visitor sees the same figures. The page is a GET
form whose state (the last month shown and the category) lives in the URL, so each
view of it can be linked to, and the downloads take the same two parameters. A bad
parameter is a message on the page (400, with the defaults shown) or a plain 400 for
a download, never a 500.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from beatbridge.crimedata.categories import (
    ALL_CRIME,
    ALL_CRIME_LABEL,
    CrimeCategory,
    categories_in_use,
)
from beatbridge.crimedata.selectors.counts import (
    CategorySeries,
    CrimeDashboard,
    PointCount,
    category_name,
    counted_months,
    neighbourhood_dashboard,
    point_counts,
    shift_month,
)
from beatbridge.crimedata.selectors.outcomes import OutcomeSummary, outcome_summary
from beatbridge.errors import NotFound
from beatbridge.places.models import Neighbourhood
from beatbridge.places.selectors import get_neighbourhood
from beatbridge.web.charts import Series, bar_chart, line_chart
from beatbridge.web.csv_export import spreadsheet_safe
from beatbridge.web.maps import map_settings

# How many months the page shows, ending at the chosen month.
MONTHS_SHOWN = 12
# The repeat-location list: enough to see where incidents gather.
REPEAT_LOCATIONS = 10
# A rate within this fraction of the force's is called "about the same".
_SIMILAR_RATE = 0.05
_ALL_OF_IT = gettext_lazy("All crime and anti-social behaviour")
CSV_COLUMNS = ("month", "category", "count", "year_earlier_count")
OUTCOME_CSV_COLUMNS = ("category", "outcome", "count")


# --- what was asked --------------------------------------------------------------------------


class CrimeFilterForm(forms.Form):
    """The last month to show (of the months the force has counts for) and the category."""

    month = forms.ChoiceField(
        label=gettext_lazy("Last month shown"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There are no figures for “%(value)s”: choose a month from the list."
            )
        },
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a category of crime: choose one from the list."
            )
        },
    )

    def __init__(self, data: Any, *, months: list[datetime.date]) -> None:
        super().__init__(data)
        self.fields["month"].choices = [
            (f"{month:%Y-%m}", date_format(month, "YEAR_MONTH_FORMAT")) for month in months
        ]
        self.fields["category"].choices = _category_choices(list(CrimeCategory.values))
        self.fields["month"].widget.attrs["aria-describedby"] = "id_month_hint"

    def show_categories(self, categories: list[str]) -> None:
        """Offer these categories (and all crime) in the list; validation keeps every one."""
        self.fields["category"].choices = _category_choices(categories)


def _category_choices(categories: list[str]) -> list[tuple[str, Any]]:
    return [(ALL_CRIME, ALL_CRIME_LABEL), *((c, category_name(c)) for c in categories)]


@dataclass(frozen=True)
class Choice:
    """What to show, from the request: the defaults stand in for anything refused."""

    form: CrimeFilterForm
    # None when the force has no counts at all.
    last_month: datetime.date | None
    # None for all crime.
    category: str | None
    # The month as the visitor chose it (None: the latest, whichever that is when asked).
    month_given: str | None

    @property
    def is_valid(self) -> bool:
        return not self.form.errors

    def query(self, *, category: str | None, explicit_month: bool = False) -> str:
        """A query string for this choice with ``category``: links keep the month chosen."""
        month = f"{self.last_month:%Y-%m}" if explicit_month and self.last_month else None
        params = {"month": month or self.month_given, "category": category}
        found = urlencode({key: value for key, value in params.items() if value})
        return f"?{found}" if found else ""


def _choose(request: HttpRequest, neighbourhood: Neighbourhood) -> Choice:
    months = counted_months(neighbourhood.force)[::-1]
    form = CrimeFilterForm(request.GET, months=months)
    form.is_valid()
    for name in form.errors:
        attrs = form.fields[name].widget.attrs
        attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} id_{name}_error".strip()
    month_text = form.cleaned_data.get("month") or None
    category = form.cleaned_data.get("category") or None
    last_month = _month_of(month_text) if month_text else (months[0] if months else None)
    return Choice(
        form=form,
        last_month=last_month,
        category=None if category == ALL_CRIME else category,
        month_given=month_text,
    )


def _month_of(text: str) -> datetime.date:
    # Only ever one of the form's own "YYYY-MM" choices.
    return datetime.date(int(text[:4]), int(text[5:7]), 1)


def _neighbourhood_or_404(force: str, code: str) -> Neighbourhood:
    try:
        return get_neighbourhood(force, code)
    except NotFound as error:
        raise Http404(error.message) from None


# --- the page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRow:
    month: datetime.date
    count: int
    year_earlier: int


@dataclass(frozen=True)
class CategoryRow:
    category: str
    name: str
    total: int
    year_earlier: int
    change: str
    # The page's query string for this category, keeping the month chosen.
    query: str
    is_current: bool


@require_safe
def neighbourhood_crime(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """A neighbourhood's recorded crime over 12 months: trend, categories, streets, caveats."""
    neighbourhood = _neighbourhood_or_404(force, code)
    choice = _choose(request, neighbourhood)
    context: dict[str, Any] = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "choice": choice,
        "form": choice.form,
        "category_name": category_name(choice.category) if choice.category else ALL_CRIME_LABEL,
        "lead_name": category_name(choice.category) if choice.category else _ALL_OF_IT,
    }
    if choice.last_month is not None:
        dashboard = neighbourhood_dashboard(
            neighbourhood, last_month=choice.last_month, months=MONTHS_SHOWN
        )
        choice.form.show_categories(_categories_offered(dashboard, choice))
        context.update(_figures(neighbourhood, dashboard, choice))
    status = 200 if choice.is_valid else 400
    return render(request, "crimedata/neighbourhood_crime.html", context, status=status)


def _categories_offered(dashboard: CrimeDashboard, choice: Choice) -> list[str]:
    """police.uk's categories of the month, then any others counted here or chosen."""
    offered = [str(category.value) for category in categories_in_use(dashboard.months[-1])]
    counted = [series.category for series in dashboard.categories]
    chosen = [choice.category] if choice.category else []
    return offered + [c for c in dict.fromkeys(counted + chosen) if c not in offered]


def _figures(
    neighbourhood: Neighbourhood, dashboard: CrimeDashboard, choice: Choice
) -> dict[str, Any]:
    """Everything the page shows of a dashboard, ready to render."""
    months = dashboard.months
    counts, year_earlier = _selected(dashboard, choice.category)
    points = point_counts(
        neighbourhood,
        first_month=months[0],
        last_month=months[-1],
        category=choice.category,
        limit=REPEAT_LOCATIONS,
    )
    outcomes = outcome_summary(
        neighbourhood, first_month=months[0], last_month=months[-1], category=choice.category
    )
    trend = [TrendRow(*row) for row in zip(months, counts, year_earlier, strict=True)]
    has_trend = any(counts) or any(year_earlier)
    return {
        "dashboard": dashboard,
        "first_month": months[0],
        "last_month": months[-1],
        "trend": trend,
        "trend_total": sum(counts),
        "trend_year_earlier_total": sum(year_earlier),
        "chart": _trend_chart(neighbourhood, dashboard, choice, counts, year_earlier)
        if has_trend
        else None,
        "comparison": _comparison(dashboard),
        "category_rows": _category_rows(dashboard, choice),
        "all_crime_query": choice.query(category=None),
        "all_crime_change": _change(dashboard.total, dashboard.year_earlier_total),
        "points": points,
        "map": map_settings(),
        "outcomes": outcomes,
        "outcomes_chart": _outcomes_chart(neighbourhood, outcomes) if outcomes.crimes else None,
        # police.uk gives anti-social behaviour no outcomes: there is nothing to tabulate.
        "outcomes_not_given": choice.category == CrimeCategory.ANTI_SOCIAL_BEHAVIOUR,
        "csv_url": _download_url("crimedata:neighbourhood_crime_csv", neighbourhood, choice),
        "outcomes_csv_url": _download_url(
            "crimedata:neighbourhood_outcomes_csv", neighbourhood, choice
        ),
        "geojson_url": _download_url("crimedata:neighbourhood_crime_points", neighbourhood, choice),
    }


def _selected(
    dashboard: CrimeDashboard, category: str | None
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The monthly counts of the category chosen (zeros if none here), or of all crime."""
    if category is None:
        return dashboard.totals, dashboard.year_earlier_totals
    for series in dashboard.categories:
        if series.category == category:
            return series.counts, series.year_earlier
    zeros = (0,) * len(dashboard.months)
    return zeros, zeros


def _trend_chart(
    neighbourhood: Neighbourhood,
    dashboard: CrimeDashboard,
    choice: Choice,
    counts: tuple[int, ...],
    year_earlier: tuple[int, ...],
) -> SafeString:
    months, earlier = dashboard.months, dashboard.year_earlier_months
    what = category_name(choice.category) if choice.category else str(ALL_CRIME_LABEL)
    return line_chart(
        # The year only where it starts or changes: twelve "Jul 2023" labels overlap.
        labels=[
            date_format(month, "M Y" if index == 0 or month.month == 1 else "M")
            for index, month in enumerate(months)
        ],
        series=[
            Series(_period(months[0], months[-1]), counts),
            Series(
                _("%(period)s (a year earlier)") % {"period": _period(earlier[0], earlier[-1])},
                year_earlier,
                style="dashed",
            ),
        ],
        title=_("%(what)s in %(name)s, month by month")
        % {"what": what, "name": neighbourhood.name},
        description=_(
            "Incidents recorded each month from %(first)s to %(last)s, and as a dashed line "
            "the same months a year earlier. The table below gives the same figures."
        )
        % {
            "first": date_format(months[0], "YEAR_MONTH_FORMAT"),
            "last": date_format(months[-1], "YEAR_MONTH_FORMAT"),
        },
        chart_id="crime-trend",
    )


def _outcomes_chart(neighbourhood: Neighbourhood, outcomes: OutcomeSummary) -> SafeString:
    items = [(row.name, row.crimes) for row in outcomes.outcomes]
    if outcomes.without_outcome:
        items.append((_("No outcome given"), outcomes.without_outcome))
    return bar_chart(
        items=items,
        title=_("What happened next: crimes in %(name)s by their latest outcome")
        % {"name": neighbourhood.name},
        description=_(
            "One bar for each outcome, the most frequent first, its length the number of "
            "crimes. The table below gives the same figures with their shares."
        ),
        chart_id="crime-outcomes",
    )


def _period(first: datetime.date, last: datetime.date) -> str:
    return _("%(first)s to %(last)s") % {
        "first": date_format(first, "M Y"),
        "last": date_format(last, "M Y"),
    }


def _comparison(dashboard: CrimeDashboard) -> str | None:
    """How the neighbourhood's rate stands against the force's: higher, lower or similar."""
    rate, force_rate = dashboard.rate, dashboard.force_rate
    if rate is None or force_rate is None:
        return None
    if rate > force_rate * (1 + _SIMILAR_RATE):
        return "higher"
    if rate < force_rate * (1 - _SIMILAR_RATE):
        return "lower"
    return "similar"


def _category_rows(dashboard: CrimeDashboard, choice: Choice) -> list[CategoryRow]:
    return [
        CategoryRow(
            category=series.category,
            name=series.name,
            total=series.total,
            year_earlier=series.year_earlier_total,
            change=_change(series.total, series.year_earlier_total),
            query=choice.query(category=series.category),
            is_current=series.category == choice.category,
        )
        for series in dashboard.categories
    ]


def _change(now: int, before: int) -> str:
    """The change from a year earlier in words: "up 25%", "down 10%", "no change", "new"."""
    if before == 0:
        return _("new") if now else _("no change")
    percent = round((now - before) * 100 / before)
    if percent > 0:
        return _("up %(percent)s%%") % {"percent": number_format(percent, force_grouping=True)}
    if percent < 0:
        return _("down %(percent)s%%") % {"percent": number_format(-percent, force_grouping=True)}
    return _("no change")


def _download_url(name: str, neighbourhood: Neighbourhood, choice: Choice) -> str:
    # The month shown, always: the file holds what the page showed, even after an import.
    path = reverse(name, kwargs={"force": neighbourhood.force.slug, "code": neighbourhood.code})
    return path + choice.query(category=choice.category, explicit_month=True)


# --- downloads -------------------------------------------------------------------------------


@require_safe
def neighbourhood_crime_csv(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """The monthly counts the page shows, a row per month and category, as CSV."""
    neighbourhood = _neighbourhood_or_404(force, code)
    choice = _choose(request, neighbourhood)
    if not choice.is_valid:
        return _bad_download(choice.form)
    rows: list[list[Any]] = []
    period = None
    if choice.last_month is not None:
        dashboard = neighbourhood_dashboard(
            neighbourhood, last_month=choice.last_month, months=MONTHS_SHOWN
        )
        rows = _csv_rows(dashboard, choice.category)
        period = (dashboard.months[0], dashboard.months[-1]) if dashboard.months else None
    filename = _filename("crime", neighbourhood, period, choice.category, "csv")
    return _csv_download(request, CSV_COLUMNS, rows, filename)


def _csv_rows(dashboard: CrimeDashboard, category: str | None) -> list[list[Any]]:
    """A row per month and category: the chosen category (zeros if none here), or each counted."""
    if category is None:
        series = list(dashboard.categories)
    else:
        counts, year_earlier = _selected(dashboard, category)
        series = [CategorySeries(category, counts, year_earlier)]
    return [
        [f"{month:%Y-%m}", item.category, item.counts[index], item.year_earlier[index]]
        for index, month in enumerate(dashboard.months)
        for item in series
    ]


@require_safe
def neighbourhood_outcomes_csv(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """The crimes the page shows by latest outcome, a row per category and outcome, as CSV.

    The outcome is blank where the source gives none (all anti-social behaviour).
    """
    neighbourhood = _neighbourhood_or_404(force, code)
    choice = _choose(request, neighbourhood)
    if not choice.is_valid:
        return _bad_download(choice.form)
    window = _window(choice)
    rows: tuple[tuple[str, str, int], ...] = ()
    if window is not None:
        rows = outcome_summary(
            neighbourhood, first_month=window[0], last_month=window[1], category=choice.category
        ).by_category
    filename = _filename("crime-outcomes", neighbourhood, window, choice.category, "csv")
    return _csv_download(request, OUTCOME_CSV_COLUMNS, rows, filename)


@require_safe
def neighbourhood_crime_points(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """The street points of the period and category, with their counts, as GeoJSON."""
    neighbourhood = _neighbourhood_or_404(force, code)
    choice = _choose(request, neighbourhood)
    if not choice.is_valid:
        return _bad_download(choice.form)
    window = _window(choice)
    points: list[PointCount] = []
    if window is not None:
        points = point_counts(
            neighbourhood, first_month=window[0], last_month=window[1], category=choice.category
        )
    period = f"{window[0]:%Y-%m}/{window[1]:%Y-%m}" if window else None
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": point.point_id,
                "geometry": {"type": "Point", "coordinates": [point.longitude, point.latitude]},
                "properties": {
                    "name": point.name,
                    "count": point.incidents,
                    "period": period,
                    "category": choice.category or ALL_CRIME,
                },
            }
            for point in points
        ],
    }
    response = JsonResponse(collection, content_type="application/geo+json")
    filename = _filename("crime-points", neighbourhood, window, choice.category, "geojson")
    return _public_download(request, response, filename)


def _window(choice: Choice) -> tuple[datetime.date, datetime.date] | None:
    """The first and last month the page shows for the choice; None without figures."""
    if choice.last_month is None:
        return None
    return shift_month(choice.last_month, 1 - MONTHS_SHOWN), choice.last_month


def _filename(
    prefix: str,
    neighbourhood: Neighbourhood,
    period: tuple[datetime.date, datetime.date] | None,
    category: str | None,
    extension: str,
) -> str:
    """crime-seattle-N-FRE-2016-08-to-2017-07-burglary.csv: slugs, codes and ids only, so
    nothing in it needs quoting."""
    parts = [prefix, neighbourhood.force.slug, neighbourhood.code]
    if period:
        parts.append(f"{period[0]:%Y-%m}-to-{period[1]:%Y-%m}")
    if category:
        parts.append(category)
    return "-".join(parts) + f".{extension}"


def _csv_download(
    request: HttpRequest, columns: Sequence[str], rows: Iterable[Sequence[Any]], filename: str
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return _public_download(request, response, filename)


def _public_download(request: HttpRequest, response: HttpResponse, filename: str) -> HttpResponse:
    """An attachment anyone may keep a copy of, as long as they ask again each time: a new
    import changes the figures at once, and an unchanged file is answered with 304."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "public, no-cache"
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _bad_download(form: CrimeFilterForm) -> HttpResponse:
    problems = "\n".join(
        f"{name}: {' '.join(str(error) for error in errors)}"
        for name, errors in form.errors.items()
    )
    return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
