"""Writes for Open311: issuing, checking and deactivating API keys.

A key is ``bb311_`` and 43 URL-safe random characters (256 bits). Only its SHA-256
hash is stored, so a key is shown once, when it is issued, and never again.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.open311 import selectors
from beatbridge.open311.models import ApiClient

if TYPE_CHECKING:
    from beatbridge.accounts.models import User

KEY_PREFIX = "bb311_"
# Enough of the key to tell keys apart in the admin, too little to help a guess.
_VISIBLE_CHARACTERS = len(KEY_PREFIX) + 6
# last_used_at is a rough "is this key still in use?": one write a minute is plenty.
_LAST_USED_RESOLUTION = 60


@dataclass(frozen=True)
class IssuedKey:
    client: ApiClient
    # The only time the key exists outside its owner's hands.
    key: str


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_key(
    *, name: str, created_by: User | None = None, contact_email: str = ""
) -> IssuedKey:
    """Create an API client and its key; the key is in the result and nowhere else.

    Names are unique among active clients, so a key can be told apart by what it is for.
    """
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the client a name."), field="name", code="required")
    if len(name) > ApiClient._meta.get_field("name").max_length:
        raise DomainError(_("The name is too long."), field="name", code="too_long")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        if selectors.is_client_name_taken(name):
            raise DomainError(
                _("An active API client is already called “%(name)s”.") % {"name": name},
                field="name",
                code="duplicate",
            )
        client = ApiClient.objects.create(
            name=name,
            contact_email=(contact_email or "").strip().lower(),
            key_prefix=key[:_VISIBLE_CHARACTERS],
            key_hash=hash_api_key(key),
            created_by=created_by,
        )
        audit(actor=created_by, action="open311.api_key_issued", target=client)
    return IssuedKey(client=client, key=key)


def authenticate_api_key(key: str | None) -> ApiClient:
    """The active client a key belongs to, noting when it was last used; 403 otherwise."""
    key = (key or "").strip()
    if not key:
        raise PermissionDenied(_("Required to post a service request."), field="api_key")
    client = ApiClient.objects.filter(key_hash=hash_api_key(key)).first()
    if client is None:
        raise PermissionDenied(
            _("Not a valid key: ask the administrators of this service for one."),
            field="api_key",
        )
    if not client.is_active:
        raise PermissionDenied(
            _("This key has been deactivated: ask the administrators for a new one."),
            field="api_key",
        )
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > (
        _LAST_USED_RESOLUTION
    ):
        client.last_used_at = now
        client.save(update_fields=["last_used_at"])
    return client


def deactivate_api_client(*, client: ApiClient, by: User | None) -> ApiClient:
    """Refuse the client's key from now on. Keys are never reactivated: issue a new one."""
    with transaction.atomic():
        if client.is_active:
            client.is_active = False
            client.save(update_fields=["is_active"])
            audit(actor=by, action="open311.api_client_deactivated", target=client)
    return client
