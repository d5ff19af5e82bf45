"""People: the custom user, roles, public officer profiles and team assignments."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    OFFICER = "officer", _("Officer")
    LIAISON_OFFICER = "liaison_officer", _("Community liaison officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTNER = "partner", _("Partner-organisation member")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that serve on neighbourhood teams; granted by an administrator only.
POLICE_ROLES = frozenset({Role.OFFICER, Role.LIAISON_OFFICER, Role.SUPERVISOR})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.ADMINISTRATOR)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone with an account. Signs in by e-mail; the role says what they may do."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.RESIDENT)
    preferred_language = models.CharField(
        _("preferred language"), max_length=16, choices=settings.LANGUAGES, blank=True
    )
    home_neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home neighbourhood"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Whether this person may sign in to the admin site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""

    @property
    def is_police(self) -> bool:
        return self.role in POLICE_ROLES


class OfficerProfile(models.Model):
    """What the public sees of an officer. Never a personal contact detail."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="officer_profile", verbose_name=_("user")
    )
    force = models.ForeignKey(
        "places.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )
    display_name = models.CharField(_("public name"), max_length=150)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    # Language codes the officer speaks, e.g. ["en", "so"].
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    photo = models.ImageField(_("photo"), upload_to="officers/", blank=True)
    is_senior = models.BooleanField(
        _("senior officer"),
        default=False,
        help_text=_("Listed among the force's senior officers (police.uk forces/{force}/people)."),
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("officer profile")
        verbose_name_plural = _("officer profiles")

    def __str__(self) -> str:
        return f"{self.rank} {self.display_name}".strip()


class TeamRole(models.TextChoices):
    NEIGHBOURHOOD_OFFICER = "neighbourhood_officer", _("Neighbourhood officer")
    COORDINATION_OFFICER = "coordination_officer", _("Coordination officer")
    SECTOR_OFFICER = "sector_officer", _("Sector officer")
    LIAISON_OFFICER = "liaison_officer", _("Liaison officer")
    SUPERVISOR = "supervisor", _("Supervisor")


class TeamAssignmentQuerySet(models.QuerySet["TeamAssignment"]):
    def current(self, on: datetime.date | None = None) -> TeamAssignmentQuerySet:
        """Assignments in force on a day (today by default): the team as it stands."""
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class TeamAssignment(models.Model):
    """An officer serving a neighbourhood in a team role between two dates.

    Assignments are ended, never deleted, so the history of who served where is kept.
    """

    officer = models.ForeignKey(
        OfficerProfile,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("officer"),
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    role = models.CharField(_("team role"), max_length=32, choices=TeamRole.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["neighbourhood", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="team_assignment_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "ends_on"], name="assignment_by_neighbourhood")
        ]
        verbose_name = _("team assignment")
        verbose_name_plural = _("team assignments")

    def __str__(self) -> str:
        return f"{self.officer} — {self.get_role_display()}"
