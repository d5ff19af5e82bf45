"""Writes for calendars: a person's private feed address, made or replaced.

The address is the only key to the feed, so replacing it is how someone shuts out a
calendar app (or a person) they gave it to: the old address stops working at once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from beatbridge.errors import PermissionDenied
from beatbridge.voice.models import CalendarFeed, new_token
from beatbridge.voice.permissions import is_signed_in


@transaction.atomic
def ensure_calendar_feed(*, user: Any) -> CalendarFeed:
    """The person's feed, made on first use; signed-in, active accounts only."""
    _check_signed_in(user)
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def reset_calendar_feed(*, user: Any) -> CalendarFeed:
    """A new address for the person's feed; the old one answers 404 from now on."""
    _check_signed_in(user)
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    return feed


def _check_signed_in(user: Any) -> None:
    if not is_signed_in(user):
        raise PermissionDenied(_("Sign in to get a calendar of what you registered for."))
