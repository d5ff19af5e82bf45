"""Problem-solving projects in the SARA cycle: Scanning, Analysis, Response, Assessment.

A project belongs to a force and one or more of its neighbourhoods. It is private to the
team and the partner organisations it invites until the team publishes a summary. Every
change of stage, action, assessment and decision is kept in its history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.crimedata.models import StreetPoint
from beatbridge.partners.models import Organisation
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.reports.models import Report
from beatbridge.voice.models import Priority, RaisedConcern
from beatbridge.web.models import TranslatedContent


class Stage(models.TextChoices):
    SCANNING = "scanning", _("Scanning")
    ANALYSIS = "analysis", _("Analysis")
    RESPONSE = "response", _("Response")
    ASSESSMENT = "assessment", _("Assessment")
    CLOSED = "closed", _("Closed")


STAGE_ORDER = [Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT, Stage.CLOSED]


class Decision(models.TextChoices):
    CLOSE = "close", _("Close: the problem is solved or reduced enough")
    ADJUST = "adjust", _("Adjust the response and assess again")
    CONTINUE = "continue", _("Continue the response as it is")


class Project(TranslatedContent):
    """One problem and the work on it. ``translations`` holds the public summary's."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, related_name="+", verbose_name=_("neighbourhoods")
    )
    title = models.CharField(
        _("the problem"),
        max_length=200,
        help_text=_("A recurring problem in a place, e.g. “Car break-ins at the Leary Way lot”."),
    )
    description = models.TextField(_("what happens, to whom, when"), blank=True)
    since = models.DateField(_("since when"), null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.SCANNING
    )
    # Where: a GeoJSON Polygon or MultiPolygon drawn on the map, and/or chosen street points.
    area = models.JSONField(_("area"), null=True, blank=True)
    street_points = models.ManyToManyField(
        StreetPoint, blank=True, related_name="+", verbose_name=_("street points")
    )
    crime_category = models.CharField(
        _("crime series"),
        max_length=48,
        choices=CrimeCategory.choices,
        blank=True,
        help_text=_("The category of recorded crime this problem shows in, if any."),
    )
    # Where it came from.
    reports = models.ManyToManyField(Report, blank=True, related_name="+")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="problem_projects")
    meeting_concerns = models.ManyToManyField(RaisedConcern, blank=True, related_name="+")
    # The hotspot query that pointed at it: {"category", "first_month", "last_month",
    # "cell_metres", "bounds"}.
    hotspot = models.JSONField(_("hotspot"), default=dict, blank=True)

    # Analysis: the problem-analysis triangle, each side with who can act on it.
    offender = models.TextField(_("offender"), blank=True)
    handler = models.TextField(_("handler (who can influence the offender)"), blank=True)
    target = models.TextField(_("victim or target"), blank=True)
    guardian = models.TextField(_("guardian (who can protect the target)"), blank=True)
    place = models.TextField(_("place"), blank=True)
    manager = models.TextField(_("manager (who is responsible for the place)"), blank=True)
    # Counts by month, and by hour and weekday where the data has times, when analysed.
    data_snapshot = models.JSONField(_("data snapshot"), default=dict, blank=True)
    snapshot_taken_at = models.DateTimeField(null=True, blank=True)

    invited_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("partners invited")
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("why"), blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["force", "stage"], name="project_force_stage")]
        verbose_name = _("problem-solving project")
        verbose_name_plural = _("problem-solving projects")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class HistoryKind(models.TextChoices):
    CREATED = "created", _("Project started")
    STAGE = "stage", _("Stage changed")
    UPDATED = "updated", _("Details changed")
    QUESTION = "question", _("Question or finding")
    SNAPSHOT = "snapshot", _("Data snapshot taken")
    ACTION = "action", _("Action")
    PARTNER = "partner", _("Partner invited")
    ASSESSMENT = "assessment", _("Assessment")
    DECISION = "decision", _("Decision")
    PUBLISHED = "published", _("Summary published")
    UNPUBLISHED = "unpublished", _("Summary withdrawn")


class HistoryEntry(models.Model):
    """One step in a project's life, for its visible history.

    It keeps what happened (``kind`` and ``values``: codes, and the words people wrote),
    not a sentence, so that each reader reads it in their own language: see ``describe``.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=16, choices=HistoryKind.choices)
    # What the entry says beyond its kind: {"was": stage, "now": stage} for a stage,
    # {"decision": code}, {"question": text}, {"finding": text}, {"planned": text},
    # {"action": text, "status": code}, {"organisation": name}; {} when the kind says it
    # all. Null on entries written before it was kept, whose ``summary`` is shown instead.
    values = models.JSONField(null=True, blank=True, editable=False)
    # The account as written in the writer's language, by entries written before
    # ``values`` was kept; empty since.
    summary = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return self.describe()

    @property
    def says_more_than_its_kind(self) -> bool:
        """False where the description only restates the kind ("Assessment recorded."),
        so that a page need not show both."""
        return self.values is None or self.kind not in _SAID_BY_KIND

    def describe(self) -> str:
        """What happened, in the active language: "Scanning → Analysis", "Question: …"."""
        if self.values is None:
            return self.summary
        values = self.values
        match self.kind:
            case HistoryKind.STAGE:
                return f"{_label(Stage, values['was'])} → {_label(Stage, values['now'])}"
            case HistoryKind.QUESTION if "finding" in values:
                return gettext("Finding: %(text)s") % {"text": values["finding"]}
            case HistoryKind.QUESTION:
                return gettext("Question: %(text)s") % {"text": values["question"]}
            case HistoryKind.ACTION if "status" in values:
                return gettext("Action now “%(status)s”: %(text)s") % {
                    "status": _label(ActionStatus, values["status"]),
                    "text": values["action"],
                }
            case HistoryKind.ACTION:
                return gettext("Action planned: %(text)s") % {"text": values["planned"]}
            case HistoryKind.PARTNER:
                return gettext("%(name)s invited.") % {"name": values["organisation"]}
            case HistoryKind.DECISION:
                return gettext("Decision: %(decision)s.") % {
                    "decision": _label(Decision, values["decision"])
                }
        return str(_SAID_BY_KIND[self.kind])


def _label(choices: type[models.TextChoices], code: str) -> str:
    """The choice's name in the active language; the code itself for a choice since removed."""
    return str(dict(choices.choices).get(code, code))


# The entries whose kind says it all.
_SAID_BY_KIND = {
    HistoryKind.CREATED: _("Project started in scanning."),
    HistoryKind.UPDATED: _("Details changed."),
    HistoryKind.SNAPSHOT: _("Data snapshot taken."),
    HistoryKind.ASSESSMENT: _("Assessment recorded."),
    HistoryKind.PUBLISHED: _("Summary published."),
    HistoryKind.UNPUBLISHED: _("Summary withdrawn."),
}


class Question(models.Model):
    """A question the analysis asks, and what the team found."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="questions")
    question = models.TextField(_("question"))
    finding = models.TextField(_("finding"), blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.question[:80]


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Action(models.Model):
    """A piece of the response, owned by an officer or a partner organisation."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("what will be done"))
    owner_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    note = models.TextField(_("progress note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_officer__isnull=True) ^ Q(owner_organisation__isnull=True),
                name="action_has_one_owner",
                violation_error_message=_("An action has one owner: an officer or a partner."),
            ),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.description[:80]


class Assessment(models.Model):
    """Before and after counts for the response area, a comparison area and a
    displacement buffer, with the measures computed from them (see ``measures``)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    crime_category = models.CharField(
        _("category"), max_length=48, choices=CrimeCategory.choices, blank=True
    )
    # GeoJSON Polygon or MultiPolygon geometries.
    response_area = models.JSONField(_("response area"))
    comparison_area = models.JSONField(_("comparison area"))
    buffer_metres = models.PositiveIntegerField(_("displacement buffer (metres)"))
    before_first = models.DateField(_("before: first month"))
    before_last = models.DateField(_("before: last month"))
    after_first = models.DateField(_("after: first month"))
    after_last = models.DateField(_("after: last month"))
    # {"response": [before, after], "comparison": [...], "buffer": [...]}.
    counts = models.JSONField(_("counts"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_at", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.project} ({self.assessed_at:%Y-%m-%d})"
