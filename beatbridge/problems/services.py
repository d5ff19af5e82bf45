"""Writes for problem-solving projects: each one checks permission, changes the project in
one transaction, adds a line to its history and writes the audit entry.

Stages move forward one at a time (scanning → analysis → response → assessment); a
project goes back to response when the team decides to adjust or continue, and is
closed only by the decision to close, after an assessment.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from beatbridge.accounts import selectors as accounts_selectors
from beatbridge.audit.services import record
from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.crimedata.selectors.areas import incidents_in_areas
from beatbridge.crimedata.selectors.counts import months_between
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.partners.models import Organisation
from beatbridge.places.geo import buffered
from beatbridge.places.models import Neighbourhood
from beatbridge.places.services import clean_boundary, mark_public_content_changed
from beatbridge.problems import permissions
from beatbridge.problems.models import (
    STAGE_ORDER,
    Action,
    ActionStatus,
    Assessment,
    Decision,
    HistoryEntry,
    HistoryKind,
    Project,
    Question,
    Stage,
)
from beatbridge.web.languages import base_language, clean_language_codes
from beatbridge.web.translation import clean_translations

_TITLE_MAX = Project._meta.get_field("title").max_length or 200
# A history entry quotes at most this much of what someone wrote.
_QUOTE_MOST = 300
# The most the displacement buffer may reach beyond the response area.
_BUFFER_MOST_METRES = 5000
_SUMMARY_MAX = 4000

# Fields of the scanning and analysis forms that update_project may change.
EDITABLE_FIELDS = (
    "title",
    "description",
    "since",
    "crime_category",
    "offender",
    "handler",
    "target",
    "guardian",
    "place",
    "manager",
)


def _require_team(actor: Any, project: Project) -> None:
    if not permissions.can_work_on(actor, project):
        raise PermissionDenied(_("Only the neighbourhood team works on this project."))


def _note(project: Project, actor: Any, kind: str, **values: str) -> None:
    """Add to the history what happened: its kind and values (``HistoryEntry.values``),
    never a sentence, which each reader reads in their own language."""
    HistoryEntry.objects.create(
        project=project,
        kind=kind,
        values={name: value[:_QUOTE_MOST] for name, value in values.items()},
        actor=actor,
    )
    project.save(update_fields=["updated_at"])


def clean_area(area: object, *, field: str) -> dict[str, Any]:
    """A drawn area as a GeoJSON (Multi)Polygon: rings closed, in range, a valid shape."""
    try:
        return clean_boundary(area).geojson
    except DomainError as error:
        raise DomainError(error.message, field=field) from None


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DomainError(_("Say what the problem is."), field="title")
    if len(title) > _TITLE_MAX:
        raise DomainError(
            _("Keep the problem to %(max)d characters.") % {"max": _TITLE_MAX}, field="title"
        )
    return title


def _clean_category(category: str) -> str:
    if category and category not in CrimeCategory.values:
        raise DomainError(_("Choose one of the crime categories."), field="crime_category")
    return category


@transaction.atomic
def start_project(
    *,
    actor: Any,
    neighbourhoods: Sequence[Neighbourhood],
    title: str,
    description: str = "",
    since: datetime.date | None = None,
    area: object = None,
    crime_category: str = "",
    street_point_ids: Sequence[int] = (),
    report_ids: Sequence[int] = (),
    priority_ids: Sequence[int] = (),
    concern_ids: Sequence[int] = (),
    hotspot: dict[str, Any] | None = None,
) -> Project:
    """Open a project in scanning for one or more neighbourhoods of one force.

    The actor must be allowed to start one in every neighbourhood named. Linked
    reports, priorities and concerns must belong to those neighbourhoods.
    """
    if not neighbourhoods:
        raise DomainError(_("Choose at least one neighbourhood."), field="neighbourhoods")
    forces = {neighbourhood.force_id for neighbourhood in neighbourhoods}
    if len(forces) != 1:
        raise DomainError(
            _("A project's neighbourhoods belong to one force."), field="neighbourhoods"
        )
    for neighbourhood in neighbourhoods:
        if not permissions.can_start_project(actor, neighbourhood):
            raise PermissionDenied(
                _("You may not start a project in %(name)s.") % {"name": neighbourhood.name},
                field="neighbourhoods",
            )
    project = Project.objects.create(
        force_id=forces.pop(),
        title=_clean_title(title),
        description=description.strip(),
        since=since,
        area=clean_area(area, field="area") if area else None,
        crime_category=_clean_category(crime_category),
        hotspot=hotspot or {},
        created_by=actor if actor.is_authenticated else None,
    )
    project.neighbourhoods.set(neighbourhoods)
    _link_sources(
        project,
        street_point_ids=street_point_ids,
        report_ids=report_ids,
        priority_ids=priority_ids,
        concern_ids=concern_ids,
    )
    _note(project, actor, HistoryKind.CREATED)
    record(actor=actor, action="problem.started", target=project)
    return project


def _link_sources(
    project: Project,
    *,
    street_point_ids: Sequence[int],
    report_ids: Sequence[int],
    priority_ids: Sequence[int],
    concern_ids: Sequence[int],
) -> None:
    """Link what the problem was found in, each checked to lie in the project's places."""
    from beatbridge.problems.selectors import linkable_sources

    allowed = linkable_sources(project)
    for field, wanted, found in (
        ("street_points", street_point_ids, allowed.street_points),
        ("reports", report_ids, allowed.reports),
        ("priorities", priority_ids, allowed.priorities),
        ("meeting_concerns", concern_ids, allowed.concerns),
    ):
        wanted = list(dict.fromkeys(int(pk) for pk in wanted))
        matching = list(found.filter(pk__in=wanted))
        if len(matching) != len(wanted):
            raise DomainError(
                _("Link only what lies in the project's neighbourhoods."), field=field
            )
        getattr(project, field).add(*matching)


@transaction.atomic
def update_project(
    *,
    actor: Any,
    project: Project,
    area: object = None,
    street_point_ids: Sequence[int] | None = None,
    report_ids: Sequence[int] = (),
    priority_ids: Sequence[int] = (),
    concern_ids: Sequence[int] = (),
    **fields: Any,
) -> Project:
    """Change the scanning and analysis details (``EDITABLE_FIELDS``) and link more sources.

    ``area`` replaces the drawn area when given; ``street_point_ids`` replaces the
    chosen street points when given. Other links are added to.
    """
    _require_team(actor, project)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These details cannot be changed here."), field=sorted(unknown)[0])
    if "title" in fields:
        fields["title"] = _clean_title(fields["title"])
    if "crime_category" in fields:
        fields["crime_category"] = _clean_category(fields["crime_category"])
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    changed = list(fields)
    if area is not None:
        project.area = clean_area(area, field="area") if area else None
        changed.append("area")
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
    if street_point_ids is not None:
        project.street_points.clear()
    _link_sources(
        project,
        street_point_ids=street_point_ids or (),
        report_ids=report_ids,
        priority_ids=priority_ids,
        concern_ids=concern_ids,
    )
    _note(project, actor, HistoryKind.UPDATED)
    record(actor=actor, action="problem.updated", target=project, detail={"fields": changed})
    return project


@transaction.atomic
def advance_stage(*, actor: Any, project: Project) -> Project:
    """Move the project to the next stage, once what that stage needs is there.

    Analysis needs a place (an area, street points, or the neighbourhoods); response
    needs an analysis (a side of the triangle or a finding); assessment needs an
    action. A project leaves assessment only by a decision.
    """
    _require_team(actor, project)
    stage = project.stage
    if stage in (Stage.ASSESSMENT, Stage.CLOSED):
        raise DomainError(
            _("Record a decision to move on from assessment."), field="stage", code="conflict"
        )
    following = STAGE_ORDER[STAGE_ORDER.index(Stage(stage)) + 1]
    if following == Stage.RESPONSE and not _has_analysis(project):
        raise DomainError(
            _("Fill in a side of the problem-analysis triangle or a finding first."),
            field="stage",
        )
    if following == Stage.ASSESSMENT and not project.actions.exists():
        raise DomainError(_("Plan at least one action first."), field="stage")
    project.stage = following
    project.save(update_fields=["stage", "updated_at"])
    _note(project, actor, HistoryKind.STAGE, was=stage, now=following)
    record(
        actor=actor,
        action="problem.stage_changed",
        target=project,
        detail={"from": stage, "to": following},
    )
    return project


def _has_analysis(project: Project) -> bool:
    sides = (
        project.offender,
        project.handler,
        project.target,
        project.guardian,
        project.place,
        project.manager,
    )
    return any(side.strip() for side in sides) or project.questions.exclude(finding="").exists()


@transaction.atomic
def ask_question(*, actor: Any, project: Project, question: str, finding: str = "") -> Question:
    """Add a question of the analysis, with its finding when already known."""
    _require_team(actor, project)
    question = question.strip()
    if not question:
        raise DomainError(_("Write the question."), field="question")
    asked = Question.objects.create(
        project=project,
        question=question,
        finding=finding.strip(),
        asked_by=actor,
        answered_at=timezone.now() if finding.strip() else None,
    )
    _note(project, actor, HistoryKind.QUESTION, question=question)
    record(actor=actor, action="problem.question_asked", target=project)
    return asked


@transaction.atomic
def record_finding(*, actor: Any, question: Question, finding: str) -> Question:
    _require_team(actor, question.project)
    finding = finding.strip()
    if not finding:
        raise DomainError(_("Write what was found."), field="finding")
    question.finding = finding
    question.answered_at = timezone.now()
    question.save(update_fields=["finding", "answered_at"])
    _note(question.project, actor, HistoryKind.QUESTION, finding=finding)
    record(actor=actor, action="problem.finding_recorded", target=question.project)
    return question


@transaction.atomic
def take_snapshot(*, actor: Any, project: Project) -> Project:
    """Keep the data as it is now (counts by month, and by hour and weekday where the
    data has times) for the project's place, so the analysis can be read later."""
    from beatbridge.problems.selectors import data_profile

    _require_team(actor, project)
    project.data_snapshot = data_profile(project)
    project.snapshot_taken_at = timezone.now()
    project.save(update_fields=["data_snapshot", "snapshot_taken_at", "updated_at"])
    _note(project, actor, HistoryKind.SNAPSHOT)
    record(actor=actor, action="problem.snapshot_taken", target=project)
    return project


@transaction.atomic
def invite_partner(*, actor: Any, project: Project, organisation: Organisation) -> Project:
    """Let an active partner organisation of the project's force see it and own actions."""
    _require_team(actor, project)
    if organisation.force_id != project.force_id or not organisation.is_active:
        raise DomainError(_("Choose an active partner of this force."), field="organisation")
    project.invited_organisations.add(organisation)
    _note(project, actor, HistoryKind.PARTNER, organisation=organisation.name)
    record(
        actor=actor,
        action="problem.partner_invited",
        target=project,
        detail={"organisation": organisation.pk},
    )
    return project


@transaction.atomic
def add_action(
    *,
    actor: Any,
    project: Project,
    description: str,
    owner_officer_id: int | None = None,
    owner_organisation_id: int | None = None,
    due_on: datetime.date | None = None,
) -> Action:
    """Plan an action owned by one officer of the force or one invited partner."""
    _require_team(actor, project)
    description = description.strip()
    if not description:
        raise DomainError(_("Say what will be done."), field="description")
    if (owner_officer_id is None) == (owner_organisation_id is None):
        raise DomainError(_("Choose one owner: an officer or a partner."), field="owner")
    if owner_officer_id is not None:
        if (
            not accounts_selectors.police_of_force(project.force_id)
            .filter(pk=owner_officer_id)
            .exists()
        ):
            raise DomainError(_("Choose an officer of this force."), field="owner")
    elif not project.invited_organisations.filter(pk=owner_organisation_id).exists():
        raise DomainError(_("Invite the partner to the project first."), field="owner")
    action = Action.objects.create(
        project=project,
        description=description,
        owner_officer_id=owner_officer_id,
        owner_organisation_id=owner_organisation_id,
        due_on=due_on,
    )
    _note(project, actor, HistoryKind.ACTION, planned=description)
    record(actor=actor, action="problem.action_added", target=project, detail={"action": action.pk})
    return action


@transaction.atomic
def update_action(
    *,
    actor: Any,
    action: Action,
    status: str,
    note: str | None = None,
    due_on: datetime.date | None = None,
) -> Action:
    """Change an action's status and progress note (the team, or the owning partner)."""
    if not permissions.can_update_action(actor, action):
        raise PermissionDenied(_("Only the team or the partner who owns it updates an action."))
    if status not in ActionStatus.values:
        raise DomainError(_("Choose one of the statuses."), field="status")
    changed = ["status"]
    action.status = status
    if note is not None:
        action.note = note.strip()
        changed.append("note")
    if due_on is not None and permissions.can_work_on(actor, action.project):
        action.due_on = due_on
        changed.append("due_on")
    action.save(update_fields=[*changed, "updated_at"])
    _note(action.project, actor, HistoryKind.ACTION, action=action.description, status=status)
    record(
        actor=actor,
        action="problem.action_updated",
        target=action.project,
        detail={"action": action.pk, "status": status},
    )
    return action


@transaction.atomic
def assess(
    *,
    actor: Any,
    project: Project,
    response_area: object,
    comparison_area: object,
    buffer_metres: int,
    before: tuple[datetime.date, datetime.date],
    after: tuple[datetime.date, datetime.date],
    crime_category: str = "",
) -> Assessment:
    """Count before and after in the response area, the comparison area and the buffer.

    The buffer is the ring ``buffer_metres`` wide around the response area. The
    comparison area must not overlap the response area or its buffer. The two periods
    must be of equal length, the before period ending before the after period begins.
    """
    _require_team(actor, project)
    if project.stage not in (Stage.RESPONSE, Stage.ASSESSMENT):
        raise DomainError(_("Assess the project once its response is under way."), field="stage")
    response = shape(clean_area(response_area, field="response_area"))
    comparison = shape(clean_area(comparison_area, field="comparison_area"))
    if not 0 < buffer_metres <= _BUFFER_MOST_METRES:
        raise DomainError(
            _("Choose a buffer from 1 to %(most)d metres.") % {"most": _BUFFER_MOST_METRES},
            field="buffer_metres",
        )
    ring = buffered(response, buffer_metres).difference(response)
    if comparison.intersection(shapely.union(response, ring)).area > 0:
        raise DomainError(
            _("The comparison area must lie outside the response area and its buffer."),
            field="comparison_area",
        )
    _check_periods(before, after)
    category = _clean_category(crime_category)
    areas = {"response": response, "comparison": comparison, "buffer": ring}
    counted = {
        period: incidents_in_areas(
            force=project.force,
            areas=areas,
            category=category or None,
            first_month=first,
            last_month=last,
        )
        for period, (first, last) in (("before", before), ("after", after))
    }
    assessment = Assessment.objects.create(
        project=project,
        crime_category=category,
        response_area=clean_area(response_area, field="response_area"),
        comparison_area=clean_area(comparison_area, field="comparison_area"),
        buffer_metres=buffer_metres,
        before_first=before[0],
        before_last=before[1],
        after_first=after[0],
        after_last=after[1],
        counts={name: [counted["before"][name], counted["after"][name]] for name in areas},
        assessed_by=actor,
    )
    if project.stage == Stage.RESPONSE:
        project.stage = Stage.ASSESSMENT
        project.save(update_fields=["stage", "updated_at"])
        _note(project, actor, HistoryKind.STAGE, was=Stage.RESPONSE, now=Stage.ASSESSMENT)
    _note(project, actor, HistoryKind.ASSESSMENT)
    record(
        actor=actor,
        action="problem.assessed",
        target=project,
        detail={"assessment": assessment.pk},
    )
    return assessment


def _check_periods(
    before: tuple[datetime.date, datetime.date], after: tuple[datetime.date, datetime.date]
) -> None:
    for field, (first, last) in (("before", before), ("after", after)):
        if first.day != 1 or last.day != 1 or first > last:
            raise DomainError(
                _("A period runs from a first month to a last month, in that order."),
                field=field,
            )
    if before[1] >= after[0]:
        raise DomainError(
            _("The before period must end before the after period begins."), field="after"
        )
    if len(months_between(*before)) != len(months_between(*after)):
        raise DomainError(_("Compare periods of the same number of months."), field="after")


@transaction.atomic
def decide(*, actor: Any, project: Project, decision: str, note: str) -> Project:
    """Close, adjust or continue after an assessment. Close ends the project; adjust and
    continue take it back to response for another round."""
    _require_team(actor, project)
    if project.stage != Stage.ASSESSMENT or not project.assessments.exists():
        raise DomainError(_("Assess the project before deciding."), field="decision")
    if decision not in Decision.values:
        raise DomainError(_("Choose close, adjust or continue."), field="decision")
    note = note.strip()
    if not note:
        raise DomainError(_("Say why."), field="decision_note")
    following = Stage.CLOSED if decision == Decision.CLOSE else Stage.RESPONSE
    project.decision = decision
    project.decision_note = note
    project.stage = following
    project.save(update_fields=["decision", "decision_note", "stage", "updated_at"])
    _note(project, actor, HistoryKind.DECISION, decision=decision)
    record(
        actor=actor,
        action="problem.decided",
        target=project,
        detail={"decision": decision, "stage": following},
    )
    return project


@transaction.atomic
def publish_summary(
    *,
    actor: Any,
    project: Project,
    summary: str,
    original_language: str = "",
    translations: object = None,
) -> Project:
    """Publish (or republish) the summary the public sees on the neighbourhood's page."""
    _require_team(actor, project)
    summary = summary.strip()
    if not summary:
        raise DomainError(_("Write the summary the public will read."), field="public_summary")
    if len(summary) > _SUMMARY_MAX:
        raise DomainError(
            _("Keep the summary to %(max)d characters.") % {"max": _SUMMARY_MAX},
            field="public_summary",
        )
    project.public_summary = summary
    project.original_language = (
        base_language(clean_language_codes([original_language], field="original_language")[0])
        if original_language
        else ""
    )
    project.translations = clean_translations(
        translations,
        {"public_summary": _SUMMARY_MAX},
        language_of=lambda language: base_language(
            clean_language_codes([language], field="translations")[0]
        ),
        field_of=lambda language, name: f"translations.{language}.{name}",
    )
    project.published_at = timezone.now()
    project.save(
        update_fields=[
            "public_summary",
            "original_language",
            "translations",
            "published_at",
            "updated_at",
        ]
    )
    # The neighbourhood's page lists published summaries.
    mark_public_content_changed()
    _note(project, actor, HistoryKind.PUBLISHED)
    record(actor=actor, action="problem.published", target=project)
    return project


@transaction.atomic
def withdraw_summary(*, actor: Any, project: Project) -> Project:
    _require_team(actor, project)
    project.published_at = None
    project.save(update_fields=["published_at", "updated_at"])
    mark_public_content_changed()
    _note(project, actor, HistoryKind.UNPUBLISHED)
    record(actor=actor, action="problem.unpublished", target=project)
    return project
