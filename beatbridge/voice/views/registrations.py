"""Registration pages: RSVP to an event, one's registration by its link, the list of one's
registrations, and the team's list of who registered for an event or a meeting.

The link in a registrant's e-mail holds the registration's token, so the page it opens
shows only the gathering, its time and the status: never a name or an address. After
registering by e-mail the visitor is told to use that link; it is never shown on the page,
or anyone who typed a stranger's address could cancel their place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, NotFound
from beatbridge.limits import client_address
from beatbridge.voice.forms.events import RegistrationForm
from beatbridge.voice.models import Event, Meeting
from beatbridge.voice.permissions import can_manage_any, is_signed_in
from beatbridge.voice.selectors.events import get_event, get_event_for_manager
from beatbridge.voice.selectors.registrations import registrations_of, registrations_of_person
from beatbridge.voice.services.registrations import (
    cancel_registration,
    register,
    registration_by_token,
)
from beatbridge.voice.views.events import event_page
from beatbridge.web.views import domain_errors_as_http


def _register(request: HttpRequest, gathering: Meeting | Event) -> RegistrationForm:
    form = RegistrationForm(request.POST, signed_in=is_signed_in(request.user))
    if form.is_valid():
        registration = form.call_service(
            register,
            gathering=gathering,
            user=request.user,
            email=form.cleaned_data.get("email", ""),
            name=form.cleaned_data.get("name", ""),
            language=get_language() or "",
            client_address=client_address(request),
        )
        if registration is not None:
            if registration.user_id:
                messages.success(request, _("You are registered: see your status below."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. We have sent a message to the address you gave: it says "
                        "whether you have a place, with a link to cancel."
                    ),
                )
    return form


@require_POST
@domain_errors_as_http
def register_for_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(pk)
    form = _register(request, event)
    if form.errors:
        return event_page(
            request, event, form=form, status=form.status if form.status != 200 else 400
        )
    return redirect("voice:event", pk=event.pk)


def _meeting(pk: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise NotFound(_("There is no such meeting."), field="meeting")
    return meeting


@never_cache
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """What the link in a registrant's e-mail opens: the status, and a button to cancel."""
    found = registration_by_token(token)
    error = None
    if request.method == "POST":
        try:
            cancel_registration(registration=found)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("Your registration is cancelled."))
            return redirect("voice:registration", token=token)
    context = {"registration": found, "gathering": found.gathering, "error": error}
    return render(request, "voice/registrations/detail.html", context, status=400 if error else 200)


@require_safe
@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "voice/registrations/mine.html",
        {"registrations": registrations_of_person(request.user)},
    )


def _team_list(request: HttpRequest, gathering: Meeting | Event) -> HttpResponse:
    context = {"gathering": gathering, "registrations": registrations_of(gathering)}
    # Names and addresses of residents: a view of personal data.
    kind = "meeting" if isinstance(gathering, Meeting) else "event"
    audit(actor=request.user, action=f"{kind}.registrations_viewed", target=gathering)
    return render(request, "voice/registrations/team_list.html", context)


@require_safe
@login_required
@domain_errors_as_http
def event_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_list(request, get_event_for_manager(request.user, pk))


@require_safe
@login_required
@domain_errors_as_http
def meeting_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    if not can_manage_any(request.user, list(meeting.neighbourhoods.all())):
        raise Forbidden(_("Only the neighbourhood's team may see who registered."))
    return _team_list(request, meeting)
