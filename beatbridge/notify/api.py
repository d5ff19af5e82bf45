"""Beatbridge's own API for alerts (/api/v1/): a person's inbox, follows and preferences;
sending alerts and reading their delivery figures and replies for the team.

The same permissions as the pages, from the same selectors and services. A signed-in
person is known by their session and their writes carry the CSRF token
(``SessionOrAnonymous``, as in the reports and voice APIs); everything here needs one.
"""

# No ``from __future__ import annotations``: ninja reads the parameters of a @paginate'd
# handler through the decorator's wrapper, whose module cannot resolve names given as text.

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from beatbridge.errors import DomainError, NotFound, PermissionDenied, input_error
from beatbridge.notify import selectors, services
from beatbridge.notify.schemas import (
    AlertIn,
    AlertInboxItemOut,
    AlertOut,
    FiguresOut,
    FollowIn,
    FollowOut,
    PreferencesIn,
    PreferencesOut,
    ReadOut,
    ReplyIn,
    ReplyOut,
    SentAlertOut,
    TeamReplyOut,
    UnfollowedOut,
)
from beatbridge.places import selectors as places_selectors
from beatbridge.places.api import ErrorOut, Pages
from beatbridge.reports.api import SessionOrAnonymous

router = Router(tags=["alerts"], auth=SessionOrAnonymous())

MAX_ID = 2**31 - 1
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {**ERRORS, 409: ErrorOut, 429: ErrorOut}


def _person(request: HttpRequest) -> Any:
    user = request.auth
    if not (user is not None and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in first."), code="sign_in_required")
    return user


# --- a person's inbox ---------------------------------------------------------------------


@router.get(
    "/alerts/inbox",
    response={200: list[AlertInboxItemOut], **ERRORS},
    url_name="v1-alert-inbox",
    summary="My alerts, newest first (signed in)",
)
@paginate(Pages)
def inbox(request: HttpRequest) -> Any:
    """The alerts that reached my inbox; ``read_at`` is null until I open one.
    ``/alerts/inbox/unread`` gives the count of unread ones."""
    return selectors.inbox_of(_person(request))


@router.get(
    "/alerts/inbox/unread",
    response={200: ReadOut, **ERRORS},
    url_name="v1-alert-inbox-unread",
    summary="How many of my alerts are unread (signed in)",
)
def inbox_unread(request: HttpRequest) -> Any:
    """A number for a badge beside "Alerts"."""
    return {"unread": selectors.unread_count(_person(request))}


# --- alerts -------------------------------------------------------------------------------


@router.get(
    "/alerts",
    response={200: list[SentAlertOut], **ERRORS},
    url_name="v1-alerts-sent",
    summary="Alerts my team sent (team and scheme coordinators)",
)
@paginate(Pages)
def list_sent(request: HttpRequest) -> Any:
    """Alerts I sent or my team could have sent, newest first. 403 for people who send none."""
    user = _person(request)
    if not selectors.may_send_alerts(user):
        raise PermissionDenied(_("Only neighbourhood teams and scheme coordinators send alerts."))
    return selectors.alerts_sent_by_team(user)


def _neighbourhoods(payload: AlertIn) -> list[Any]:
    found = []
    for index, place in enumerate(payload.neighbourhoods):
        try:
            found.append(places_selectors.get_neighbourhood(place.force, place.neighbourhood))
        except NotFound as error:
            raise input_error(error, f"neighbourhoods.{index}") from None
    return found


@router.post(
    "/alerts",
    response={201: AlertOut, **WRITE},
    url_name="v1-alerts-send",
    summary="Send an alert (team, supervisors, scheme coordinators)",
)
def send(request: HttpRequest, payload: AlertIn) -> Any:
    """Records the alert and fans it out in the background; the figures follow.

    ``audience`` decides what else is read: ``neighbourhoods`` (force and id of each),
    ``sector`` (with its ``force``), ``scheme`` (its id), or ``area`` (``latitude``,
    ``longitude``, ``radius_metres``). Refusals name the field: 403 when you may not alert
    that audience or send urgent alerts, 429 past the hourly limit.
    """
    user = _person(request)
    sector = scheme = None
    if payload.audience == "sector" and payload.sector:
        sector = selectors.sector_by_slug(payload.force or "", payload.sector)
        if sector is None:
            raise DomainError(_("No such sector."), field="sector", code="unknown")
    if payload.audience == "scheme" and payload.scheme:
        scheme = selectors.scheme_by_id(payload.scheme)
        if scheme is None:
            raise DomainError(_("No such watch scheme."), field="scheme", code="unknown")
    alert = services.send_alert(
        author=user,
        severity=payload.severity,
        category=payload.category,
        title=payload.title,
        message=payload.message,
        audience=payload.audience,
        neighbourhoods=_neighbourhoods(payload) if payload.audience == "neighbourhoods" else (),
        sector=sector,
        scheme=scheme,
        latitude=payload.latitude,
        longitude=payload.longitude,
        radius_metres=payload.radius_metres,
        expires_at=payload.expires_at,
        translations={
            code: texts.model_dump(exclude_none=True)
            for code, texts in payload.translations.items()
        },
        original_language=payload.original_language,
    )
    return Status(201, alert)


@router.get(
    "/alerts/{uuid:public_id}",
    response={200: AlertOut, **ERRORS},
    url_name="v1-alert",
    summary="One alert (its recipients and its team)",
)
def get_alert(request: HttpRequest, public_id: uuid.UUID) -> Any:
    """404 for anyone it did not reach and who could not have sent it."""
    return selectors.get_alert_for_viewer(_person(request), public_id)


@router.post(
    "/alerts/{uuid:public_id}/read",
    response={200: ReadOut, **ERRORS},
    url_name="v1-alert-read",
    summary="Mark an alert read (its recipients)",
)
def mark_read(request: HttpRequest, public_id: uuid.UUID) -> Any:
    """Answers how many of my alerts are still unread."""
    user = _person(request)
    alert = selectors.get_alert_for_viewer(user, public_id)
    services.mark_read(user=user, alert=alert)
    return {"unread": selectors.unread_count(user)}


@router.get(
    "/alerts/{uuid:public_id}/figures",
    response={200: FiguresOut, **ERRORS},
    url_name="v1-alert-figures",
    summary="An alert's delivery figures (its team)",
)
def figures(request: HttpRequest, public_id: uuid.UUID) -> Any:
    """Counts per channel and status, and why some failed; nobody is named.
    403 for a recipient, 404 for anyone else outside the team."""
    alert = selectors.get_alert_for_sender(_person(request), public_id)
    found = selectors.delivery_figures(alert)
    return {
        "recipients": found.recipients,
        "read": found.read,
        "total": found.total,
        "in_progress": found.in_progress,
        "counts": found.counts,
        "failures": found.failures,
    }


@router.get(
    "/alerts/{uuid:public_id}/replies",
    response={200: list[TeamReplyOut], **ERRORS},
    url_name="v1-alert-replies",
    summary="The private replies to an alert (its team; reading is audited)",
)
@paginate(Pages)
def replies(request: HttpRequest, public_id: uuid.UUID) -> Any:
    """Oldest first. Reading them marks them read and is recorded in the audit trail."""
    user = _person(request)
    alert = selectors.get_alert_for_sender(user, public_id)
    found = list(selectors.replies_to(alert))
    if found:
        services.mark_replies_read(user=user, alert=alert)
    return found


@router.post(
    "/alerts/{uuid:public_id}/replies",
    response={201: ReplyOut, **WRITE},
    url_name="v1-alert-reply",
    summary="Reply privately to the team that sent an alert (its recipients)",
)
def reply(request: HttpRequest, public_id: uuid.UUID, payload: ReplyIn) -> Any:
    """Only the sending team reads it. 403 for people the alert did not reach (404 when they
    may not see it at all); 429 past 20 replies an hour."""
    user = _person(request)
    alert = selectors.get_alert_for_viewer(user, public_id)
    return Status(201, services.reply(user=user, alert=alert, body=payload.body))


# --- follows ------------------------------------------------------------------------------


@router.get(
    "/alerts/follows",
    response={200: list[FollowOut], **ERRORS},
    url_name="v1-alert-follows",
    summary="The places I follow (signed in)",
)
@paginate(Pages)
def list_follows(request: HttpRequest) -> Any:
    """Neighbourhoods first, then areas (a point and a radius), oldest first."""
    return selectors.follows_of(_person(request))


@router.post(
    "/alerts/follows",
    response={201: FollowOut, **WRITE},
    url_name="v1-alert-follow",
    summary="Follow a neighbourhood or an area (signed in)",
)
def follow(request: HttpRequest, payload: FollowIn) -> Any:
    """A neighbourhood (``force``, ``neighbourhood``) or a circle (``latitude``,
    ``longitude``, ``radius_metres`` from 100 to 5,000, optional ``label``). Following a
    neighbourhood again answers the existing follow."""
    user = _person(request)
    if payload.neighbourhood is not None:
        try:
            neighbourhood = places_selectors.get_neighbourhood(
                payload.force or "", payload.neighbourhood
            )
        except NotFound as error:
            raise input_error(error, "neighbourhood") from None
        created = services.follow_neighbourhood(user=user, neighbourhood=neighbourhood)
    else:
        created = services.follow_area(
            user=user,
            latitude=payload.latitude,
            longitude=payload.longitude,
            radius_metres=payload.radius_metres,
            label=payload.label,
        )
    return Status(201, selectors.follows_of(user).get(pk=created.pk))


@router.delete(
    "/alerts/follows/{follow_id}",
    response={200: UnfollowedOut, **ERRORS},
    url_name="v1-alert-unfollow",
    summary="Stop following a place (signed in)",
)
def unfollow(request: HttpRequest, follow_id: int) -> Any:
    """Answers the follow's id; 404 when it is not one of my follows."""
    if not 1 <= follow_id <= MAX_ID:
        raise NotFound(_("You do not follow that place."))
    services.unfollow(user=_person(request), follow_id=follow_id)
    return {"id": follow_id, "deleted": True}


# --- preferences --------------------------------------------------------------------------


@router.get(
    "/alerts/preferences",
    response={200: PreferencesOut, **ERRORS},
    url_name="v1-alert-preferences",
    summary="How I hear of alerts (signed in)",
)
def get_preferences(request: HttpRequest) -> Any:
    """My channels, minimum severity, quiet hours and digest; the defaults until I change them."""
    return services.preferences_of(_person(request))


@router.patch(
    "/alerts/preferences",
    response={200: PreferencesOut, **ERRORS},
    url_name="v1-alert-preferences-update",
    summary="Change how I hear of alerts (signed in)",
)
def update_preferences(request: HttpRequest, payload: PreferencesIn) -> Any:
    """Only the fields given change; a bad value is refused on its field, nothing half-saved.
    Give ``null`` for both quiet hours to remove them."""
    changes = payload.model_dump(exclude_unset=True)
    for name in ("email_enabled", "sms_enabled", "webhook_enabled", "daily_digest"):
        if name in changes and changes[name] is None:
            raise DomainError(_("Give true or false."), field=name)
    if changes.get("new_webhook_secret") is None:
        changes.pop("new_webhook_secret", None)
    return services.update_preferences(user=_person(request), **changes)
