"""Forms of the problem-solving pages: they parse input into typed values; the services decide.

A drawn area is GeoJSON typed (or drawn on the map) into a textarea; a month is "YYYY-MM".
Whatever the service refuses comes back on the field it names (``call_service``).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts.forms import ServiceForm, add_domain_error
from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.errors import DomainError, TooManyRequests
from beatbridge.problems.models import ActionStatus, Decision
from beatbridge.web.languages import language_name

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_OFFICER, _ORGANISATION = "officer", "organisation"
# The service names a period; the form asks for its two months.
_PERIOD_FIELDS = {"before": "before_first", "after": "after_first"}


def _category_choices() -> list[tuple[str, Any]]:
    return [("", _("Any category")), *CrimeCategory.choices]


class GeoJSONField(forms.CharField):
    """A GeoJSON geometry typed or pasted as text; the service checks its shape."""

    default_error_messages = {
        "invalid": _(
            "Give the area as a GeoJSON Polygon, e.g. "
            '{"type": "Polygon", "coordinates": [[[lon, lat], …, the first point again]]}.'
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "geojson-input"}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return json.dumps(value) if isinstance(value, dict) else value

    def to_python(self, value: Any) -> dict[str, Any] | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            geometry = json.loads(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not isinstance(geometry, dict):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return geometry


class MonthField(forms.CharField):
    """A month as "YYYY-MM" (what a month input sends), as the first day of that month."""

    default_error_messages = {
        "invalid": _("Give a month as YYYY-MM, e.g. 2024-03."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "maxlength": "7"}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        found = _MONTH.match(text.strip())
        if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(int(found[1]), int(found[2]), 1)


class NeighbourhoodsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


def _area_help() -> Any:
    return _(
        "Optional. A GeoJSON Polygon in longitude, latitude order; its ring ends on its "
        "first point. With JavaScript, draw it on the map instead."
    )


class StartForm(ServiceForm):
    """A new project: where, what, since when, and what it was found in."""

    neighbourhoods = NeighbourhoodsField(
        label=_("Neighbourhoods"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(
        label=_("The problem"),
        max_length=200,
        required=False,
        help_text=_("A recurring problem in a place, e.g. “Car break-ins at the Leary Way lot”."),
    )
    description = forms.CharField(
        label=_("What happens, to whom, when"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    since = forms.DateField(
        label=_("Since when (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    crime_category = forms.ChoiceField(
        label=_("Crime series (optional)"),
        required=False,
        help_text=_("The category of recorded crime this problem shows in, if any."),
    )
    area = GeoJSONField(label=_("Area"), required=False)
    street_points = forms.TypedMultipleChoiceField(
        label=_("Street points"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The busiest places of the last 12 months with data."),
    )
    reports = forms.TypedMultipleChoiceField(
        label=_("Linked reports (optional)"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The 50 most recent reports of the neighbourhood."),
    )
    priorities = forms.TypedMultipleChoiceField(
        label=_("Linked priorities (optional)"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The 50 most recent priorities of the neighbourhood."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        neighbourhoods: Any,
        street_points: Sequence[tuple[int, str]] = (),
        reports: Sequence[tuple[int, str]] = (),
        priorities: Sequence[tuple[int, str]] = (),
        initial: Any = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["neighbourhoods"].queryset = neighbourhoods
        self.fields["crime_category"].choices = _category_choices()
        self.fields["area"].help_text = _area_help()
        for name, choices in (
            ("street_points", street_points),
            ("reports", reports),
            ("priorities", priorities),
        ):
            if choices:
                self.fields[name].choices = list(choices)
            else:
                del self.fields[name]

    def arguments(self) -> dict[str, Any]:
        """The form as ``services.start_project`` takes it."""
        data = self.cleaned_data
        return {
            "neighbourhoods": list(data["neighbourhoods"]),
            "title": data["title"],
            "description": data["description"],
            "since": data["since"],
            "area": data["area"],
            "crime_category": data["crime_category"],
            "street_point_ids": data.get("street_points") or [],
            "report_ids": data.get("reports") or [],
            "priority_ids": data.get("priorities") or [],
        }


class ProjectForm(ServiceForm):
    """A form of the project page; ``arguments`` is what its service takes from it."""

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DetailsForm(ProjectForm):
    """The scanning details, changed after the start."""

    title = StartForm.base_fields["title"]
    description = StartForm.base_fields["description"]
    since = StartForm.base_fields["since"]
    crime_category = forms.ChoiceField(label=_("Crime series (optional)"), required=False)
    area = GeoJSONField(label=_("Area"), required=False)

    def __init__(self, data: Any = None, *, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        self.fields["crime_category"].choices = _category_choices()
        self.fields["area"].help_text = _area_help()

    @classmethod
    def initial_of(cls, project: Any) -> dict[str, Any]:
        initial = {name: getattr(project, name) for name in cls.base_fields if name != "area"}
        return {**initial, "area": json.dumps(project.area) if project.area else ""}

    def arguments(self) -> dict[str, Any]:
        """The form as ``services.update_project`` takes it: an empty area removes it."""
        data = dict(self.cleaned_data)
        data["area"] = data["area"] or {}
        return data


class TriangleForm(ProjectForm):
    """The problem-analysis triangle: each side, and who can act on it."""

    offender = forms.CharField(
        label=_("Offender"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    handler = forms.CharField(
        label=_("Handler: who can influence the offender"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target = forms.CharField(
        label=_("Victim or target"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guardian = forms.CharField(
        label=_("Guardian: who can protect the target"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    place = forms.CharField(
        label=_("Place"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    manager = forms.CharField(
        label=_("Manager: who is responsible for the place"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def initial_of(cls, project: Any) -> dict[str, str]:
        return {name: getattr(project, name) for name in cls.base_fields}


class QuestionForm(ProjectForm):
    question = forms.CharField(
        label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    finding = forms.CharField(
        label=_("What was found, if known"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FindingForm(ProjectForm):
    finding = forms.CharField(
        label=_("Finding"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InviteForm(ProjectForm):
    organisation = OrganisationField(
        label=_("Partner organisation"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose an active partner of this force.")},
    )

    def __init__(self, data: Any = None, *, organisations: Any) -> None:
        super().__init__(data, auto_id="id_invite_%s")
        self.fields["organisation"].queryset = organisations


class ActionForm(ProjectForm):
    """A planned action and its one owner: an officer of the force or an invited partner."""

    description = forms.CharField(
        label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ChoiceField(label=_("Owner"))
    due_on = forms.DateField(
        label=_("Due (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        officers: Sequence[tuple[int, str]],
        organisations: Sequence[tuple[int, str]],
        initial: Any = None,
    ) -> None:
        super().__init__(data, initial=initial, auto_id="id_action_%s")
        groups: list[tuple[Any, Any]] = [("", _("Choose an owner"))]
        if officers:
            groups.append((_("Officers"), [(f"{_OFFICER}:{pk}", name) for pk, name in officers]))
        if organisations:
            groups.append(
                (
                    _("Invited partners"),
                    [(f"{_ORGANISATION}:{pk}", name) for pk, name in organisations],
                )
            )
        self.fields["owner"].choices = groups

    def arguments(self) -> dict[str, Any]:
        """The form as ``services.add_action`` takes it."""
        kind, _colon, pk = self.cleaned_data["owner"].partition(":")
        return {
            "description": self.cleaned_data["description"],
            "owner_officer_id": int(pk) if kind == _OFFICER else None,
            "owner_organisation_id": int(pk) if kind == _ORGANISATION else None,
            "due_on": self.cleaned_data["due_on"],
        }


class ActionUpdateForm(ProjectForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_of(cls, action: Any) -> dict[str, str]:
        return {"status": action.status, "note": action.note}


class AssessForm(ProjectForm):
    """Before and after in the response area, against a comparison area and a buffer."""

    response_area = GeoJSONField(
        label=_("Response area"),
        help_text=_(
            "Where the response worked, as a GeoJSON Polygon: the project's area to start."
        ),
    )
    comparison_area = GeoJSONField(
        label=_("Comparison area"),
        help_text=_(
            "A similar place the response did not touch, as a GeoJSON Polygon: outside the "
            "response area and its buffer."
        ),
    )
    buffer_metres = forms.IntegerField(
        label=_("Displacement buffer (metres)"),
        initial=200,
        help_text=_("The ring around the response area where crime may have moved to."),
    )
    before_first = MonthField(label=_("Before: first month"))
    before_last = MonthField(label=_("Before: last month"))
    after_first = MonthField(label=_("After: first month"))
    after_last = MonthField(label=_("After: last month"))
    crime_category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, data: Any = None, *, initial: Any = None) -> None:
        super().__init__(data, initial=initial, auto_id="id_assess_%s")
        self.fields["crime_category"].choices = _category_choices()

    @property
    def period_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (_("Before"), [self["before_first"], self["before_last"]]),
            (_("After"), [self["after_first"], self["after_last"]]),
        ]

    @property
    def area_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("response_area", "comparison_area", "buffer_metres")]

    def arguments(self) -> dict[str, Any]:
        """The form as ``services.assess`` takes it."""
        data = self.cleaned_data
        return {
            "response_area": data["response_area"],
            "comparison_area": data["comparison_area"],
            "buffer_metres": data["buffer_metres"],
            "before": (data["before_first"], data["before_last"]),
            "after": (data["after_first"], data["after_last"]),
            "crime_category": data["crime_category"],
        }

    def call_service(self, service: Any, /, **arguments: Any) -> Any:
        """As ServiceForm, with a refusal of a period shown on its first month."""
        try:
            return service(**arguments)
        except DomainError as error:
            error.field = _PERIOD_FIELDS.get(error.field or "", error.field)
            add_domain_error(self, error)
            return None


class DecisionForm(ProjectForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    decision_note = forms.CharField(
        label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def arguments(self) -> dict[str, Any]:
        """The form as ``services.decide`` takes it."""
        return {
            "decision": self.cleaned_data["decision"],
            "note": self.cleaned_data["decision_note"],
        }


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class PublishForm(ProjectForm):
    """The public summary, the language it is written in, and its translations."""

    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What the problem was, what was done and how it turned out, for the "
            "neighbourhood's page. No names, no addresses."
        ),
    )
    original_language = forms.ChoiceField(label=_("Written in"))

    def __init__(self, data: Any = None, *, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        self.fields["original_language"].choices = [
            (code, language_name(code)) for code in _languages()
        ]
        self.fields["original_language"].initial = (get_language() or "en").split("-")[0]
        for code in _languages():
            self.fields[f"public_summary_{code}"] = forms.CharField(
                label=_("Summary in %(language)s (optional)") % {"language": language_name(code)},
                required=False,
                # What is typed is in that language (and Arabic runs right to left).
                widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "auto"}),
            )

    @classmethod
    def initial_of(cls, project: Any) -> dict[str, str]:
        initial = {"public_summary": project.public_summary}
        if project.original_language:
            initial["original_language"] = project.original_language
        for code, texts in (project.translations or {}).items():
            initial[f"public_summary_{code}"] = texts.get("public_summary", "")
        return initial

    @property
    def summary_fields(self) -> list[forms.BoundField]:
        return [self["public_summary"], self["original_language"]]

    @property
    def translation_fields(self) -> list[forms.BoundField]:
        return [self[f"public_summary_{code}"] for code in _languages()]

    def arguments(self) -> dict[str, Any]:
        """The form as ``services.publish_summary`` takes it."""
        data = self.cleaned_data
        return {
            "summary": data["public_summary"],
            "original_language": data["original_language"],
            "translations": {
                code: {"public_summary": data[f"public_summary_{code}"]}
                for code in _languages()
                if data.get(f"public_summary_{code}", "").strip()
            },
        }

    def call_service(self, service: Any, /, **arguments: Any) -> Any:
        """As ServiceForm, with a refusal of ``translations.es.public_summary`` on
        ``public_summary_es``."""
        try:
            return service(**arguments)
        except DomainError as error:
            if error.field and error.field.startswith("translations."):
                parts = error.field.split(".")
                name = f"{parts[2]}_{parts[1]}" if len(parts) == 3 else None
                error.field = name if name in self.fields else None
            add_domain_error(self, error)
            if isinstance(error, TooManyRequests):
                self.status = error.status
            return None


class ButtonForm(ProjectForm):
    """A form that is one button (move on a stage, take a snapshot, withdraw the summary):
    a refusal shows beside the button."""
