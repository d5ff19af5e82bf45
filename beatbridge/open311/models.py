"""API clients: the applications allowed to post service requests through Open311.

A client's key is shown once, when it is issued, and only its SHA-256 hash is kept;
the first characters (``key_prefix``) stay visible so administrators can tell keys apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """An application (a 311 app, a city's CRM) with its own key for posting service requests."""

    name = models.CharField(
        _("name"), max_length=120, help_text=_("The application or organisation using the key.")
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Who to tell when the key must change.")
    )
    key_prefix = models.CharField(_("key starts with"), max_length=16, editable=False)
    # sha256 of the key: a key has enough entropy that a slow hash would add nothing.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A deactivated key is refused from then on.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(is_active=True),
                name="api_client_unique_active_name",
                violation_error_message=_("An active API client already has this name."),
            )
        ]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
