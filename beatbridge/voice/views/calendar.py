"""iCalendar feeds (a neighbourhood's, a force's, a person's, one meeting, one event) and
the page where someone gets or replaces the address of their own feed.

Feeds are read by calendar apps without a session: the neighbourhood and force feeds are
public, a personal feed is reached only by its unguessable token (any other is 404).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from beatbridge.errors import NotFound
from beatbridge.places import selectors as places
from beatbridge.voice.calendar import CalendarEntry, gathering_entry, render_calendar
from beatbridge.voice.selectors import calendar as selectors
from beatbridge.voice.services.calendar import ensure_calendar_feed, reset_calendar_feed

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendar apps poll; a few minutes of caching spares the database without hiding a
# cancellation for long.
PUBLIC_MAX_AGE = 300


def _found(lookup: Callable[..., Any], *args: Any) -> Any:
    try:
        return lookup(*args)
    except NotFound as error:
        raise Http404(error.message) from None


def _calendar_response(
    name: str, entries: Iterable[CalendarEntry], *, filename: str, private: bool = False
) -> HttpResponse:
    body = render_calendar(
        name=name, entries=entries, time_zone=settings.TIME_ZONE, now=timezone.now()
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    else:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@require_safe
def neighbourhood_calendar(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = _found(places.get_neighbourhood, force, code)
    gatherings = selectors.gatherings_of(neighbourhood, now=timezone.now(), include_cancelled=True)
    return _calendar_response(
        _("%(neighbourhood)s: meetings and events") % {"neighbourhood": neighbourhood.name},
        map(gathering_entry, gatherings),
        filename=f"{neighbourhood.force.slug}-{neighbourhood.code}.ics",
    )


@require_safe
def force_calendar(request: HttpRequest, force: str) -> HttpResponse:
    found = _found(places.get_force, force)
    gatherings = selectors.force_gatherings(found, now=timezone.now())
    return _calendar_response(
        _("%(force)s: meetings and events") % {"force": found.name},
        map(gathering_entry, gatherings),
        filename=f"{found.slug}.ics",
    )


@require_safe
def personal_calendar(request: HttpRequest, token: str) -> HttpResponse:
    feed = _found(selectors.get_calendar_feed, token)
    entries = [
        gathering_entry(entry.gathering, is_waiting=entry.is_waiting)
        for entry in selectors.personal_entries(feed)
    ]
    return _calendar_response(
        _("My meetings and events"), entries, filename="my-calendar.ics", private=True
    )


@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _found(selectors.get_meeting, pk)
    return _calendar_response(
        meeting.translated("title"), [gathering_entry(meeting)], filename=f"meeting-{pk}.ics"
    )


@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _found(selectors.get_event, pk)
    return _calendar_response(
        event.translated("title"), [gathering_entry(event)], filename=f"event-{pk}.ics"
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    """GET shows the address (if there is one yet); POST makes it, or replaces it."""
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            reset_calendar_feed(user=request.user)
        else:
            ensure_calendar_feed(user=request.user)
        return redirect("voice:my_calendar")
    feed = selectors.calendar_feed_of(request.user)
    address = (
        settings.SITE_URL + reverse("voice:personal_calendar", kwargs={"token": feed.token})
        if feed
        else ""
    )
    # webcal: asks the device to subscribe rather than to download the file once.
    webcal_address = "webcal:" + address.split(":", 1)[1] if address else ""
    response = render(
        request,
        "voice/calendar/my_calendar.html",
        {"address": address, "webcal_address": webcal_address},
    )
    response["Cache-Control"] = "private, no-store"
    return response
