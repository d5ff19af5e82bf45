"""Partner organisations, the people who act for them, and the liaison officers' log.

A partner (a school, a business, a faith or community group, a health or social
service, a council department) serves some neighbourhoods. Its contacts are people
with accounts who act for it; they see only what is shared with the organisation:
reports referred to it, its own engagement history, events it co-organises.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School or college")
    BUSINESS = "business", _("Business")
    FAITH = "faith", _("Faith group")
    COMMUNITY = "community", _("Community group")
    HEALTH_SOCIAL = "health_social", _("Health or social service")
    COUNCIL = "council", _("Council department")


class Organisation(models.Model):
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    description = models.TextField(_("about the organisation"), max_length=4000, blank=True)
    force = models.ForeignKey(
        "places.Force", on_delete=models.PROTECT, related_name="+", verbose_name=_("force")
    )
    neighbourhoods = models.ManyToManyField(
        "places.Neighbourhood",
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhoods served"),
    )
    # Language codes the organisation works in, e.g. ["en", "so"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # What it can help with, in its own words: "youth mentoring", "CCTV footage", ...
    help_offered = models.JSONField(_("can help with"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("organisation e-mail"), blank=True)
    telephone = models.CharField(_("organisation telephone"), max_length=40, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active partner"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person who acts for an organisation. Ended, never deleted, so the log keeps its names."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_contacts"
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)
    is_active = models.BooleanField(_("acts for the organisation"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "-is_primary", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="contact_once_per_organisation"
            ),
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class EngagementKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Telephone or video call")
    VISIT = "visit", _("Visit")
    EVENT = "event", _("Event")
    MESSAGE = "message", _("E-mail or letter")


class SharedEngagements(models.Manager["Engagement"]):
    """Engagements the organisation's contacts may read in their own history."""

    def get_queryset(self) -> models.QuerySet[Engagement]:
        return super().get_queryset().filter(shared_with_partner=True)


class Engagement(models.Model):
    """One conversation a liaison officer had with a partner or community group.

    Private to the force: no default manager. ``staff_objects`` is every engagement (for
    the police, through the partners selectors); ``shared_objects`` only those shared
    with the organisation (for its contacts). ``internal_note`` is never shown to them.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("organisation"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EngagementKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    # Short topics, e.g. ["school gate parking", "knife crime"].
    topics = models.JSONField(_("topics"), default=list, blank=True)
    summary = models.TextField(_("what was discussed"), max_length=4000)
    # Whether the organisation's contacts may read this entry in their own history.
    shared_with_partner = models.BooleanField(_("shared with the organisation"), default=True)
    # For the police only, even when the engagement is shared with the organisation.
    internal_note = models.TextField(_("internal note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    staff_objects = models.Manager()
    shared_objects = SharedEngagements()

    class Meta:
        default_manager_name = "staff_objects"
        base_manager_name = "staff_objects"
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["organisation", "occurred_at"], name="engagement_by_organisation"),
        ]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation} ({self.occurred_at:%Y-%m-%d})"


class RaisedConcern(models.Model):
    """A concern a partner raised in an engagement, and what it became."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="concerns")
    description = models.TextField(_("concern"), max_length=2000)
    # Set when the concern became a report or a priority candidate (one step, one of them).
    report_reference = models.CharField(_("report"), max_length=20, blank=True)
    priority_id = models.PositiveIntegerField(_("priority"), null=True, blank=True)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    converted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_reference="") | Q(priority_id__isnull=True),
                name="concern_becomes_one_thing",
            ),
        ]
        verbose_name = _("concern raised")
        verbose_name_plural = _("concerns raised")

    def __str__(self) -> str:
        return self.description[:60]


class FollowUp(models.Model):
    """Something agreed in an engagement, owed by someone by a date."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(_("what was agreed"), max_length=500)
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"], name="follow_up_by_owner")]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("Referred")
    ACCEPTED = "accepted", _("Accepted by the partner")
    DECLINED = "declined", _("Declined by the partner")
    CLOSED = "closed", _("Closed")


class Referral(models.Model):
    """A report a neighbourhood team passed to a partner: all the partner sees of reports."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="+", verbose_name=_("report")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals"
    )
    note = models.TextField(_("note to the partner"), max_length=2000)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    response = models.TextField(_("partner's response"), max_length=2000, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "organisation"], name="referral_once_per_organisation"
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.report_id} → {self.organisation}"
