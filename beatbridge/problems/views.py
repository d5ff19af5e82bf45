"""Pages of problem-solving projects: the team's list, start form and project page under
``manage/problems/``, and a published project's public page under its neighbourhood.

Every form on the project page posts to its own URL and redirects back (PRG); a refusal
renders the project page again with that form bound, its error on the field (400). The
project comes only from ``selectors.get_project_for_user``: 404 for anyone who may not
see it, 403 for a partner's contact posting what only the team does. A contact sees the
page read-only, but for the update form of their own organisation's actions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beatbridge.accounts.forms import ServiceForm
from beatbridge.accounts.selectors import police_of_force
from beatbridge.crimedata.selectors.counts import (
    category_name,
    latest_month,
    point_counts,
    shift_month,
)
from beatbridge.errors import PermissionDenied
from beatbridge.partners.selectors import organisations_to_refer_to
from beatbridge.places.models import Neighbourhood
from beatbridge.places.selectors import get_neighbourhood
from beatbridge.problems import permissions, selectors, services
from beatbridge.problems.forms import (
    ActionForm,
    ActionUpdateForm,
    AssessForm,
    ButtonForm,
    DecisionForm,
    DetailsForm,
    FindingForm,
    InviteForm,
    ProjectForm,
    PublishForm,
    QuestionForm,
    StartForm,
    TriangleForm,
)
from beatbridge.problems.models import STAGE_ORDER, Project, Stage
from beatbridge.problems.selectors import ProjectAccess
from beatbridge.reports.selectors import neighbourhoods_to_triage, reports_in
from beatbridge.voice.selectors.priorities import priorities_in
from beatbridge.web.charts import Series, line_chart
from beatbridge.web.maps import map_settings
from beatbridge.web.translation import localise
from beatbridge.web.views import domain_errors_as_http

# The start form's lists stay short enough to read: the busiest street points of the
# last months with data, the most recent reports and priorities.
STREET_POINTS_OFFERED = 20
STREET_POINT_MONTHS = 12
SOURCES_OFFERED = 50
# Where on the project page each form is: a saved form goes back to it, and a refused
# one's error summary links to it.
_ANCHORS = {
    "stage": "stages",
    "details": "scanning",
    "triangle": "analysis",
    "question": "questions",
    "finding": "questions",
    "snapshot": "data",
    "invite": "partners",
    "action": "response",
    "assess": "assessment",
    "decide": "decision",
    "publish": "publish",
    "withdraw": "publish",
}
# Stages a "Move to ..." button takes a project on from; assessment is left by a decision.
_MOVABLE = (Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE)


def _signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first; NotFound and PermissionDenied from the selectors become 404 and 403."""
    return login_required(domain_errors_as_http(view))


def _status(form: Any) -> int:
    if not form.errors:
        return 200
    return form.status if form.status >= 400 else 400


# --- the list -------------------------------------------------------------------------------


@require_safe
@_signed_in
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the person may see, most recently changed first, filtered by stage."""
    projects = selectors.projects_for(request.user)
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    counts = selectors.stage_counts(projects)
    context = {
        "projects": [project for project in projects if not stage or project.stage == stage],
        "stage": stage,
        "stages": [(value, label, counts[value]) for value, label in Stage.choices],
        "total": len(projects),
        "may_start": permissions.can_use_project_pages(request.user),
    }
    return render(request, "problems/list.html", context)


# --- starting a project ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_signed_in
def start(request: HttpRequest) -> HttpResponse:
    """A new project in scanning; ``?neighbourhood=<id>`` chooses the neighbourhood whose
    street points, reports and priorities are offered."""
    allowed = _neighbourhoods_to_start_in(request.user)
    focus = _focus(request, allowed)
    form = StartForm(
        request.POST or None,
        neighbourhoods=Neighbourhood.objects.filter(pk__in=[n.pk for n in allowed]).order_by(
            "name"
        ),
        street_points=_street_point_choices(focus),
        reports=_report_choices(focus),
        priorities=_priority_choices(focus),
        initial={"neighbourhoods": focus},
    )
    if request.method == "POST" and form.is_valid():
        project = form.call_service(services.start_project, actor=request.user, **form.arguments())
        if project is not None:
            messages.success(request, _("The project has started, in scanning."))
            return redirect("problems:project", project_id=project.pk)
    centre = (focus or allowed)[0]
    context = {
        "form": form,
        "focus": focus,
        "choices": allowed if len(allowed) > 1 else [],
        "centre": (centre.centre_latitude, centre.centre_longitude),
        "map": map_settings(),
    }
    return render(request, "problems/start.html", context, status=_status(form))


def _neighbourhoods_to_start_in(user: Any) -> list[Neighbourhood]:
    if not permissions.can_use_project_pages(user):
        raise PermissionDenied(_("Problem-solving projects are for the neighbourhood teams."))
    allowed = [n for n in neighbourhoods_to_triage(user) if permissions.can_start_project(user, n)]
    if not allowed:
        raise PermissionDenied(_("You serve no neighbourhood to start a project in."))
    return allowed


def _focus(request: HttpRequest, allowed: list[Neighbourhood]) -> list[Neighbourhood]:
    by_id = {str(neighbourhood.pk): neighbourhood for neighbourhood in allowed}
    wanted = request.GET.get("neighbourhood", "")
    if wanted in by_id:
        return [by_id[wanted]]
    return allowed if len(allowed) == 1 else []


def _street_point_choices(focus: Sequence[Neighbourhood]) -> list[tuple[int, str]]:
    choices = []
    for neighbourhood in focus:
        last = latest_month(neighbourhood.force)
        if last is None:
            continue
        for point in point_counts(
            neighbourhood,
            first_month=shift_month(last, 1 - STREET_POINT_MONTHS),
            last_month=last,
            limit=STREET_POINTS_OFFERED,
        ):
            label = ngettext(
                "%(place)s: %(count)d incident",
                "%(place)s: %(count)d incidents",
                point.incidents,
            ) % {"place": point.name, "count": point.incidents}
            choices.append((point.point_id, label))
    return choices


def _report_choices(focus: Sequence[Neighbourhood]) -> list[tuple[int, str]]:
    if not focus:
        return []
    reports = reports_in([n.pk for n in focus]).order_by("-created_at", "-pk")[:SOURCES_OFFERED]
    return [
        (report.pk, f"{report.reference}: {Truncator(report.description).chars(60)}")
        for report in reports
    ]


def _priority_choices(focus: Sequence[Neighbourhood]) -> list[tuple[int, str]]:
    if not focus:
        return []
    priorities = priorities_in([n.pk for n in focus]).order_by("-created_at", "-pk")
    return [(priority.pk, priority.title) for priority in priorities[:SOURCES_OFFERED]]


# --- the project page -----------------------------------------------------------------------


@require_safe
@_signed_in
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project: its SARA stage, scanning, analysis, response, assessment and history."""
    return _project_page(request, selectors.get_project_for_user(request.user, project_id))


def _project_page(
    request: HttpRequest,
    access: ProjectAccess,
    *,
    bound: tuple[Any, ServiceForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, with ``bound`` = (which form, the form refused) in its place."""
    project = access.project
    detail = selectors.detail_of(project)
    police = list(police_of_force(project.force_id))
    names = {person.pk: _name_of(person) for person in police}
    refused = dict([bound]) if bound else {}
    for question in detail.questions:
        finding_form = refused.get(("finding", question.pk)) or FindingForm(
            auto_id=f"id_finding{question.pk}_%s"
        )
        question.finding_form = finding_form  # type: ignore[attr-defined]
    for action in detail.actions:
        action.owner_name = (  # type: ignore[attr-defined]
            action.owner_organisation.name
            if action.owner_organisation is not None
            else names.get(action.owner_officer_id, "")
        )
        if access.may_work or action.owner_organisation_id in access.acting_for:
            update_form = refused.get(("action", action.pk)) or ActionUpdateForm(
                initial=ActionUpdateForm.initial_of(action), auto_id=f"id_update{action.pk}_%s"
            )
            action.update_form = update_form  # type: ignore[attr-defined]
    for entry in detail.history:
        entry.actor_name = (  # type: ignore[attr-defined]
            names.get(entry.actor_id) or (entry.actor.full_name if entry.actor else "")
        )
    position = STAGE_ORDER.index(Stage(project.stage))
    context = {
        "project": project,
        "access": access,
        "detail": detail,
        "steps": [
            {"label": stage.label, "is_current": index == position, "is_done": index < position}
            for index, stage in enumerate(STAGE_ORDER)
        ],
        "next_stage": STAGE_ORDER[position + 1].label if project.stage in _MOVABLE else None,
        "triangle": _triangle(project),
        "hotspot": _hotspot(project),
        "snapshot": _snapshot(project),
        "invited": list(project.invited_organisations.all()),
        "public_url": _public_url(project) if project.is_published else "",
        "bound_form": bound[1] if bound else None,
        "bound_anchor": _anchor_of(bound[0]) if bound else "",
        "map": map_settings(),
        "centre": _centre_of(project),
        "forms": _team_forms(project, police, names, refused) if access.may_work else {},
    }
    return render(request, "problems/project.html", context, status=status)


def _anchor_of(key: Any) -> str:
    return _ANCHORS.get(key if isinstance(key, str) else key[0], "")


def _centre_of(project: Project) -> tuple[float | None, float | None]:
    """Where the maps that draw an area start: the first neighbourhood's centre."""
    neighbourhoods = list(project.neighbourhoods.all())
    if not neighbourhoods:
        return (None, None)
    return (neighbourhoods[0].centre_latitude, neighbourhoods[0].centre_longitude)


def _name_of(person: Any) -> str:
    profile = getattr(person, "officer_profile", None)
    return str(profile) if profile is not None else person.full_name


def _team_forms(
    project: Project, police: list[Any], names: dict[int, str], refused: dict[Any, ServiceForm]
) -> dict[str, ServiceForm]:
    invited = list(project.invited_organisations.all())
    forms: dict[str, ServiceForm] = {
        "stage": ButtonForm(auto_id="id_stage_%s"),
        "details": DetailsForm(initial=DetailsForm.initial_of(project)),
        "triangle": TriangleForm(initial=TriangleForm.initial_of(project)),
        "question": QuestionForm(auto_id="id_question_%s"),
        "snapshot": ButtonForm(auto_id="id_snapshot_%s"),
        "invite": InviteForm(organisations=_invitable(project)),
        "action": ActionForm(
            officers=[(person.pk, names[person.pk]) for person in police],
            organisations=[(organisation.pk, organisation.name) for organisation in invited],
        ),
        "assess": AssessForm(
            initial={
                "response_area": project.area,
                "crime_category": project.crime_category,
                "buffer_metres": 200,
            }
        ),
        "decide": DecisionForm(),
        "publish": PublishForm(initial=PublishForm.initial_of(project)),
        "withdraw": ButtonForm(auto_id="id_withdraw_%s"),
    }
    forms.update({key: form for key, form in refused.items() if isinstance(key, str)})
    return forms


def _invitable(project: Project) -> Any:
    invited = [organisation.pk for organisation in project.invited_organisations.all()]
    return organisations_to_refer_to(project.force_id).exclude(pk__in=invited)


def _triangle(project: Project) -> list[dict[str, Any]]:
    """The three sides of the problem-analysis triangle, each with who can act on it."""
    return [
        {
            "side": _("Offender"),
            "text": project.offender,
            "controller": _("Handler"),
            "control": project.handler,
        },
        {
            "side": _("Victim or target"),
            "text": project.target,
            "controller": _("Guardian"),
            "control": project.guardian,
        },
        {
            "side": _("Place"),
            "text": project.place,
            "controller": _("Manager"),
            "control": project.manager,
        },
    ]


def _hotspot(project: Project) -> str:
    """The hotspot query the problem was found by, in words; empty when it was not."""
    found = project.hotspot or {}
    if not found.get("first_month"):
        return ""
    what = category_name(found["category"]) if found.get("category") else _("All crime")
    return _("%(what)s, %(first)s to %(last)s") % {
        "what": what,
        "first": found.get("first_month", ""),
        "last": found.get("last_month", ""),
    }


def _month_of(label: str) -> datetime.date:
    return datetime.date(int(label[:4]), int(label[5:7]), 1)


def _snapshot(project: Project) -> dict[str, Any] | None:
    """The data snapshot as a chart and tables; None before one is taken."""
    if project.snapshot_taken_at is None:
        return None
    data = project.data_snapshot or {}
    months = [_month_of(label) for label in data.get("months", [])]
    counts = [int(data.get("by_month", {}).get(f"{month:%Y-%m}", 0)) for month in months]
    found: dict[str, Any] = {
        "taken_at": project.snapshot_taken_at,
        "rows": list(zip(months, counts, strict=True)),
        "total": sum(counts),
        "by_hour": list(enumerate(data["by_hour"])) if data.get("by_hour") else None,
        "by_weekday": (
            [(WEEKDAYS[day], count) for day, count in enumerate(data["by_weekday"])]
            if data.get("by_weekday")
            else None
        ),
        "chart": None,
    }
    if months:
        found["chart"] = line_chart(
            labels=[
                date_format(month, "M Y" if index == 0 or month.month == 1 else "M")
                for index, month in enumerate(months)
            ],
            series=[Series(_("Incidents"), counts)],
            title=_("Incidents in the project's place, month by month"),
            description=_(
                "Recorded incidents each month from %(first)s to %(last)s. The table below "
                "gives the same figures."
            )
            % {
                "first": date_format(months[0], "YEAR_MONTH_FORMAT"),
                "last": date_format(months[-1], "YEAR_MONTH_FORMAT"),
            },
            chart_id="snapshot-chart",
        )
    return found


# --- the project page's forms ---------------------------------------------------------------


def _team_project(request: HttpRequest, project_id: int) -> ProjectAccess:
    access = selectors.get_project_for_user(request.user, project_id)
    if not access.may_work:
        raise PermissionDenied(_("Only the neighbourhood team works on this project."))
    return access


def _submitted(
    request: HttpRequest,
    form: ProjectForm,
    service: Callable[..., Any],
    *,
    project: Project,
    key: Any,
    done: str | Callable[[Any], str],
) -> HttpResponse:
    """A posted form of the project page: a valid form's ``arguments`` go to ``service``
    with the actor; once it succeeds, back to the form's place on the page (PRG) with
    ``done`` said (or ``done(result)``); else the page again, the form bound in place of
    ``key`` with the refusal on its field (400, or 429 once rate-limited)."""
    result = form.is_valid() and form.call_service(service, actor=request.user, **form.arguments())
    if result:
        messages.success(request, done(result) if callable(done) else done)
        return redirect(f"{reverse('problems:project', args=[project.pk])}#{_anchor_of(key)}")
    # Fetched again: a refused service may have changed the project in memory.
    access = selectors.get_project_for_user(request.user, project.pk)
    return _project_page(request, access, bound=(key, form), status=_status(form))


def _project_form(
    make_form: Callable[[Any, Project], ProjectForm],
    service: Callable[..., Any],
    *,
    key: str,
    done: Any,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The view of one of the project page's forms that only the team posts: the form
    made from the POST data and the project, the service called on the project."""

    @require_POST
    @_signed_in
    def view(request: HttpRequest, project_id: int) -> HttpResponse:
        project = _team_project(request, project_id).project
        return _submitted(
            request,
            make_form(request.POST, project),
            partial(service, project=project),
            project=project,
            key=key,
            done=done,
        )

    return view


advance = _project_form(
    lambda data, _project: ButtonForm(data, auto_id="id_stage_%s"),
    services.advance_stage,
    key="stage",
    done=lambda moved: _("The project is in %(stage)s now.") % {"stage": moved.get_stage_display()},
)


details = _project_form(
    lambda data, _project: DetailsForm(data),
    services.update_project,
    key="details",
    done=gettext_lazy("The details have been saved."),
)


analysis = _project_form(
    lambda data, _project: TriangleForm(data),
    services.update_project,
    key="triangle",
    done=gettext_lazy("The analysis has been saved."),
)


ask = _project_form(
    lambda data, _project: QuestionForm(data, auto_id="id_question_%s"),
    services.ask_question,
    key="question",
    done=gettext_lazy("The question has been added."),
)


@require_POST
@_signed_in
def finding(request: HttpRequest, project_id: int, question_id: int) -> HttpResponse:
    project = _team_project(request, project_id).project
    question = project.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404(_("No such question."))
    return _submitted(
        request,
        FindingForm(request.POST, auto_id=f"id_finding{question.pk}_%s"),
        partial(services.record_finding, question=question),
        project=project,
        key=("finding", question.pk),
        done=_("The finding has been recorded."),
    )


snapshot = _project_form(
    lambda data, _project: ButtonForm(data, auto_id="id_snapshot_%s"),
    services.take_snapshot,
    key="snapshot",
    done=gettext_lazy("The data snapshot has been taken."),
)


invite = _project_form(
    lambda data, project: InviteForm(data, organisations=_invitable(project)),
    services.invite_partner,
    key="invite",
    done=gettext_lazy("The partner has been invited."),
)


add_action = _project_form(
    lambda data, project: ActionForm(
        data,
        officers=[(person.pk, _name_of(person)) for person in police_of_force(project.force_id)],
        organisations=[(o.pk, o.name) for o in project.invited_organisations.all()],
    ),
    services.add_action,
    key="action",
    done=gettext_lazy("The action has been planned."),
)


@require_POST
@_signed_in
def update_action(request: HttpRequest, action_id: int) -> HttpResponse:
    """The team updates any action; a partner's contact their organisation's."""
    action = selectors.get_action_for_user(request.user, action_id)
    return _submitted(
        request,
        ActionUpdateForm(request.POST, auto_id=f"id_update{action.pk}_%s"),
        partial(services.update_action, action=action),
        project=action.project,
        key=("action", action.pk),
        done=_("The action has been updated."),
    )


assess = _project_form(
    lambda data, _project: AssessForm(data),
    services.assess,
    key="assess",
    done=gettext_lazy("The assessment has been recorded."),
)


decide = _project_form(
    lambda data, _project: DecisionForm(data),
    services.decide,
    key="decide",
    done=gettext_lazy("The decision has been recorded."),
)


publish = _project_form(
    lambda data, _project: PublishForm(data),
    services.publish_summary,
    key="publish",
    done=gettext_lazy("The summary has been published."),
)


withdraw = _project_form(
    lambda data, _project: ButtonForm(data, auto_id="id_withdraw_%s"),
    services.withdraw_summary,
    key="withdraw",
    done=gettext_lazy("The summary has been withdrawn."),
)


# --- the public page ------------------------------------------------------------------------


def _public_url(project: Project) -> str:
    neighbourhood = project.neighbourhoods.all()[0]
    return reverse(
        "problems:public",
        kwargs={
            "force": project.force.slug,
            "code": neighbourhood.code,
            "project_id": project.pk,
        },
    )


@require_safe
@domain_errors_as_http
def public_project(request: HttpRequest, force: str, code: str, project_id: int) -> HttpResponse:
    """A published project as the neighbourhood sees it: the summary, the stage, the
    period and the latest assessment's figures with their formulas."""
    neighbourhood = get_neighbourhood(force, code)
    project = selectors.get_published(project_id)
    if neighbourhood.pk not in {n.pk for n in project.neighbourhoods.all()}:
        raise Http404(_("No such published project."))
    assessments = list(project.assessments.all())
    context = {
        "project": localise([project], "public_summary")[0],
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "figures": selectors.figures_of(assessments[-1]) if assessments else None,
    }
    return render(request, "problems/public.html", context)
