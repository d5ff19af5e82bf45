"""Forms of the triage pages: the inbox filters, and one form per triage action.

Forms parse input into typed values; the rules (what may be said, who may be assigned,
which status follows which) are the services'. A service's refusal is shown on the
form field it names, so each form's fields are named as the services name them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts.forms import add_domain_error
from beatbridge.errors import DomainError
from beatbridge.places.selectors import neighbourhoods_of
from beatbridge.reports import selectors, services
from beatbridge.reports.models import Priority, Report, ReportKind, Status

OPEN = "open"
ALL = "all"
ASSIGNED_TO_ME = "me"
UNASSIGNED = "none"
SEARCH_MAX = 100


class InboxFilterForm(forms.Form):
    """The inbox's GET query: every field optional, an empty form is the default inbox."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    assigned = forms.ChoiceField(label=_("Assigned to"), required=False)
    priority = forms.TypedChoiceField(label=_("Priority"), required=False, coerce=int)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    q = forms.CharField(
        label=_("Reference or words"),
        required=False,
        max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        categories: Iterable[Any] = (),
        officers: Iterable[Any] = (),
    ) -> None:
        super().__init__(data, auto_id="filter_%s")
        self.fields["status"].choices = [
            (OPEN, _("Open (not resolved)")),
            (ALL, _("Any status")),
            *Status.choices,
        ]
        self.fields["category"].choices = [
            ("", _("Any category")),
            *((category.pk, category.local_name) for category in categories),
        ]
        self.fields["kind"].choices = [("", _("Any kind")), *ReportKind.choices]
        self.fields["assigned"].choices = [
            ("", _("Anyone or nobody")),
            (ASSIGNED_TO_ME, _("Me")),
            (UNASSIGNED, _("Nobody (unassigned)")),
            *((str(officer.pk), officer_name(officer)) for officer in officers),
        ]
        self.fields["priority"].choices = [("", _("Any priority")), *Priority.choices]
        self.fields["sort"].choices = [
            ("oldest", _("Oldest first")),
            ("newest", _("Newest first")),
            ("priority", _("Highest priority first")),
            ("updated", _("Last updated first")),
        ]

    def filters(self, user: Any) -> selectors.InboxFilters:
        """The selector's filters from the fields that are valid; invalid ones are ignored."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        status = data.get("status") or OPEN
        assigned = data.get("assigned") or ""
        return selectors.InboxFilters(
            statuses=() if status in (OPEN, ALL) else (status,),
            open_only=status == OPEN,
            category_id=data.get("category") or None,
            kind=data.get("kind") or "",
            unassigned=assigned == UNASSIGNED,
            assigned_to_id=(
                user.pk
                if assigned == ASSIGNED_TO_ME
                else int(assigned)
                if assigned.isdigit()
                else None
            ),
            priority=data.get("priority") or None,
            sort=data.get("sort") or "oldest",
            search=data.get("q", "").strip(),
        )


def officer_name(user: Any) -> str:
    """An officer's public name, else their account name (supervisors may lack a profile name)."""
    profile = getattr(user, "officer_profile", None)
    return (profile.display_name if profile is not None else "") or str(user)


# --- triage actions -----------------------------------------------------------------------


class TriageForm(forms.Form):
    """One triage action: ``perform`` calls its one service with the parsed input.

    ``slug`` is the action's URL part; ``success`` what the officer is told afterwards.
    """

    slug: ClassVar[str]
    success: ClassVar[Any]

    def __init__(
        self, data: Any = None, *, report: Report, viewer: Any = None, initial: Any = None
    ) -> None:
        # Every form is on one page: ids carry the action so no two fields share one.
        super().__init__(data, auto_id=f"{self.slug}_%s", initial=initial)
        self.report = report
        # Who the page is for: what a form offers (officers, suggestions) is what they may use.
        self.viewer = viewer

    def perform(self, *, by: Any) -> None:
        raise NotImplementedError

    def submit(self, *, by: Any) -> bool:
        """Validate and perform; False with the refusal on the form when it was refused."""
        if not self.is_valid():
            return False
        try:
            self.perform(by=by)
        except DomainError as error:
            if error.status != 400:
                # Not found or not allowed: the whole request fails, not this form.
                raise
            add_domain_error(self, error)
            return False
        return True


def _text(label: Any, *, help_text: Any = "", rows: int = 3, required: bool = False) -> Any:
    # Length and emptiness are the services' rules; the form only reads the text.
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AcknowledgeForm(TriageForm):
    slug = "acknowledge"
    success = _("Acknowledged: the reporter has been told.")
    message = _text(
        _("Message to the reporter (optional)"),
        help_text=_("Public: the reporter and, unless the report is private, anyone can read it."),
    )

    def perform(self, *, by: Any) -> None:
        services.acknowledge(report=self.report, by=by, message=self.cleaned_data["message"])


class StatusForm(TriageForm):
    slug = "status"
    success = _("The status has been changed.")
    # Duplicate and referred have their own forms, which say into what and to whom.
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (value, label)
            for value, label in Status.choices
            if value not in (Status.NEW, Status.DUPLICATE, Status.REFERRED)
        ],
    )
    reason = _text(
        _("Reason"),
        help_text=_("Public: the reporter and, unless the report is private, anyone can read it."),
    )

    def perform(self, *, by: Any) -> None:
        services.change_status(
            report=self.report,
            by=by,
            status=self.cleaned_data["status"],
            reason=self.cleaned_data["reason"],
        )


class PublicUpdateForm(TriageForm):
    slug = "public-update"
    success = _("The update has been published and the reporter told.")
    text = _text(
        _("Public update"),
        help_text=_("The reporter and, unless the report is private, anyone can read it."),
        rows=4,
    )

    def perform(self, *, by: Any) -> None:
        services.post_public_update(report=self.report, by=by, text=self.cleaned_data["text"])


class NoteForm(TriageForm):
    slug = "note"
    success = _("The internal note has been added.")
    text = _text(
        _("Internal note"), help_text=_("Staff only: never shown to the reporter or the public.")
    )

    def perform(self, *, by: Any) -> None:
        services.add_note(report=self.report, by=by, text=self.cleaned_data["text"])


class AssignForm(TriageForm):
    slug = "assign"
    success = _("The assignment has been changed.")
    assigned_to = forms.TypedChoiceField(
        label=_("Assign to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data: Any = None, *, report: Report, viewer: Any = None) -> None:
        super().__init__(
            data, report=report, viewer=viewer, initial={"assigned_to": report.assigned_to_id}
        )
        officers = list(
            selectors.officers_who_may_triage(
                force_id=report.force_id,
                neighbourhood_ids=[report.neighbourhood_id] if report.neighbourhood_id else [],
            )
        )
        self.officers = {officer.pk: officer for officer in officers}
        self.fields["assigned_to"].choices = [
            ("", _("Nobody: back to the team")),
            *((officer.pk, officer_name(officer)) for officer in officers),
        ]

    def perform(self, *, by: Any) -> None:
        chosen = self.cleaned_data["assigned_to"]
        services.assign(
            report=self.report, by=by, officer=self.officers[chosen] if chosen else None
        )


class PriorityForm(TriageForm):
    slug = "priority"
    success = _("The priority has been changed.")
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)

    def __init__(self, data: Any = None, *, report: Report, viewer: Any = None) -> None:
        super().__init__(data, report=report, viewer=viewer, initial={"priority": report.priority})

    def perform(self, *, by: Any) -> None:
        services.set_priority(report=self.report, by=by, priority=self.cleaned_data["priority"])


class NeighbourhoodForm(TriageForm):
    slug = "neighbourhood"
    success = _("The report has been moved to another neighbourhood.")
    neighbourhood = forms.TypedChoiceField(label=_("Neighbourhood"), coerce=int)

    def __init__(self, data: Any = None, *, report: Report, viewer: Any = None) -> None:
        super().__init__(
            data, report=report, viewer=viewer, initial={"neighbourhood": report.neighbourhood_id}
        )
        neighbourhoods = list(neighbourhoods_of(report.force))
        self.neighbourhoods = {neighbourhood.pk: neighbourhood for neighbourhood in neighbourhoods}
        self.fields["neighbourhood"].choices = [
            (neighbourhood.pk, neighbourhood.name) for neighbourhood in neighbourhoods
        ]

    def perform(self, *, by: Any) -> None:
        services.change_neighbourhood(
            report=self.report,
            by=by,
            neighbourhood=self.neighbourhoods[self.cleaned_data["neighbourhood"]],
        )


class ReferForm(TriageForm):
    slug = "refer"
    success = _("The report has been referred.")
    organisation = forms.ChoiceField(
        label=_("Partner organisation"),
        required=False,
        help_text=_("Its contacts see the report and answer in their portal."),
    )
    referred_to = forms.CharField(
        label=_("Or another agency"),
        required=False,
        help_text=_("An agency that is not a partner here: it is told outside Beatbridge."),
    )
    note = _text(
        _("Note"),
        help_text=_("Public: the reporter and, unless the report is private, anyone can read it."),
    )

    def __init__(self, data: Any = None, *, report: Report, viewer: Any = None) -> None:
        from beatbridge.partners.selectors import organisations_to_refer_to

        super().__init__(data, report=report, viewer=viewer)
        self.organisations = {
            organisation.slug: organisation
            for organisation in organisations_to_refer_to(report.force_id)
        }
        self.fields["organisation"].choices = [
            ("", _("None: another agency")),
            *((slug, organisation.name) for slug, organisation in self.organisations.items()),
        ]

    def perform(self, *, by: Any) -> None:
        from beatbridge.partners.services import refer_to_organisation

        chosen = self.cleaned_data["organisation"]
        if chosen:
            refer_to_organisation(
                report=self.report,
                by=by,
                organisation=self.organisations[chosen],
                note=self.cleaned_data["note"],
            )
            return
        services.refer(
            report=self.report,
            by=by,
            to=self.cleaned_data["referred_to"],
            note=self.cleaned_data["note"],
        )


class MergeForm(TriageForm):
    slug = "merge"
    success = _("The report has been closed as a duplicate.")
    duplicate_of = forms.ChoiceField(
        label=_("Suggested reports"), required=False, widget=forms.RadioSelect
    )
    reference = forms.CharField(label=_("Or its reference"), required=False, max_length=16)

    def __init__(self, data: Any = None, *, report: Report, viewer: Any = None) -> None:
        super().__init__(data, report=report, viewer=viewer)
        # Shown with their distance and time apart on the page; chosen here by reference.
        self.suggestions = selectors.duplicate_candidates(report, viewer=viewer)
        self.fields["duplicate_of"].choices = [
            (candidate.report.reference, candidate.report.reference)
            for candidate in self.suggestions
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = (data.get("reference") or "").strip().upper()
        if not (typed or data.get("duplicate_of")):
            raise forms.ValidationError(
                _("Choose a suggested report or type the reference of the one it repeats.")
            )
        data["into"] = typed or data["duplicate_of"]
        return data

    def perform(self, *, by: Any) -> None:
        try:
            into = selectors.get_report_for_triage(by, self.cleaned_data["into"])
        except DomainError as error:
            # Whether the other report exists is not this form's business to tell.
            raise DomainError(
                _("Choose a report you handle in the same force."), field="duplicate_of"
            ) from error
        services.merge_duplicate(report=self.report, by=by, into=into)


ACTION_FORMS: dict[str, type[TriageForm]] = {
    form.slug: form
    for form in (
        AcknowledgeForm,
        StatusForm,
        PublicUpdateForm,
        NoteForm,
        AssignForm,
        PriorityForm,
        NeighbourhoodForm,
        ReferForm,
        MergeForm,
    )
}
