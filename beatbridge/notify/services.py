"""Writes for notifications: sending alerts, following places, preferences, inbox, replies."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge import limits
from beatbridge.accounts.permissions import is_administrator
from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, NotFound, PermissionDenied
from beatbridge.notify import alerts, webhooks
from beatbridge.notify.models import (
    Alert,
    AlertCategory,
    AlertDelivery,
    AlertReply,
    Audience,
    Channel,
    DeliveryStatus,
    Follow,
    Preferences,
    Severity,
    new_webhook_secret,
    phone_number_validator,
)
from beatbridge.notify.permissions import (
    can_alert_neighbourhood,
    can_alert_sector,
    can_message_scheme,
    can_see_alert_figures,
    can_send_urgent,
)
from beatbridge.places.models import Neighbourhood, Sector
from beatbridge.places.selectors import neighbourhoods_meeting_circle
from beatbridge.web.languages import base_language, clean_language_codes
from beatbridge.web.translation import clean_translations
from beatbridge.web.validation import clean_text, refuse_nul_characters

TITLE_MAX = 140
MESSAGE_MAX = 2000
MAX_NEIGHBOURHOODS = 50
MAX_FOLLOWS = 20
DEFAULT_LIFETIME = {
    Severity.INFORMATION: datetime.timedelta(days=7),
    Severity.ADVICE: datetime.timedelta(days=14),
    Severity.WARNING: datetime.timedelta(days=3),
    Severity.URGENT: datetime.timedelta(days=1),
}
LONGEST_LIFETIME = datetime.timedelta(days=90)


def _signed_in(user: Any) -> None:
    if not (user is not None and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in first."))


# --- sending ------------------------------------------------------------------------------


def _choice(value: Any, choices: type, field: str) -> str:
    if value not in choices.values:
        raise DomainError(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
            field=field,
        )
    return str(value)


def clean_alert_translations(value: object) -> dict[str, dict[str, str]]:
    """``{language: {"title": ..., "message": ...}}`` with each text bounded like its original."""
    return clean_translations(
        value,
        {"title": TITLE_MAX, "message": MESSAGE_MAX},
        language_of=lambda language: base_language(
            clean_language_codes([language], field="translations")[0]
        ),
        field_of=lambda language, name: f"translations.{language}.{name}",
    )


def _audience(
    user: Any,
    audience: str,
    *,
    neighbourhoods: Iterable[Neighbourhood],
    sector: Sector | None,
    scheme: Any,
    latitude: float | None,
    longitude: float | None,
    radius_metres: int | None,
) -> list[Neighbourhood]:
    """Check the audience is whole and the sender may reach it; returns its neighbourhoods."""
    if audience == Audience.NEIGHBOURHOODS:
        chosen = list(dict.fromkeys(neighbourhoods))
        if not chosen:
            raise DomainError(_("Choose at least one neighbourhood."), field="neighbourhoods")
        if len(chosen) > MAX_NEIGHBOURHOODS:
            raise DomainError(
                _("Choose at most %(count)d neighbourhoods.") % {"count": MAX_NEIGHBOURHOODS},
                field="neighbourhoods",
            )
        for neighbourhood in chosen:
            if not can_alert_neighbourhood(user, neighbourhood):
                raise PermissionDenied(
                    _("You may not alert %(name)s.") % {"name": neighbourhood.name},
                    field="neighbourhoods",
                )
        return chosen
    if audience == Audience.SECTOR:
        if sector is None:
            raise DomainError(_("Choose a sector."), field="sector")
        if not can_alert_sector(user, sector):
            raise PermissionDenied(
                _("Only the force's supervisors may alert a whole sector."), field="sector"
            )
        return []
    if audience == Audience.SCHEME:
        if scheme is None:
            raise DomainError(_("Choose a watch scheme."), field="scheme")
        if not can_message_scheme(user, scheme):
            raise PermissionDenied(
                _("Only the scheme's coordinators and its neighbourhood team may message it."),
                field="scheme",
            )
        from beatbridge.watch.selectors import is_running

        if not is_running(scheme):
            raise DomainError(_("This scheme is not running."), field="scheme")
        return []
    # An area: a centre and a radius. Every neighbourhood the circle reaches hears of it,
    # so the sender must be allowed to alert each of them.
    if latitude is None or longitude is None:
        raise DomainError(_("Choose the centre of the area on the map."), field="latitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DomainError(_("That is not a place on Earth."), field="latitude")
    if radius_metres is None or not 50 <= radius_metres <= 50_000:
        raise DomainError(_("Give a radius between 50 and 50,000 metres."), field="radius_metres")
    reached = neighbourhoods_meeting_circle(latitude, longitude, radius_metres)
    if not reached and not is_administrator(user):
        raise PermissionDenied(
            _("That area is outside every neighbourhood; only administrators may alert it."),
            field="latitude",
        )
    for neighbourhood in reached:
        if not can_alert_neighbourhood(user, neighbourhood):
            raise PermissionDenied(
                _("The area reaches into %(name)s, which you may not alert.")
                % {"name": neighbourhood.name},
                field="radius_metres",
            )
    return reached


def _rate_limit(user: Any) -> limits.Counter:
    return limits.counter(
        "alerts", "author", settings.NOTIFY_ALERTS_PER_HOUR, str(user.pk), window_seconds=3600
    )


def send_alert(
    *,
    author: Any,
    severity: str,
    category: str,
    title: str,
    message: str,
    audience: str,
    neighbourhoods: Iterable[Neighbourhood] = (),
    sector: Sector | None = None,
    scheme: Any = None,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_metres: int | None = None,
    expires_at: datetime.datetime | None = None,
    translations: object = None,
    original_language: str = "",
) -> Alert:
    """Record an alert and fan it out (in the background) to everyone it reaches.

    Only the people who could reach that audience may send it; residents alert nobody
    but the members of a scheme they run, and never urgently. Each author may send
    ``NOTIFY_ALERTS_PER_HOUR`` an hour.
    """
    _signed_in(author)
    refuse_nul_characters({"title": title, "message": message, "translations": translations or {}})
    severity = _choice(severity, Severity, "severity")
    category = _choice(category, AlertCategory, "category")
    audience = _choice(audience, Audience, "audience")
    title = clean_text(
        title, field="title", label=_("a title"), max_length=TITLE_MAX, required=True
    )
    message = clean_text(
        message, field="message", label=_("a message"), max_length=MESSAGE_MAX, required=True
    )
    cleaned_translations = clean_alert_translations(translations)
    language = (
        clean_language_codes([original_language], field="original_language")[0]
        if original_language
        else (author.preferred_language or settings.LANGUAGE_CODE)
    )
    chosen = _audience(
        author,
        audience,
        neighbourhoods=neighbourhoods,
        sector=sector,
        scheme=scheme,
        latitude=latitude,
        longitude=longitude,
        radius_metres=radius_metres,
    )
    if severity == Severity.URGENT and not can_send_urgent(author):
        raise PermissionDenied(
            _("Only the neighbourhood's team may send urgent alerts."), field="severity"
        )
    now = timezone.now()
    expires_at = expires_at or now + DEFAULT_LIFETIME[Severity(severity)]
    if expires_at <= now:
        raise DomainError(_("The expiry must be in the future."), field="expires_at")
    if expires_at > now + LONGEST_LIFETIME:
        raise DomainError(_("An alert may last 90 days at most."), field="expires_at")
    counter = _rate_limit(author)
    limits.refuse_over_limit(
        [counter],
        message=_("You have sent as many alerts as you may this hour. Try again later."),
        field=None,
    )
    with transaction.atomic():
        alert = Alert.objects.create(
            author=author,
            severity=severity,
            category=category,
            title=title,
            message=message,
            audience=audience,
            sector=sector if audience == Audience.SECTOR else None,
            scheme=scheme if audience == Audience.SCHEME else None,
            latitude=latitude if audience == Audience.AREA else None,
            longitude=longitude if audience == Audience.AREA else None,
            radius_metres=radius_metres if audience == Audience.AREA else None,
            expires_at=expires_at,
            translations=cleaned_translations,
            original_language=language,
        )
        if audience in (Audience.NEIGHBOURHOODS, Audience.AREA):
            # For an area, the neighbourhoods it reaches: whose teams see its figures.
            alert.neighbourhoods.set(chosen)
        if audience == Audience.SCHEME:
            from beatbridge.watch.services import note_activity

            note_activity(scheme)
        audit(
            actor=author,
            action="alert.sent",
            target=alert,
            detail={"severity": severity, "audience": audience},
        )
        alert_id = alert.pk

        def fan_out() -> None:
            from beatbridge.notify.tasks import fan_out_alert

            fan_out_alert.enqueue(alert_id=alert_id)

        transaction.on_commit(fan_out)
    limits.count_attempt([counter])
    return alert


# --- following ----------------------------------------------------------------------------


def follow_neighbourhood(*, user: Any, neighbourhood: Neighbourhood) -> Follow:
    """Follow a neighbourhood's alerts; following it again changes nothing."""
    _signed_in(user)
    follow = Follow.objects.filter(user=user, neighbourhood=neighbourhood).first()
    if follow is not None:
        return follow
    _refuse_too_many(user)
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, neighbourhood=neighbourhood)
    except IntegrityError:
        # The same person's second click, a moment earlier: that follow is the answer.
        return Follow.objects.get(user=user, neighbourhood=neighbourhood)


def follow_area(
    *,
    user: Any,
    latitude: float | None,
    longitude: float | None,
    radius_metres: int | None,
    label: str = "",
) -> Follow:
    """Follow a circle around a point (a home, a school): alerts that reach it."""
    _signed_in(user)
    if latitude is None or longitude is None:
        raise DomainError(
            _("Choose the place on the map, or give its latitude and longitude."),
            field="latitude" if latitude is None else "longitude",
        )
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DomainError(_("That is not a place on Earth."), field="latitude")
    if radius_metres is None or not 100 <= radius_metres <= 5000:
        raise DomainError(_("Give a radius between 100 and 5,000 metres."), field="radius_metres")
    label = clean_text(label, field="label", label=_("a name"), max_length=60)
    with transaction.atomic():
        _refuse_too_many(user)
        return Follow.objects.create(
            user=user,
            latitude=latitude,
            longitude=longitude,
            radius_metres=radius_metres,
            label=label,
        )


def _refuse_too_many(user: Any) -> None:
    if Follow.objects.filter(user=user).count() >= MAX_FOLLOWS:
        raise DomainError(
            _("You follow %(count)d places already; stop following one first.")
            % {"count": MAX_FOLLOWS},
            field="neighbourhood",
        )


def unfollow(*, user: Any, follow_id: int) -> None:
    """Stop following a place; another person's follow is not found."""
    _signed_in(user)
    deleted, _count = Follow.objects.filter(pk=follow_id, user=user).delete()
    if not deleted:
        raise NotFound(_("You do not follow that place."))


# --- preferences --------------------------------------------------------------------------


def preferences_of(user: Any) -> Preferences:
    """The person's preferences, created with the defaults the first time they are asked."""
    preferences, _created = Preferences.objects.get_or_create(user=user)
    return preferences


def update_preferences(*, user: Any, **changes: Any) -> Preferences:
    """Change how a person hears; unknown fields and bad values are refused, nothing half-saved.

    A number is needed for text messages and a public https address for a webhook;
    quiet hours need both ends, and a webhook's secret can be replaced (``new_webhook_secret``).
    """
    _signed_in(user)
    editable = {
        "email_enabled",
        "sms_enabled",
        "phone_number",
        "webhook_enabled",
        "webhook_url",
        "minimum_severity",
        "quiet_hours_start",
        "quiet_hours_end",
        "daily_digest",
        "new_webhook_secret",
    }
    for name in changes:
        if name not in editable:
            raise DomainError(_("This setting does not exist."), field=name, code="unknown")
    with transaction.atomic():
        preferences = Preferences.objects.select_for_update().get(pk=preferences_of(user).pk)
        for name in ("email_enabled", "sms_enabled", "webhook_enabled", "daily_digest"):
            if name in changes:
                if not isinstance(changes[name], bool):
                    raise DomainError(_("Give true or false."), field=name)
                setattr(preferences, name, changes[name])
        if "phone_number" in changes:
            number = "".join(str(changes["phone_number"] or "").split())
            if number:
                try:
                    phone_number_validator(number)
                except Exception as error:
                    raise DomainError(
                        _(
                            "Write the number in international form, starting with + and the "
                            "country code."
                        ),
                        field="phone_number",
                    ) from error
            preferences.phone_number = number
        if "webhook_url" in changes:
            url = str(changes["webhook_url"] or "").strip()
            if len(url) > 200:
                raise DomainError(_("That address is too long."), field="webhook_url")
            if url:
                webhooks.check_address(url)
            preferences.webhook_url = url
        if "minimum_severity" in changes:
            preferences.minimum_severity = _choice(
                changes["minimum_severity"], Severity, "minimum_severity"
            )
        if "quiet_hours_start" in changes or "quiet_hours_end" in changes:
            start = changes.get("quiet_hours_start", preferences.quiet_hours_start)
            end = changes.get("quiet_hours_end", preferences.quiet_hours_end)
            for name, value in (("quiet_hours_start", start), ("quiet_hours_end", end)):
                if value is not None and (
                    not isinstance(value, datetime.time) or value.tzinfo is not None
                ):
                    raise DomainError(
                        _(
                            "Give a time of day such as 22:00, without a time zone: quiet "
                            "hours follow the site's time zone."
                        ),
                        field=name,
                    )
            if (start is None) != (end is None):
                raise DomainError(
                    _("Give both ends of your quiet hours, or neither."),
                    field="quiet_hours_end" if end is None else "quiet_hours_start",
                )
            if start is not None and start == end:
                raise DomainError(
                    _("Quiet hours must end at a different time from when they start."),
                    field="quiet_hours_end",
                )
            preferences.quiet_hours_start, preferences.quiet_hours_end = start, end
        if changes.get("new_webhook_secret"):
            preferences.webhook_secret = new_webhook_secret()
        if preferences.sms_enabled and not preferences.phone_number:
            raise DomainError(_("Give a mobile number for text messages."), field="phone_number")
        if preferences.webhook_enabled and not preferences.webhook_url:
            raise DomainError(_("Give the webhook's address."), field="webhook_url")
        preferences.save(
            update_fields=[
                "email_enabled",
                "sms_enabled",
                "phone_number",
                "webhook_enabled",
                "webhook_url",
                "webhook_secret",
                "minimum_severity",
                "quiet_hours_start",
                "quiet_hours_end",
                "daily_digest",
                "updated_at",
            ]
        )
    return preferences


def unsubscribe_email(token: str) -> bool:
    """One-click unsubscribe (RFC 8058): e-mail alerts off for the token's person."""
    user_id = alerts.user_of_unsubscribe_token(token)
    if user_id is None:
        return False
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    preferences = preferences_of(user)
    if preferences.email_enabled:
        preferences.email_enabled = False
        preferences.save(update_fields=["email_enabled", "updated_at"])
    return True


# --- the inbox and replies ----------------------------------------------------------------


def mark_read(*, user: Any, alert: Alert) -> None:
    """The person opened the alert: their inbox copy is read."""
    if not (user is not None and user.is_authenticated):
        return
    AlertDelivery.objects.filter(
        alert=alert, recipient=user, channel=Channel.INBOX, read_at__isnull=True
    ).update(status=DeliveryStatus.READ, read_at=timezone.now())


def reply(*, user: Any, alert: Alert, body: str) -> AlertReply:
    """A recipient answers the sender privately; only people it reached may."""
    _signed_in(user)
    if not AlertDelivery.objects.filter(alert=alert, recipient=user).exists():
        raise PermissionDenied(_("Only people this alert reached may reply to it."))
    body = clean_text(body, field="body", label=_("a reply"), max_length=2000, required=True)
    counter = limits.counter("alert-replies", "author", 20, str(user.pk), window_seconds=3600)
    limits.refuse_over_limit(
        [counter], message=_("You have sent many replies this hour. Try later."), field="body"
    )
    created = AlertReply.objects.create(alert=alert, author=user, body=body)
    limits.count_attempt([counter])
    return created


def mark_replies_read(*, user: Any, alert: Alert) -> int:
    """The sender's team read the replies (and the audit says who read whose)."""
    if not can_see_alert_figures(user, alert):
        raise PermissionDenied(_("Only the alert's sender and team may read its replies."))
    audit(actor=user, action="alert.replies_viewed", target=alert)
    return AlertReply.objects.filter(alert=alert, read_at__isnull=True).update(
        read_at=timezone.now()
    )
