"""Reads for problem-solving projects: the lists and the one access helper per project.

``get_project_for_user`` is the only way a request fetches a project: 404 when the
person may not see it (so private projects are not revealed), and it says whether
they may work on it. The public only ever reads published summaries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import shapely
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from shapely.geometry import shape

from beatbridge.crimedata.models import StreetPoint
from beatbridge.crimedata.selectors import areas as crime_areas
from beatbridge.crimedata.selectors import counts as crime_counts
from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.partners.permissions import contact_organisation_ids
from beatbridge.places.models import Neighbourhood
from beatbridge.places.spatial import boundary_index
from beatbridge.problems import permissions
from beatbridge.problems.measures import Counts, Measure, measures
from beatbridge.problems.models import Action, Assessment, HistoryEntry, Project, Stage
from beatbridge.reports.selectors import neighbourhoods_to_triage, reports_in
from beatbridge.voice.selectors.meetings import concerns_in
from beatbridge.voice.selectors.priorities import priorities_in

# How many months the data snapshot reaches back from the latest month with data.
SNAPSHOT_MONTHS = 24


def _with_details(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.select_related("force").prefetch_related("neighbourhoods")


def projects_for(user: Any, *, stage: str | None = None) -> list[Project]:
    """The projects this person may see, most recently changed first: those of the
    neighbourhoods they work in, and those their partner organisations are invited to."""
    organisations = contact_organisation_ids(user)
    is_team = permissions.can_use_project_pages(user)
    if not (is_team or organisations):
        raise PermissionDenied(_("Problem-solving projects are for the neighbourhood teams."))
    visible = Q(invited_organisations__in=organisations)
    if is_team:
        visible |= Q(neighbourhoods__in=[n.pk for n in neighbourhoods_to_triage(user)])
    candidates = Project.objects.filter(visible)
    if stage:
        candidates = candidates.filter(stage=stage)
    # A subquery of ids, not DISTINCT over the rows: the ordering stays the model's.
    return list(_with_details(Project.objects.filter(pk__in=candidates.values("pk"))))


@dataclass(frozen=True)
class ProjectAccess:
    project: Project
    may_work: bool
    # The invited organisations the person acts for (a partner's view).
    acting_for: frozenset[int]


def get_project_for_user(user: Any, project_id: int) -> ProjectAccess:
    """The project with what this person may do on it; NotFound when they may not see it."""
    project = (
        _with_details(Project.objects.filter(pk=project_id))
        .prefetch_related("invited_organisations")
        .first()
    )
    if project is None:
        raise NotFound(_("No such project."), field="project")
    # The team check once (it reads team assignments), not again through can_see.
    may_work = permissions.can_work_on(user, project)
    acting_for = frozenset(permissions.partner_organisations_in(user, project))
    if not (may_work or acting_for):
        raise NotFound(_("No such project."), field="project")
    return ProjectAccess(project=project, may_work=may_work, acting_for=acting_for)


def get_action_for_user(user: Any, action_id: int) -> Action:
    """An action this person may update; NotFound otherwise."""
    action = Action.objects.select_related("project").filter(pk=action_id).first()
    if action is None or not permissions.can_update_action(user, action):
        raise NotFound(_("No such action."), field="action")
    return action


@dataclass(frozen=True)
class ProjectDetail:
    """Everything the project page shows, in a fixed number of queries."""

    actions: list[Action]
    questions: list[Any]
    history: list[HistoryEntry]
    assessments: list[AssessedFigures]
    street_points: list[StreetPoint]
    linked_reports: list[Any]
    linked_priorities: list[Any]
    linked_concerns: list[Any]


@dataclass(frozen=True)
class AssessedFigures:
    assessment: Assessment
    counts: Counts
    measures: list[Measure]


def detail_of(project: Project) -> ProjectDetail:
    return ProjectDetail(
        actions=list(
            project.actions.select_related("owner_officer", "owner_organisation").order_by(
                "due_on", "pk"
            )
        ),
        questions=list(project.questions.all()),
        history=list(project.history.select_related("actor")),
        assessments=[figures_of(assessment) for assessment in project.assessments.all()],
        street_points=list(project.street_points.order_by("street_name")),
        linked_reports=list(project.reports.all()),
        linked_priorities=list(project.priorities.all()),
        linked_concerns=list(project.meeting_concerns.all()),
    )


def figures_of(assessment: Assessment) -> AssessedFigures:
    counts = Counts.from_json(assessment.counts)
    return AssessedFigures(assessment=assessment, counts=counts, measures=measures(counts))


@dataclass(frozen=True)
class LinkableSources:
    street_points: QuerySet[StreetPoint]
    reports: QuerySet[Any]
    priorities: QuerySet[Any]
    concerns: QuerySet[Any]


def linkable_sources(project: Project) -> LinkableSources:
    """What may be linked to the project: what lies in its neighbourhoods."""
    neighbourhood_ids = [n.pk for n in project.neighbourhoods.all()]
    return LinkableSources(
        street_points=crime_areas.street_points_in(neighbourhood_ids),
        reports=reports_in(neighbourhood_ids),
        priorities=priorities_in(neighbourhood_ids),
        concerns=concerns_in(neighbourhood_ids),
    )


def place_of(project: Project) -> shapely.Geometry | None:
    """Where the problem is: the drawn area, else its street points (50 m around each),
    else its neighbourhoods."""
    if project.area:
        return shape(project.area)
    points = list(project.street_points.values_list("longitude", "latitude"))
    if points:
        from beatbridge.places.geo import buffered

        return shapely.union_all([buffered(shapely.Point(x, y), 50) for x, y in points])
    index = boundary_index()
    shapes = [index.geometry_of(n.pk) for n in project.neighbourhoods.all()]
    shapes = [geometry for geometry in shapes if geometry is not None]
    return shapely.union_all(shapes) if shapes else None


def data_profile(project: Project) -> dict[str, Any]:
    """Counts by month (and by category) for the project's place over the last
    ``SNAPSHOT_MONTHS`` months with data, and by hour and weekday where the data has
    times. Kept in the project as its data snapshot."""
    place = place_of(project)
    last = crime_counts.latest_month(project.force)
    if place is None or last is None:
        return {"months": [], "by_month": {}, "by_hour": None, "by_weekday": None}
    first = crime_counts.shift_month(last, 1 - SNAPSHOT_MONTHS)
    category = project.crime_category or None
    monthly = crime_areas.monthly_counts_in_area(
        force=project.force, area=place, category=category, first_month=first, last_month=last
    )
    timing = crime_areas.timing_in_area(
        force=project.force, area=place, category=category, first_month=first, last_month=last
    )
    by_month: dict[str, int] = defaultdict(int)
    for month, _category, count in monthly:
        by_month[month.strftime("%Y-%m")] += count
    month = first
    months = []
    while month <= last:
        months.append(month.strftime("%Y-%m"))
        month = crime_counts.shift_month(month, 1)
    return {
        "category": category or "",
        "months": months,
        "by_month": {label: by_month.get(label, 0) for label in months},
        "by_hour": timing.by_hour if timing else None,
        "by_weekday": timing.by_weekday if timing else None,
    }


def published_for(neighbourhood: Neighbourhood) -> QuerySet[Project]:
    """The neighbourhood's projects with a published summary, latest first: the titles
    and summaries its page lists, in one query."""
    return Project.objects.filter(
        neighbourhoods=neighbourhood, published_at__isnull=False
    ).order_by("-published_at")


def published_with_assessments(neighbourhood: Neighbourhood) -> QuerySet[Project]:
    """``published_for``, each project with its assessments, oldest first (the public
    list of the API shows the latest's figures)."""
    return published_for(neighbourhood).prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.order_by("pk"))
    )


def get_published(project_id: int) -> Project:
    """A published project's public face; NotFound for anything unpublished."""
    project = (
        Project.objects.filter(pk=project_id, published_at__isnull=False)
        .select_related("force")
        .prefetch_related("neighbourhoods", "assessments")
        .first()
    )
    if project is None:
        raise NotFound(_("No such published project."), field="project")
    return project


def published_for_priorities(priority_ids: list[int]) -> dict[int, list[Project]]:
    """Published projects that grew from each of these priorities ("you said, we did")."""
    found: dict[int, list[Project]] = defaultdict(list)
    projects = Project.objects.filter(
        priorities__in=priority_ids, published_at__isnull=False
    ).prefetch_related("priorities")
    for project in projects:
        for priority in project.priorities.all():
            if priority.pk in priority_ids:
                found[priority.pk].append(project)
    return dict(found)


def stage_counts(projects: list[Project]) -> dict[str, int]:
    counts = dict.fromkeys(Stage.values, 0)
    for project in projects:
        counts[project.stage] += 1
    return counts
