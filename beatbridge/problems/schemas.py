"""Shapes of the problem-solving API: what comes in (``*In``) and goes out (``*Out``).

Neighbourhoods are named as elsewhere in the API: a force's id and the neighbourhood's id
(its code). Partner organisations by their id (slug), reports by their reference, months
as YYYY-MM, areas as GeoJSON Polygons or MultiPolygons in longitude/latitude. A published
summary is given in the language of Accept-Language where a translation exists, else as
written; ``in_original_language`` says when it fell back.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator

from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID
from beatbridge.problems import selectors
from beatbridge.problems.models import (
    Action,
    ActionStatus,
    Assessment,
    Decision,
    Project,
    Stage,
)

MAX_ID = 2**31 - 1
SLUG = r"^[-a-z0-9]{1,80}$"
REFERENCE = r"^[A-Za-z0-9]{1,16}$"
# A year from 1000, so every month written here is one Python can hold.
MONTH = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"
MONTH_DOC = "A month, written YYYY-MM."
AREA_DOC = (
    "A GeoJSON Polygon or MultiPolygon in longitude/latitude, each ring closed "
    "(its last position repeating its first)."
)
# How many ids one request may link: more than any real problem needs.
MOST_LINKS = 500
TEXT_MOST = 5000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Month = Annotated[str, Field(pattern=MONTH, description=MONTH_DOC)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Latitude = Annotated[float, Field(ge=-90, le=90)]

_SIDES = ("offender", "handler", "target", "guardian", "place", "manager")


def month_start(text: str) -> datetime.date:
    """A YYYY-MM month (already matched against ``MONTH``) as its first day."""
    year, month = text.split("-")
    return datetime.date(int(year), int(month), 1)


def _category(value: str) -> str | None:
    return value or None


# --- what comes in ------------------------------------------------------------------------


class ProblemQuery(Schema):
    stage: Stage | None = Field(None, description="Only projects at this stage.")


class HotspotIn(Schema):
    """The hotspot map that pointed at the problem, as ``/forces/{force}/hotspots`` drew it."""

    category: CrimeCategory | None = None
    first_month: Month
    last_month: Month
    cell_metres: int | None = Field(None, ge=25, le=5000)
    bounds: tuple[Longitude, Latitude, Longitude, Latitude] | None = Field(
        None, description="The hot cell: west, south, east, north."
    )

    @field_validator("last_month")
    @classmethod
    def _not_before_first(cls, value: str, info: ValidationInfo) -> str:
        # YYYY-MM texts sort as their months do.
        if value < info.data.get("first_month", ""):
            raise ValueError(_("The last month cannot come before the first."))
        return value


class ProjectIn(Schema):
    force: str = Field(..., pattern=FORCE_ID, description="The force's id.")
    neighbourhoods: list[Annotated[str, Field(pattern=NEIGHBOURHOOD_ID)]] = Field(
        ..., min_length=1, max_length=50, description="Ids of neighbourhoods of the force."
    )
    title: str = Field(..., max_length=200, description="The problem, in a line.")
    description: str = Field("", max_length=TEXT_MOST)
    since: datetime.date | None = None
    area: dict[str, Any] | None = Field(None, description=AREA_DOC)
    crime_category: CrimeCategory | None = None
    street_point_ids: list[Id] = Field(default_factory=list, max_length=MOST_LINKS)
    reports: list[Annotated[str, Field(pattern=REFERENCE)]] = Field(
        default_factory=list,
        max_length=MOST_LINKS,
        description="References of reports in the neighbourhoods.",
    )
    priority_ids: list[Id] = Field(default_factory=list, max_length=MOST_LINKS)
    concern_ids: list[Id] = Field(
        default_factory=list,
        max_length=MOST_LINKS,
        description="Ids of concerns raised at the neighbourhoods' meetings.",
    )
    hotspot: HotspotIn | None = None


class ProjectUpdateIn(Schema):
    """Only the fields given change. ``area: null`` removes the drawn area;
    ``street_point_ids`` replaces the street points; reports, priorities and concerns
    given are linked as well as those already linked."""

    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=TEXT_MOST)
    since: datetime.date | None = None
    crime_category: CrimeCategory | None = Field(None, description="null: no crime series.")
    offender: str | None = Field(None, max_length=TEXT_MOST)
    handler: str | None = Field(None, max_length=TEXT_MOST)
    target: str | None = Field(None, max_length=TEXT_MOST)
    guardian: str | None = Field(None, max_length=TEXT_MOST)
    place: str | None = Field(None, max_length=TEXT_MOST)
    manager: str | None = Field(None, max_length=TEXT_MOST)
    area: dict[str, Any] | None = Field(None, description=AREA_DOC)
    street_point_ids: list[Id] | None = Field(None, max_length=MOST_LINKS)
    reports: list[Annotated[str, Field(pattern=REFERENCE)]] = Field(
        default_factory=list, max_length=MOST_LINKS
    )
    priority_ids: list[Id] = Field(default_factory=list, max_length=MOST_LINKS)
    concern_ids: list[Id] = Field(default_factory=list, max_length=MOST_LINKS)

    @field_validator("title", "description", *_SIDES)
    @classmethod
    def _text_not_null(cls, value: str | None) -> str:
        # Only an explicit null reaches here (a default is not validated): text is cleared
        # with "", never with null.
        if value is None:
            raise ValueError(_("Give text; an empty text clears it."))
        return value


class ProblemQuestionIn(Schema):
    question: str = Field(..., max_length=2000)
    finding: str = Field("", max_length=TEXT_MOST)


class FindingIn(Schema):
    finding: str = Field(..., max_length=TEXT_MOST)


class PartnerIn(Schema):
    organisation: str = Field(
        ..., pattern=SLUG, description="A partner organisation of the force (its id)."
    )


class ActionOwnerIn(Schema):
    """One of the two: an officer of the force, or a partner invited to the project."""

    officer: Id | None = Field(None, description="The officer's account id.")
    organisation: str | None = Field(
        None, pattern=SLUG, description="An invited partner organisation's id."
    )


class ActionIn(Schema):
    description: str = Field(..., max_length=TEXT_MOST)
    owner: ActionOwnerIn
    due_on: datetime.date | None = None


class ActionUpdateIn(Schema):
    status: ActionStatus | None = Field(None, description="Left out: the status stays.")
    note: str | None = Field(None, max_length=TEXT_MOST, description="Replaces the note.")
    due_on: datetime.date | None = Field(None, description="The team only.")


class PeriodIn(Schema):
    first: Month
    last: Month

    def months(self) -> tuple[datetime.date, datetime.date]:
        return month_start(self.first), month_start(self.last)


class AssessmentIn(Schema):
    response_area: dict[str, Any] = Field(..., description=AREA_DOC)
    comparison_area: dict[str, Any] = Field(
        ..., description=f"{AREA_DOC} Outside the response area and its buffer."
    )
    buffer_metres: int = Field(
        ..., ge=1, le=5000, description="The displacement buffer around the response area."
    )
    before: PeriodIn
    after: PeriodIn = Field(..., description="As many months as before, after it ends.")
    crime_category: CrimeCategory | None = Field(None, description="null: every category.")


class ProblemDecisionIn(Schema):
    decision: Decision
    note: str = Field(..., max_length=TEXT_MOST, description="Why.")


class SummaryTranslationIn(Schema):
    public_summary: str | None = Field(None, max_length=4000)


class PublishIn(Schema):
    public_summary: str = Field(..., max_length=4000)
    original_language: str = Field("", max_length=16)
    translations: dict[str, SummaryTranslationIn] = Field(
        default_factory=dict, description="By language: {'es': {'public_summary': ...}}."
    )


# --- what goes out ------------------------------------------------------------------------


class ProblemNeighbourhoodOut(Schema):
    force: str
    id: str
    name: str

    @staticmethod
    def resolve_force(obj: Any) -> str:
        return obj.force.slug

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return obj.code


class _ProjectFields(Schema):
    id: int
    title: str
    stage: Stage
    stage_name: str
    force: str = Field(description="The force's id.")
    neighbourhoods: list[ProblemNeighbourhoodOut]
    crime_category: str | None
    published_at: datetime.datetime | None = Field(description="null unless published now.")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ProjectItemOut(_ProjectFields):
    @staticmethod
    def resolve_stage_name(obj: Project) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_force(obj: Project) -> str:
        return obj.force.slug

    @staticmethod
    def resolve_neighbourhoods(obj: Project) -> list[Any]:
        return list(obj.neighbourhoods.all())

    @staticmethod
    def resolve_crime_category(obj: Project) -> str | None:
        return _category(obj.crime_category)


class TriangleOut(Schema):
    """The problem-analysis triangle: each side and who can act on it."""

    offender: str
    handler: str
    target: str
    guardian: str
    place: str
    manager: str


class ProblemQuestionOut(Schema):
    id: int
    question: str
    finding: str
    asked_at: datetime.datetime
    answered_at: datetime.datetime | None


class SnapshotOut(Schema):
    taken_at: datetime.datetime = Field(alias="snapshot_taken_at")
    data: dict[str, Any] = Field(
        alias="data_snapshot",
        description="months, by_month, and by_hour and by_weekday (null without times).",
    )


class ProblemStreetPointOut(Schema):
    """An anonymous map point ("On or near Park Lane"), never an address."""

    id: int
    name: str = Field(alias="street_name")
    latitude: float
    longitude: float


class PriorityRefOut(Schema):
    id: int
    title: str

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return obj.translated("title")


class ConcernRefOut(Schema):
    id: int
    text: str


class OrganisationRefOut(Schema):
    id: str = Field(alias="slug")
    name: str


class ActionOfficerOut(Schema):
    id: int
    name: str = Field(alias="full_name")


class ActionOut(Schema):
    id: int
    description: str
    officer: ActionOfficerOut | None = Field(alias="owner_officer")
    organisation: OrganisationRefOut | None = Field(alias="owner_organisation")
    due_on: datetime.date | None
    status: ActionStatus
    status_name: str
    note: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_status_name(obj: Action) -> str:
        return str(obj.get_status_display())


class PeriodOut(Schema):
    first: str
    last: str


class BeforeAfterOut(Schema):
    before: int
    after: int


class CountsOut(Schema):
    response: BeforeAfterOut
    comparison: BeforeAfterOut
    buffer: BeforeAfterOut


class MeasureOut(Schema):
    name: str
    value: float | None = Field(description="null when it cannot be computed; meaning says why.")
    formula: str
    worked: str = Field(description="The formula with the counts put into it.")
    meaning: str


def _month_text(month: datetime.date) -> str:
    # Not strftime: it does not pad a year before 1000 on every platform.
    return f"{month.year:04d}-{month.month:02d}"


def _period(first: datetime.date, last: datetime.date) -> dict[str, str]:
    return {"first": _month_text(first), "last": _month_text(last)}


def _counts(assessment: Assessment) -> dict[str, dict[str, int]]:
    return {
        name: {"before": before, "after": after}
        for name, (before, after) in assessment.counts.items()
    }


class AssessmentSummaryOut(Schema):
    """Counts and measures, without the areas: what the public sees too."""

    crime_category: str | None
    before: PeriodOut
    after: PeriodOut
    counts: CountsOut
    measures: list[MeasureOut]
    assessed_at: datetime.datetime

    @staticmethod
    def resolve_crime_category(obj: Assessment) -> str | None:
        return _category(obj.crime_category)

    @staticmethod
    def resolve_before(obj: Assessment) -> dict[str, str]:
        return _period(obj.before_first, obj.before_last)

    @staticmethod
    def resolve_after(obj: Assessment) -> dict[str, str]:
        return _period(obj.after_first, obj.after_last)

    @staticmethod
    def resolve_counts(obj: Assessment) -> dict[str, dict[str, int]]:
        return _counts(obj)

    @staticmethod
    def resolve_measures(obj: Assessment) -> list[Any]:
        return selectors.figures_of(obj).measures


class AssessmentOut(AssessmentSummaryOut):
    id: int
    response_area: dict[str, Any]
    comparison_area: dict[str, Any]
    buffer_metres: int


class HistoryEntryOut(Schema):
    kind: str
    kind_name: str
    summary: str = Field(description="What happened, in the request's language.")
    by: str = Field(description="Who did it; empty for an account since removed.")
    at: datetime.datetime

    @staticmethod
    def resolve_kind_name(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_summary(obj: Any) -> str:
        return obj.describe()

    @staticmethod
    def resolve_by(obj: Any) -> str:
        return obj.actor.full_name if obj.actor is not None else ""


class DecisionOut(Schema):
    decision: Decision
    name: str
    note: str


class SummaryOut(Schema):
    public_summary: str
    original_language: str
    translations: dict[str, dict[str, str]]
    published_at: datetime.datetime | None = Field(description="null once withdrawn.")


class ProjectOut(_ProjectFields):
    """The whole project, for its team and the partners it invited."""

    description: str
    since: datetime.date | None
    area: dict[str, Any] | None = Field(description=AREA_DOC)
    hotspot: dict[str, Any]
    triangle: TriangleOut
    questions: list[ProblemQuestionOut]
    snapshot: SnapshotOut | None
    street_points: list[ProblemStreetPointOut]
    reports: list[str] = Field(description="References of linked reports (the team only).")
    priorities: list[PriorityRefOut]
    concerns: list[ConcernRefOut]
    partners: list[OrganisationRefOut]
    actions: list[ActionOut]
    assessments: list[AssessmentOut]
    decision: DecisionOut | None
    summary: SummaryOut | None = Field(description="The public summary, once written.")
    history: list[HistoryEntryOut]
    may_work: bool = Field(description="Whether you are of the team and may change it.")
    acting_for: list[str] = Field(
        description="The invited organisations you act for: you may update their actions."
    )


def project_view(
    access: selectors.ProjectAccess, detail: selectors.ProjectDetail
) -> dict[str, Any]:
    """The project, its details and what the reader may do, for ``ProjectOut``."""
    project = access.project
    invited = list(project.invited_organisations.all())
    return {
        "id": project.pk,
        "title": project.title,
        "stage": project.stage,
        "stage_name": str(project.get_stage_display()),
        "force": project.force.slug,
        "neighbourhoods": list(project.neighbourhoods.all()),
        "crime_category": _category(project.crime_category),
        "published_at": project.published_at,
        "created_at": project.created_at,
        "updated_at": project.updated_at,
        "description": project.description,
        "since": project.since,
        "area": project.area,
        "hotspot": project.hotspot,
        "triangle": {side: getattr(project, side) for side in _SIDES},
        "questions": detail.questions,
        "snapshot": project if project.snapshot_taken_at else None,
        "street_points": detail.street_points,
        # A report is the team's and its reporter's: partners see only that some are linked.
        "reports": [r.reference for r in detail.linked_reports] if access.may_work else [],
        "priorities": detail.linked_priorities,
        "concerns": detail.linked_concerns,
        "partners": invited,
        "actions": detail.actions,
        "assessments": [figures.assessment for figures in detail.assessments],
        "decision": (
            {
                "decision": project.decision,
                "name": str(project.get_decision_display()),
                "note": project.decision_note,
            }
            if project.decision
            else None
        ),
        "summary": (
            {
                "public_summary": project.public_summary,
                "original_language": project.original_language,
                "translations": project.translations or {},
                "published_at": project.published_at,
            }
            if project.public_summary
            else None
        ),
        "history": detail.history,
        "may_work": access.may_work,
        "acting_for": sorted(o.slug for o in invited if o.pk in access.acting_for),
    }


class PublishedProblemOut(Schema):
    """A published summary: what the team did about a problem, and what changed."""

    id: int
    title: str
    summary: str
    in_original_language: bool = Field(
        description="No translation into the request's language: the summary is as written."
    )
    stage: Stage
    stage_name: str
    published_at: datetime.datetime
    assessment: AssessmentSummaryOut | None = Field(description="The latest assessment.")

    @staticmethod
    def resolve_summary(obj: Project) -> str:
        return obj.translated("public_summary")

    @staticmethod
    def resolve_in_original_language(obj: Project) -> bool:
        return not obj.has_translation("public_summary")

    @staticmethod
    def resolve_stage_name(obj: Project) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_assessment(obj: Project) -> Assessment | None:
        assessments = list(obj.assessments.all())
        return assessments[-1] if assessments else None
