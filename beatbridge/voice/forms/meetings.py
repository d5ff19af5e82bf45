"""Forms of the meeting pages: residents' questions and RSVP, the team's scheduling and actions.

Forms parse input into typed values; the rules are the meetings service's, and a refusal
shows on the field it names, so fields are named as the service names them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts.forms import add_domain_error
from beatbridge.errors import DomainError, NotFound
from beatbridge.voice.models import AttendanceMethod, Meeting, MeetingKind
from beatbridge.voice.services import meetings as services

_LANGUAGE_SEPARATORS = re.compile(r"[\s,;]+")
WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
WEEKS_OF_MONTH = [
    (1, _("First")),
    (2, _("Second")),
    (3, _("Third")),
    (4, _("Fourth")),
    (-1, _("Last")),
]


def _text(label: Any, *, rows: int = 3, help_text: Any = "") -> forms.CharField:
    # Emptiness and length are the service's rules; the form only reads the text.
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _line(label: Any, *, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, strip=False)


def _when(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=_("Local time."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _day(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def language_list(value: str) -> list[str]:
    """ "es, so" -> ["es", "so"]; the service checks each code."""
    return [part for part in _LANGUAGE_SEPARATORS.split(value or "") if part]


class ServiceForm(forms.Form):
    """Validate, then hand the input to one service; its refusal shows on the named field."""

    def perform(self, *, by: Any) -> Any:
        raise NotImplementedError

    def submit(self, *, by: Any) -> bool:
        """False, with the refusal on the form, when it was refused; True once done.

        A refusal that is not about the input (not found, not allowed) fails the request.
        """
        if not self.is_valid():
            return False
        try:
            self.result = self.perform(by=by)
        except DomainError as error:
            if error.status not in (400, 409):
                raise
            add_domain_error(self, error)
            return False
        return True


# --- scheduling ---------------------------------------------------------------------------


class MeetingDetailsForm(ServiceForm):
    """What a meeting says about itself; the time fields come with the forms that need them."""

    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    title = _line(_("Title"))
    description = _text(_("What it is about"), rows=4)
    venue_name = _line(_("Venue"), help_text=_("Leave blank for an online meeting."))
    address = _line(_("Address"))
    accessibility = _text(
        _("Accessibility"),
        help_text=_("Step-free access, hearing loop, accessible toilets, parking, seating."),
    )
    online_url = _line(_("Online link"), help_text=_("Needed for an online meeting."))
    languages = _line(
        _("Languages spoken"), help_text=_("Language codes, separated by commas: en, es.")
    )
    interpretation = _line(
        _("Interpretation into"), help_text=_("Language codes, separated by commas: so, vi.")
    )
    childcare = forms.BooleanField(label=_("Childcare provided"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, help_text=_("Blank: no limit.")
    )
    contact_details = _line(_("Contact details"))

    def details(self) -> services.MeetingDetails:
        data = self.cleaned_data
        return services.MeetingDetails(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            venue_name=data["venue_name"],
            address=data["address"],
            accessibility=data["accessibility"],
            online_url=data["online_url"],
            contact_details=data["contact_details"],
            languages=language_list(data["languages"]),
            interpretation=language_list(data["interpretation"]),
            childcare=data["childcare"],
            capacity=data["capacity"],
            original_language=get_language() or "",
        )

    @staticmethod
    def initial_from(meeting: Meeting) -> dict[str, Any]:
        return {
            **{
                name: getattr(meeting, name)
                for name in (
                    "kind",
                    "title",
                    "description",
                    "venue_name",
                    "address",
                    "accessibility",
                    "online_url",
                    "childcare",
                    "capacity",
                    "contact_details",
                )
            },
            "languages": ", ".join(meeting.languages),
            "interpretation": ", ".join(meeting.interpretation),
        }


class MeetingForm(MeetingDetailsForm):
    """A new meeting: for this neighbourhood, and any others of the team's chosen."""

    starts_at = _when(_("Starts"))
    ends_at = _when(_("Ends"))
    also_for = forms.ModelMultipleChoiceField(
        label=_("Also for these neighbourhoods"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["kind", "title", "starts_at", "ends_at"]

    def __init__(self, *args: Any, neighbourhood: Any, others: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        self.fields["also_for"].queryset = others
        if not others.exists():
            del self.fields["also_for"]

    def perform(self, *, by: Any) -> Meeting:
        return services.create_meeting(
            by=by,
            neighbourhoods=[self.neighbourhood, *self.cleaned_data.get("also_for", [])],
            details=self.details(),
            starts_at=self.cleaned_data["starts_at"],
            ends_at=self.cleaned_data["ends_at"],
        )


class EditMeetingForm(MeetingDetailsForm):
    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def perform(self, *, by: Any) -> Meeting:
        return services.update_meeting(by=by, meeting=self.meeting, details=self.details())


class SeriesForm(MeetingDetailsForm):
    """A monthly series: the same details, on a weekday of the month, for the next year."""

    week_of_month = forms.TypedChoiceField(
        label=_("Which week of the month"), choices=WEEKS_OF_MONTH, coerce=int
    )
    weekday = forms.TypedChoiceField(label=_("Day of the week"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        help_text=_("Local time."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), initial=90)
    until = _day(_("Until (optional)"))

    field_order = ["kind", "title", "week_of_month", "weekday", "start_time", "duration_minutes"]

    def __init__(self, *args: Any, neighbourhood: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        self.fields["until"].help_text = _("Blank: meetings for the next twelve months.")

    def perform(self, *, by: Any) -> Any:
        data = self.cleaned_data
        return services.create_series(
            by=by,
            neighbourhood=self.neighbourhood,
            details=self.details(),
            weekday=data["weekday"],
            week_of_month=data["week_of_month"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            until=data["until"],
        )


# --- residents ----------------------------------------------------------------------------


class QuestionForm(ServiceForm):
    text = _text(
        _("Your question"),
        help_text=_("Others can support it; the most supported are on the agenda."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="question_%s", **kwargs)
        self.meeting = meeting

    def perform(self, *, by: Any) -> Any:
        return services.ask_question(by=by, meeting=self.meeting, text=self.cleaned_data["text"])


class RegisterForm(ServiceForm):
    """RSVP: a signed-in person needs nothing more; anyone else gives an e-mail address."""

    name = _line(_("Your name (optional)"))
    email = forms.CharField(label=_("E-mail address"), required=False, strip=False)

    def __init__(
        self, *args: Any, meeting: Meeting, user: Any, client_address: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, auto_id="register_%s", **kwargs)
        self.meeting = meeting
        self.user = user
        self.client_address = client_address
        if user.is_authenticated:
            del self.fields["email"]
            del self.fields["name"]
        else:
            self.fields["email"].widget.attrs.update({"type": "email", "autocomplete": "email"})
            self.fields["name"].widget.attrs["autocomplete"] = "name"

    def perform(self, *, by: Any) -> Any:
        from beatbridge.voice.services.registrations import register

        return register(
            gathering=self.meeting,
            user=by if by.is_authenticated else None,
            email=self.cleaned_data.get("email", ""),
            name=self.cleaned_data.get("name", ""),
            # Their messages (confirmation, moves, reminders) come in the page's language.
            language=get_language() or "",
            client_address=self.client_address,
        )


# --- the team's actions on one meeting ----------------------------------------------------


class MeetingAction(ServiceForm):
    """One team action on a meeting (POST to its slug); per-item actions name the item.

    ``heading`` and ``button`` are what the page shows; ``success`` what the team is told.
    """

    slug: ClassVar[str]
    heading: ClassVar[Any]
    button: ClassVar[Any]
    success: ClassVar[Any]
    # The related items an ``item`` field picks from, by the meeting's related name.
    items_of: ClassVar[str] = ""

    def __init__(
        self, data: Any = None, *, meeting: Meeting, item: Any = None, initial: Any = None
    ) -> None:
        # Many forms share a page: ids carry the action and the item.
        suffix = f"-{item.pk}" if item is not None else ""
        super().__init__(data, auto_id=f"{self.slug}{suffix}_%s", initial=initial)
        self.meeting = meeting
        self.item = item
        if self.items_of:
            self.fields["item"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=item.pk if item is not None else None
            )

    def clean_item(self) -> Any:
        found = getattr(self.meeting, self.items_of).filter(pk=self.cleaned_data["item"]).first()
        if found is None:
            raise NotFound(_("There is no such item on this meeting."), field="item")
        self.item = found
        return found.pk

    @property
    def anchor(self) -> str:
        return f"{self.slug}-{self.item.pk}" if self.item is not None else self.slug


class MoveForm(MeetingAction):
    slug = "move"
    heading = _("Move the meeting")
    button = _("Move and tell those registered")
    success = _("The meeting was moved; everyone registered will be told.")
    starts_at = _when(_("New start"))
    ends_at = _when(_("New end"))

    def perform(self, *, by: Any) -> Any:
        return services.move_meeting(
            by=by,
            meeting=self.meeting,
            starts_at=self.cleaned_data["starts_at"],
            ends_at=self.cleaned_data["ends_at"],
        )


class CancelForm(MeetingAction):
    slug = "cancel"
    heading = _("Cancel the meeting")
    button = _("Cancel and tell those registered")
    success = _("The meeting was cancelled; everyone registered will be told.")
    reason = _text(_("Why it is cancelled"), help_text=_("Shown on the meeting's page."))

    def perform(self, *, by: Any) -> Any:
        return services.cancel_meeting(
            by=by, meeting=self.meeting, reason=self.cleaned_data["reason"]
        )


class AgendaAddForm(MeetingAction):
    slug = "agenda-add"
    heading = _("Add an agenda item")
    button = _("Add to the agenda")
    success = _("The item was added to the agenda.")
    title = _line(_("Item"))

    def perform(self, *, by: Any) -> Any:
        return services.add_agenda_item(
            by=by, meeting=self.meeting, title=self.cleaned_data["title"]
        )


class AgendaRemoveForm(MeetingAction):
    slug = "agenda-remove"
    items_of = "agenda_items"
    heading = _("Remove")
    button = _("Remove from the agenda")
    success = _("The item was removed from the agenda.")

    def perform(self, *, by: Any) -> Any:
        return services.remove_agenda_item(by=by, item=self.item)


class AnswerForm(MeetingAction):
    slug = "answer"
    items_of = "questions"
    heading = _("Answer")
    button = _("Publish the answer")
    success = _("The answer was published.")
    answer = _text(_("Answer"))

    def perform(self, *, by: Any) -> Any:
        return services.answer_question(
            by=by, question=self.item, answer=self.cleaned_data["answer"]
        )


class HideForm(MeetingAction):
    slug = "hide"
    items_of = "questions"
    heading = _("Visibility")
    button = _("Save")
    success = _("The question's visibility was changed.")
    hidden = forms.BooleanField(label=_("Hidden from the public list"), required=False)

    def perform(self, *, by: Any) -> Any:
        return services.hide_question(by=by, question=self.item, hidden=self.cleaned_data["hidden"])


class AttendanceForm(MeetingAction):
    slug = "attendance"
    heading = _("Attendance")
    button = _("Record attendance")
    success = _("Attendance was recorded.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for method, label in AttendanceMethod.choices:
            self.fields[method] = forms.IntegerField(label=label, required=False, min_value=0)

    def perform(self, *, by: Any) -> Any:
        return services.record_attendance(
            by=by,
            meeting=self.meeting,
            counts={method: self.cleaned_data[method] for method in AttendanceMethod.values},
        )


class AttendeeAddForm(MeetingAction):
    slug = "attendee-add"
    heading = _("Add a name to the record")
    button = _("Add the name")
    success = _("The name was added to the record.")
    name = _line(_("Name"))
    consented = forms.BooleanField(
        label=_("They agreed to have their name in the record"), required=False
    )

    def perform(self, *, by: Any) -> Any:
        return services.add_named_attendee(
            by=by,
            meeting=self.meeting,
            name=self.cleaned_data["name"],
            consented=self.cleaned_data["consented"],
        )


class AttendeeRemoveForm(MeetingAction):
    slug = "attendee-remove"
    items_of = "named_attendees"
    heading = _("Remove")
    button = _("Remove the name")
    success = _("The name was removed from the record.")

    def perform(self, *, by: Any) -> Any:
        return services.remove_named_attendee(by=by, attendee=self.item)


class MinutesForm(MeetingAction):
    slug = "minutes"
    heading = _("Minutes")
    button = _("Publish the minutes")
    success = _("The minutes were published.")
    raised = _text(_("What was raised"), rows=5)
    answered = _text(_("What was answered"), rows=5)
    decided = _text(_("What was decided"), rows=5)

    def perform(self, *, by: Any) -> Any:
        return services.publish_minutes(
            by=by,
            meeting=self.meeting,
            raised=self.cleaned_data["raised"],
            answered=self.cleaned_data["answered"],
            decided=self.cleaned_data["decided"],
        )


class ConcernAddForm(MeetingAction):
    slug = "concern-add"
    heading = _("Note a concern raised")
    button = _("Note the concern")
    success = _("The concern was noted.")
    text = _text(_("Concern"))

    def perform(self, *, by: Any) -> Any:
        return services.add_raised_concern(
            by=by, meeting=self.meeting, text=self.cleaned_data["text"]
        )


class ConcernPriorityForm(MeetingAction):
    slug = "concern-priority"
    items_of = "concerns"
    heading = _("Make it a candidate priority")
    button = _("Make it a candidate")
    success = _("The concern is now a candidate priority.")
    title = _line(_("The problem, in a line"), help_text=_("Blank: the concern's first words."))

    def perform(self, *, by: Any) -> Any:
        return services.concern_to_priority(
            by=by, concern=self.item, title=self.cleaned_data["title"]
        )


class ConcernReportForm(MeetingAction):
    slug = "concern-report"
    items_of = "concerns"
    heading = _("Make it a report")
    button = _("File the report")
    success = _("The concern was filed as a report.")
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False)

    def __init__(self, *args: Any, categories: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A list, read once for every concern's form on the page.
        self.categories = {category.pk: category for category in categories}
        self.fields["category"].choices = [
            ("", _("Choose a category")),
            *((pk, category.local_name) for pk, category in self.categories.items()),
        ]

    def perform(self, *, by: Any) -> Any:
        category = self.categories.get(self.cleaned_data["category"])
        if category is None:
            raise DomainError(_("Choose a category."), field="category")
        return services.concern_to_report(by=by, concern=self.item, category=category)


class ActionAddForm(MeetingAction):
    slug = "action-add"
    heading = _("Add an action item")
    button = _("Add the action")
    success = _("The action item was added.")
    text = _text(_("Action"))
    owner = _line(_("Who will do it"))
    due_on = _day(_("By when"))

    def perform(self, *, by: Any) -> Any:
        return services.create_action_item(
            by=by,
            meeting=self.meeting,
            text=self.cleaned_data["text"],
            owner=self.cleaned_data["owner"],
            due_on=self.cleaned_data["due_on"],
            original_language=get_language() or "",
        )


class ActionCloseForm(MeetingAction):
    slug = "action-close"
    items_of = "action_items"
    heading = _("Close")
    button = _("Close the action")
    success = _("The action item was closed.")
    outcome = _text(_("What was done"))

    def perform(self, *, by: Any) -> Any:
        return services.close_action_item(
            by=by, item=self.item, outcome=self.cleaned_data["outcome"]
        )


ACTION_FORMS: dict[str, type[MeetingAction]] = {
    form.slug: form
    for form in (
        MoveForm,
        CancelForm,
        AgendaAddForm,
        AgendaRemoveForm,
        AnswerForm,
        HideForm,
        AttendanceForm,
        AttendeeAddForm,
        AttendeeRemoveForm,
        MinutesForm,
        ConcernAddForm,
        ConcernPriorityForm,
        ConcernReportForm,
        ActionAddForm,
        ActionCloseForm,
    )
}
