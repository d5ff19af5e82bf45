"""Forms for the watch pages: they parse input; the services decide."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts.forms import ServiceForm
from beatbridge.watch.models import MemberRole
from beatbridge.watch.services import TEAM_STATUSES

_LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class _LocalDateTimeField(forms.DateTimeField):
    """A date and time picker, read and shown in the site's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL_MINUTE)


class ProposeForm(ServiceForm):
    name = forms.CharField(
        label=_("Name of the scheme"),
        max_length=120,
        help_text=_("For example “Elm Road and Park Lane watch”."),
    )
    description = forms.CharField(
        label=_("About the scheme (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the scheme is for and who may join. Anyone can read this."),
    )
    streets = forms.CharField(
        label=_("Streets covered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One street per line. List the streets, draw the area, or both."),
    )
    area = forms.CharField(
        label=_("Area covered (optional, GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "A GeoJSON Polygon in longitude and latitude, inside the neighbourhood. "
            "Leave it empty to describe the scheme by its streets."
        ),
    )

    def clean_area(self) -> Any:
        text = self.cleaned_data["area"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(
                _("The area is not valid GeoJSON."), code="invalid_area"
            ) from None

    def proposal(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "description": self.cleaned_data["description"],
            "streets": self.cleaned_data["streets"].splitlines(),
            "area": self.cleaned_data["area"],
        }


class JoinForm(ServiceForm):
    note = forms.CharField(
        label=_("A note to the coordinators (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example “I live at the Elm Road end”. Only the coordinators see it."),
    )


class DecideSchemeForm(ServiceForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the proposer"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline: say why."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class StatusForm(ServiceForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(status.value, status.label) for status in TEAM_STATUSES],
    )


class DecideMembershipForm(ServiceForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class RoleForm(ServiceForm):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


class MessagesForm(ServiceForm):
    receives = forms.BooleanField(required=False)


class RotaSlotForm(ServiceForm):
    starts_at = _LocalDateTimeField(label=_("Starts"))
    ends_at = _LocalDateTimeField(label=_("Ends"))
    route = forms.CharField(
        label=_("Route or place (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example “Elm Road to the park gates”."),
    )
    places = forms.IntegerField(label=_("People needed"), min_value=1, max_value=50, initial=2)


class ReplyForm(ServiceForm):
    body = forms.CharField(
        label=_("Reply privately to the team"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the sender and the neighbourhood's team read replies."),
    )
