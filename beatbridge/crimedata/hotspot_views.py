"""The public hotspot page of a force: where incidents cluster beyond chance (Gi*).

A GET form chooses the neighbourhood (or the whole force), the category, the months,
the cell size and how far a cell's neighbourhood reaches. The map is an SVG drawn on
the server, with a table of the hot and cold spots beside it and the street points
with the most incidents; the same answer is downloadable as GeoJSON from the API.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from beatbridge.crimedata.categories import ALL_CRIME, ALL_CRIME_LABEL, CrimeCategory
from beatbridge.crimedata.hotspots import CELL_SIZES
from beatbridge.crimedata.selectors.counts import category_name, counted_months, shift_month
from beatbridge.crimedata.selectors.hotspots import HotspotMap, hotspot_map
from beatbridge.errors import DomainError, NotFound
from beatbridge.places.models import Force
from beatbridge.places.selectors import get_force, neighbourhoods_of
from beatbridge.web.charts import Shade, area_map

# Spots listed in the tables, strongest first.
SPOTS_LISTED = 20
_SHADES = {
    # xgettext:no-python-format
    99: ("#8a1c00", gettext_lazy("Hot spot, 99% confidence")),
    # xgettext:no-python-format
    95: ("#d4351c", gettext_lazy("Hot spot, 95% confidence")),
    # xgettext:no-python-format
    90: ("#f4a582", gettext_lazy("Hot spot, 90% confidence")),
    # xgettext:no-python-format
    -90: ("#9ecae1", gettext_lazy("Cold spot, 90% confidence")),
    # xgettext:no-python-format
    -95: ("#3182bd", gettext_lazy("Cold spot, 95% confidence")),
    # xgettext:no-python-format
    -99: ("#08519c", gettext_lazy("Cold spot, 99% confidence")),
}
_RADIUS_CHOICES = [
    (1, gettext_lazy("The 8 cells around it")),
    (2, gettext_lazy("The 24 cells within two")),
    (3, gettext_lazy("The 48 cells within three")),
]


class HotspotForm(forms.Form):
    neighbourhood = forms.ChoiceField(label=gettext_lazy("Where"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    month_from = forms.ChoiceField(label=gettext_lazy("From"), required=False)
    month_to = forms.ChoiceField(label=gettext_lazy("To"), required=False)
    cell = forms.TypedChoiceField(
        label=gettext_lazy("Cell size"), required=False, coerce=int, empty_value=None
    )
    radius = forms.TypedChoiceField(
        label=gettext_lazy("A cell's neighbours"),
        choices=_RADIUS_CHOICES,
        required=False,
        coerce=int,
        empty_value=1,
    )

    def __init__(self, data: Any, *, force: Force, months: list[datetime.date]) -> None:
        super().__init__(data)
        self.fields["neighbourhood"].choices = [
            ("", _("The whole force")),
            *((n.code, n.name) for n in neighbourhoods_of(force)),
        ]
        self.fields["category"].choices = [
            (ALL_CRIME, ALL_CRIME_LABEL),
            *((c.value, c.label) for c in CrimeCategory),
        ]
        month_choices = [(f"{m:%Y-%m}", date_format(m, "YEAR_MONTH_FORMAT")) for m in months]
        self.fields["month_from"].choices = [("", _("12 months before the last")), *month_choices]
        self.fields["month_to"].choices = [("", _("The latest month")), *month_choices[::-1]]
        self.fields["cell"].choices = [
            ("", _("Chosen for the area")),
            *((size, _("%(metres)d metres") % {"metres": size}) for size in CELL_SIZES),
        ]


def _month(text: str | None) -> datetime.date | None:
    return datetime.date(int(text[:4]), int(text[5:7]), 1) if text else None


@require_safe
def force_hotspots(request: HttpRequest, force: str) -> HttpResponse:
    """Gi* hotspots of the force or one neighbourhood, with the spots and repeat locations."""
    try:
        found_force = get_force(force)
    except NotFound as error:
        raise Http404(error.message) from None
    months = counted_months(found_force)
    form = HotspotForm(request.GET, force=found_force, months=months)
    context: dict[str, Any] = {"force": found_force, "form": form, "has_data": bool(months)}
    status = 200
    if months and form.is_valid():
        data = form.cleaned_data
        last = _month(data["month_to"]) or months[-1]
        first = _month(data["month_from"]) or max(months[0], shift_month(last, -11))
        neighbourhood = next(
            (n for n in neighbourhoods_of(found_force) if n.code == data["neighbourhood"]), None
        )
        category = None if data["category"] in ("", ALL_CRIME) else data["category"]
        try:
            if first > last:
                raise DomainError(
                    _("The first month comes after the last: choose them the other way round."),
                    field="month_from",
                )
            found = hotspot_map(
                force=found_force,
                neighbourhoods=[neighbourhood] if neighbourhood else [],
                category=category,
                first_month=first,
                last_month=last,
                cell_metres=data["cell"],
                radius=data["radius"] or 1,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 400
        else:
            context.update(_shown(found, found_force, neighbourhood, category))
    elif months:
        status = 400
    return render(request, "crimedata/hotspots.html", context, status=status)


def _shown(
    found: HotspotMap,
    force: Force,
    neighbourhood: Any,
    category: str | None,
) -> dict[str, Any]:
    shades = {level: Shade(str(name), fill) for level, (fill, name) in _SHADES.items()}
    significant = [cell for cell in found.cells if cell.confidence]
    place = neighbourhood.name if neighbourhood else force.name
    what = category_name(category) if category else str(ALL_CRIME_LABEL)
    hot, cold = found.significant(), found.significant(hot=False)
    description = _(
        "%(hot)d hot and %(cold)d cold spots among %(cells)d cells of %(metres)d metres; "
        "the tables below list them."
    ) % {"hot": len(hot), "cold": len(cold), "cells": found.area_cells, "metres": found.cell_metres}
    api_query = urlencode(
        {
            key: value
            for key, value in {
                "neighbourhood": neighbourhood.code if neighbourhood else None,
                "category": category,
                "month_from": f"{found.first_month:%Y-%m}",
                "month_to": f"{found.last_month:%Y-%m}",
                "cell": found.cell_metres,
                "radius": found.radius,
            }.items()
            if value
        }
    )
    return {
        "found": found,
        "place": place,
        "what": what,
        # The tables list cells holding incidents: a cell next to a hot spot can be hot
        # itself with none of its own, and the map shows it.
        "hot": [cell for cell in hot if cell.incidents][:SPOTS_LISTED],
        "cold": cold[:SPOTS_LISTED],
        "map": area_map(
            bounds=found.bounds,
            outlines=found.outlines,
            cells=[(cell.bounds, shades[cell.confidence]) for cell in significant],
            title=_("Hotspots of %(what)s in %(place)s") % {"what": what, "place": place},
            description=description,
            chart_id="hotspot-map",
        ),
        "geojson_url": reverse("api:v1-force-hotspots", kwargs={"force": force.slug})
        + f"?{api_query}",
    }
