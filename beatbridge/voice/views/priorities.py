"""Priority pages: a neighbourhood's cycle (propose, vote, results), one priority, "you said,
we did" and declaring residency for residents; cycles, candidates and decisions for the team.

Every form posts, then redirects (PRG); a refusal comes back on the form, or as a message
for the one-button forms (vote, withdraw, verify). Scopes come only from the selectors'
access helpers, whose NotFound and PermissionDenied become 404 and 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError
from beatbridge.places.models import Neighbourhood
from beatbridge.places.selectors import get_neighbourhood
from beatbridge.problems.selectors import published_for_priorities
from beatbridge.voice.forms.priorities import (
    PRIORITY_ACTION_FORMS,
    CandidateForm,
    CycleForm,
    MeetingVotesForm,
    ProposalForm,
    VerifyResidencyForm,
)
from beatbridge.voice.models import Cycle, CyclePhase, Priority, PriorityStatus
from beatbridge.voice.permissions import can_manage, is_signed_in
from beatbridge.voice.selectors import priorities as selectors
from beatbridge.voice.services import priorities as services
from beatbridge.web.translation import localise
from beatbridge.web.views import domain_errors_as_http


def _cycle_url(cycle: Cycle) -> str:
    neighbourhood = cycle.neighbourhood
    return reverse(
        "voice:priority_cycle",
        kwargs={
            "force": neighbourhood.force.slug,
            "code": neighbourhood.code,
            "cycle_id": cycle.pk,
        },
    )


# --- a neighbourhood's cycle --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def neighbourhood_priorities(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """The current cycle (or the next one): its phase, proposals, votes or results."""
    neighbourhood = get_neighbourhood(force, code)
    return _cycle_page(request, neighbourhood, selectors.current_cycle(neighbourhood))


@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def cycle_priorities(request: HttpRequest, force: str, code: str, cycle_id: int) -> HttpResponse:
    """One cycle of the neighbourhood, past or current."""
    neighbourhood = get_neighbourhood(force, code)
    return _cycle_page(request, neighbourhood, selectors.get_cycle(neighbourhood, cycle_id))


def _cycle_page(
    request: HttpRequest, neighbourhood: Neighbourhood, cycle: Cycle | None
) -> HttpResponse:
    form, status = ProposalForm(), 200
    if request.method == "POST":
        if cycle is None:
            raise Http404(_("This neighbourhood has no priority cycle."))
        if not is_signed_in(request.user):
            return redirect(f"{reverse('accounts:sign-in')}?next={request.path}")
        form = ProposalForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                priority = services.propose_priority(
                    user=request.user,
                    cycle=cycle,
                    language=get_language() or "",
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.refuse(error)
                status = error.status
            else:
                messages.success(request, _("Thank you: your proposal is now a candidate."))
                return redirect(f"{_cycle_url(cycle)}#priority-{priority.pk}")
    context: dict[str, Any] = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "cycle": cycle,
        "can_manage": can_manage(request.user, neighbourhood),
        "past_cycles": selectors.cycles_of(neighbourhood).exclude(pk=cycle.pk if cycle else None),
    }
    if cycle is not None:
        show_totals = selectors.shows_totals(cycle, request.user)
        context.update(
            phase=cycle.phase(),
            show_totals=show_totals,
            candidates=localise(
                selectors.candidates_of(cycle, with_totals=show_totals), "title", "description"
            ),
            ballot=selectors.ballot_of(request.user, cycle),
            form=form,
        )
    return render(request, "voice/priorities/cycle.html", context, status=status)


# --- one priority -------------------------------------------------------------------------


@require_safe
@domain_errors_as_http
def priority_detail(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = selectors.get_priority(priority_id)
    cycle = priority.cycle
    show_totals = selectors.shows_totals(cycle, request.user)
    context = {
        "priority": localise([priority], *_PRIORITY_TEXTS)[0],
        "cycle": cycle,
        "neighbourhood": cycle.neighbourhood,
        "force": cycle.neighbourhood.force,
        "phase": cycle.phase(),
        "show_totals": show_totals,
        "totals": selectors.totals_of(priority) if show_totals else None,
        "updates": localise(priority.updates.all(), "text"),
        "ballot": selectors.ballot_of(request.user, cycle),
        "can_manage": can_manage(request.user, cycle.neighbourhood),
    }
    return render(request, "voice/priorities/detail.html", context)


_PRIORITY_TEXTS = ("title", "description", "decision_reason", "action_plan", "outcome")


@login_required
@require_POST
@domain_errors_as_http
def vote(request: HttpRequest, priority_id: int) -> HttpResponse:
    return _ballot_action(request, priority_id, services.cast_vote, _("Your vote is counted."))


@login_required
@require_POST
@domain_errors_as_http
def withdraw_vote(request: HttpRequest, priority_id: int) -> HttpResponse:
    return _ballot_action(
        request, priority_id, services.withdraw_vote, _("Your vote is withdrawn.")
    )


def _ballot_action(
    request: HttpRequest, priority_id: int, service: Callable[..., Any], done: str
) -> HttpResponse:
    priority = selectors.get_priority(priority_id)
    try:
        service(user=request.user, priority=priority)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    # Back where the button was: the priority's own page, or the cycle's list at its place.
    if request.POST.get("back") == "priority":
        return redirect("voice:priority", priority_id=priority.pk)
    return redirect(f"{_cycle_url(priority.cycle)}#priority-{priority.pk}")


# --- residency and "you said, we did" -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def residency(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """Say that one lives or works in the neighbourhood, to propose and vote there."""
    neighbourhood = get_neighbourhood(force, code)
    if request.method == "POST":
        services.declare_residency(user=request.user, neighbourhood=neighbourhood)
        messages.success(
            request,
            _("Thank you: you are down as living or working in %(name)s.")
            % {"name": neighbourhood.name},
        )
        return redirect("voice:priorities", force=neighbourhood.force.slug, code=neighbourhood.code)
    context = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "residency": selectors.residency_of(request.user, neighbourhood),
    }
    return render(request, "voice/priorities/residency.html", context)


@require_safe
@domain_errors_as_http
def you_said_we_did(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """What residents asked for, what the team took on, and what it did: the public account."""
    neighbourhood = get_neighbourhood(force, code)
    account = selectors.you_said_we_did(neighbourhood)
    projects = published_for_priorities([priority.pk for priority in account.taken_on])
    for priority in account.taken_on:
        priority.shown_updates = localise(priority.updates.all(), "text")  # type: ignore[attr-defined]
        # The published problem-solving projects that grew from it.
        priority.published_projects = projects.get(priority.pk, [])  # type: ignore[attr-defined]
    context = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "taken_on": localise(account.taken_on, *_PRIORITY_TEXTS),
        "not_taken_on": localise(account.not_taken_on, *_PRIORITY_TEXTS),
    }
    return render(request, "voice/priorities/you_said_we_did.html", context)


# --- the team's pages ---------------------------------------------------------------------


def _team_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return login_required(domain_errors_as_http(view))


@require_http_methods(["GET", "POST"])
@_team_page
def manage_cycles(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """A neighbourhood's cycles, and a form to open the next one."""
    neighbourhood = selectors.get_neighbourhood_to_manage(request.user, force, code)
    form, status = CycleForm(), 200
    if request.method == "POST":
        form, status = CycleForm(request.POST), 400
        if form.is_valid():
            try:
                cycle = services.create_cycle(
                    actor=request.user, neighbourhood=neighbourhood, **form.cleaned_data
                )
            except DomainError as error:
                form.refuse(error)
                status = error.status
            else:
                messages.success(request, _("The cycle is created."))
                return redirect("voice:manage_cycle", cycle_id=cycle.pk)
    context = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "cycles": selectors.cycles_of(neighbourhood),
        "form": form,
    }
    return render(request, "voice/priorities/manage_cycles.html", context, status=status)


@require_safe
@_team_page
def manage_cycle(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """A cycle's candidates with their sources and votes, and the team's forms."""
    cycle = selectors.get_cycle_to_manage(request.user, cycle_id)
    return _manage_cycle_page(request, cycle)


@require_POST
@_team_page
def cycle_action(request: HttpRequest, cycle_id: int, action: str) -> HttpResponse:
    """Add a candidate, record a show of hands, or confirm a residency."""
    cycle = selectors.get_cycle_to_manage(request.user, cycle_id)
    if action == CandidateForm.slug:
        form: Any = CandidateForm(request.POST)
        call = functools.partial(_add_candidate, request, cycle)
        done = _("The candidate is added.")
    elif action == MeetingVotesForm.slug:
        form = _meeting_votes_form(cycle, request.POST)
        call = functools.partial(_record_meeting_votes, request, cycle)
        done = _("The show of hands is recorded.")
    elif action == VerifyResidencyForm.slug:
        form = VerifyResidencyForm(request.POST)
        call = functools.partial(_verify_residency, request, cycle)
        done = _("The residency is confirmed.")
    else:
        raise Http404(_("There is no such action."))
    status = 400
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, done)
            return redirect("voice:manage_cycle", cycle_id=cycle.pk)
    return _manage_cycle_page(request, cycle, bound_form=form, status=status)


def _add_candidate(request: HttpRequest, cycle: Cycle, data: dict[str, Any]) -> None:
    services.add_candidate(actor=request.user, cycle=cycle, language=get_language() or "", **data)


def _record_meeting_votes(request: HttpRequest, cycle: Cycle, data: dict[str, Any]) -> None:
    priority = selectors.candidates_of(cycle, with_totals=False).filter(pk=data["priority"]).first()
    meeting = selectors.meetings_for_counting(cycle).filter(pk=data["meeting"]).first()
    if priority is None or meeting is None:
        raise DomainError(_("Choose a candidate and a meeting from the lists."), field="priority")
    services.record_meeting_votes(
        actor=request.user, priority=priority, meeting=meeting, count=data["count"]
    )


def _verify_residency(request: HttpRequest, cycle: Cycle, data: dict[str, Any]) -> None:
    residency = selectors.get_residency_to_verify(cycle, data["residency"])
    services.verify_residency(actor=request.user, residency=residency)


def _meeting_votes_form(cycle: Cycle, data: Any = None) -> MeetingVotesForm:
    return MeetingVotesForm(
        data,
        candidates=list(
            selectors.candidates_of(cycle, with_totals=False).filter(status=PriorityStatus.PROPOSED)
        ),
        meetings=list(selectors.meetings_for_counting(cycle)),
    )


def _manage_cycle_page(
    request: HttpRequest, cycle: Cycle, *, bound_form: Any = None, status: int = 200
) -> HttpResponse:
    forms: dict[str, Any] = {
        CandidateForm.slug: CandidateForm(),
        MeetingVotesForm.slug: _meeting_votes_form(cycle),
    }
    if bound_form is not None:
        forms[bound_form.slug] = bound_form
    phase = cycle.phase()
    residencies = list(selectors.residencies_to_verify(cycle.neighbourhood))
    if residencies:
        # Names and e-mail addresses of residents: a staff view of personal data.
        audit(actor=request.user, action="cycle.residencies_viewed", target=cycle)
    context = {
        "cycle": cycle,
        "neighbourhood": cycle.neighbourhood,
        "force": cycle.neighbourhood.force,
        "phase": phase,
        "candidates": localise(selectors.candidates_of(cycle, with_totals=True), "title"),
        "meeting_counts": selectors.meeting_counts_of(cycle),
        "residencies": residencies,
        "candidate_form": forms[CandidateForm.slug],
        "meeting_votes_form": forms[MeetingVotesForm.slug],
        "bound_form": bound_form,
        "may_add_candidates": phase not in selectors.RESULT_PHASES,
        "may_count_hands": phase != CyclePhase.UPCOMING and phase != CyclePhase.PROPOSING,
    }
    return render(request, "voice/priorities/manage_cycle.html", context, status=status)


@require_safe
@_team_page
def manage_priority(request: HttpRequest, priority_id: int) -> HttpResponse:
    """One priority for the team: adopt or decline it, post updates, close it."""
    priority = selectors.get_priority_to_manage(request.user, priority_id)
    return _manage_priority_page(request, priority)


@require_POST
@_team_page
def priority_action(request: HttpRequest, priority_id: int, action: str) -> HttpResponse:
    priority = selectors.get_priority_to_manage(request.user, priority_id)
    form_class = PRIORITY_ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404(_("There is no such action."))
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            _PRIORITY_ACTIONS[action](request.user, priority, form.cleaned_data)
        except DomainError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, _PRIORITY_DONE[action])
            return redirect("voice:manage_priority", priority_id=priority.pk)
    return _manage_priority_page(request, priority, bound_form=form, status=status)


_PRIORITY_ACTIONS: dict[str, Callable[[Any, Priority, dict[str, Any]], Any]] = {
    "adopt": lambda actor, priority, data: services.adopt(actor=actor, priority=priority, **data),
    "decline": lambda actor, priority, data: services.decline(
        actor=actor, priority=priority, **data
    ),
    "update": lambda actor, priority, data: services.post_update(
        actor=actor, priority=priority, language=get_language() or "", **data
    ),
    "close": lambda actor, priority, data: services.close(actor=actor, priority=priority, **data),
}
_PRIORITY_DONE = {
    "adopt": _("The priority is adopted."),
    "decline": _("The candidate is not adopted; the reason is public."),
    "update": _("The update is published."),
    "close": _("The priority is closed; its account is public."),
}


def _manage_priority_page(
    request: HttpRequest, priority: Priority, *, bound_form: Any = None, status: int = 200
) -> HttpResponse:
    cycle = priority.cycle
    phase = cycle.phase()
    if priority.status == PriorityStatus.PROPOSED and phase in selectors.RESULT_PHASES:
        slugs = ["adopt", "decline"]
    elif priority.status == PriorityStatus.ADOPTED:
        slugs = ["update", "close"]
    else:
        slugs = []
    forms = [
        bound_form
        if bound_form is not None and bound_form.slug == slug
        else PRIORITY_ACTION_FORMS[slug]()
        for slug in slugs
    ]
    context = {
        "priority": localise([priority], *_PRIORITY_TEXTS)[0],
        "cycle": cycle,
        "neighbourhood": cycle.neighbourhood,
        "force": cycle.neighbourhood.force,
        "phase": phase,
        "totals": selectors.totals_of(priority),
        "updates": localise(priority.updates.all(), "text"),
        "forms": forms,
        "bound_form": bound_form,
    }
    return render(request, "voice/priorities/manage_priority.html", context, status=status)
