"""The problem-solving API under /api/v1/: projects in the SARA cycle, their analysis,
response, assessment and published summaries.

The same rules as the pages, from the same selectors and services: a project is its
team's (administrators, the force's supervisors, officers serving one of its
neighbourhoods); contacts of a partner organisation it invited read it and update their
organisation's own actions. Anyone else gets 404 for a project, 403 for the list. Once
published, a summary is public on the neighbourhood's path. A signed-in person is known
by their session; writes carry the CSRF token (``SessionOrAnonymous``).
"""

# No ``from __future__ import annotations``: ninja reads the parameters of a @paginate'd
# handler through the decorator's wrapper, whose module cannot resolve names given as text.

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from beatbridge.errors import DomainError, NotFound, input_error
from beatbridge.partners import selectors as partners_selectors
from beatbridge.places import selectors as places_selectors
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID, ErrorOut, Pages
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.problems import permissions, selectors, services
from beatbridge.problems.models import Question
from beatbridge.problems.schemas import (
    MAX_ID,
    ActionIn,
    ActionOut,
    ActionUpdateIn,
    AssessmentIn,
    AssessmentOut,
    FindingIn,
    PartnerIn,
    ProblemDecisionIn,
    ProblemQuery,
    ProblemQuestionIn,
    ProblemQuestionOut,
    ProjectIn,
    ProjectItemOut,
    ProjectOut,
    ProjectUpdateIn,
    PublishedProblemOut,
    PublishIn,
    project_view,
)
from beatbridge.reports.api import SessionOrAnonymous
from beatbridge.reports.selectors import reports_in

router = Router(tags=["problem solving"], auth=SessionOrAnonymous())

READ = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}

# The services name links by the project's fields; a request names them by its own.
_LINK_FIELDS = {
    "street_points": "street_point_ids",
    "priorities": "priority_ids",
    "meeting_concerns": "concern_ids",
}


@contextmanager
def _fields_as_sent(names: dict[str, str]) -> Iterator[None]:
    """Name a refused field as the request wrote it."""
    try:
        yield
    except DomainError as error:
        error.field = names.get(error.field or "", error.field)
        raise


def _force(slug: str) -> Force:
    try:
        return places_selectors.get_force(slug)
    except NotFound as error:
        raise input_error(error, "force") from None


def _neighbourhoods(force: Force, codes: Sequence[str]) -> list[Neighbourhood]:
    found = []
    for index, code in enumerate(dict.fromkeys(codes)):
        try:
            found.append(places_selectors.get_neighbourhood(force, code))
        except NotFound as error:
            raise input_error(error, f"neighbourhoods.{index}") from None
    return found


def _report_ids(neighbourhoods: Sequence[Neighbourhood], references: Sequence[str]) -> list[int]:
    """The ids of reports placed in these neighbourhoods; 400 on ``reports`` for any other.

    Call it only for someone who may work there, so that nobody else learns which
    references exist."""
    wanted = list(dict.fromkeys(references))
    found = dict(
        reports_in([n.pk for n in neighbourhoods])
        .filter(reference__in=wanted)
        .values_list("reference", "pk")
    )
    if len(found) != len(wanted):
        raise DomainError(
            _("Link only what lies in the project's neighbourhoods."), field="reports"
        )
    return [found[reference] for reference in wanted]


def _shown(request: HttpRequest, project_id: int) -> dict[str, Any]:
    access = selectors.get_project_for_user(request.auth, project_id)
    return project_view(access, selectors.detail_of(access.project))


def _question(access: selectors.ProjectAccess, question_id: int) -> Question:
    question = access.project.questions.filter(pk=question_id).first()
    if question is None:
        raise NotFound(_("No such question."), field="question")
    return question


# --- projects -----------------------------------------------------------------------------


@router.get(
    "/problems",
    response={200: list[ProjectItemOut], **READ},
    url_name="v1-problems",
    summary="The problem-solving projects you may see (teams and invited partners)",
)
@paginate(Pages)
def list_projects(request: HttpRequest, filters: Query[ProblemQuery]) -> Any:
    """Most recently changed first. 403 for people who are neither police nor a partner."""
    return selectors.projects_for(
        request.auth, stage=filters.stage.value if filters.stage else None
    )


@router.post(
    "/problems",
    response={201: ProjectOut, **WRITE},
    url_name="v1-problem-start",
    summary="Start a project in scanning (the neighbourhoods' team)",
)
def start_project(request: HttpRequest, body: ProjectIn) -> Any:
    """For one or more neighbourhoods of one force; what it links (street points, reports,
    priorities, meeting concerns) must lie in them. 403 outside your neighbourhoods."""
    force = _force(body.force)
    neighbourhoods = _neighbourhoods(force, body.neighbourhoods)
    may_start = all(permissions.can_start_project(request.auth, n) for n in neighbourhoods)
    with _fields_as_sent(_LINK_FIELDS):
        project = services.start_project(
            actor=request.auth,
            neighbourhoods=neighbourhoods,
            title=body.title,
            description=body.description,
            since=body.since,
            area=body.area,
            crime_category=body.crime_category.value if body.crime_category else "",
            street_point_ids=body.street_point_ids,
            # The service refuses someone who may not start here, before any link is read.
            report_ids=_report_ids(neighbourhoods, body.reports) if may_start else (),
            priority_ids=body.priority_ids,
            concern_ids=body.concern_ids,
            hotspot=body.hotspot.model_dump(mode="json") if body.hotspot else None,
        )
    return Status(201, _shown(request, project.pk))


@router.patch(
    "/problems/actions/{action_id}",
    response={200: ActionOut, **WRITE},
    url_name="v1-problem-action-update",
    summary="Update an action's status and note (the team, or the partner who owns it)",
)
def update_action(
    request: HttpRequest, body: ActionUpdateIn, action_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Only the fields given change; ``due_on`` only for the team. 404 for an action you
    may not update."""
    action = selectors.get_action_for_user(request.auth, action_id)
    return services.update_action(
        actor=request.auth,
        action=action,
        status=body.status.value if body.status else action.status,
        note=body.note,
        due_on=body.due_on,
    )


@router.get(
    "/problems/{project_id}",
    response={200: ProjectOut, **READ},
    url_name="v1-problem",
    summary="One project with its analysis, response, assessments and history",
)
def get_project(request: HttpRequest, project_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """The team and the partners it invited read it, partners without the references of
    linked reports (those are the team's); 404 for anyone else."""
    return _shown(request, project_id)


@router.patch(
    "/problems/{project_id}",
    response={200: ProjectOut, **WRITE},
    url_name="v1-problem-update",
    summary="Change a project's scanning and analysis details (the team)",
)
def update_project(
    request: HttpRequest, body: ProjectUpdateIn, project_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Only the fields given change (see the body's description)."""
    access = selectors.get_project_for_user(request.auth, project_id)
    given = body.model_dump(exclude_unset=True)
    fields = {name: given[name] for name in services.EDITABLE_FIELDS if name in given}
    if "crime_category" in fields:
        fields["crime_category"] = fields["crime_category"] or ""
    neighbourhoods = list(access.project.neighbourhoods.all())
    with _fields_as_sent(_LINK_FIELDS):
        services.update_project(
            actor=request.auth,
            project=access.project,
            # An explicit null removes the area; leaving it out keeps it.
            area=(body.area or {}) if "area" in given else None,
            street_point_ids=body.street_point_ids,
            report_ids=_report_ids(neighbourhoods, body.reports) if access.may_work else (),
            priority_ids=body.priority_ids,
            concern_ids=body.concern_ids,
            **fields,
        )
    return _shown(request, project_id)


@router.post(
    "/problems/{project_id}/advance",
    response={200: ProjectOut, **WRITE},
    url_name="v1-problem-advance",
    summary="Move a project to its next stage (the team)",
)
def advance(request: HttpRequest, project_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Scanning → analysis → response → assessment, once each has what it needs (400 on
    ``stage`` says what). A project leaves assessment only by a decision."""
    access = selectors.get_project_for_user(request.auth, project_id)
    services.advance_stage(actor=request.auth, project=access.project)
    return _shown(request, project_id)


# --- analysis -----------------------------------------------------------------------------


@router.post(
    "/problems/{project_id}/questions",
    response={201: ProblemQuestionOut, **WRITE},
    url_name="v1-problem-questions",
    summary="Ask a question of the analysis (the team)",
)
def ask_question(
    request: HttpRequest, body: ProblemQuestionIn, project_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """With its finding, when it is already known."""
    access = selectors.get_project_for_user(request.auth, project_id)
    question = services.ask_question(
        actor=request.auth, project=access.project, question=body.question, finding=body.finding
    )
    return Status(201, question)


@router.post(
    "/problems/{project_id}/questions/{question_id}/finding",
    response={200: ProblemQuestionOut, **WRITE},
    url_name="v1-problem-finding",
    summary="Record what the team found for a question (the team)",
)
def record_finding(
    request: HttpRequest,
    body: FindingIn,
    project_id: int = Path(..., ge=1, le=MAX_ID),
    question_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Replaces an earlier finding."""
    access = selectors.get_project_for_user(request.auth, project_id)
    return services.record_finding(
        actor=request.auth, question=_question(access, question_id), finding=body.finding
    )


@router.post(
    "/problems/{project_id}/snapshot",
    response={200: ProjectOut, **WRITE},
    url_name="v1-problem-snapshot",
    summary="Keep the crime data for the project's place as it is now (the team)",
)
def take_snapshot(request: HttpRequest, project_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Counts by month over the last 24 months with data, and by hour and weekday where
    the data has times, in the area drawn (else the street points, else the
    neighbourhoods)."""
    access = selectors.get_project_for_user(request.auth, project_id)
    services.take_snapshot(actor=request.auth, project=access.project)
    return _shown(request, project_id)


# --- response -----------------------------------------------------------------------------


@router.post(
    "/problems/{project_id}/partners",
    response={200: ProjectOut, **WRITE},
    url_name="v1-problem-partners",
    summary="Invite a partner organisation to a project (the team)",
)
def invite_partner(
    request: HttpRequest, body: PartnerIn, project_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """An active partner of the project's force: its contacts then read the project and
    update the actions it owns."""
    access = selectors.get_project_for_user(request.auth, project_id)
    try:
        organisation = partners_selectors.get_organisation_for_staff(
            request.auth, body.organisation
        )
    except NotFound as error:
        raise input_error(error, "organisation") from None
    services.invite_partner(actor=request.auth, project=access.project, organisation=organisation)
    return _shown(request, project_id)


@router.post(
    "/problems/{project_id}/actions",
    response={201: ActionOut, **WRITE},
    url_name="v1-problem-actions",
    summary="Plan an action, owned by an officer or an invited partner (the team)",
)
def add_action(
    request: HttpRequest, body: ActionIn, project_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """``owner`` is one of ``{"officer": account id}`` (an officer of the force) or
    ``{"organisation": id}`` (a partner invited to the project)."""
    access = selectors.get_project_for_user(request.auth, project_id)
    organisation_id = None
    if body.owner.organisation is not None:
        invited = {o.slug: o.pk for o in access.project.invited_organisations.all()}
        if body.owner.organisation not in invited:
            raise DomainError(
                _("Invite the partner to the project first."), field="owner.organisation"
            )
        organisation_id = invited[body.owner.organisation]
    action = services.add_action(
        actor=request.auth,
        project=access.project,
        description=body.description,
        owner_officer_id=body.owner.officer,
        owner_organisation_id=organisation_id,
        due_on=body.due_on,
    )
    return Status(201, action)


# --- assessment ---------------------------------------------------------------------------


@router.post(
    "/problems/{project_id}/assessments",
    response={201: AssessmentOut, **WRITE},
    url_name="v1-problem-assessments",
    summary="Count before and after, with a comparison area and a displacement buffer (the team)",
)
def assess(
    request: HttpRequest, body: AssessmentIn, project_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Recorded crime in the response area, the comparison area and the ring
    ``buffer_metres`` wide around the response area, over two periods of as many months,
    with each measure's formula and worked figures. Moves a project in response to
    assessment."""
    access = selectors.get_project_for_user(request.auth, project_id)
    assessment = services.assess(
        actor=request.auth,
        project=access.project,
        response_area=body.response_area,
        comparison_area=body.comparison_area,
        buffer_metres=body.buffer_metres,
        before=body.before.months(),
        after=body.after.months(),
        crime_category=body.crime_category.value if body.crime_category else "",
    )
    return Status(201, assessment)


@router.post(
    "/problems/{project_id}/decision",
    response={200: ProjectOut, **WRITE},
    url_name="v1-problem-decision",
    summary="Close, adjust or continue after an assessment (the team)",
)
def decide(
    request: HttpRequest, body: ProblemDecisionIn, project_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Close ends the project; adjust and continue take it back to response."""
    access = selectors.get_project_for_user(request.auth, project_id)
    with _fields_as_sent({"decision_note": "note"}):
        services.decide(
            actor=request.auth,
            project=access.project,
            decision=body.decision.value,
            note=body.note,
        )
    return _shown(request, project_id)


@router.post(
    "/problems/{project_id}/publish",
    response={200: ProjectOut, **WRITE},
    url_name="v1-problem-publish",
    summary="Publish (or republish) the summary the public reads (the team)",
)
def publish(
    request: HttpRequest, body: PublishIn, project_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Shown on the neighbourhoods' pages and at
    ``/forces/{force}/neighbourhoods/{code}/problems``, with its latest assessment."""
    access = selectors.get_project_for_user(request.auth, project_id)
    services.publish_summary(
        actor=request.auth,
        project=access.project,
        summary=body.public_summary,
        original_language=body.original_language,
        translations={
            language: texts.model_dump(exclude_none=True)
            for language, texts in body.translations.items()
        },
    )
    return _shown(request, project_id)


@router.delete(
    "/problems/{project_id}/publish",
    response={200: ProjectOut, **WRITE},
    url_name="v1-problem-withdraw",
    summary="Withdraw the published summary (the team)",
)
def withdraw(request: HttpRequest, project_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """The summary is kept for the team to publish again."""
    access = selectors.get_project_for_user(request.auth, project_id)
    services.withdraw_summary(actor=request.auth, project=access.project)
    return _shown(request, project_id)


# --- the public side ----------------------------------------------------------------------


@router.get(
    "/forces/{force}/neighbourhoods/{code}/problems",
    response={200: list[PublishedProblemOut], **READ},
    url_name="v1-neighbourhood-problems",
    summary="What the neighbourhood's team did about its problems (published summaries)",
)
@paginate(Pages)
def list_published(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Latest first; each summary in the language of Accept-Language where translated,
    with its latest assessment's counts and measures."""
    return selectors.published_with_assessments(places_selectors.get_neighbourhood(force, code))
