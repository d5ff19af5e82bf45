"""Forms for the notify pages: they parse input; the services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts.forms import ServiceForm, add_domain_error
from beatbridge.errors import DomainError, TooManyRequests
from beatbridge.notify.models import AlertCategory, Audience, Severity
from beatbridge.notify.services import MESSAGE_MAX, TITLE_MAX

_LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def _language_name(code: str) -> str:
    return get_language_info(code)["name_local"]


class ReplyForm(ServiceForm):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the team that sent the alert reads it. It is not for emergencies."),
    )


class FollowAreaForm(ServiceForm):
    """A circle around a point: typed in, or put on the map (the map fills these in)."""

    label = forms.CharField(
        label=_("A name for this place (optional)"),
        max_length=60,
        required=False,
        help_text=_("For example “Home” or “My child's school”. Only you see it."),
    )
    latitude = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.NumberInput({"step": "any"})
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput({"step": "any"}),
    )
    radius_metres = forms.IntegerField(
        label=_("Radius in metres"),
        min_value=100,
        max_value=5000,
        initial=500,
        help_text=_("Between 100 and 5,000 metres."),
    )


class PreferencesForm(ServiceForm):
    """How a person hears: the fields ``services.update_preferences`` takes, by name."""

    email_enabled = forms.BooleanField(label=_("By e-mail"), required=False)
    sms_enabled = forms.BooleanField(label=_("By text message"), required=False)
    phone_number = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("In international form, for example +447700900123."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    webhook_enabled = forms.BooleanField(label=_("To a webhook"), required=False)
    webhook_url = forms.CharField(
        label=_("Webhook address"),
        max_length=200,
        required=False,
        help_text=_("An https address of your organisation's system. Each post is signed."),
        widget=forms.URLInput(),
    )
    minimum_severity = forms.ChoiceField(
        label=_("Least serious alert to send by e-mail, text or webhook"),
        choices=Severity.choices,
        help_text=_("Your inbox here always has every alert for the places you follow."),
    )
    quiet_hours_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("No e-mail or text messages in these hours, except urgent alerts."),
    )
    daily_digest = forms.BooleanField(
        label=_("Gather information and advice into one e-mail a day"), required=False
    )

    @classmethod
    def for_preferences(cls, preferences: Any) -> PreferencesForm:
        return cls(initial={name: getattr(preferences, name) for name in cls.base_fields})

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def _translation_fields() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class NeighbourhoodsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class SectorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.force.name})"


class SchemeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.neighbourhood.name})"


class ComposeForm(ServiceForm):
    """An alert: what it says, how serious, in which languages, and who it reaches.

    Only the audiences the sender may use are offered (``neighbourhoods``, ``sectors``,
    ``schemes`` are what the selectors allow this person); the service checks again.
    """

    severity = forms.ChoiceField(label=_("How serious"), choices=Severity.choices)
    category = forms.ChoiceField(label=_("Category"), choices=AlertCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    message = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    original_language = forms.ChoiceField(label=_("Written in"))
    audience = forms.ChoiceField(label=_("Send it to"), widget=forms.RadioSelect)
    neighbourhoods = NeighbourhoodsField(
        label=_("Followers of these neighbourhoods"), queryset=None, required=False
    )
    sector = SectorField(
        label=_("Followers of every neighbourhood in this sector"), queryset=None, required=False
    )
    scheme = SchemeField(label=_("Members of this watch scheme"), queryset=None, required=False)
    latitude = forms.FloatField(
        label=_("Centre: latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput({"step": "any"}),
    )
    longitude = forms.FloatField(
        label=_("Centre: longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput({"step": "any"}),
    )
    radius_metres = forms.IntegerField(
        label=_("Radius in metres"),
        required=False,
        min_value=50,
        max_value=50_000,
        help_text=_("Everyone following a place within this distance of the centre."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL_MINUTE),
        help_text=_(
            "After this it is no longer sent. Blank: a day for urgent alerts, three days for "
            "warnings, a week or two for the rest."
        ),
    )

    def __init__(
        self,
        *args: Any,
        neighbourhoods: list[Any],
        sectors: list[Any],
        schemes: list[Any],
        may_send_urgent: bool,
        may_alert_area: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhoods"].queryset = _queryset_of(neighbourhoods, "neighbourhoods")
        self.fields["sector"].queryset = _queryset_of(sectors, "sector")
        self.fields["scheme"].queryset = _queryset_of(schemes, "scheme")
        self.fields["original_language"].choices = [
            (code, _language_name(code)) for code in _translation_fields()
        ]
        self.fields["original_language"].initial = (get_language() or "en").split("-")[0]
        audiences = dict(Audience.choices)
        offered = []
        if neighbourhoods:
            offered.append(Audience.NEIGHBOURHOODS)
        if sectors:
            offered.append(Audience.SECTOR)
        if may_alert_area:
            offered.append(Audience.AREA)
        if schemes:
            offered.append(Audience.SCHEME)
        self.fields["audience"].choices = [(a.value, audiences[a]) for a in offered]
        if len(offered) == 1:
            self.fields["audience"].initial = offered[0].value
        for name, unused in (
            ("neighbourhoods", not neighbourhoods),
            ("sector", not sectors),
            ("scheme", not schemes),
        ):
            if unused:
                del self.fields[name]
        if not may_alert_area:
            for name in ("latitude", "longitude", "radius_metres"):
                del self.fields[name]
        if not may_send_urgent:
            self.fields["severity"].choices = [
                choice for choice in Severity.choices if choice[0] != Severity.URGENT
            ]
        for code in _translation_fields():
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": _language_name(code)},
                max_length=TITLE_MAX,
                required=False,
                # What is typed is in that language (and Arabic runs right to left).
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )
            self.fields[f"message_{code}"] = forms.CharField(
                label=_("Message in %(language)s") % {"language": _language_name(code)},
                max_length=MESSAGE_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code, "dir": "auto"}),
            )

    @property
    def content_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("severity", "category", "title", "message")]

    @property
    def translation_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (code, self[f"title_{code}"], self[f"message_{code}"]) for code in _translation_fields()
        ]

    @property
    def area_fields(self) -> list[forms.BoundField]:
        names = ("latitude", "longitude", "radius_metres")
        return [self[name] for name in names if name in self.fields]

    def clean_expires_at(self) -> datetime.datetime | None:
        value = self.cleaned_data.get("expires_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    def arguments(self) -> dict[str, Any]:
        """The form as ``services.send_alert`` takes it."""
        data = self.cleaned_data
        translations = {}
        for code in _translation_fields():
            texts = {
                name: data.get(f"{name}_{code}", "")
                for name in ("title", "message")
                if data.get(f"{name}_{code}", "").strip()
            }
            if texts:
                translations[code] = texts
        return {
            "severity": data["severity"],
            "category": data["category"],
            "title": data["title"],
            "message": data["message"],
            "original_language": data["original_language"],
            "audience": data["audience"],
            "neighbourhoods": list(data.get("neighbourhoods") or []),
            "sector": data.get("sector"),
            "scheme": data.get("scheme"),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "radius_metres": data.get("radius_metres"),
            "expires_at": data.get("expires_at"),
            "translations": translations,
        }

    def call_service(self, service: Any, /, **arguments: Any) -> Any:
        """As ServiceForm, with a refusal of ``translations.es.title`` shown on ``title_es``."""
        try:
            return service(**arguments)
        except DomainError as error:
            if error.field and error.field.startswith("translations."):
                parts = error.field.split(".")
                name = f"{parts[2]}_{parts[1]}" if len(parts) == 3 else None
                error.field = name if name in self.fields else None
            if error.field == "longitude" and "longitude" not in self.fields:
                error.field = None
            add_domain_error(self, error)
            if isinstance(error, TooManyRequests):
                self.status = error.status
            return None


def _queryset_of(objects: list[Any], name: str) -> Any:
    """The objects the selectors allowed, as a queryset a choice field can validate against."""
    from beatbridge.notify.models import Alert

    model = {
        "neighbourhoods": Alert.neighbourhoods.field.related_model,
        "sector": Alert.sector.field.related_model,
        "scheme": Alert.scheme.field.related_model,
    }[name]
    related = {
        "neighbourhoods": ("force",),
        "sector": ("force",),
        "scheme": ("neighbourhood",),
    }[name]
    return (
        model.objects.filter(pk__in=[obj.pk for obj in objects])
        .select_related(*related)
        .order_by("name")
    )
