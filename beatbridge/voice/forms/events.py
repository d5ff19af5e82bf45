"""Forms for event and registration pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts.forms import ServiceForm
from beatbridge.voice.models import Event, EventKind
from beatbridge.voice.services.events import EventDetails

_LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class _LocalDateTimeField(forms.DateTimeField):
    """A date and time picker, read and shown in the site's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL_MINUTE)


class RegistrationForm(ServiceForm):
    """RSVP: one click when signed in, else an e-mail address and an optional name."""

    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        required=False,
        help_text=_("We send your confirmation there, with a link to cancel."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args: Any, signed_in: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            # The account says who is coming: nothing to type.
            del self.fields["email"], self.fields["name"]


class EventForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    organiser = forms.CharField(
        label=_("Organiser"),
        max_length=200,
        help_text=_("The neighbourhood team or the partner organisation that runs it."),
    )
    starts_at = _LocalDateTimeField(label=_("Starts"))
    ends_at = _LocalDateTimeField(label=_("Ends"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    accessibility = forms.CharField(
        label=_("Accessibility"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Step-free access, hearing loop, accessible toilets, parking, seating."),
    )
    online_url = forms.CharField(label=_("Online link"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        help_text=_("Blank: no limit. When every place is taken, people join a waiting list."),
    )
    contact_details = forms.CharField(label=_("Contact details"), max_length=300, required=False)
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organising partners"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Partner organisations that run it with the team; they see it in their portal."
        ),
    )

    def __init__(self, *args: Any, force_id: int, **kwargs: Any) -> None:
        from beatbridge.partners.selectors import organisations_to_refer_to

        super().__init__(*args, **kwargs)
        # The force's own active partners: the service refuses any other.
        self.fields["co_organisers"].queryset = organisations_to_refer_to(force_id)
        if not self.fields["co_organisers"].queryset.exists():
            del self.fields["co_organisers"]

    @classmethod
    def for_event(cls, event: Event) -> EventForm:
        initial: dict[str, Any] = {
            name: getattr(event, name)
            for name in EventDetails.__dataclass_fields__
            if name != "co_organisers"
        }
        initial["co_organisers"] = list(event.co_organisers.all())
        return cls(initial=initial, force_id=event.neighbourhoods.all()[0].force_id)

    def details(self) -> EventDetails:
        data = dict(self.cleaned_data)
        # No partners to offer: leave the event's co-organisers as they are.
        data["co_organisers"] = list(data["co_organisers"]) if "co_organisers" in data else None
        return EventDetails(**data)


class MoveForm(ServiceForm):
    starts_at = _LocalDateTimeField(label=_("New start"))
    ends_at = _LocalDateTimeField(label=_("New end"))
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)


class CancelForm(ServiceForm):
    reason = forms.CharField(
        label=_("Why it is cancelled"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone registered is sent this."),
    )


class PhotoForm(ServiceForm):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP image. It is public; its metadata is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
