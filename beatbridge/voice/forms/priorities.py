"""Forms for the priority pages: they parse input; the services decide.

Each team action's form has a ``slug``: the URL segment it is posted to, and the id of the
panel that shows it with its errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts.forms import add_domain_error
from beatbridge.errors import DomainError
from beatbridge.voice.models import Cycle, Meeting, Priority, PrioritySource, PriorityStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class _Form(forms.Form):
    slug = ""

    def refuse(self, error: DomainError) -> None:
        """Show a service's refusal on the field it names, or on the whole form."""
        add_domain_error(self, error)


class ProposalForm(_Form):
    title = forms.CharField(
        label=Priority._meta.get_field("title").verbose_name,
        help_text=Priority._meta.get_field("title").help_text,
        max_length=200,
    )
    place = forms.CharField(label=_("Where (optional)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("More detail (optional)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class CycleForm(_Form):
    slug = "create"

    title = forms.CharField(label=_("Title"), help_text=_("For example “Spring 2026”."))
    starts_on = forms.DateField(
        label=_("Proposals open on"), widget=DateInput(), help_text=_("The cycle starts.")
    )
    voting_opens_on = forms.DateField(label=_("Voting opens on"), widget=DateInput())
    voting_closes_on = forms.DateField(
        label=_("Voting closes on"), widget=DateInput(), help_text=_("The last day of voting.")
    )
    ends_on = forms.DateField(
        label=_("The cycle ends on"),
        widget=DateInput(),
        help_text=_("The team works on the adopted priorities until then."),
    )
    votes_per_person = forms.IntegerField(label=_("Votes per person"), initial=3)
    max_adopted = forms.IntegerField(label=_("Priorities adopted at most"), initial=3)
    requires_verified_residency = forms.BooleanField(
        label=Cycle._meta.get_field("requires_verified_residency").verbose_name,
        help_text=Cycle._meta.get_field("requires_verified_residency").help_text,
        required=False,
    )


class CandidateForm(_Form):
    slug = "candidate"

    title = forms.CharField(
        label=Priority._meta.get_field("title").verbose_name,
        help_text=Priority._meta.get_field("title").help_text,
        max_length=200,
    )
    place = forms.CharField(label=_("Where (optional)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("More detail (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    source = forms.ChoiceField(
        label=_("Where it comes from"),
        choices=[
            (value, label)
            for value, label in PrioritySource.choices
            if value != PrioritySource.RESIDENT
        ],
    )
    source_reference = forms.CharField(
        label=_("Source reference"),
        help_text=_(
            "Report references separated by commas, a meeting's number, or the crime "
            "figures (category and months). Optional for the team's own candidates."
        ),
        max_length=200,
        required=False,
    )


class MeetingVotesForm(_Form):
    slug = "meeting-votes"

    priority = forms.TypedChoiceField(label=_("Candidate"), coerce=int)
    meeting = forms.TypedChoiceField(label=_("Meeting"), coerce=int)
    count = forms.IntegerField(label=_("Hands raised"))

    def __init__(
        self, *args: Any, candidates: list[Priority], meetings: list[Meeting], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [(c.pk, c.translated("title")) for c in candidates]
        self.fields["meeting"].choices = [
            (m.pk, f"{m.translated('title')} ({m.starts_at:%Y-%m-%d})") for m in meetings
        ]


class VerifyResidencyForm(_Form):
    slug = "verify"

    residency = forms.IntegerField(widget=forms.HiddenInput)


class AdoptForm(_Form):
    slug = "adopt"

    action_plan = forms.CharField(
        label=_("What the team will do"), widget=forms.Textarea(attrs={"rows": 4})
    )
    action_owner = forms.CharField(label=_("Who"), max_length=200)
    action_due_on = forms.DateField(label=_("By when"), widget=DateInput())


class DeclineForm(_Form):
    slug = "decline"

    reason = forms.CharField(
        label=_("Why it is not adopted"),
        help_text=_("Shown publicly: nothing is dropped without a reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UpdateForm(_Form):
    slug = "update"

    text = forms.CharField(label=_("Progress update"), widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(_Form):
    slug = "close"

    status = forms.ChoiceField(
        label=_("Was it delivered?"),
        choices=[
            (PriorityStatus.DELIVERED, PriorityStatus.DELIVERED.label),
            (PriorityStatus.NOT_DELIVERED, PriorityStatus.NOT_DELIVERED.label),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("What was done and what changed"),
        help_text=_("The “we did”: shown publicly."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


# The forms of the team's actions on one priority, by their slug.
PRIORITY_ACTION_FORMS: dict[str, type[_Form]] = {
    form.slug: form for form in (AdoptForm, DeclineForm, UpdateForm, CloseForm)
}
