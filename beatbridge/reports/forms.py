"""Forms of the reporting pages: they check the shape of what was sent (numbers are
numbers, a choice is one of the choices) and hand everything else to
``services.submit_report``, whose refusals come back onto the fields they name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beatbridge.errors import DomainError
from beatbridge.reports.models import (
    Category,
    CategoryKind,
    CategoryQuestion,
    QuestionType,
    ReportKind,
)
from beatbridge.reports.photos import MAX_PHOTOS_PER_REPORT
from beatbridge.reports.services import Contact, Place, SuspiciousActivity

# Where a service's field name shows on the page: the place's parts share one fieldset.
PLACE_FIELDS = frozenset({"location", "latitude", "longitude", "address"})
# Lenient on purpose: a service refuses texts longer than its limits with a clearer message.
_TEXT_LIMIT = 20_000
PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Labels are questions and phrases: a colon after "What did the person do?" reads badly.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PresetForm(forms.Form):
    """Where a report is about, from a neighbourhood page's link or the form's hidden fields.

    Everything is optional and a bad value is ignored rather than refused: these only
    choose a starting point.
    """

    force = forms.SlugField(required=False, max_length=64)
    neighbourhood = forms.CharField(required=False, max_length=100)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180)

    def values(self) -> dict[str, Any]:
        """The fields that were given and good; a bad one is left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


@dataclass
class CategoryGroup:
    name: str
    categories: list[Category] = field(default_factory=list)


def grouped(categories: Iterable[Category]) -> list[CategoryGroup]:
    """Categories under their (translated) group headings, in the order given."""
    groups: dict[str, CategoryGroup] = {}
    for category in categories:
        name = category.local_group
        groups.setdefault(name, CategoryGroup(name)).categories.append(category)
    return list(groups.values())


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


def _photos_help() -> str:
    return gettext(
        "Up to %(count)d photos (JPEG, PNG or WebP). We remove the location and camera "
        "details stored in them. Never put yourself at risk to take one."
    ) % {"count": MAX_PHOTOS_PER_REPORT}


class PhotosField(forms.FileField):
    """Up to ``MAX_PHOTOS_PER_REPORT`` files; what they are is checked by the service."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos (optional)"))
        # Lazy: a form class holds this field from import time, before any language is active.
        kwargs.setdefault("help_text", lazy(_photos_help, str)())
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": PHOTO_TYPES})

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, (list, tuple)) else [data]
        return [upload for upload in files if upload]


def _answer_field(question: CategoryQuestion) -> forms.Field:
    """A form field for one of the category's questions, shaped by its Open311 datatype."""
    options: dict[str, Any] = {
        "label": question.translated("prompt"),
        "help_text": question.translated("help_text"),
        "required": False,
    }
    attrs = {"required": True} if question.required else {}
    if question.datatype == QuestionType.MULTIPLE_CHOICE:
        widget: forms.Widget = forms.CheckboxSelectMultiple(choices=question.choice_pairs())
        # A plain Field keeps the list of ticked keys as it is.
        return forms.Field(widget=widget, **options)
    if question.datatype == QuestionType.SINGLE_CHOICE:
        widget = forms.RadioSelect(choices=question.choice_pairs(), attrs=attrs)
    elif question.datatype == QuestionType.TEXT:
        widget = forms.Textarea(attrs={"rows": 3, **attrs})
    elif question.datatype == QuestionType.NUMBER:
        widget = forms.NumberInput(attrs={"step": "any", **attrs})
    elif question.datatype == QuestionType.DATETIME:
        widget = forms.DateTimeInput(attrs={"type": "datetime-local", **attrs})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(widget=widget, max_length=_TEXT_LIMIT, strip=True, **options)


def attribute_name(code: str) -> str:
    """The input name of a question's answer, as Open311 names attributes."""
    return f"attribute[{code}]"


class ReportForm(_Form):
    """A concern, a suspicious-activity report or an anonymous tip in one category.

    Fields depend on the kind: suspicious activity asks what the person did before the
    description; a tip has no contact details; signed-in residents are the reporter,
    so they are not asked for contact details either.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    category = forms.CharField(widget=forms.HiddenInput, max_length=64)
    force = forms.SlugField(widget=forms.HiddenInput, required=False)
    neighbourhood = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        kind: str,
        category: Category,
        signed_in: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, files, **kwargs)
        self.kind = kind
        self.category = category
        # A tip in a suspicious-activity category is held to the same rule as a report.
        self.asks_behaviour = (
            kind == ReportKind.SUSPICIOUS_ACTIVITY
            or category.kind == CategoryKind.SUSPICIOUS_ACTIVITY
        )
        self.place_errors: list[str] = []
        if data is None:
            self.initial.setdefault("submission_key", uuid.uuid4())
        self.initial.setdefault("category", category.code)
        self.question_names = []
        for question in category.questions.all():
            name = attribute_name(question.code)
            self.fields[name] = _answer_field(question)
            self.question_names.append(name)
        if self.asks_behaviour:
            self.fields["behaviour"] = forms.CharField(
                label=_("What did the person do?"),
                help_text=_(
                    "Describe actions you saw: for example trying car door handles, "
                    "looking into windows, or following someone. How someone looks is "
                    "not by itself a reason to report them."
                ),
                widget=forms.Textarea(attrs={"rows": 4, "required": True}),
                required=False,
                max_length=_TEXT_LIMIT,
            )
            for name, label, help_text in (
                (
                    "seen_at",
                    _("When did it happen? (optional)"),
                    _("For example: today about 9 pm, or Tuesday morning."),
                ),
                ("direction", _("Which way did they go? (optional)"), ""),
                (
                    "vehicle",
                    _("Any vehicle? (optional)"),
                    _("Make, colour, number plate, or how they travelled."),
                ),
            ):
                self.fields[name] = forms.CharField(
                    label=label, help_text=help_text, required=False, max_length=_TEXT_LIMIT
                )
        self.fields["description"] = forms.CharField(
            label=(
                _("Anything else we should know?")
                if self.asks_behaviour
                else _("What is happening?")
            ),
            help_text=(
                _("You may describe the person here, after what they did.")
                if self.asks_behaviour
                else _("Say what you saw, when it happens and who it affects.")
            ),
            widget=forms.Textarea(attrs={"rows": 5, "required": True}),
            required=False,
            max_length=_TEXT_LIMIT,
        )
        self.fields["latitude"] = forms.FloatField(
            label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
        )
        self.fields["longitude"] = forms.FloatField(
            label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
        )
        self.fields["address"] = forms.CharField(
            label=_("Address or landmark"),
            help_text=_("For example: a street corner, a shop, a bus stop or a house number."),
            required=False,
            max_length=_TEXT_LIMIT,
        )
        self.fields["photos"] = PhotosField()
        if kind != ReportKind.TIP:
            self.fields["is_private"] = forms.BooleanField(
                label=_("Keep this off the public list"),
                help_text=_(
                    "The neighbourhood team still sees it. Otherwise the public list shows "
                    "the category, your description and an approximate place, never your "
                    "name or contact details."
                ),
                required=False,
            )
        self.asks_contact = kind != ReportKind.TIP and not signed_in
        if self.asks_contact:
            self.fields["name"] = forms.CharField(
                label=_("Your name (optional)"), required=False, max_length=_TEXT_LIMIT
            )
            self.fields["email"] = forms.CharField(
                label=_("Your e-mail address (optional)"),
                help_text=_("We write to you when the team answers."),
                required=False,
                max_length=_TEXT_LIMIT,
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            )
            self.fields["phone"] = forms.CharField(
                label=_("Your telephone number (optional)"),
                required=False,
                max_length=_TEXT_LIMIT,
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            )
            self.fields["name"].widget.attrs["autocomplete"] = "name"

    # --- what the page shows, part by part ---

    def questions(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_names]

    def activity_fields(self) -> list[forms.BoundField]:
        names = ("behaviour", "seen_at", "direction", "vehicle")
        return [self[name] for name in names if name in self.fields]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "email", "phone") if name in self.fields]

    def has_place_errors(self) -> bool:
        return bool(
            self.place_errors
            or any(self.errors.get(name) for name in PLACE_FIELDS & {*self.fields})
        )

    def guardrail_refused(self) -> bool:
        return any(
            error.code.startswith("guardrail_")
            for error in self.errors.as_data().get("behaviour", [])
            if error.code
        )

    # --- what the service gets ---

    def answers(self) -> dict[str, Any]:
        answers = {}
        for question in self.category.questions.all():
            value = self.cleaned_data.get(attribute_name(question.code))
            if value not in (None, "", []):
                answers[question.code] = value
        return answers

    def place(self, neighbourhood: Any) -> Place:
        return Place(
            latitude=self.cleaned_data.get("latitude"),
            longitude=self.cleaned_data.get("longitude"),
            address=self.cleaned_data.get("address", ""),
            neighbourhood=neighbourhood,
        )

    def suspicious_activity(self) -> SuspiciousActivity | None:
        if not self.asks_behaviour:
            return None
        return SuspiciousActivity(
            behaviour=self.cleaned_data.get("behaviour", ""),
            seen_at=self.cleaned_data.get("seen_at", ""),
            direction=self.cleaned_data.get("direction", ""),
            vehicle=self.cleaned_data.get("vehicle", ""),
        )

    def contact(self) -> Contact | None:
        if not self.asks_contact:
            return None
        return Contact(
            name=self.cleaned_data.get("name", ""),
            email=self.cleaned_data.get("email", ""),
            phone=self.cleaned_data.get("phone", ""),
        )

    def refuse(self, error: DomainError) -> None:
        """Show a service's refusal where the person will look for it."""
        name = error.field or ""
        if name == "location":
            self.place_errors.append(error.message)
            return
        if name == "contact":
            name = "name"
        add_error(self, name, error)

    def fresh_submission_key(self) -> None:
        """Give the form a new key, so the next press makes a new report."""
        data = self.data.copy()
        data["submission_key"] = str(uuid.uuid4())
        self.data = data


def add_error(form: forms.Form, name: str, error: DomainError) -> None:
    """A service's refusal on the field it names, or on the whole form."""
    field_name = name if name in form.fields else None
    form.add_error(field_name, forms.ValidationError(error.message, code=error.code))


class FollowUpCodeForm(_Form):
    code = forms.CharField(
        label=_("Your follow-up code"),
        help_text=_(
            "The code you were given when you sent your tip or report, like ABCD-EFGH-JKMN-PQRS."
        ),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class AddInformationForm(_Form):
    """More from the reporter: text and, optionally, photos."""

    text = forms.CharField(
        label=_("What would you like to add?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=_TEXT_LIMIT,
        required=False,
    )
    photos = PhotosField()

    def refuse(self, error: DomainError) -> None:
        add_error(self, error.field or "", error)

    def uploads(self) -> Sequence[UploadedFile]:
        return self.cleaned_data.get("photos") or []


class PublicListForm(_Form):
    open_only = forms.BooleanField(label=_("Only reports still open"), required=False)
