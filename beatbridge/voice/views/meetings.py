"""Meeting pages: a neighbourhood's meetings and one meeting for everyone (questions, RSVP),
and the team's pages to schedule meetings and record what happened at them.

Team pages find their meeting or neighbourhood only through the selectors' access helpers,
which raise NotFound (404) or PermissionDenied (403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError
from beatbridge.limits import client_address
from beatbridge.places.selectors import get_neighbourhood
from beatbridge.voice.forms.meetings import (
    ACTION_FORMS,
    AttendanceForm,
    EditMeetingForm,
    MeetingAction,
    MeetingForm,
    QuestionForm,
    RegisterForm,
    SeriesForm,
)
from beatbridge.voice.models import AttendanceMethod, Meeting
from beatbridge.voice.permissions import can_manage, can_manage_any
from beatbridge.voice.selectors import meetings as selectors
from beatbridge.voice.selectors.registrations import availability_of, registration_of
from beatbridge.voice.services import meetings as services
from beatbridge.web.translation import localise
from beatbridge.web.views import domain_errors_as_http

PAST_PAGE_SIZE = 20
_MEETING_TEXT = (
    "title",
    "description",
    "accessibility",
    "minutes_raised",
    "minutes_answered",
    "minutes_decided",
)


def _team_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return login_required(domain_errors_as_http(view))


# --- everyone -----------------------------------------------------------------------------


@require_safe
@domain_errors_as_http
def neighbourhood_meetings(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """A neighbourhood's meetings: those to come, then those held, latest first."""
    neighbourhood = get_neighbourhood(force, code)
    past = Paginator(selectors.past_meetings(neighbourhood), PAST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    past.object_list = localise(past.object_list, "title")
    context = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "upcoming": localise(selectors.upcoming_meetings(neighbourhood), "title"),
        "page": past,
        "can_manage": can_manage(request.user, neighbourhood),
    }
    return render(request, "voice/meetings/list.html", context)


@require_safe
@domain_errors_as_http
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_meeting(pk))


def _detail_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    question_form: QuestionForm | None = None,
    register_form: RegisterForm | None = None,
    status: int = 200,
) -> HttpResponse:
    neighbourhoods = list(meeting.neighbourhoods.all())
    localise([meeting], *_MEETING_TEXT)
    context = {
        "meeting": meeting,
        "neighbourhood": neighbourhoods[0],
        "agenda": _localised_agenda(meeting),
        "questions": list(selectors.questions_for(meeting, viewer=request.user)),
        "question_form": question_form or QuestionForm(meeting=meeting),
        "register_form": register_form or RegisterForm(meeting=meeting, user=request.user),
        "registration": registration_of(meeting, request.user),
        "availability": availability_of(meeting),
        "attendance": _attendance_rows(meeting),
        "action_items": localise(selectors.action_items_of(meeting), "text"),
        "now": timezone.now(),
        "today": timezone.localdate(),
        "can_manage": can_manage_any(request.user, neighbourhoods),
    }
    return render(request, "voice/meetings/detail.html", context, status=status)


def _localised_agenda(meeting: Meeting) -> selectors.Agenda:
    agenda = selectors.agenda_for(meeting)
    localise(agenda.priorities, "title")
    localise(agenda.action_items, "text")
    return agenda


def _attendance_rows(meeting: Meeting) -> list[tuple[str, int]]:
    counts = selectors.attendance_of(meeting)
    return [
        (label, counts[method]) for method, label in AttendanceMethod.choices if method in counts
    ]


@require_POST
@login_required
@domain_errors_as_http
def ask_question(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in resident's question (POST, then back to the questions)."""
    meeting = selectors.get_meeting(pk)
    form = QuestionForm(request.POST, meeting=meeting)
    if not form.submit(by=request.user):
        return _detail_page(request, meeting, question_form=form, status=400)
    messages.success(request, _("Your question was sent. Others can now support it."))
    return redirect(reverse("voice:meeting", kwargs={"pk": meeting.pk}) + "#questions")


@require_POST
@login_required
@domain_errors_as_http
def support_question(
    request: HttpRequest, pk: int, question_id: int, support: bool
) -> HttpResponse:
    """Support a question, or take the support back (POST, then back to the questions)."""
    meeting = selectors.get_meeting(pk)
    question = meeting.questions.filter(pk=question_id, is_hidden=False).first()
    if question is None:
        raise Http404(_("There is no such question."))
    service = services.upvote_question if support else services.withdraw_upvote
    try:
        service(by=request.user, question=question)
    except DomainError as error:
        if error.status not in (400, 409):
            raise
        messages.error(request, error.message)
    return redirect(
        reverse("voice:meeting", kwargs={"pk": meeting.pk}) + f"#question-{question.pk}"
    )


@require_POST
@domain_errors_as_http
def register_for_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """RSVP with an account or an e-mail address (POST, then back to the meeting)."""
    meeting = selectors.get_meeting(pk)
    form = RegisterForm(
        request.POST, meeting=meeting, user=request.user, client_address=client_address(request)
    )
    if not form.submit(by=request.user):
        return _detail_page(request, meeting, register_form=form, status=400)
    if not request.user.is_authenticated:
        # Anyone can type any address: say nothing about that address's registration here.
        messages.success(
            request, _("Thank you. Check your e-mail: the details of your place are on their way.")
        )
    elif form.result.status == "waiting":
        messages.success(
            request,
            _(
                "The meeting is full: you are on the waiting list. "
                "We will write if a place comes free."
            ),
        )
    else:
        messages.success(request, _("You are registered. A confirmation is on its way."))
    return redirect(reverse("voice:meeting", kwargs={"pk": meeting.pk}) + "#rsvp")


# --- the team -----------------------------------------------------------------------------


@require_safe
@_team_page
def manage_meetings(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """The team's list of a neighbourhood's meetings, with their open action items."""
    neighbourhood = selectors.get_neighbourhood_for_meetings(request.user, force, code)
    context = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "upcoming": localise(selectors.upcoming_meetings(neighbourhood), "title"),
        "past": localise(selectors.past_meetings(neighbourhood)[:PAST_PAGE_SIZE], "title"),
        "open_actions": localise(selectors.open_action_items([neighbourhood.pk]), "text"),
        "overdue_count": selectors.overdue_action_items([neighbourhood.pk]).count(),
        "today": timezone.localdate(),
    }
    return render(request, "voice/meetings/manage/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@_team_page
def create_meeting(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = selectors.get_neighbourhood_for_meetings(request.user, force, code)
    form = MeetingForm(
        request.POST or None,
        neighbourhood=neighbourhood,
        others=selectors.joint_meeting_candidates(neighbourhood),
    )
    if request.method == "POST" and form.submit(by=request.user):
        messages.success(request, _("The meeting was scheduled."))
        return redirect("voice:manage_meeting", pk=form.result.pk)
    return _form_page(request, form, neighbourhood=neighbourhood, title=_("Schedule a meeting"))


@require_http_methods(["GET", "HEAD", "POST"])
@_team_page
def create_series(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = selectors.get_neighbourhood_for_meetings(request.user, force, code)
    form = SeriesForm(request.POST or None, neighbourhood=neighbourhood)
    if request.method == "POST" and form.submit(by=request.user):
        _series, meetings = form.result
        messages.success(
            request,
            _("The series was scheduled: %(count)d meetings.") % {"count": len(meetings)},
        )
        return redirect("voice:manage_meetings", force=force, code=code)
    return _form_page(
        request, form, neighbourhood=neighbourhood, title=_("Schedule a monthly series")
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_team_page
def edit_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_team(request.user, pk)
    form = EditMeetingForm(
        request.POST or None, meeting=meeting, initial=EditMeetingForm.initial_from(meeting)
    )
    if request.method == "POST" and form.submit(by=request.user):
        messages.success(request, _("The meeting was updated."))
        return redirect("voice:manage_meeting", pk=meeting.pk)
    return _form_page(
        request,
        form,
        neighbourhood=meeting.neighbourhoods.all()[0],
        title=_("Edit the meeting"),
        meeting=meeting,
    )


def _form_page(
    request: HttpRequest, form: Any, *, neighbourhood: Any, title: str, meeting: Any = None
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "meeting": meeting,
    }
    return render(
        request, "voice/meetings/manage/form.html", context, status=400 if form.errors else 200
    )


@require_safe
@_team_page
def manage_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the team records about one meeting, a form for each action."""
    return _manage_page(request, selectors.get_meeting_for_team(request.user, pk))


@require_POST
@_team_page
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One team action (POST, then redirect); a refusal shows on its form on the page."""
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404(_("There is no such action."))
    meeting = selectors.get_meeting_for_team(request.user, pk)
    form = form_class(request.POST, meeting=meeting, **_extra_arguments(form_class, meeting, None))
    if form.submit(by=request.user):
        messages.success(request, form.success)
        return redirect(
            reverse("voice:manage_meeting", kwargs={"pk": meeting.pk}) + f"#{form.anchor}"
        )
    return _manage_page(request, meeting, bound=form, status=400)


def _extra_arguments(
    form_class: type[MeetingAction], meeting: Meeting, categories: list[Any] | None
) -> dict[str, Any]:
    if form_class.slug == "concern-report":
        if categories is None:
            categories = list(selectors.concern_categories(meeting))
        return {"categories": categories}
    return {}


def _manage_page(
    request: HttpRequest, meeting: Meeting, *, bound: MeetingAction | None = None, status: int = 200
) -> HttpResponse:
    def form(slug: str, item: Any = None, **initial: Any) -> MeetingAction:
        if bound is not None and bound.slug == slug and (item is None or bound.item == item):
            return bound
        form_class = ACTION_FORMS[slug]
        return form_class(
            meeting=meeting,
            item=item,
            initial=initial or None,
            **_extra_arguments(form_class, meeting, categories),
        )

    localise([meeting], *_MEETING_TEXT)
    categories = list(selectors.concern_categories(meeting))
    agenda = _localised_agenda(meeting)
    attendance = selectors.attendance_of(meeting)
    questions = list(selectors.questions_for(meeting, include_hidden=True))
    concerns = selectors.concerns_of(meeting)
    action_items = localise(selectors.action_items_of(meeting), "text")
    attendees = list(selectors.named_attendees_of(meeting))
    context = {
        "meeting": meeting,
        "neighbourhood": meeting.neighbourhoods.all()[0],
        "agenda": agenda,
        "now": timezone.now(),
        "availability": availability_of(meeting),
        "bound": bound,
        "forms": {
            "move": form("move", starts_at=meeting.starts_at, ends_at=meeting.ends_at),
            "cancel": form("cancel"),
            "agenda_add": form("agenda-add"),
            "attendance": form(AttendanceForm.slug, **attendance),
            "attendee_add": form("attendee-add"),
            "minutes": form(
                "minutes",
                raised=meeting.minutes_raised,
                answered=meeting.minutes_answered,
                decided=meeting.minutes_decided,
            ),
            "concern_add": form("concern-add"),
            "action_add": form("action-add"),
        },
        "agenda_items": [(item, form("agenda-remove", item)) for item in agenda.items],
        "questions": [
            (
                question,
                form("answer", question, answer=question.answer),
                form("hide", question, hidden=question.is_hidden),
            )
            for question in questions
        ],
        "attendees": [(attendee, form("attendee-remove", attendee)) for attendee in attendees],
        "concerns": [
            (concern, form("concern-priority", concern), form("concern-report", concern))
            for concern in concerns
        ],
        "action_items": [
            (item, form("action-close", item) if item.is_open else None) for item in action_items
        ],
    }
    if attendees:
        # Names of people who agreed to be named: a staff view of personal data.
        audit(actor=request.user, action="meeting.attendees_viewed", target=meeting)
    return render(request, "voice/meetings/manage/detail.html", context, status=status)
