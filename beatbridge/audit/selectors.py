"""Reading the audit trail, newest entry first (the model's ordering)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import QuerySet

from beatbridge.audit.models import AuditEntry, target_reference

if TYPE_CHECKING:
    from beatbridge.accounts.models import User


def entries_for(target: models.Model) -> QuerySet[AuditEntry]:
    """Everything done to one record, newest first."""
    target_type, target_id = target_reference(target)
    return AuditEntry.objects.filter(target_type=target_type, target_id=target_id)


def entries_by(actor: User) -> QuerySet[AuditEntry]:
    """Everything one person did, newest first."""
    return AuditEntry.objects.filter(actor=actor)
