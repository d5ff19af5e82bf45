"""The shapes of community voice in Beatbridge's own API: priorities, meetings, events and
registrations, what comes in and what each reader gets.

People's content (titles, descriptions, minutes, plans) is given in the language of
Accept-Language where a translation exists, else as written; ``in_original_language``
says when it fell back. What depends on the reader (vote totals, a person's own votes
and registrations, which questions they support) is read through the same selectors as
the pages, with the request's person. Nothing names a resident: no proposer, no asker,
no registrant's address, and a registration's token only to its own account.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema
from pydantic import AwareDatetime, field_validator

from beatbridge.voice.models import (
    ActionItem,
    AttendanceMethod,
    Cycle,
    Event,
    EventPhoto,
    Meeting,
    MeetingSeries,
    Priority,
    PriorityUpdate,
    Question,
    RaisedConcern,
    Registration,
    Residency,
)
from beatbridge.voice.selectors import meetings as meeting_selectors
from beatbridge.voice.selectors import priorities as priority_selectors
from beatbridge.voice.selectors.registrations import availability_of, registration_of
from beatbridge.web.models import TranslatedContent


def _viewer(context: dict[str, Any]) -> Any:
    """The person the answer is for (AnonymousUser without a session)."""
    return context["request"].auth


def _in_original(obj: TranslatedContent, field: str) -> bool:
    return bool(getattr(obj, field)) and not obj.has_translation(field)


# --- shared pieces ------------------------------------------------------------------------


class VoiceNeighbourhoodOut(Schema):
    force: str
    id: str
    name: str

    @staticmethod
    def resolve_force(obj: Any) -> str:
        return obj.force.slug

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return obj.code


class WhenQuery(Schema):
    when: Literal["upcoming", "past"] = Field(
        "upcoming", description="upcoming (soonest first) or past (latest first)."
    )


class AvailabilityOut(Schema):
    capacity: int | None = Field(description="null: no limit.")
    confirmed: int = Field(description="People with a place.")
    waiting: int = Field(description="People on the waiting list.")
    places_left: int | None = Field(description="null: no limit.")
    is_full: bool = Field(description="A new registration joins the waiting list.")


class MyRegistrationOut(Schema):
    """The signed-in person's own registration for a meeting or an event."""

    status: str = Field(description="confirmed, waiting or cancelled.")
    status_name: str
    token: str = Field(
        description="Cancels it with POST /registrations/cancel. Given to its account only."
    )

    @staticmethod
    def resolve_status_name(obj: Registration) -> str:
        return str(obj.get_status_display())


def _my_registration(gathering: Meeting | Event, context: dict[str, Any]) -> Registration | None:
    return registration_of(gathering, _viewer(context))


# --- priorities ---------------------------------------------------------------------------


class CycleOut(Schema):
    """A period in which a neighbourhood proposes, votes on and works on priorities."""

    id: int
    title: str
    phase: str = Field(description="upcoming, proposing, voting, deciding or closed.")
    phase_name: str
    starts_on: datetime.date = Field(description="Proposals are taken from this day.")
    voting_opens_on: datetime.date
    voting_closes_on: datetime.date = Field(description="The last day of voting.")
    ends_on: datetime.date
    votes_per_person: int
    max_adopted: int = Field(description="Priorities the team adopts at most.")
    requires_verified_residency: bool = Field(
        description="Votes and proposals need a residency the team has confirmed."
    )

    @staticmethod
    def resolve_phase(obj: Cycle) -> str:
        return str(obj.phase())

    @staticmethod
    def resolve_phase_name(obj: Cycle) -> str:
        return obj.get_phase_display()


class VoteTotalsOut(Schema):
    online: int
    meeting: int = Field(description="Hands counted at meetings.")
    total: int


class _PriorityBase(Schema):
    id: int
    title: str
    description: str
    place: str
    in_original_language: bool = Field(description="No translation into the language asked for.")
    source: str = Field(description="resident, team, report, meeting or crime_data.")
    source_name: str
    status: str = Field(description="proposed, adopted, not_adopted, delivered or not_delivered.")
    status_name: str

    @staticmethod
    def resolve_title(obj: Priority) -> str:
        return obj.translated("title")

    @staticmethod
    def resolve_description(obj: Priority) -> str:
        return obj.translated("description")

    @staticmethod
    def resolve_in_original_language(obj: Priority) -> bool:
        return _in_original(obj, "title")

    @staticmethod
    def resolve_source_name(obj: Priority) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_status_name(obj: Priority) -> str:
        return str(obj.get_status_display())


VOTES_DOC = "Public once voting closes; the team sees them always. null otherwise."


class CandidateOut(_PriorityBase):
    """A candidate priority of a cycle, as the cycle's list shows it."""

    votes: VoteTotalsOut | None = Field(description=VOTES_DOC)

    @staticmethod
    def resolve_votes(obj: Priority) -> dict[str, int] | None:
        # Annotated by candidates_of(with_totals=True) only when the reader may see them.
        if not hasattr(obj, "total_votes"):
            return None
        return {"online": obj.online_votes, "meeting": obj.meeting_votes, "total": obj.total_votes}


class CycleDetailOut(CycleOut):
    totals_shown: bool = Field(description="Whether the candidates carry their vote totals.")
    candidates: list[CandidateOut] = Field(
        description="With totals: the most voted first; without: in the order they came."
    )

    @staticmethod
    def resolve_totals_shown(obj: Cycle, context: dict[str, Any]) -> bool:
        return priority_selectors.shows_totals(obj, _viewer(context))

    @staticmethod
    def resolve_candidates(obj: Cycle, context: dict[str, Any]) -> list[Priority]:
        with_totals = priority_selectors.shows_totals(obj, _viewer(context))
        return list(priority_selectors.candidates_of(obj, with_totals=with_totals))


class CycleRefOut(Schema):
    id: int
    title: str


class PriorityOut(_PriorityBase):
    """A priority with the team's decision: the reason it was not adopted, or its plan and
    outcome. ``adopted_at`` and ``closed_at`` are police.uk's issue-date and action-date."""

    cycle: CycleRefOut
    decision_reason: str = Field(description="Why it was not adopted: public.")
    action_plan: str
    action_owner: str
    action_due_on: datetime.date | None
    adopted_at: datetime.datetime | None
    outcome: str = Field(description="What was done and what changed (the “we did”).")
    closed_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_decision_reason(obj: Priority) -> str:
        return obj.translated("decision_reason")

    @staticmethod
    def resolve_action_plan(obj: Priority) -> str:
        return obj.translated("action_plan")

    @staticmethod
    def resolve_outcome(obj: Priority) -> str:
        return obj.translated("outcome")


class PriorityUpdateOut(Schema):
    id: int
    text: str
    in_original_language: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_text(obj: PriorityUpdate) -> str:
        return obj.translated("text")

    @staticmethod
    def resolve_in_original_language(obj: PriorityUpdate) -> bool:
        return _in_original(obj, "text")


class TakenOnOut(PriorityOut):
    updates: list[PriorityUpdateOut] = Field(description="The team's progress, oldest first.")

    @staticmethod
    def resolve_updates(obj: Priority) -> list[PriorityUpdate]:
        # Prefetched by you_said_we_did.
        return list(obj.updates.all())


class PriorityDetailOut(TakenOnOut):
    neighbourhood: VoiceNeighbourhoodOut
    votes: VoteTotalsOut | None = Field(description=VOTES_DOC)

    @staticmethod
    def resolve_neighbourhood(obj: Priority) -> Any:
        return obj.cycle.neighbourhood

    @staticmethod
    def resolve_votes(obj: Priority, context: dict[str, Any]) -> dict[str, int] | None:
        if not priority_selectors.shows_totals(obj.cycle, _viewer(context)):
            return None
        return priority_selectors.totals_of(obj)


class YouSaidWeDidOut(Schema):
    """A neighbourhood's public account: what was taken on and done, and what was not, and why."""

    taken_on: list[TakenOnOut] = Field(
        description="Adopted, delivered and not delivered priorities, the latest adopted first."
    )
    not_taken_on: list[PriorityOut] = Field(
        description="Candidates not adopted, each with the reason."
    )


class BallotOut(Schema):
    """The signed-in person's standing in a cycle."""

    cycle: int
    has_declared_residency: bool
    residency_verified: bool
    counts_as_resident: bool = Field(description="May propose and vote in this cycle.")
    votes_per_person: int
    votes_left: int
    voted_for: list[int] = Field(description="Ids of the candidates they voted for online.")


class ResidencyOut(Schema):
    neighbourhood: VoiceNeighbourhoodOut
    declared_at: datetime.datetime
    verified: bool

    @staticmethod
    def resolve_verified(obj: Any) -> bool:
        return obj.verified_at is not None


class PriorityProposalIn(Schema):
    title: str = Field(description="The problem and where, e.g. “Speeding on Rainier Ave at 8am”.")
    description: str = ""
    place: str = ""


class CandidateIn(PriorityProposalIn):
    source: str = Field(description="team, report, meeting or crime_data.")
    source_reference: str = Field(
        "",
        description="Report references separated by commas, a meeting's id, or the crime "
        "figures drawn on; optional for team.",
    )


class CycleIn(Schema):
    title: str
    starts_on: datetime.date
    voting_opens_on: datetime.date
    voting_closes_on: datetime.date
    ends_on: datetime.date
    votes_per_person: int = Field(3, le=2**15 - 1)
    max_adopted: int = Field(3, le=2**15 - 1)
    requires_verified_residency: bool = False


class MeetingVotesIn(Schema):
    priority: int = Field(ge=1, le=2**31 - 1, description="A candidate of this cycle.")
    meeting: int = Field(ge=1, le=2**31 - 1, description="A meeting held while voting was open.")
    count: int = Field(le=2**31 - 1, description="Hands raised.")


class AdoptIn(Schema):
    action_plan: str = Field(description="What the team will do.")
    action_owner: str = Field(description="Who will do it.")
    action_due_on: datetime.date = Field(description="By when; not before voting closed.")


class DeclineIn(Schema):
    reason: str = Field(description="Why it is not adopted: shown publicly.")


class PriorityUpdateIn(Schema):
    text: str


class ClosePriorityIn(Schema):
    status: str = Field(description="delivered or not_delivered.")
    outcome: str = Field(description="What was done and what changed: shown publicly.")


class ResidencyToConfirmOut(Schema):
    """A declared residency waiting for the team to confirm it: the person's name and address
    are shown to the team only, and each read is audited."""

    id: int
    name: str
    email: str
    declared_at: datetime.datetime
    verified_at: datetime.datetime | None = Field(description="null until confirmed.")

    @staticmethod
    def resolve_name(obj: Residency) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj: Residency) -> str:
        return obj.user.email


class VerifyResidencyIn(Schema):
    residency: int = Field(
        ge=1, le=2**31 - 1, description="A residency of the cycle's neighbourhood to confirm."
    )


# --- meetings -----------------------------------------------------------------------------


class _GatheringOut(Schema):
    id: int
    title: str
    in_original_language: bool = Field(description="No translation into the language asked for.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue_name: str
    address: str
    online_url: str
    is_cancelled: bool
    calendar_url: str = Field(description="An iCalendar (RFC 5545) file of it.")

    @staticmethod
    def resolve_title(obj: Meeting | Event) -> str:
        return obj.translated("title")

    @staticmethod
    def resolve_in_original_language(obj: Meeting | Event) -> bool:
        return _in_original(obj, "title")


class MeetingItemOut(_GatheringOut):
    kind: str = Field(description="beat, forum or online.")
    kind_name: str
    neighbourhoods: list[VoiceNeighbourhoodOut]

    @staticmethod
    def resolve_kind_name(obj: Meeting) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_neighbourhoods(obj: Meeting) -> list[Any]:
        return list(obj.neighbourhoods.all())

    @staticmethod
    def resolve_calendar_url(obj: Meeting) -> str:
        return reverse("voice:meeting_ics", kwargs={"pk": obj.pk})


class AgendaPriorityOut(Schema):
    id: int
    title: str
    action_owner: str
    action_due_on: datetime.date | None

    @staticmethod
    def resolve_title(obj: Priority) -> str:
        return obj.translated("title")


class MeetingQuestionOut(Schema):
    id: int
    text: str
    answer: str
    upvote_count: int
    upvoted: bool = Field(description="Whether the signed-in person supports it.")
    created_at: datetime.datetime


class ActionItemOut(Schema):
    id: int
    meeting: int = Field(description="The meeting that decided it.")
    text: str
    in_original_language: bool
    owner: str
    due_on: datetime.date
    done_at: datetime.datetime | None
    outcome: str

    @staticmethod
    def resolve_meeting(obj: ActionItem) -> int:
        return obj.meeting_id

    @staticmethod
    def resolve_text(obj: ActionItem) -> str:
        return obj.translated("text")

    @staticmethod
    def resolve_in_original_language(obj: ActionItem) -> bool:
        return _in_original(obj, "text")


class AgendaItemOut(Schema):
    id: int
    title: str


class AgendaOut(Schema):
    """Built by itself: open adopted priorities, the most supported questions, action items
    of earlier meetings still open, then the team's own items."""

    priorities: list[AgendaPriorityOut]
    questions: list[MeetingQuestionOut]
    action_items: list[ActionItemOut]
    items: list[AgendaItemOut]


class MinutesOut(Schema):
    raised: str
    answered: str
    decided: str
    in_original_language: bool
    published_at: datetime.datetime


class AttendanceOut(Schema):
    method: str = Field(description="in_person, online or phone.")
    method_name: str
    count: int


class _GatheringTextsOut(Schema):
    """What a meeting's or an event's page says about it, in the reader's language."""

    description: str
    accessibility: str

    @staticmethod
    def resolve_description(obj: Meeting | Event) -> str:
        return obj.translated("description")

    @staticmethod
    def resolve_accessibility(obj: Meeting | Event) -> str:
        return obj.translated("accessibility")


class MeetingOut(MeetingItemOut, _GatheringTextsOut):
    """One meeting, everything the public may know of it."""

    languages: list[str] = Field(description="Language codes the meeting is held in.")
    interpretation: list[str] = Field(description="Language codes interpreters cover.")
    childcare: bool
    capacity: int | None
    contact_details: str
    cancellation_reason: str
    availability: AvailabilityOut
    agenda: AgendaOut
    questions: list[MeetingQuestionOut] = Field(
        description="Visible questions, the most supported first."
    )
    minutes: MinutesOut | None = Field(description="null until published.")
    attendance: list[AttendanceOut] = Field(description="Counts only; names are never given.")
    action_items: list[ActionItemOut] = Field(description="What this meeting decided.")
    my_registration: MyRegistrationOut | None = Field(description="Signed in: yours, if any.")

    @staticmethod
    def resolve_availability(obj: Meeting) -> Any:
        return availability_of(obj)

    @staticmethod
    def resolve_agenda(obj: Meeting) -> Any:
        return meeting_selectors.agenda_for(obj)

    @staticmethod
    def resolve_questions(obj: Meeting, context: dict[str, Any]) -> list[Question]:
        return list(meeting_selectors.questions_for(obj, viewer=_viewer(context)))

    @staticmethod
    def resolve_minutes(obj: Meeting) -> dict[str, Any] | None:
        if obj.minutes_published_at is None:
            return None
        return {
            "raised": obj.translated("minutes_raised"),
            "answered": obj.translated("minutes_answered"),
            "decided": obj.translated("minutes_decided"),
            "in_original_language": any(
                _in_original(obj, field)
                for field in ("minutes_raised", "minutes_answered", "minutes_decided")
            ),
            "published_at": obj.minutes_published_at,
        }

    @staticmethod
    def resolve_attendance(obj: Meeting) -> list[dict[str, Any]]:
        counts = meeting_selectors.attendance_of(obj)
        return [
            {"method": method, "method_name": str(label), "count": counts[method]}
            for method, label in AttendanceMethod.choices
            if method in counts
        ]

    @staticmethod
    def resolve_action_items(obj: Meeting) -> list[ActionItem]:
        return meeting_selectors.action_items_of(obj)

    resolve_my_registration = staticmethod(_my_registration)


class QuestionIn(Schema):
    text: str


class UpvoteOut(Schema):
    question: int
    upvote_count: int
    upvoted: bool


class MeetingDetailsIn(Schema):
    kind: str = Field(description="beat, forum or online.")
    title: str
    description: str = ""
    venue_name: str = Field("", description="A venue or an address, unless online.")
    address: str = ""
    accessibility: str = ""
    online_url: str = Field("", description="Needed for an online meeting.")
    contact_details: str = ""
    languages: list[str] = Field(default_factory=list, description="Language codes: en, es.")
    interpretation: list[str] = Field(default_factory=list, description="Language codes.")
    childcare: bool = False
    capacity: int | None = Field(None, le=2**31 - 1, description="null: no limit.")


class MeetingIn(MeetingDetailsIn):
    starts_at: AwareDatetime = Field(description="With its UTC offset; in the future.")
    ends_at: AwareDatetime
    also_for: list[str] = Field(
        default_factory=list,
        description="Ids of other neighbourhoods of the same sector the meeting is also for.",
    )


class MoveIn(Schema):
    starts_at: AwareDatetime = Field(description="With its UTC offset; in the future.")
    ends_at: AwareDatetime


class CancelIn(Schema):
    reason: str = Field(description="Shown publicly and sent to everyone registered.")


class AttendanceIn(Schema):
    """People who came, by how they came; the counts given replace those recorded before."""

    in_person: int | None = Field(None, le=2**31 - 1)
    online: int | None = Field(None, le=2**31 - 1)
    phone: int | None = Field(None, le=2**31 - 1)


class MinutesIn(Schema):
    raised: str = ""
    answered: str = ""
    decided: str = ""


class ActionItemIn(Schema):
    text: str
    owner: str = Field(description="Who will do it.")
    due_on: datetime.date = Field(description="Not before the meeting.")


class CloseActionItemIn(Schema):
    outcome: str = Field(description="What was done.")


class AgendaItemIn(Schema):
    title: str = Field(description="An item the team adds after those the agenda builds itself.")


class TeamQuestionOut(MeetingQuestionOut):
    """A question as the team sees it: hidden ones too."""

    is_hidden: bool = Field(description="Off the public list and the agenda.")


class AnswerIn(Schema):
    answer: str = Field(description="The team's public answer.")


class NamedAttendeeIn(Schema):
    name: str
    consented: bool = Field(
        description="They agreed to have their name in the meeting's record: must be true."
    )


class NamedAttendeeOut(Schema):
    id: int
    name: str
    consented_at: datetime.datetime


class MeetingConcernIn(Schema):
    text: str = Field(description="A concern raised at the meeting.")


class MeetingConcernOut(Schema):
    id: int
    text: str
    priority: int | None = Field(description="The candidate priority it became, if any.")
    report_reference: str = Field(description="The report it became, if any; else empty.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_priority(obj: RaisedConcern) -> int | None:
        return obj.priority_id


class MeetingConcernToPriorityIn(Schema):
    title: str = Field("", description="The problem, in a line; empty: the concern's first words.")


class MeetingConcernToReportIn(Schema):
    category: str = Field(
        max_length=64,
        description="The code of one of the force's concern categories "
        "(GET /forces/{force}/report-categories).",
    )


class SeriesIn(MeetingDetailsIn):
    week_of_month: int = Field(description="1 to 4, or -1 for the last.")
    weekday: int = Field(description="1 (Monday) to 7 (Sunday).")
    start_time: datetime.time = Field(
        description="Local time in the site's time zone (`time_zone` in the answer), without "
        "an offset: a monthly meeting keeps its hour across summer time."
    )
    duration_minutes: int = Field(90, description="15 to 600.")
    until: datetime.date | None = Field(
        None, description="The last day of the series; null: the next twelve months."
    )

    @field_validator("start_time")
    @classmethod
    def _local(cls, value: datetime.time) -> datetime.time:
        if value.tzinfo is not None:
            raise ValueError("Give the local time without an offset.")
        return value


class SeriesOut(Schema):
    id: int
    title: str
    kind: str
    week_of_month: int
    weekday: int
    start_time: datetime.time
    time_zone: str = Field(description="The zone start_time is in.")
    duration_minutes: int
    until: datetime.date | None

    @staticmethod
    def resolve_time_zone(obj: MeetingSeries) -> str:
        return settings.TIME_ZONE


class SeriesCreatedOut(Schema):
    """A monthly series and the meetings it scheduled; each can then be moved or cancelled."""

    series: SeriesOut
    meetings: list[MeetingItemOut] = Field(description="Soonest first.")


# --- events -------------------------------------------------------------------------------


class EventItemOut(_GatheringOut):
    kind: str = Field(
        description="block_party, clean_up, sports, youth, open_day, academy_graduation or other."
    )
    kind_name: str
    organiser: str

    @staticmethod
    def resolve_kind_name(obj: Event) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_calendar_url(obj: Event) -> str:
        return reverse("voice:event_ics", kwargs={"pk": obj.pk})


class EventPhotoOut(Schema):
    id: int
    url: str
    caption: str
    width: int
    height: int

    @staticmethod
    def resolve_url(obj: EventPhoto) -> str:
        return reverse("voice:event_photo", kwargs={"pk": obj.event_id, "photo_id": obj.pk})


class EventOut(EventItemOut, _GatheringTextsOut):
    capacity: int | None
    contact_details: str
    cancellation_reason: str
    neighbourhoods: list[VoiceNeighbourhoodOut]
    availability: AvailabilityOut
    photos: list[EventPhotoOut] = Field(description="From after the event.")
    my_registration: MyRegistrationOut | None = Field(description="Signed in: yours, if any.")

    @staticmethod
    def resolve_neighbourhoods(obj: Event) -> list[Any]:
        return list(obj.neighbourhoods.all())

    @staticmethod
    def resolve_availability(obj: Event) -> Any:
        return availability_of(obj)

    @staticmethod
    def resolve_photos(obj: Event) -> list[EventPhoto]:
        return list(obj.photos.all())

    resolve_my_registration = staticmethod(_my_registration)


class EventIn(Schema):
    title: str
    kind: str = Field(
        description="block_party, clean_up, sports, youth, open_day, academy_graduation or other."
    )
    organiser: str = Field(description="The team or the partner organisation that runs it.")
    starts_at: AwareDatetime = Field(description="With its UTC offset; in the future.")
    ends_at: AwareDatetime
    description: str = ""
    venue_name: str = Field("", description="A venue, an address or an online link.")
    address: str = ""
    accessibility: str = ""
    online_url: str = ""
    capacity: int | None = Field(None, le=2**31 - 1, description="null: no limit.")
    contact_details: str = ""


class EventMoveIn(MoveIn):
    venue_name: str | None = Field(None, description="A new venue; null keeps it.")
    address: str | None = Field(None, description="A new address; null keeps it.")


class RegistrantOut(Schema):
    """Someone registered for a meeting or an event, for its team only (each read is audited)."""

    id: int
    name: str = Field(description="Their account's name, or the name they gave; may be empty.")
    email: str
    status: str = Field(description="confirmed, waiting or cancelled.")
    status_name: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_name(obj: Registration) -> str:
        if obj.user_id:
            return obj.user.full_name or obj.name
        return obj.name

    @staticmethod
    def resolve_email(obj: Registration) -> str:
        return obj.user.email if obj.user_id else obj.email

    @staticmethod
    def resolve_status_name(obj: Registration) -> str:
        return str(obj.get_status_display())


# --- registrations ------------------------------------------------------------------------


class RegistrationIn(Schema):
    """Signed in, nothing is needed; anyone else gives an e-mail address."""

    email: str = Field("", description="Without a session: where the confirmation goes.")
    name: str = Field("", description="Without a session: an optional name.")


class GatheringRefOut(Schema):
    kind: str = Field(description="meeting or event.")
    id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_cancelled: bool

    @staticmethod
    def resolve_kind(obj: Meeting | Event) -> str:
        return "meeting" if isinstance(obj, Meeting) else "event"

    @staticmethod
    def resolve_title(obj: Meeting | Event) -> str:
        return obj.translated("title")


class RegisteredOut(Schema):
    """The answer to a registration. Without a session it says only that a message was sent:
    the status and the link to cancel go to the address, so nobody learns them by typing
    someone else's address."""

    gathering: GatheringRefOut
    detail: str
    status: str | None = Field(description="Signed in: confirmed or waiting. null otherwise.")
    token: str | None = Field(description="Signed in: cancels it. null otherwise.")


class RegistrationOut(Schema):
    """A signed-in person's registration."""

    gathering: GatheringRefOut
    status: str = Field(description="confirmed, waiting or cancelled.")
    status_name: str
    token: str = Field(description="Cancels it with POST /registrations/cancel.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_gathering(obj: Registration) -> Any:
        return obj.gathering

    @staticmethod
    def resolve_status_name(obj: Registration) -> str:
        return str(obj.get_status_display())


class CancelRegistrationIn(Schema):
    token: str = Field(max_length=64, description="From the link in the registration e-mail.")


class CancelledOut(Schema):
    gathering: GatheringRefOut
    status: str
    status_name: str

    @staticmethod
    def resolve_gathering(obj: Registration) -> Any:
        return obj.gathering

    @staticmethod
    def resolve_status_name(obj: Registration) -> str:
        return str(obj.get_status_display())


# --- translations -------------------------------------------------------------------------


class TranslationIn(Schema):
    language: str = Field(
        max_length=16,
        description="A language of the site or one the neighbourhood speaks, not the one the "
        "item was written in.",
    )
    texts: dict[str, str] = Field(
        description="Translated texts by field (title, description, …); an empty text removes "
        "that field's translation, fields left out keep theirs."
    )


class TranslationOut(Schema):
    kind: str
    id: int
    language: str = Field(description="The language it is stored under (zh-hant as zh).")
    texts: dict[str, str] = Field(description="Every text now translated into it.")
