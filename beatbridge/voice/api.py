"""Beatbridge's own API for community voice (/api/v1/): priorities and votes, meetings with
their agendas, questions and minutes, events, and registrations.

The same permissions as the pages, from the same selectors and services: anyone reads
cycles, priorities, meetings and events; a signed-in resident proposes, votes, asks and
supports questions; anyone registers (with an account or an e-mail address); the
neighbourhood's team, the force's supervisors and administrators run cycles, meetings and
events. A signed-in person is known by their session and their writes carry the CSRF
token, as in the reports API (``SessionOrAnonymous``). Each handler calls one service or
selector; the rules live there.
"""

# No ``from __future__ import annotations``: ninja reads the parameters of a @paginate'd
# handler through the decorator's wrapper, whose module cannot resolve names given as text.

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, NotFound, PermissionDenied, input_error
from beatbridge.limits import client_address
from beatbridge.places import selectors as places_selectors
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID, ErrorOut, Pages
from beatbridge.places.models import Neighbourhood
from beatbridge.reports.api import SessionOrAnonymous
from beatbridge.voice.models import Event, Meeting, Question, RegistrationStatus
from beatbridge.voice.permissions import is_signed_in
from beatbridge.voice.schemas import (
    ActionItemIn,
    ActionItemOut,
    AdoptIn,
    AgendaItemIn,
    AgendaItemOut,
    AnswerIn,
    AttendanceIn,
    BallotOut,
    CancelIn,
    CancelledOut,
    CancelRegistrationIn,
    CandidateIn,
    CloseActionItemIn,
    ClosePriorityIn,
    CycleDetailOut,
    CycleIn,
    CycleOut,
    DeclineIn,
    EventIn,
    EventItemOut,
    EventMoveIn,
    EventOut,
    EventPhotoOut,
    MeetingConcernIn,
    MeetingConcernOut,
    MeetingConcernToPriorityIn,
    MeetingConcernToReportIn,
    MeetingDetailsIn,
    MeetingIn,
    MeetingItemOut,
    MeetingOut,
    MeetingQuestionOut,
    MeetingVotesIn,
    MinutesIn,
    MoveIn,
    NamedAttendeeIn,
    NamedAttendeeOut,
    PriorityDetailOut,
    PriorityOut,
    PriorityProposalIn,
    PriorityUpdateIn,
    PriorityUpdateOut,
    QuestionIn,
    RegisteredOut,
    RegistrantOut,
    RegistrationIn,
    RegistrationOut,
    ResidencyOut,
    ResidencyToConfirmOut,
    SeriesCreatedOut,
    SeriesIn,
    TeamQuestionOut,
    TranslationIn,
    TranslationOut,
    UpvoteOut,
    VerifyResidencyIn,
    WhenQuery,
    YouSaidWeDidOut,
)
from beatbridge.voice.selectors import events as event_selectors
from beatbridge.voice.selectors import meetings as meeting_selectors
from beatbridge.voice.selectors import priorities as priority_selectors
from beatbridge.voice.selectors import translations as translation_selectors
from beatbridge.voice.selectors.registrations import registrations_of, registrations_of_person
from beatbridge.voice.services import events as event_services
from beatbridge.voice.services import meetings as meeting_services
from beatbridge.voice.services import priorities as priority_services
from beatbridge.voice.services import registrations as registration_services
from beatbridge.voice.services.translations import set_translation

router = Router(tags=["community voice"], auth=SessionOrAnonymous())

# Ids a database column can hold: a larger one is refused with a 400, not a database error.
MAX_ID = 2**31 - 1
NEIGHBOURHOOD = "/forces/{force}/neighbourhoods/{code}"

WRITE = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
TEAM_READ = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@contextmanager
def _named_in_body(*fields: str) -> Iterator[None]:
    """A service's NotFound for something the body names is bad input too."""
    try:
        yield
    except NotFound as error:
        if error.field is not None and error.field in fields:
            raise input_error(error, error.field) from None
        raise


def _neighbourhood(force: str, code: str) -> Neighbourhood:
    return places_selectors.get_neighbourhood(force, code)


def _require_signed_in(request: HttpRequest, message: str) -> None:
    if not is_signed_in(request.auth):
        raise PermissionDenied(message, code="sign_in_required")


def _language() -> str:
    return get_language() or ""


# --- priorities: reading ------------------------------------------------------------------


@router.get(
    f"{NEIGHBOURHOOD}/priority-cycles",
    response={200: list[CycleOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-priority-cycles",
    summary="A neighbourhood's priority cycles",
)
@paginate(Pages)
def list_cycles(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Every cycle of the neighbourhood, the latest first, with its phase (upcoming,
    proposing, voting, deciding or closed) and dates."""
    return priority_selectors.cycles_of(_neighbourhood(force, code))


@router.get(
    f"{NEIGHBOURHOOD}/priority-cycles/{{cycle_id}}",
    response={200: CycleDetailOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-priority-cycle",
    summary="One priority cycle with its candidates",
)
def get_cycle(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
    cycle_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """The cycle and its candidates. Vote totals (online, at meetings, in all) are public
    once voting closes, when the most voted come first; the team sees them always."""
    return priority_selectors.get_cycle(_neighbourhood(force, code), cycle_id)


@router.get(
    "/priorities/{priority_id}",
    response={200: PriorityDetailOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-priority",
    summary="One priority with its plan, updates and outcome",
)
def get_priority(request: HttpRequest, priority_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """A candidate or priority, public to all: the team's decision (why it was not adopted,
    or its plan, progress and outcome) and, when they may be seen, its vote totals."""
    return priority_selectors.get_priority(priority_id)


@router.get(
    f"{NEIGHBOURHOOD}/you-said-we-did",
    response={200: YouSaidWeDidOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-you-said-we-did",
    summary="“You said, we did”: a neighbourhood's account",
)
def you_said_we_did(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """What the team took on (plans, updates, outcomes), the latest adopted first, and the
    candidates it did not adopt, each with the reason. Nothing is dropped silently."""
    return priority_selectors.you_said_we_did(_neighbourhood(force, code))


def _ballot(request: HttpRequest, cycle: Any) -> dict[str, Any]:
    ballot = priority_selectors.ballot_of(request.auth, cycle)
    return {
        "cycle": cycle.pk,
        "has_declared_residency": ballot.residency is not None,
        "residency_verified": ballot.residency is not None
        and ballot.residency.verified_at is not None,
        "counts_as_resident": ballot.counts_as_resident,
        "votes_per_person": cycle.votes_per_person,
        "votes_left": ballot.votes_left,
        "voted_for": sorted(ballot.voted),
    }


@router.get(
    f"{NEIGHBOURHOOD}/priority-cycles/{{cycle_id}}/my-votes",
    response={200: BallotOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="v1-my-votes",
    summary="My votes in a cycle (signed in)",
)
def my_votes(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
    cycle_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Whether you count as a resident of the neighbourhood in this cycle, which candidates
    you voted for online and how many votes you have left."""
    _require_signed_in(request, _("Sign in to see your votes."))
    return _ballot(request, priority_selectors.get_cycle(_neighbourhood(force, code), cycle_id))


# --- priorities: residents ----------------------------------------------------------------


@router.post(
    f"{NEIGHBOURHOOD}/residency",
    response={200: ResidencyOut, **WRITE},
    url_name="v1-residency",
    summary="Say I live or work in a neighbourhood (signed in)",
)
def declare_residency(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Needed to propose and vote there. Declaring again changes nothing; where a cycle
    asks for it, the team confirms the residency before votes count."""
    return priority_services.declare_residency(
        user=request.auth, neighbourhood=_neighbourhood(force, code)
    )


@router.post(
    f"{NEIGHBOURHOOD}/priority-cycles/{{cycle_id}}/proposals",
    response={201: PriorityOut, **WRITE},
    url_name="v1-priority-proposals",
    summary="Propose a priority (signed-in resident)",
)
def propose(
    request: HttpRequest,
    body: PriorityProposalIn,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
    cycle_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """While the cycle takes proposals, a resident of the neighbourhood proposes a problem in
    a place. 403 when signed out or not (yet) a resident; 409 when the title repeats a
    candidate's; 400 outside the proposing phase."""
    cycle = priority_selectors.get_cycle(_neighbourhood(force, code), cycle_id)
    priority = priority_services.propose_priority(
        user=request.auth,
        cycle=cycle,
        title=body.title,
        description=body.description,
        place=body.place,
        language=_language(),
    )
    return Status(201, priority)


@router.post(
    "/priorities/{priority_id}/vote",
    response={201: BallotOut, **WRITE},
    url_name="v1-priority-vote",
    summary="Vote for a candidate (signed-in resident)",
)
def vote(request: HttpRequest, priority_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """One vote per candidate, up to the cycle's votes per person, while voting is open.
    Answers your ballot. 409 when you already voted for it."""
    priority = priority_selectors.get_priority(priority_id)
    priority_services.cast_vote(user=request.auth, priority=priority)
    return Status(201, _ballot(request, priority.cycle))


@router.delete(
    "/priorities/{priority_id}/vote",
    response={200: BallotOut, **WRITE},
    url_name="v1-priority-vote",
    summary="Withdraw my vote for a candidate (signed in)",
)
def withdraw_vote(request: HttpRequest, priority_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """While voting is open; answers your ballot. 400 when you had not voted for it."""
    priority = priority_selectors.get_priority(priority_id)
    priority_services.withdraw_vote(user=request.auth, priority=priority)
    return _ballot(request, priority.cycle)


# --- priorities: the team -----------------------------------------------------------------


@router.post(
    f"{NEIGHBOURHOOD}/priority-cycles",
    response={201: CycleOut, **WRITE},
    url_name="v1-priority-cycle-create",
    summary="Open a priority cycle (team)",
)
def create_cycle(
    request: HttpRequest,
    body: CycleIn,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Dates in order (starts_on ≤ voting_opens_on ≤ voting_closes_on ≤ ends_on); 409 when
    they overlap another cycle of the neighbourhood."""
    neighbourhood = priority_selectors.get_neighbourhood_to_manage(request.auth, force, code)
    cycle = priority_services.create_cycle(
        actor=request.auth, neighbourhood=neighbourhood, **body.model_dump()
    )
    return Status(201, cycle)


@router.post(
    "/priority-cycles/{cycle_id}/candidates",
    response={201: PriorityOut, **WRITE},
    url_name="v1-priority-candidates",
    summary="Add a candidate with its source (team)",
)
def add_candidate(
    request: HttpRequest, body: CandidateIn, cycle_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Any time before voting closes, linked to the reports, meeting or crime figures it
    is drawn from (`source_reference`, checked)."""
    cycle = priority_selectors.get_cycle_to_manage(request.auth, cycle_id)
    with _named_in_body("source_reference"):
        priority = priority_services.add_candidate(
            actor=request.auth,
            cycle=cycle,
            title=body.title,
            source=body.source,
            source_reference=body.source_reference,
            description=body.description,
            place=body.place,
            language=_language(),
        )
    return Status(201, priority)


@router.post(
    "/priority-cycles/{cycle_id}/meeting-votes",
    response={201: CycleDetailOut, **WRITE},
    url_name="v1-priority-meeting-votes",
    summary="Record a show of hands at a meeting (team)",
)
def record_meeting_votes(
    request: HttpRequest, body: MeetingVotesIn, cycle_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """The hands counted for an undecided candidate at a meeting of the neighbourhood held
    while voting was open; one count per meeting and candidate (409 for a second).
    Answers the cycle with its totals."""
    cycle = priority_selectors.get_cycle_to_manage(request.auth, cycle_id)
    priority = (
        priority_selectors.candidates_of(cycle, with_totals=False).filter(pk=body.priority).first()
    )
    if priority is None:
        raise DomainError(_("Choose a candidate of this cycle."), field="priority", code="unknown")
    try:
        meeting = meeting_selectors.get_meeting(body.meeting)
    except NotFound as error:
        raise input_error(error, "meeting") from None
    with _named_in_body("meeting"):
        priority_services.record_meeting_votes(
            actor=request.auth, priority=priority, meeting=meeting, count=body.count
        )
    return Status(201, cycle)


@router.get(
    "/priority-cycles/{cycle_id}/residencies",
    response={200: list[ResidencyToConfirmOut], **TEAM_READ},
    url_name="v1-cycle-residencies",
    summary="Residencies waiting to be confirmed (team)",
)
@paginate(Pages)
def list_residencies_to_confirm(
    request: HttpRequest, cycle_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """People who said they live or work in the cycle's neighbourhood and whom the team has
    not confirmed yet, the oldest first, with their names and e-mail addresses: for the team
    only, and each read that names someone is audited."""
    cycle = priority_selectors.get_cycle_to_manage(request.auth, cycle_id)
    residencies = priority_selectors.residencies_to_verify(cycle.neighbourhood)
    if residencies.exists():
        # Names and e-mail addresses of residents: a staff view of personal data.
        audit(actor=request.auth, action="cycle.residencies_viewed", target=cycle)
    return residencies


@router.post(
    "/priority-cycles/{cycle_id}/residencies/verify",
    response={200: ResidencyToConfirmOut, **WRITE},
    url_name="v1-cycle-residency-verify",
    summary="Confirm that someone lives or works in the neighbourhood (team)",
)
def verify_residency(
    request: HttpRequest, body: VerifyResidencyIn, cycle_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """One of the residencies waiting to be confirmed (400 on `residency` for any other);
    where the cycle asks for confirmed residents, the person's proposals and votes then
    count."""
    cycle = priority_selectors.get_cycle_to_manage(request.auth, cycle_id)
    residency = priority_selectors.get_residency_to_verify(cycle, body.residency)
    return priority_services.verify_residency(actor=request.auth, residency=residency)


def _priority_to_manage(request: HttpRequest, priority_id: int) -> Any:
    return priority_selectors.get_priority_to_manage(request.auth, priority_id)


@router.post(
    "/priorities/{priority_id}/adopt",
    response={200: PriorityOut, **WRITE},
    url_name="v1-priority-adopt",
    summary="Adopt a candidate with its action plan (team)",
)
def adopt(
    request: HttpRequest, body: AdoptIn, priority_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """After voting closes: what the team will do, who and by when; up to the cycle's
    maximum (409 beyond it, or when already decided)."""
    return priority_services.adopt(
        actor=request.auth, priority=_priority_to_manage(request, priority_id), **body.model_dump()
    )


@router.post(
    "/priorities/{priority_id}/decline",
    response={200: PriorityOut, **WRITE},
    url_name="v1-priority-decline",
    summary="Do not adopt a candidate, saying why (team)",
)
def decline(
    request: HttpRequest, body: DeclineIn, priority_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """After voting closes; the reason is public on “you said, we did”."""
    return priority_services.decline(
        actor=request.auth, priority=_priority_to_manage(request, priority_id), reason=body.reason
    )


@router.post(
    "/priorities/{priority_id}/updates",
    response={201: PriorityUpdateOut, **WRITE},
    url_name="v1-priority-updates",
    summary="Post progress on an adopted priority (team)",
)
def post_update(
    request: HttpRequest, body: PriorityUpdateIn, priority_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """A public update on an adopted priority that is still open (409 otherwise)."""
    update = priority_services.post_update(
        actor=request.auth,
        priority=_priority_to_manage(request, priority_id),
        text=body.text,
        language=_language(),
    )
    return Status(201, update)


@router.post(
    "/priorities/{priority_id}/close",
    response={200: PriorityOut, **WRITE},
    url_name="v1-priority-close",
    summary="Close an adopted priority with its outcome (team)",
)
def close_priority(
    request: HttpRequest, body: ClosePriorityIn, priority_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Delivered or not delivered, with what was done and what changed; sets closed_at
    (police.uk's action-date). 409 unless it is adopted and open."""
    return priority_services.close(
        actor=request.auth,
        priority=_priority_to_manage(request, priority_id),
        status=body.status,
        outcome=body.outcome,
    )


# --- meetings: reading --------------------------------------------------------------------


@router.get(
    f"{NEIGHBOURHOOD}/meetings",
    response={200: list[MeetingItemOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-meetings",
    summary="A neighbourhood's meetings, upcoming or past",
)
@paginate(Pages)
def list_meetings(
    request: HttpRequest,
    filters: Query[WhenQuery],
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Meetings of the neighbourhood, alone or with others. Upcoming ones include those
    cancelled, marked so, so nobody turns up to a meeting that silently vanished."""
    neighbourhood = _neighbourhood(force, code)
    if filters.when == "past":
        return meeting_selectors.past_meetings(neighbourhood)
    return meeting_selectors.upcoming_meetings(neighbourhood)


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-meeting",
    summary="One meeting: agenda, questions, minutes and action items",
)
def get_meeting(request: HttpRequest, meeting_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """The agenda is built by itself: open adopted priorities of its neighbourhoods, the most
    supported questions, action items of earlier meetings still open, and the team's items.
    Attendance is given as counts; names never."""
    return meeting_selectors.get_meeting(meeting_id)


# --- meetings: residents ------------------------------------------------------------------


@router.post(
    "/meetings/{meeting_id}/questions",
    response={201: MeetingQuestionOut, **WRITE},
    url_name="v1-meeting-questions",
    summary="Ask a question before a meeting (signed in)",
)
def ask_question(
    request: HttpRequest, body: QuestionIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Until the meeting starts; others may then support it onto the agenda."""
    meeting = meeting_selectors.get_meeting(meeting_id)
    question = meeting_services.ask_question(by=request.auth, meeting=meeting, text=body.text)
    return Status(201, _question(request, meeting, question.pk))


def _question(request: HttpRequest, meeting: Meeting, question_id: int) -> Any:
    """A visible question of the meeting with its support, as the reader sees it."""
    question = (
        meeting_selectors.questions_for(meeting, viewer=request.auth).filter(pk=question_id).first()
    )
    if question is None:
        raise NotFound(_("There is no such question."), field="question")
    return question


def _upvote(request: HttpRequest, meeting_id: int, question_id: int, support: bool) -> Any:
    meeting = meeting_selectors.get_meeting(meeting_id)
    question = _question(request, meeting, question_id)
    service = meeting_services.upvote_question if support else meeting_services.withdraw_upvote
    service(by=request.auth, question=question)
    question = _question(request, meeting, question_id)
    return {
        "question": question.pk,
        "upvote_count": question.upvote_count,
        "upvoted": question.upvoted,
    }


@router.post(
    "/meetings/{meeting_id}/questions/{question_id}/upvote",
    response={200: UpvoteOut, **WRITE},
    url_name="v1-question-upvote",
    summary="Support a question (signed in)",
)
def upvote(
    request: HttpRequest,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    question_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Once per person (again changes nothing), until the meeting starts."""
    return _upvote(request, meeting_id, question_id, support=True)


@router.delete(
    "/meetings/{meeting_id}/questions/{question_id}/upvote",
    response={200: UpvoteOut, **WRITE},
    url_name="v1-question-upvote",
    summary="Withdraw my support for a question (signed in)",
)
def withdraw_upvote(
    request: HttpRequest,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    question_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Until the meeting starts; withdrawing support one did not give changes nothing."""
    return _upvote(request, meeting_id, question_id, support=False)


# --- registrations for meetings and events ------------------------------------------------


REGISTER_RESPONSES = {
    200: RegisteredOut,
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    429: ErrorOut,
}


def _register(request: HttpRequest, gathering: Meeting | Event, body: RegistrationIn) -> Any:
    user = request.auth
    signed_in = is_signed_in(user)
    registration = registration_services.register(
        gathering=gathering,
        user=user if signed_in else None,
        email="" if signed_in else body.email,
        name="" if signed_in else body.name,
        language=_language(),
        client_address=client_address(request),
    )
    if not signed_in:
        # The status and the token go to the address only: anyone may type any address.
        return {
            "gathering": gathering,
            "detail": _(
                "Thank you. We have sent a message to the address you gave: it says whether "
                "you have a place, with a link to cancel."
            ),
            "status": None,
            "token": None,
        }
    waiting = registration.status == RegistrationStatus.WAITING
    return {
        "gathering": gathering,
        "detail": _("Every place is taken: you are on the waiting list.")
        if waiting
        else _("You are registered."),
        "status": registration.status,
        "token": registration.token,
    }


@router.post(
    "/meetings/{meeting_id}/registrations",
    response=REGISTER_RESPONSES,
    url_name="v1-meeting-registrations",
    summary="Register for a meeting (signed in, or with an e-mail address)",
)
def register_for_meeting(
    request: HttpRequest, body: RegistrationIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Signed in, nothing is needed and the answer says whether you have a place. Without a
    session give `email`: the confirmation, with the link to cancel, goes there and the
    answer says no more. Once places run out, people join a waiting list in order.
    Registering again answers the same registration. 400 when cancelled or over."""
    return _register(request, meeting_selectors.get_meeting(meeting_id), body)


@router.post(
    "/events/{event_id}/registrations",
    response=REGISTER_RESPONSES,
    url_name="v1-event-registrations",
    summary="Register for an event (signed in, or with an e-mail address)",
)
def register_for_event(
    request: HttpRequest, body: RegistrationIn, event_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """As for a meeting: signed in, the answer says whether you have a place; with an e-mail
    address, the confirmation and the link to cancel go to the address only."""
    return _register(request, event_selectors.get_event(event_id), body)


@router.get(
    "/me/registrations",
    response={200: list[RegistrationOut], 400: ErrorOut, 403: ErrorOut},
    url_name="v1-my-registrations",
    summary="My registrations (signed in)",
)
@paginate(Pages)
def list_my_registrations(request: HttpRequest) -> Any:
    """The meetings and events you registered for and did not cancel, in time order, each
    with its token to cancel it."""
    _require_signed_in(request, _("Sign in to see your registrations."))
    return registrations_of_person(request.auth)


@router.post(
    "/registrations/cancel",
    response={200: CancelledOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-registration-cancel",
    summary="Cancel a registration with its token",
)
def cancel_registration(request: HttpRequest, body: CancelRegistrationIn) -> Any:
    """With the token from the registration e-mail (in the body, never the URL, so it stays
    out of logs); the first person waiting gets the place. Cancelling twice changes nothing;
    400 once the meeting or event is over."""
    registration = registration_services.registration_by_token(body.token)
    return registration_services.cancel_registration(registration=registration)


# --- meetings: the team -------------------------------------------------------------------


def _also_for(neighbourhood: Neighbourhood, codes: list[str]) -> list[Neighbourhood]:
    """The other neighbourhoods chosen, each one the page would offer (the same sector)."""
    candidates = {n.code: n for n in meeting_selectors.joint_meeting_candidates(neighbourhood)}
    unknown = [code for code in codes if code not in candidates]
    if unknown:
        raise DomainError(
            _("%(code)s is not a neighbourhood of the same sector.") % {"code": unknown[0]},
            field="also_for",
            code="unknown",
        )
    return [candidates[code] for code in codes]


@router.post(
    f"{NEIGHBOURHOOD}/meetings",
    response={201: MeetingOut, **WRITE},
    url_name="v1-meeting-create",
    summary="Schedule a meeting (team)",
)
def create_meeting(
    request: HttpRequest,
    body: MeetingIn,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """In the future, for this neighbourhood and any others of its sector you also serve
    (`also_for`). An online meeting needs its link, any other a venue or an address."""
    neighbourhood = meeting_selectors.get_neighbourhood_for_meetings(request.auth, force, code)
    details = body.model_dump(exclude={"starts_at", "ends_at", "also_for"})
    meeting = meeting_services.create_meeting(
        by=request.auth,
        neighbourhoods=[neighbourhood, *_also_for(neighbourhood, body.also_for)],
        details=meeting_services.MeetingDetails(**details, original_language=_language()),
        starts_at=body.starts_at,
        ends_at=body.ends_at,
    )
    return Status(201, meeting_selectors.get_meeting(meeting.pk))


def _details(body: MeetingDetailsIn) -> meeting_services.MeetingDetails:
    fields = body.model_dump(include=set(MeetingDetailsIn.model_fields))
    return meeting_services.MeetingDetails(**fields, original_language=_language())


@router.post(
    f"{NEIGHBOURHOOD}/meeting-series",
    response={201: SeriesCreatedOut, **WRITE},
    url_name="v1-meeting-series-create",
    summary="Schedule a monthly series of meetings (team)",
)
def create_series(
    request: HttpRequest,
    body: SeriesIn,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """The same meeting on a weekday of the month ("the second Tuesday at 19:00"), scheduled
    up to `until` or twelve months ahead, whichever is sooner. Answers the series and the
    meetings made; each can then be moved or cancelled on its own."""
    neighbourhood = meeting_selectors.get_neighbourhood_for_meetings(request.auth, force, code)
    series, _meetings = meeting_services.create_series(
        by=request.auth,
        neighbourhood=neighbourhood,
        details=_details(body),
        weekday=body.weekday,
        week_of_month=body.week_of_month,
        start_time=body.start_time,
        duration_minutes=body.duration_minutes,
        until=body.until,
    )
    meetings = meeting_selectors.upcoming_meetings(neighbourhood).filter(series=series)
    return Status(201, {"series": series, "meetings": list(meetings)})


def _meeting_for_team(request: HttpRequest, meeting_id: int) -> Meeting:
    return meeting_selectors.get_meeting_for_team(request.auth, meeting_id)


@router.put(
    "/meetings/{meeting_id}/details",
    response={200: MeetingOut, **WRITE},
    url_name="v1-meeting-details",
    summary="Change what a meeting says about itself (team)",
)
def update_meeting(
    request: HttpRequest, body: MeetingDetailsIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Every detail but its time (move it for that): kind, title, place, languages, capacity
    and the rest, all given. A capacity below the places taken is refused; a higher one
    gives places to those waiting. 400 once it is cancelled."""
    meeting = meeting_services.update_meeting(
        by=request.auth, meeting=_meeting_for_team(request, meeting_id), details=_details(body)
    )
    return meeting_selectors.get_meeting(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/move",
    response={200: MeetingOut, **WRITE},
    url_name="v1-meeting-move",
    summary="Move a meeting (team)",
)
def move_meeting(
    request: HttpRequest, body: MoveIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """New times for a meeting that has not started; everyone registered is told once."""
    meeting = meeting_services.move_meeting(
        by=request.auth,
        meeting=_meeting_for_team(request, meeting_id),
        starts_at=body.starts_at,
        ends_at=body.ends_at,
    )
    return meeting_selectors.get_meeting(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/cancel",
    response={200: MeetingOut, **WRITE},
    url_name="v1-meeting-cancel",
    summary="Cancel a meeting (team)",
)
def cancel_meeting(
    request: HttpRequest, body: CancelIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """A meeting that has not started, with the reason; everyone registered is told.
    409 when already cancelled."""
    meeting = meeting_services.cancel_meeting(
        by=request.auth, meeting=_meeting_for_team(request, meeting_id), reason=body.reason
    )
    return meeting_selectors.get_meeting(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/attendance",
    response={200: MeetingOut, **WRITE},
    url_name="v1-meeting-attendance",
    summary="Record how many came (team)",
)
def record_attendance(
    request: HttpRequest, body: AttendanceIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Counts by how people came, once the meeting has started; they replace those recorded
    before (null or 0: nobody that way). Names are not taken here."""
    meeting = _meeting_for_team(request, meeting_id)
    meeting_services.record_attendance(by=request.auth, meeting=meeting, counts=body.model_dump())
    return meeting_selectors.get_meeting(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/minutes",
    response={200: MeetingOut, **WRITE},
    url_name="v1-meeting-minutes",
    summary="Publish a meeting's minutes (team)",
)
def publish_minutes(
    request: HttpRequest, body: MinutesIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """What was raised, answered and decided (at least one), once the meeting has started;
    publishing again corrects them."""
    meeting = meeting_services.publish_minutes(
        by=request.auth, meeting=_meeting_for_team(request, meeting_id), **body.model_dump()
    )
    return meeting_selectors.get_meeting(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/action-items",
    response={201: ActionItemOut, **WRITE},
    url_name="v1-meeting-action-items",
    summary="Add an action item (team)",
)
def add_action_item(
    request: HttpRequest, body: ActionItemIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """What the meeting decided someone will do by when; it is on later meetings' agendas
    until closed."""
    item = meeting_services.create_action_item(
        by=request.auth,
        meeting=_meeting_for_team(request, meeting_id),
        text=body.text,
        owner=body.owner,
        due_on=body.due_on,
        original_language=_language(),
    )
    return Status(201, item)


@router.post(
    "/meetings/{meeting_id}/action-items/{item_id}/close",
    response={200: ActionItemOut, **WRITE},
    url_name="v1-action-item-close",
    summary="Close an action item with what was done (team)",
)
def close_action_item(
    request: HttpRequest,
    body: CloseActionItemIn,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    item_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """It leaves the agenda and shows as done. 409 when already closed."""
    meeting = _meeting_for_team(request, meeting_id)
    item = meeting.action_items.filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("There is no such action item on this meeting."), field="item")
    return meeting_services.close_action_item(by=request.auth, item=item, outcome=body.outcome)


def _item_of(meeting: Meeting, related: str, item_id: int, field: str) -> Any:
    """One of the meeting's agenda items, named attendees or concerns; 404 for any other."""
    item = getattr(meeting, related).filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("There is no such item on this meeting."), field=field)
    return item


@router.post(
    "/meetings/{meeting_id}/agenda-items",
    response={201: AgendaItemOut, **WRITE},
    url_name="v1-meeting-agenda-items",
    summary="Add an item to a meeting's agenda (team)",
)
def add_agenda_item(
    request: HttpRequest, body: AgendaItemIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """After the items the agenda builds itself (priorities, questions, open actions)."""
    item = meeting_services.add_agenda_item(
        by=request.auth, meeting=_meeting_for_team(request, meeting_id), title=body.title
    )
    return Status(201, item)


@router.delete(
    "/meetings/{meeting_id}/agenda-items/{item_id}",
    response={200: MeetingOut, **WRITE},
    url_name="v1-meeting-agenda-item",
    summary="Remove an item the team added to an agenda (team)",
)
def remove_agenda_item(
    request: HttpRequest,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    item_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Only the team's own items: what the agenda builds itself leaves it by itself.
    Answers the meeting."""
    meeting = _meeting_for_team(request, meeting_id)
    item = _item_of(meeting, "agenda_items", item_id, "item")
    meeting_services.remove_agenda_item(by=request.auth, item=item)
    return meeting_selectors.get_meeting(meeting.pk)


def _team_question(request: HttpRequest, meeting: Meeting, question_id: int) -> Question:
    """Any question of the meeting, hidden ones too, with its support."""
    question = (
        meeting_selectors.questions_for(meeting, viewer=request.auth, include_hidden=True)
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise NotFound(_("There is no such question."), field="question")
    return question


@router.post(
    "/meetings/{meeting_id}/questions/{question_id}/answer",
    response={200: TeamQuestionOut, **WRITE},
    url_name="v1-question-answer",
    summary="Answer a question, publicly (team)",
)
def answer_question(
    request: HttpRequest,
    body: AnswerIn,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    question_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """The answer shows with the question; answering again replaces it."""
    meeting = _meeting_for_team(request, meeting_id)
    question = _team_question(request, meeting, question_id)
    meeting_services.answer_question(by=request.auth, question=question, answer=body.answer)
    return _team_question(request, meeting, question_id)


def _hide(request: HttpRequest, meeting_id: int, question_id: int, hidden: bool) -> Any:
    meeting = _meeting_for_team(request, meeting_id)
    question = _team_question(request, meeting, question_id)
    meeting_services.hide_question(by=request.auth, question=question, hidden=hidden)
    return _team_question(request, meeting, question_id)


@router.post(
    "/meetings/{meeting_id}/questions/{question_id}/hide",
    response={200: TeamQuestionOut, **WRITE},
    url_name="v1-question-hide",
    summary="Hide a question from the public list and the agenda (team)",
)
def hide_question(
    request: HttpRequest,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    question_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """An abusive or off-topic question; its support is kept. Hiding again changes nothing."""
    return _hide(request, meeting_id, question_id, hidden=True)


@router.post(
    "/meetings/{meeting_id}/questions/{question_id}/unhide",
    response={200: TeamQuestionOut, **WRITE},
    url_name="v1-question-unhide",
    summary="Put a hidden question back on the public list (team)",
)
def unhide_question(
    request: HttpRequest,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    question_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """With the support it had; showing a visible one changes nothing."""
    return _hide(request, meeting_id, question_id, hidden=False)


@router.post(
    "/meetings/{meeting_id}/attendees",
    response={201: NamedAttendeeOut, **WRITE},
    url_name="v1-meeting-attendees",
    summary="Put a name in a meeting's record, with consent (team)",
)
def add_named_attendee(
    request: HttpRequest, body: NamedAttendeeIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Once the meeting has started, and only when the person agreed (`consented` true;
    400 on it otherwise). Names are never published by the API."""
    attendee = meeting_services.add_named_attendee(
        by=request.auth,
        meeting=_meeting_for_team(request, meeting_id),
        name=body.name,
        consented=body.consented,
    )
    return Status(201, attendee)


@router.delete(
    "/meetings/{meeting_id}/attendees/{attendee_id}",
    response={200: MeetingOut, **WRITE},
    url_name="v1-meeting-attendee",
    summary="Take a name out of a meeting's record (team)",
)
def remove_named_attendee(
    request: HttpRequest,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    attendee_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """When someone withdraws their consent, say. Answers the meeting (which names nobody)."""
    meeting = _meeting_for_team(request, meeting_id)
    attendee = _item_of(meeting, "named_attendees", attendee_id, "attendee")
    meeting_services.remove_named_attendee(by=request.auth, attendee=attendee)
    return meeting_selectors.get_meeting(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/concerns",
    response={201: MeetingConcernOut, **WRITE},
    url_name="v1-meeting-concerns",
    summary="Note a concern raised at a meeting (team)",
)
def add_concern(
    request: HttpRequest, body: MeetingConcernIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Once the meeting has started; it can then become a candidate priority or a report."""
    concern = meeting_services.add_raised_concern(
        by=request.auth, meeting=_meeting_for_team(request, meeting_id), text=body.text
    )
    return Status(201, concern)


@router.post(
    "/meetings/{meeting_id}/concerns/{concern_id}/priority",
    response={201: MeetingConcernOut, **WRITE},
    url_name="v1-concern-priority",
    summary="Make a concern a candidate priority (team)",
)
def concern_to_priority(
    request: HttpRequest,
    body: MeetingConcernToPriorityIn,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    concern_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """A candidate (source: this meeting) of the current cycle of the first of the
    meeting's neighbourhoods you serve; 400 when no cycle takes candidates, 409 when the
    concern already became a priority or a report. Answers the concern with its `priority`."""
    meeting = _meeting_for_team(request, meeting_id)
    concern = _item_of(meeting, "concerns", concern_id, "concern")
    meeting_services.concern_to_priority(by=request.auth, concern=concern, title=body.title)
    return Status(201, _item_of(meeting, "concerns", concern_id, "concern"))


@router.post(
    "/meetings/{meeting_id}/concerns/{concern_id}/report",
    response={201: MeetingConcernOut, **WRITE},
    url_name="v1-concern-report",
    summary="File a concern as a report (team)",
)
def concern_to_report(
    request: HttpRequest,
    body: MeetingConcernToReportIn,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    concern_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """In one of the force's concern categories (its code; 400 on `category` for any other),
    in the meeting's first neighbourhood, with no reporter. 409 when the concern already
    became a priority or a report. Answers the concern with its `report_reference`."""
    meeting = _meeting_for_team(request, meeting_id)
    concern = _item_of(meeting, "concerns", concern_id, "concern")
    category = meeting_selectors.concern_categories(meeting).filter(code=body.category).first()
    if category is None:
        raise DomainError(
            _("Choose one of the force's concern categories."), field="category", code="unknown"
        )
    meeting_services.concern_to_report(by=request.auth, concern=concern, category=category)
    return Status(201, _item_of(meeting, "concerns", concern_id, "concern"))


def _registrants(request: HttpRequest, gathering: Meeting | Event) -> Any:
    # Names and addresses of residents: a staff view of personal data.
    kind = "meeting" if isinstance(gathering, Meeting) else "event"
    audit(actor=request.auth, action=f"{kind}.registrations_viewed", target=gathering)
    return registrations_of(gathering)


@router.get(
    "/meetings/{meeting_id}/registrants",
    response={200: list[RegistrantOut], **TEAM_READ},
    url_name="v1-meeting-registrants",
    summary="Who registered for a meeting (team)",
)
@paginate(Pages)
def list_meeting_registrants(
    request: HttpRequest, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Names and e-mail addresses, for organising this meeting only: those coming, then
    those waiting in order, then those who cancelled. Each read is audited."""
    return _registrants(request, _meeting_for_team(request, meeting_id))


# --- events -------------------------------------------------------------------------------


@router.get(
    f"{NEIGHBOURHOOD}/events",
    response={200: list[EventItemOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-events",
    summary="A neighbourhood's events, upcoming or past",
)
@paginate(Pages)
def list_events(
    request: HttpRequest,
    filters: Query[WhenQuery],
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Upcoming events include cancelled ones, marked so; past ones are those that took
    place."""
    neighbourhood = _neighbourhood(force, code)
    if filters.when == "past":
        return event_selectors.past_events(neighbourhood)
    return event_selectors.upcoming_events(neighbourhood)


@router.get(
    "/events/{event_id}",
    response={200: EventOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-event",
    summary="One event, with the places left",
)
def get_event(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Its time, place, organiser, places left and waiting list, and photos after it."""
    return event_selectors.get_event(event_id)


@router.post(
    f"{NEIGHBOURHOOD}/events",
    response={201: EventOut, **WRITE},
    url_name="v1-event-create",
    summary="Put an event on a neighbourhood's page (team)",
)
def create_event(
    request: HttpRequest,
    body: EventIn,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """In the future, saying where: a venue, an address or an online link."""
    event = event_services.create_event(
        by=request.auth,
        neighbourhoods=[_neighbourhood(force, code)],
        details=event_services.EventDetails(**body.model_dump()),
        language=_language(),
    )
    return Status(201, event_selectors.get_event(event.pk))


@router.post(
    "/events/{event_id}/move",
    response={200: EventOut, **WRITE},
    url_name="v1-event-move",
    summary="Move an event (team)",
)
def move_event(
    request: HttpRequest, body: EventMoveIn, event_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """To another time, and place when given; everyone registered is told once."""
    event = event_services.move_event(
        event=event_selectors.get_event_for_manager(request.auth, event_id),
        by=request.auth,
        **body.model_dump(),
    )
    return event_selectors.get_event(event.pk)


@router.post(
    "/events/{event_id}/cancel",
    response={200: EventOut, **WRITE},
    url_name="v1-event-cancel",
    summary="Cancel an event (team)",
)
def cancel_event(
    request: HttpRequest, body: CancelIn, event_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """With a reason everyone registered is sent, once; 400 when it is over or cancelled."""
    event = event_services.cancel_event(
        event=event_selectors.get_event_for_manager(request.auth, event_id),
        by=request.auth,
        reason=body.reason,
    )
    return event_selectors.get_event(event.pk)


@router.put(
    "/events/{event_id}/details",
    response={200: EventOut, **WRITE},
    url_name="v1-event-details",
    summary="Change an event (team)",
)
def update_event(
    request: HttpRequest, body: EventIn, event_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Everything it says, all given. A new time or place is a move: everyone registered is
    told once. A capacity below the places taken is refused; a higher one gives places to
    those waiting. 400 once it is over or cancelled."""
    event = event_services.update_event(
        event=event_selectors.get_event_for_manager(request.auth, event_id),
        by=request.auth,
        details=event_services.EventDetails(**body.model_dump()),
    )
    return event_selectors.get_event(event.pk)


@router.post(
    "/events/{event_id}/photos",
    response={201: EventPhotoOut, **WRITE},
    url_name="v1-event-photos",
    summary="Add a photo after an event (team, multipart)",
)
def add_event_photo(
    request: HttpRequest,
    photo: File[UploadedFile],
    caption: Form[str] = "",
    event_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """As multipart/form-data: a `photo` (JPEG, PNG or WebP, checked by its content and
    re-encoded without any metadata) and an optional `caption`. Once the event is over;
    photos are public."""
    stored = event_services.add_event_photo(
        event=event_selectors.get_event_for_manager(request.auth, event_id),
        by=request.auth,
        upload=photo,
        caption=caption,
    )
    return Status(201, stored)


@router.get(
    "/events/{event_id}/registrants",
    response={200: list[RegistrantOut], **TEAM_READ},
    url_name="v1-event-registrants",
    summary="Who registered for an event (team)",
)
@paginate(Pages)
def list_event_registrants(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Names and e-mail addresses, for organising this event only: those coming, then those
    waiting in order, then those who cancelled. Each read is audited."""
    return _registrants(request, event_selectors.get_event_for_manager(request.auth, event_id))


# --- translations -------------------------------------------------------------------------

TRANSLATABLE_KIND = r"^(priority|update|meeting|action-item|event)$"


@router.post(
    "/translations/{kind}/{item_id}",
    response={200: TranslationOut, **WRITE},
    url_name="v1-translation",
    summary="Translate a priority, update, meeting, action item or event (team)",
)
def translate(
    request: HttpRequest,
    body: TranslationIn,
    kind: str = Path(..., pattern=TRANSLATABLE_KIND),
    item_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """`kind` is priority, update (a priority's progress), meeting (with its minutes),
    action-item or event. The texts are those of the item's fields that have an original
    (400 on any other field); the language is one of the site's or one its neighbourhoods
    speak, never the one it was written in (400 on `language`). Readers asking for that
    language then get these texts."""
    item = translation_selectors.get_translatable_for_manager(request.auth, kind, item_id)
    item = set_translation(by=request.auth, item=item, language=body.language, texts=body.texts)
    language = translation_selectors.base_language(body.language)
    texts = item.translation_in(language)
    return {"kind": kind, "id": item.pk, "language": language, "texts": texts}
