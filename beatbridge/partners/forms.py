"""Forms of the partners pages: they parse input into typed values; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts.forms import ServiceForm
from beatbridge.partners import services
from beatbridge.partners.models import (
    EngagementKind,
    Organisation,
    OrganisationKind,
    ReferralStatus,
)
from beatbridge.places.models import Force

# Blank rows on the engagement form: no JavaScript needed; a longer list goes in two entries.
CONCERN_ROWS = 3
FOLLOW_UP_ROWS = 3
_LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def _split(text: str, separator: str | None = ",") -> list[str]:
    parts = text.split(separator) if separator else text.splitlines()
    return [part.strip() for part in parts if part.strip()]


class NeighbourhoodsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "officer_profile", None)
        return (profile.display_name if profile is not None else "") or str(obj)


class DirectoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood served"), required=False)
    language = forms.CharField(label=_("Language code"), required=False, max_length=16)
    q = forms.CharField(
        label=_("Name or words"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    include_inactive = forms.BooleanField(label=_("Include former partners"), required=False)

    def __init__(self, data: Any = None, *, neighbourhoods: Any = ()) -> None:
        super().__init__(data, auto_id="filter_%s")
        self.fields["kind"].choices = [("", _("Any kind")), *OrganisationKind.choices]
        self.fields["neighbourhood"].choices = [
            ("", _("Any neighbourhood")),
            *((n.code, n.name) for n in neighbourhoods),
        ]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "kind": data.get("kind", ""),
            "neighbourhood_code": data.get("neighbourhood", ""),
            "language": data.get("language", ""),
            "search": data.get("q", ""),
            "include_inactive": bool(data.get("include_inactive")),
        }


class OrganisationForm(ServiceForm):
    force = forms.ModelChoiceField(label=_("Force"), queryset=Force.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    description = forms.CharField(
        label=_("About the organisation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    neighbourhoods = NeighbourhoodsField(
        label=_("Neighbourhoods served"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, so, es."),
    )
    help_offered = forms.CharField(
        label=_("Can help with"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. youth mentoring."),
    )
    website = forms.CharField(label=_("Website"), required=False, max_length=200)
    email = forms.CharField(label=_("Organisation e-mail"), required=False, max_length=254)
    telephone = forms.CharField(label=_("Organisation telephone"), required=False, max_length=40)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Active partner"), required=False, initial=True)

    def __init__(
        self, data: Any = None, *, neighbourhoods: Any, forces: Any = None, initial: Any = None
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["neighbourhoods"].queryset = neighbourhoods
        if forces is None:
            del self.fields["force"]
        else:
            self.fields["force"].queryset = forces

    @classmethod
    def initial_of(cls, organisation: Organisation) -> dict[str, Any]:
        return {
            "name": organisation.name,
            "kind": organisation.kind,
            "description": organisation.description,
            "neighbourhoods": list(organisation.neighbourhoods.all()),
            "languages": ", ".join(organisation.languages),
            "help_offered": "\n".join(organisation.help_offered),
            "website": organisation.website,
            "email": organisation.email,
            "telephone": organisation.telephone,
            "address": organisation.address,
            "is_active": organisation.is_active,
        }

    def details(self) -> services.OrganisationDetails:
        data = self.cleaned_data
        return services.OrganisationDetails(
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            neighbourhoods=list(data["neighbourhoods"]),
            languages=_split(data["languages"]),
            help_offered=_split(data["help_offered"], None),
            website=data["website"],
            email=data["email"],
            telephone=data["telephone"],
            address=data["address"],
            is_active=data["is_active"],
        )


class ContactForm(ServiceForm):
    email = forms.CharField(
        label=_("E-mail address of their account"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("The person signs up first; then they can act for the organisation."),
    )
    job_title = forms.CharField(label=_("Job title"), required=False, max_length=120)
    is_primary = forms.BooleanField(label=_("Main contact"), required=False)


class EngagementForm(ServiceForm):
    """An engagement with blank rows for concerns and follow-ups; empty rows are ignored."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EngagementKind.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL_MINUTE),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood (optional)"), queryset=None, required=False
    )
    summary = forms.CharField(
        label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 5})
    )
    topics = forms.CharField(label=_("Topics"), required=False, help_text=_("Separated by commas."))
    shared_with_partner = forms.BooleanField(
        label=_("Share with the organisation"),
        required=False,
        initial=True,
        help_text=_("Its contacts see the summary, topics, concerns and follow-ups."),
    )
    internal_note = forms.CharField(
        label=_("Internal note (police only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Never shown to the organisation."),
    )

    def __init__(self, data: Any = None, *, neighbourhoods: Any, owners: Any, me: Any) -> None:
        super().__init__(data, initial={"follow_up_0_owner": me.pk})
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["neighbourhood"].label_from_instance = lambda n: n.name
        for index in range(CONCERN_ROWS):
            self.fields[f"concerns.{index}"] = forms.CharField(
                label=_("Concern %(number)d") % {"number": index + 1},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for index in range(FOLLOW_UP_ROWS):
            number = {"number": index + 1}
            self.fields[f"follow_ups.{index}"] = forms.CharField(
                label=_("Follow-up %(number)d: what was agreed") % number,
                required=False,
                max_length=500,
            )
            self.fields[f"follow_up_{index}_due_on"] = forms.DateField(
                label=_("Follow-up %(number)d: due on") % number,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"follow_up_{index}_owner"] = PersonChoiceField(
                label=_("Follow-up %(number)d: owner") % number,
                queryset=owners,
                required=False,
            )

    def concerns(self) -> list[str]:
        data = self.cleaned_data
        return [data[f"concerns.{i}"] for i in range(CONCERN_ROWS) if data[f"concerns.{i}"].strip()]

    def follow_ups(self) -> list[services.FollowUpDetails]:
        data = self.cleaned_data
        return [
            services.FollowUpDetails(
                description=data[f"follow_ups.{i}"],
                due_on=data[f"follow_up_{i}_due_on"],
                owner=data[f"follow_up_{i}_owner"],
            )
            for i in range(FOLLOW_UP_ROWS)
            if data[f"follow_ups.{i}"].strip()
        ]


class CompleteForm(ServiceForm):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(ServiceForm):
    owner = forms.ModelChoiceField(label=_("Give it to"), queryset=None)

    def __init__(self, data: Any = None, *, owners: Any) -> None:
        super().__init__(data)
        self.fields["owner"].queryset = owners


class ConcernToReportForm(ServiceForm):
    category = forms.ModelChoiceField(label=_("Report category"), queryset=None)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=None, required=False)

    def __init__(
        self, data: Any = None, *, categories: Any, neighbourhoods: Any, initial: Any = None
    ) -> None:
        super().__init__(data, initial=initial, auto_id="report_%s")
        self.fields["category"].queryset = categories
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["neighbourhood"].label_from_instance = lambda n: n.name


class ConcernToPriorityForm(ServiceForm):
    title = forms.CharField(label=_("Title of the candidate"), required=False, max_length=200)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=None, required=False)

    def __init__(self, data: Any = None, *, neighbourhoods: Any, initial: Any = None) -> None:
        super().__init__(data, initial=initial, auto_id="priority_%s")
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["neighbourhood"].label_from_instance = lambda n: n.name


class ReferralResponseForm(ServiceForm):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (ReferralStatus.ACCEPTED, _("Accept")),
            (ReferralStatus.DECLINED, _("Decline")),
            (ReferralStatus.CLOSED, _("Close (done)")),
        ],
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label=_("Response to the team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline or close."),
    )
