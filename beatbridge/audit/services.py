"""Writing the audit trail. Other apps' services call record() in their own transaction."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import models

from beatbridge.audit.models import AuditEntry, target_reference

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from beatbridge.accounts.models import User

# "<thing>.<verb in the past tense>", lower case: "report.acknowledged", "report.viewed".
_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_ACTION_MAX = AuditEntry._meta.get_field("action").max_length or 64


def record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to the audit trail and return it.

    Call it inside the transaction of the change it describes, so the entry and the
    change are kept or lost together. ``actor`` is None for the system (a task, a
    command) and may be an anonymous visitor. ``detail`` holds ids, field names and
    status values only: never a name, an address, free text or anything else personal.
    A malformed ``action`` or an unsaved ``target`` is a programming error: ValueError.
    """
    if len(action) > _ACTION_MAX or not _ACTION.fullmatch(action):
        raise ValueError(
            f"Audit actions are dotted lower-case names like 'report.viewed'; got {action!r}."
        )
    target_type, target_id = target_reference(target) if target is not None else ("", "")
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=_actor_label(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail or {},
    )


def _actor_label(actor: User | AnonymousUser | None) -> str:
    if actor is None:
        return "system"
    if not actor.is_authenticated:
        return "anonymous visitor"
    return f"user #{actor.pk} ({actor.role})"
