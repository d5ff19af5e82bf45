"""Neighbourhood watch: schemes residents run, their members, and the patrol rota.

A scheme is proposed by a resident and approved by the neighbourhood's team; its
coordinators approve members and message them. Messages to members are alerts
(``notify.Alert`` with the scheme as audience), so they reach each member on the
channels they chose and are recorded like every other message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the neighbourhood team")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


class Scheme(models.Model):
    """A watch scheme covering some streets, or an area drawn on the map, in one neighbourhood."""

    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("about the scheme"), max_length=2000, blank=True)
    # Street names the scheme covers, as people write them ("Park Lane", "Elm Road").
    streets = models.JSONField(_("streets covered"), default=list, blank=True)
    # A GeoJSON Polygon (WGS84 lon/lat) inside the neighbourhood, when drawn on the map.
    area = models.JSONField(_("area covered"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note from the team"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The latest message, membership change or rota sign-up: how the team sees a scheme
    # going quiet.
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "name"], name="scheme_name_unique_in_neighbourhood"
            ),
            models.CheckConstraint(
                condition=~Q(streets=[]) | Q(area__isnull=False),
                name="scheme_covers_streets_or_an_area",
            ),
        ]
        indexes = [models.Index(fields=["neighbourhood", "status"], name="scheme_by_place")]
        verbose_name = _("watch scheme")
        verbose_name_plural = _("watch schemes")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    DEPUTY = "deputy", _("Deputy coordinator")
    MEMBER = "member", _("Member")


# Who runs a scheme: approves members, messages them, keeps the rota.
RUNNING_ROLES = frozenset({MemberRole.COORDINATOR, MemberRole.DEPUTY})


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    APPROVED = "approved", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class Membership(models.Model):
    """A person's place in a scheme. Ended (left, declined), never deleted."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_memberships"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REQUESTED,
    )
    # What the person told the coordinator when asking: "I live at the Elm Road end".
    note = models.CharField(_("note to the coordinator"), max_length=300, blank=True)
    # Members may keep their place but stop the scheme's messages.
    receives_messages = models.BooleanField(_("receive the scheme's messages"), default=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheme", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "user"], name="membership_once_per_scheme"),
        ]
        indexes = [models.Index(fields=["scheme", "status"], name="membership_by_scheme")]
        verbose_name = _("scheme membership")
        verbose_name_plural = _("scheme memberships")

    def __str__(self) -> str:
        return f"{self.user_id} in {self.scheme_id} ({self.role}, {self.status})"

    @property
    def runs_scheme(self) -> bool:
        return self.status == MembershipStatus.APPROVED and self.role in RUNNING_ROLES


class RotaSlot(models.Model):
    """A patrol or "eyes on the street" shift members sign up for."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rota_slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    route = models.CharField(_("route or place"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(_("people needed"), default=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Cancelled, not deleted: who had signed up stays on the record.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="rota_slot_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="rota_slot_needs_someone"),
        ]
        verbose_name = _("rota slot")
        verbose_name_plural = _("rota slots")

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.starts_at:%Y-%m-%d %H:%M}"


class RotaSignup(models.Model):
    slot = models.ForeignKey(RotaSlot, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="rota_signups")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "member"], name="rota_signup_once"),
        ]
        verbose_name = _("rota sign-up")
        verbose_name_plural = _("rota sign-ups")

    def __str__(self) -> str:
        return f"{self.member_id} on {self.slot_id}"
