"""The audit trail: who did what to which record, for every staff action and view of personal data.

An entry names its actor by a snapshot label ("user #12 (officer)") as well as by a link,
so the trail still reads after an account is deleted. Entries carry ids and field names,
never personal data: the trail is kept longer than the data it describes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One action by one person (or by the system) on one record. Written once, never changed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        # The (actor, at) index below serves look-ups by actor.
        db_index=False,
    )
    actor_label = models.CharField(
        _("actor at the time"),
        max_length=64,
        help_text=_("The account's number and role when it acted; never a name or e-mail."),
    )
    action = models.CharField(
        _("action"), max_length=64, help_text=_('What was done, e.g. "report.acknowledged".')
    )
    target_type = models.CharField(
        _("record type"), max_length=100, blank=True, help_text=_('e.g. "reports.report".')
    )
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    detail = models.JSONField(
        _("detail"),
        default=dict,
        blank=True,
        help_text=_("Ids and field names only, never personal data."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_at_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target_type} {self.target_id}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The trail is evidence: an entry that could be edited would prove nothing.
        if not self._state.adding:
            raise ValueError("Audit entries are append-only; this one is already saved.")
        super().save(*args, **kwargs)


def target_reference(target: models.Model) -> tuple[str, str]:
    """The (target_type, target_id) an entry stores for a saved record."""
    if target.pk is None:
        raise ValueError("An audit entry's target must be saved first.")
    return target._meta.label_lower, str(target.pk)
