"""Event pages: a neighbourhood's events, one event with its RSVP form, and the team's pages
to create, change, move and cancel events and add photos afterwards.

Team pages get their event only through ``get_event_for_manager`` (404, then 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from beatbridge.places.selectors import get_neighbourhood
from beatbridge.voice.forms.events import (
    CancelForm,
    EventForm,
    MoveForm,
    PhotoForm,
    RegistrationForm,
)
from beatbridge.voice.permissions import can_manage, can_manage_any, is_signed_in
from beatbridge.voice.selectors.events import (
    get_event,
    get_event_for_manager,
    past_events,
    photo_content_type,
    photo_of_event,
    upcoming_events,
)
from beatbridge.voice.selectors.registrations import availability_of, registration_of
from beatbridge.voice.services import events as services
from beatbridge.web.views import domain_errors_as_http

PAGE_SIZE = 20


@dataclass(frozen=True)
class Shown:
    """A meeting or an event with its text in the reader's language, or the original."""

    gathering: Any
    title: str
    description: str
    accessibility: str
    # No translation into the reader's language: the page says the text is the original.
    is_original: bool


def shown(gathering: Any) -> Shown:
    return Shown(
        gathering=gathering,
        title=gathering.translated("title"),
        description=gathering.translated("description"),
        accessibility=gathering.translated("accessibility"),
        is_original=not gathering.has_translation("title"),
    )


def _submitted(request: HttpRequest) -> tuple[Any, ...]:
    """A form's data on POST (bound even when empty, so it says what is missing), else none."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


# --- the public ---------------------------------------------------------------------------


@require_safe
@domain_errors_as_http
def neighbourhood_events(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = get_neighbourhood(force, code)
    context = {
        "neighbourhood": neighbourhood,
        "events": [shown(event) for event in upcoming_events(neighbourhood)],
        "may_manage": can_manage(request.user, neighbourhood),
    }
    return render(request, "voice/events/list.html", context)


@require_safe
@domain_errors_as_http
def neighbourhood_past_events(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = get_neighbourhood(force, code)
    page = Paginator(past_events(neighbourhood), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "neighbourhood": neighbourhood,
        "page": page,
        "events": [shown(event) for event in page.object_list],
    }
    return render(request, "voice/events/past.html", context)


def event_page(
    request: HttpRequest, event: Any, *, form: RegistrationForm | None = None, status: int = 200
) -> HttpResponse:
    """One event with what is left of its places and the RSVP form (bound after a refusal)."""
    neighbourhoods = list(event.neighbourhoods.all())
    context = {
        "event": event,
        "shown": shown(event),
        "neighbourhood": neighbourhoods[0] if neighbourhoods else None,
        "availability": availability_of(event),
        "mine": registration_of(event, request.user),
        "form": form or RegistrationForm(signed_in=is_signed_in(request.user)),
        "photos": list(event.photos.all()),
        "may_manage": can_manage_any(request.user, neighbourhoods),
    }
    return render(request, "voice/events/detail.html", context, status=status)


@require_safe
@domain_errors_as_http
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return event_page(request, get_event(pk))


@require_safe
@domain_errors_as_http
def event_photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    """A photo of an event: public, and stored without metadata."""
    photo = photo_of_event(pk, photo_id)
    return FileResponse(photo.image.open("rb"), content_type=photo_content_type(photo))


# --- the team -----------------------------------------------------------------------------


@require_safe
@login_required
@domain_errors_as_http
def manage_events(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = get_neighbourhood(force, code)
    if not can_manage(request.user, neighbourhood):
        raise Forbidden(_("Only the neighbourhood's team may manage its events."))
    context = {
        "neighbourhood": neighbourhood,
        "upcoming": upcoming_events(neighbourhood),
        "past": past_events(neighbourhood)[:PAGE_SIZE],
    }
    return render(request, "voice/events/manage.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def create(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = get_neighbourhood(force, code)
    if not can_manage(request.user, neighbourhood):
        raise Forbidden(_("Only the neighbourhood's team may add its events."))
    form = EventForm(*_submitted(request), force_id=neighbourhood.force_id)
    if request.method == "POST" and form.is_valid():
        event = form.call_service(
            services.create_event,
            by=request.user,
            neighbourhoods=[neighbourhood],
            details=form.details(),
            language=get_language() or "",
        )
        if event is not None:
            messages.success(request, _("The event is on the neighbourhood's page."))
            return redirect("voice:event", pk=event.pk)
    context = {"form": form, "neighbourhood": neighbourhood, "event": None}
    return render(request, "voice/events/form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_manager(request.user, pk)
    form = (
        EventForm(request.POST, force_id=event.neighbourhoods.all()[0].force_id)
        if request.method == "POST"
        else EventForm.for_event(event)
    )
    if request.method == "POST" and form.is_valid():
        updated = form.call_service(
            services.update_event, event=event, by=request.user, details=form.details()
        )
        if updated is not None:
            messages.success(request, _("The event is updated."))
            return redirect("voice:event", pk=event.pk)
    context = {"form": form, "event": event, "neighbourhood": event.neighbourhoods.all()[0]}
    return render(request, "voice/events/form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def move(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_manager(request.user, pk)
    initial = {name: getattr(event, name) for name in MoveForm.base_fields}
    form = MoveForm(*_submitted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        moved = form.call_service(
            services.move_event, event=event, by=request.user, **form.cleaned_data
        )
        if moved is not None:
            messages.success(request, _("The event is moved; everyone registered is told."))
            return redirect("voice:event", pk=event.pk)
    return render(
        request,
        "voice/events/action.html",
        {"form": form, "event": event, "action": "move"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_manager(request.user, pk)
    form = CancelForm(*_submitted(request))
    if request.method == "POST" and form.is_valid():
        cancelled = form.call_service(
            services.cancel_event, event=event, by=request.user, reason=form.cleaned_data["reason"]
        )
        if cancelled is not None:
            messages.success(request, _("The event is cancelled; everyone registered is told."))
            return redirect("voice:event", pk=event.pk)
    return render(
        request,
        "voice/events/action.html",
        {"form": form, "event": event, "action": "cancel"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def photos(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_manager(request.user, pk)
    form = PhotoForm(*_submitted(request))
    if request.method == "POST" and form.is_valid():
        photo = form.call_service(
            services.add_event_photo,
            event=event,
            by=request.user,
            upload=form.cleaned_data["photo"],
            caption=form.cleaned_data["caption"],
        )
        if photo is not None:
            messages.success(request, _("The photo is on the event's page."))
            return redirect("voice:event_photos", pk=event.pk)
    return render(
        request,
        "voice/events/photos.html",
        {"form": form, "event": event, "photos": list(event.photos.all())},
        status=400 if form.errors else 200,
    )
