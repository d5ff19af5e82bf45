"""Forms for the public pages: searching neighbourhoods by name and locating a point."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from beatbridge.places.models import fold_for_search

# Fewer letters than this match most of a city; we ask for more instead.
SEARCH_MIN_LENGTH = 2


class SearchForm(forms.Form):
    """A neighbourhood name, or part of one; accents and case do not matter."""

    q = forms.CharField(
        label=_("Neighbourhood name"),
        max_length=200,
        error_messages={"required": _("Type the name of your neighbourhood, or part of it.")},
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"].strip()
        if len(fold_for_search(query)) < SEARCH_MIN_LENGTH:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Type at least %(count)d letter of the neighbourhood's name.",
                    "Type at least %(count)d letters of the neighbourhood's name.",
                    "count",
                ),
                code="too_short",
                params={"count": SEARCH_MIN_LENGTH},
            )
        return query


class LocateForm(forms.Form):
    """A point in WGS84 degrees, as a phone's location or a map gives it."""

    latitude = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        help_text=_("Degrees north of the equator, between -90 and 90, e.g. 47.6062."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        help_text=_("Degrees east of Greenwich, between -180 and 180, e.g. -122.3321."),
    )
