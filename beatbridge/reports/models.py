"""Reports, anonymous tips and their categories, updates, photos and notifications.

A report is private by nature: it names a place someone cares about and often the
person who made it. ``Report`` has no plain ``objects`` manager: every query says
whether it wants what staff may see (``staff_objects``) or what the public may see
(``public_objects``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beatbridge.notify.models import Delivery, DeliveryStatus  # noqa: F401 - re-exported
from beatbridge.web.models import TranslatedContent


class CategoryKind(models.TextChoices):
    CONCERN = "concern", _("Concern")
    SUSPICIOUS_ACTIVITY = "suspicious_activity", _("Suspicious activity")


class Category(TranslatedContent):
    """What a report is about; an Open311 service (``code`` is its ``service_code``)."""

    force = models.ForeignKey(
        "places.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )
    code = models.SlugField(
        _("service code"),
        max_length=64,
        help_text=_("Stable id, unique within the force: the Open311 service_code."),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=120, blank=True)
    kind = models.CharField(
        _("kind"), max_length=32, choices=CategoryKind.choices, default=CategoryKind.CONCERN
    )
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Reports in a sensitive category never appear on public lists, maps or feeds."),
    )
    handled_by = models.CharField(
        _("handled by"),
        max_length=200,
        blank=True,
        help_text=_(
            "The team, partner or agency that deals with these reports "
            "(the Open311 agency_responsible). Blank means the neighbourhood team."
        ),
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive categories take no new reports.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["force", "group", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="category_unique_code_per_force")
        ]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        return self.translated("name")

    @property
    def local_description(self) -> str:
        return self.translated("description")

    @property
    def local_group(self) -> str:
        return self.translated("group")


class QuestionType(models.TextChoices):
    """Open311 attribute datatypes."""

    STRING = "string", _("Short text")
    TEXT = "text", _("Long text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    SINGLE_CHOICE = "singlevaluelist", _("Single choice")
    MULTIPLE_CHOICE = "multivaluelist", _("Multiple choice")


class CategoryQuestion(TranslatedContent):
    """An extra question a category asks: an Open311 attribute of its service definition."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="questions", verbose_name=_("category")
    )
    code = models.SlugField(_("code"), max_length=64)
    prompt = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    datatype = models.CharField(_("answer type"), max_length=20, choices=QuestionType.choices)
    required = models.BooleanField(_("required"), default=False)
    # [{"key": "north", "name": "Northbound"}, ...] for the choice types.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # Translations also carry the choices' names: {"es": {"prompt": ..., "choices": {"n": ...}}}.
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="question_unique_code_per_category"
            )
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.prompt

    def choice_pairs(self, language: str | None = None) -> list[tuple[str, str]]:
        """(key, name) pairs, names in ``language`` where a translation exists."""
        names = self.translation_in(language).get("choices", {})
        return [
            (choice["key"], names.get(choice["key"]) or choice["name"]) for choice in self.choices
        ]


class ReportKind(models.TextChoices):
    CONCERN = "concern", _("Concern")
    SUSPICIOUS_ACTIVITY = "suspicious_activity", _("Suspicious activity")
    TIP = "tip", _("Anonymous tip")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    REFERRED = "referred", _("Referred")
    RESOLVED = "resolved", _("Resolved")
    DUPLICATE = "duplicate", _("Closed as duplicate")


# Statuses that end a report's life; Open311 calls these "closed".
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.DUPLICATE})


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    NORMAL = 2, _("Normal")
    LOW = 3, _("Low")


class Source(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("Beatbridge API")
    OPEN311 = "open311", _("Open311 client")
    IMPORT = "import", _("Imported")


class PublicReportManager(models.Manager["Report"]):
    """What anyone may see: concerns in open categories, not private, not merged away."""

    def get_queryset(self) -> models.QuerySet[Report]:
        return (
            super()
            .get_queryset()
            .filter(category__is_sensitive=False, is_private=False)
            .exclude(kind__in=[ReportKind.TIP, ReportKind.SUSPICIOUS_ACTIVITY])
        )


class Report(models.Model):
    """A concern, a suspicious-activity report or an anonymous tip, and where it stands."""

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=ReportKind.choices)
    force = models.ForeignKey(
        "places.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("category")
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    description = models.TextField(_("description"))
    # Suspicious activity: {"behaviour", "seen_at", "direction", "vehicle"}.
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Answers to the category's questions, by question code.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or landmark"), max_length=300, blank=True)
    # The place the public sees: snapped to a grid cell's centre, never the exact point.
    public_latitude = models.FloatField(null=True, blank=True, editable=False)
    public_longitude = models.FloatField(null=True, blank=True, editable=False)
    is_private = models.BooleanField(
        _("keep off the public list"),
        default=False,
        help_text=_("The reporter asked that this report is not shown to the public."),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reporter"),
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # Idempotency: sha256 of the submitter's scope and the client's key, and of the payload.
    # Null, not blank, where absent: unique constraints ignore nulls but not empty strings.
    submission_key = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    submission_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Anonymous submissions: sha256 of the follow-up code given to the submitter.
    follow_up_code_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True, editable=False
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("assigned to"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # When something the public may see last changed: internal steps must not show through.
    public_updated_at = models.DateTimeField(_("publicly updated at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    staff_objects = models.Manager()
    public_objects = PublicReportManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        base_manager_name = "staff_objects"
        default_manager_name = "staff_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="report_point_is_on_earth",
            ),
            models.CheckConstraint(
                condition=~Q(kind="tip") | Q(reporter__isnull=True, contact_email=""),
                name="tip_carries_no_identity",
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "status", "-created_at"], name="report_inbox"),
            models.Index(fields=["force", "-created_at"], name="report_by_force"),
            models.Index(fields=["category", "-created_at"], name="report_by_category"),
            models.Index(fields=["reporter", "-created_at"], name="report_by_reporter"),
            models.Index(fields=["updated_at"], name="report_by_update"),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_public(self) -> bool:
        return (
            self.kind == ReportKind.CONCERN
            and not self.is_private
            and not self.category.is_sensitive
        )

    @property
    def time_to_acknowledge(self) -> datetime.timedelta | None:
        return self.acknowledged_at - self.created_at if self.acknowledged_at else None

    @property
    def time_to_resolve(self) -> datetime.timedelta | None:
        return self.resolved_at - self.created_at if self.resolved_at else None

    def notification_address(self) -> str:
        """Where to tell the reporter about progress: their account, else their contact."""
        if self.reporter_id and self.reporter.is_active:
            return self.reporter.email
        return self.contact_email


class UpdateKind(models.TextChoices):
    NOTE = "note", _("Internal note")
    PUBLIC = "public", _("Public update")
    STATUS = "status", _("Status change")
    ASSIGNMENT = "assignment", _("Assignment")
    REFERRAL = "referral", _("Referral")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood change")
    MERGE = "merge", _("Merged duplicate")
    REPORTER = "reporter", _("More information from the reporter")


class ReportUpdate(models.Model):
    """One step in a report's history. Internal notes are never public."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="updates", verbose_name=_("report")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UpdateKind.choices)
    # Null when the reporter (or an anonymous tipster) wrote it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown to the reporter and, unless the report is private, to the public."),
    )
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="note") | Q(is_public=False), name="note_is_never_public"
            ),
        ]
        indexes = [models.Index(fields=["report", "created_at"], name="update_by_report")]
        verbose_name = _("report update")
        verbose_name_plural = _("report updates")

    def __str__(self) -> str:
        return f"{self.report} — {self.get_kind_display()}"


def _photo_path(photo: ReportPhoto, filename: str) -> str:
    return f"reports/{timezone.now():%Y/%m}/{filename}"


class ReportPhoto(models.Model):
    """A re-encoded photo without metadata. Never served publicly: staff see it through a view."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="photos", verbose_name=_("report")
    )
    image = models.FileField(_("photo"), upload_to=_photo_path)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    height = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.report} photo {self.pk}"


class GuardrailTrigger(models.Model):
    """That the suspicious-activity guardrail sent a report back, and by which rule.

    Nothing about the report or the person: only the rule and the time, so staff can
    see how often it happens.
    """

    rule = models.CharField(max_length=64)
    language = models.CharField(max_length=16, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("guardrail trigger")
        verbose_name_plural = _("guardrail triggers")

    def __str__(self) -> str:
        return f"{self.rule} at {self.at:%Y-%m-%d %H:%M}"


class NotificationEvent(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    PUBLIC_UPDATE = "public_update", _("Public update")
    RESOLVED = "resolved", _("Resolved")


class ReporterNotification(Delivery):
    """One message to a reporter about their report, and what became of it.

    One row per report update: a retry or a second worker finds the row already sent
    and sends nothing twice. The address is read from the report when sending, never
    copied here.
    """

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("report")
    )
    update = models.OneToOneField(
        ReportUpdate, on_delete=models.PROTECT, related_name="notification"
    )
    event = models.CharField(_("event"), max_length=20, choices=NotificationEvent.choices)

    class Meta(Delivery.Meta):
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]
        verbose_name = _("reporter notification")
        verbose_name_plural = _("reporter notifications")

    def __str__(self) -> str:
        return f"{self.report} {self.event}: {self.status}"
