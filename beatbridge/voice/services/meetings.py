"""Community meetings: scheduling, questions, attendance, minutes and what follows from them.

Every staff action needs someone who may manage one of the meeting's neighbourhoods
(creating one needs all of them) and writes an audit entry in its own transaction.
Registrants are written to through the registrations service, on commit.
"""

from __future__ import annotations

import calendar
import datetime
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.audit.services import record as audit
from beatbridge.errors import Conflict, DomainError, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.voice.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceMethod,
    Meeting,
    MeetingKind,
    MeetingSeries,
    NamedAttendee,
    Priority,
    PrioritySource,
    Question,
    QuestionVote,
    RaisedConcern,
    RegistrantMessage,
)
from beatbridge.voice.permissions import can_manage, can_manage_any, is_signed_in
from beatbridge.voice.services.registrations import (
    check_capacity,
    check_capacity_change,
    fill_free_places,
)
from beatbridge.web.languages import clean_language_codes
from beatbridge.web.validation import clean_text

if TYPE_CHECKING:
    from beatbridge.reports.models import Category, Report

QUESTION_MAX = 1000
# A resident's questions per meeting: enough to ask, too few to flood the agenda.
QUESTIONS_PER_PERSON = 5
ANSWER_MAX = 5000
MINUTES_PART_MAX = 20000
CONCERN_MAX = 2000
ACTION_MAX = 2000
REASON_MAX = 2000
ATTENDANCE_MAX = 100_000
# A series is scheduled a year ahead; the team extends it with a new series after that.
SERIES_MONTHS_AHEAD = 12
SERIES_DURATION_MINUTES = (15, 600)
WEEKS_OF_MONTH = (1, 2, 3, 4, -1)


@dataclass(frozen=True)
class MeetingDetails:
    """What a meeting says about itself, apart from its time: the same for one or a series."""

    kind: str
    title: str
    description: str = ""
    venue_name: str = ""
    address: str = ""
    accessibility: str = ""
    online_url: str = ""
    contact_details: str = ""
    languages: Sequence[str] = field(default_factory=list)
    interpretation: Sequence[str] = field(default_factory=list)
    childcare: bool = False
    capacity: int | None = None
    original_language: str = ""


# --- checks -------------------------------------------------------------------------------


def _require_team(by: Any, meeting: Meeting) -> None:
    if not can_manage_any(by, list(meeting.neighbourhoods.all())):
        raise PermissionDenied(_("Only the neighbourhood's team may do this."))


def _clean_details(details: MeetingDetails) -> dict[str, Any]:
    """The stored fields of ``details``, or DomainError on the first field at fault."""
    if details.kind not in MeetingKind.values:
        raise DomainError(_("Choose what kind of meeting this is."), field="kind")
    online_url = (details.online_url or "").strip()
    if online_url:
        try:
            URLValidator(schemes=["https", "http"])(online_url)
        except ValidationError:
            raise DomainError(
                _("Give the online link as a web address starting with https://."),
                field="online_url",
            ) from None
    if details.kind == MeetingKind.ONLINE and not online_url:
        raise DomainError(_("An online meeting needs its online link."), field="online_url")
    venue_name = clean_text(
        details.venue_name, field="venue_name", label=_("the venue"), max_length=200, required=False
    )
    address = clean_text(
        details.address, field="address", label=_("the address"), max_length=300, required=False
    )
    if details.kind != MeetingKind.ONLINE and not (venue_name or address):
        raise DomainError(_("Say where the meeting is: a venue or an address."), field="venue_name")
    check_capacity(details.capacity)
    return {
        "kind": details.kind,
        "title": clean_text(
            details.title, field="title", label=_("a title"), max_length=200, required=True
        ),
        "description": clean_text(
            details.description,
            field="description",
            label=_("the description"),
            max_length=5000,
            required=False,
        ),
        "venue_name": venue_name,
        "address": address,
        "accessibility": clean_text(
            details.accessibility,
            field="accessibility",
            label=_("the accessibility information"),
            max_length=2000,
            required=False,
        ),
        "online_url": online_url,
        "contact_details": clean_text(
            details.contact_details,
            field="contact_details",
            label=_("the contact details"),
            max_length=300,
            required=False,
        ),
        "languages": clean_language_codes(list(details.languages), field="languages"),
        "interpretation": clean_language_codes(
            list(details.interpretation), field="interpretation"
        ),
        "childcare": bool(details.childcare),
        "capacity": details.capacity,
        # Unsaid, the text is taken to be in the site's language.
        "original_language": (details.original_language or settings.LANGUAGE_CODE)
        .strip()
        .lower()[:16],
    }


def _clean_times(
    starts_at: datetime.datetime | None, ends_at: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    if starts_at is None or timezone.is_naive(starts_at):
        raise DomainError(_("Give the date and time the meeting starts."), field="starts_at")
    if ends_at is None or timezone.is_naive(ends_at):
        raise DomainError(_("Give the date and time the meeting ends."), field="ends_at")
    if starts_at <= timezone.now():
        raise DomainError(_("A meeting cannot start in the past."), field="starts_at")
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")
    if ends_at - starts_at > datetime.timedelta(hours=24):
        raise DomainError(_("A meeting lasts at most a day."), field="ends_at")
    return starts_at, ends_at


def _require_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise Conflict(_("This meeting was cancelled."), code="cancelled")


def _require_started(meeting: Meeting, *, field: str | None) -> None:
    """Minutes, attendance and actions are records of a meeting that took place."""
    _require_open(meeting)
    if meeting.starts_at > timezone.now():
        raise DomainError(
            _("This can be recorded once the meeting has started."),
            field=field,
            code="not_started",
        )


# --- scheduling ---------------------------------------------------------------------------


@transaction.atomic
def create_meeting(
    *,
    by: Any,
    neighbourhoods: Iterable[Neighbourhood],
    details: MeetingDetails,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
) -> Meeting:
    """Schedule one meeting for one or several neighbourhoods.

    The person must manage every neighbourhood chosen (a supervisor or an administrator
    may choose any they oversee). The meeting starts in the future and ends after it
    starts; an online meeting needs its link, any other a venue or an address.
    """
    chosen = _chosen_neighbourhoods(by, neighbourhoods)
    fields = _clean_details(details)
    starts_at, ends_at = _clean_times(starts_at, ends_at)
    meeting = Meeting.objects.create(**fields, starts_at=starts_at, ends_at=ends_at, created_by=by)
    meeting.neighbourhoods.set(chosen)
    audit(
        actor=by,
        action="meeting.created",
        target=meeting,
        detail={"neighbourhood_ids": [n.pk for n in chosen]},
    )
    return meeting


def _chosen_neighbourhoods(by: Any, neighbourhoods: Iterable[Neighbourhood]) -> list[Neighbourhood]:
    chosen = list({n.pk: n for n in neighbourhoods}.values())
    if not chosen:
        raise DomainError(_("Choose at least one neighbourhood."), field="neighbourhoods")
    if not all(can_manage(by, neighbourhood) for neighbourhood in chosen):
        raise PermissionDenied(
            _("You may hold meetings only for neighbourhoods you serve."), field="neighbourhoods"
        )
    return chosen


def series_times(
    *,
    weekday: int,
    week_of_month: int,
    start_time: datetime.time,
    duration_minutes: int,
    after: datetime.datetime,
    until: datetime.date,
    zone: zoneinfo.ZoneInfo,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(start, end) of each meeting of a monthly series starting after ``after``, to ``until``.

    ``weekday`` is ISO (1 Monday … 7 Sunday), ``week_of_month`` 1-4 or -1 for the last.
    The wall-clock time holds across daylight-saving changes; a time the clocks skip
    becomes the same time after the change (02:30 on the spring-forward night is 03:30),
    a time that happens twice is its first. The length is real time, not wall-clock.
    """
    local_after = after.astimezone(zone)
    year, month = local_after.year, local_after.month
    times = []
    while (year, month) <= (until.year, until.month):
        day = nth_weekday(year, month, weekday=weekday, week_of_month=week_of_month)
        if day <= until:
            wall = datetime.datetime.combine(day, start_time, tzinfo=zone)
            # Through UTC and back: a skipped wall time is moved on by the gap.
            starts_at = wall.astimezone(datetime.UTC).astimezone(zone)
            if starts_at > after:
                ends_at = (
                    starts_at.astimezone(datetime.UTC)
                    + datetime.timedelta(minutes=duration_minutes)
                ).astimezone(zone)
                times.append((starts_at, ends_at))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return times


def nth_weekday(year: int, month: int, *, weekday: int, week_of_month: int) -> datetime.date:
    """The ``week_of_month``-th ISO ``weekday`` of the month; -1 is the last."""
    if week_of_month == -1:
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        return last - datetime.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(
        days=(weekday - first.isoweekday()) % 7 + 7 * (week_of_month - 1)
    )


@transaction.atomic
def create_series(
    *,
    by: Any,
    neighbourhood: Neighbourhood,
    details: MeetingDetails,
    weekday: int,
    week_of_month: int,
    start_time: datetime.time | None,
    duration_minutes: int,
    until: datetime.date | None = None,
) -> tuple[MeetingSeries, list[Meeting]]:
    """A monthly schedule ("the second Tuesday at 7pm") and its meetings for the next year.

    Meetings are made up to ``until`` or twelve months ahead, whichever comes first, in
    the site's time zone; each can then be moved or cancelled on its own.
    """
    chosen = _chosen_neighbourhoods(by, [neighbourhood])
    fields = _clean_details(details)
    if weekday not in range(1, 8):
        raise DomainError(_("Choose the day of the week."), field="weekday")
    if week_of_month not in WEEKS_OF_MONTH:
        raise DomainError(_("Choose which week of the month."), field="week_of_month")
    if start_time is None:
        raise DomainError(_("Give the time meetings start."), field="start_time")
    shortest, longest = SERIES_DURATION_MINUTES
    if not shortest <= duration_minutes <= longest:
        raise DomainError(
            _("A meeting lasts from %(shortest)d to %(longest)d minutes.")
            % {"shortest": shortest, "longest": longest},
            field="duration_minutes",
        )
    now = timezone.now()
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    horizon = _months_after(now.astimezone(zone).date(), SERIES_MONTHS_AHEAD)
    if until is not None and until < now.astimezone(zone).date():
        raise DomainError(_("The series cannot end in the past."), field="until")
    times = series_times(
        weekday=weekday,
        week_of_month=week_of_month,
        start_time=start_time,
        duration_minutes=duration_minutes,
        after=now,
        until=min(until, horizon) if until is not None else horizon,
        zone=zone,
    )
    if not times:
        raise DomainError(_("No meeting of this series falls before that date."), field="until")
    series = MeetingSeries.objects.create(
        neighbourhood=chosen[0],
        title=fields["title"],
        kind=fields["kind"],
        weekday=weekday,
        week_of_month=week_of_month,
        start_time=start_time,
        duration_minutes=duration_minutes,
        until=until,
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(**fields, series=series, starts_at=start, ends_at=end, created_by=by)
        for start, end in times
    )
    Meeting.neighbourhoods.through.objects.bulk_create(
        Meeting.neighbourhoods.through(meeting_id=meeting.pk, neighbourhood_id=chosen[0].pk)
        for meeting in meetings
    )
    audit(
        actor=by,
        action="meeting_series.created",
        target=series,
        detail={"neighbourhood_id": chosen[0].pk, "meeting_ids": [m.pk for m in meetings]},
    )
    return series, meetings


def _months_after(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def update_meeting(*, by: Any, meeting: Meeting, details: MeetingDetails) -> Meeting:
    """Change what a meeting says about itself; its time changes only through move_meeting."""
    _require_team(by, meeting)
    _require_open(meeting)
    fields = _clean_details(details)
    # Locked, so a registration cannot take a place while the capacity changes.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    capacity_changed = fields["capacity"] != meeting.capacity
    if capacity_changed:
        check_capacity_change(meeting, fields["capacity"])
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=[*fields, "updated_at"])
    audit(actor=by, action="meeting.updated", target=meeting, detail={"fields": sorted(fields)})
    if capacity_changed:
        fill_free_places(gathering=meeting)
    return meeting


@transaction.atomic
def move_meeting(
    *,
    by: Any,
    meeting: Meeting,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
) -> Meeting:
    """Give a meeting new times and tell everyone registered (once per new start time)."""
    from beatbridge.voice.services.registrations import notify_registrants

    _require_team(by, meeting)
    _require_open(meeting)
    if meeting.starts_at <= timezone.now():
        raise DomainError(_("A meeting that has started cannot be moved."), field="starts_at")
    starts_at, ends_at = _clean_times(starts_at, ends_at)
    if (starts_at, ends_at) == (meeting.starts_at, meeting.ends_at):
        return meeting
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.save(update_fields=["starts_at", "ends_at", "updated_at"])
    audit(actor=by, action="meeting.moved", target=meeting)
    notify_registrants(
        gathering=meeting, message=RegistrantMessage.MOVED, about=starts_at.isoformat()
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, by: Any, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting that has not started, saying why, and tell everyone registered."""
    from beatbridge.voice.services.registrations import notify_registrants

    _require_team(by, meeting)
    _require_open(meeting)
    if meeting.starts_at <= timezone.now():
        raise DomainError(_("A meeting that has started cannot be cancelled."), field="reason")
    meeting.cancellation_reason = clean_text(
        reason, field="reason", label=_("why it is cancelled"), max_length=REASON_MAX, required=True
    )
    meeting.is_cancelled = True
    meeting.save(update_fields=["is_cancelled", "cancellation_reason", "updated_at"])
    audit(actor=by, action="meeting.cancelled", target=meeting)
    notify_registrants(gathering=meeting, message=RegistrantMessage.CANCELLED)
    return meeting


# --- the agenda and questions -------------------------------------------------------------


@transaction.atomic
def add_agenda_item(*, by: Any, meeting: Meeting, title: str) -> AgendaItem:
    """An item the team adds by hand, after the others already on the agenda."""
    _require_team(by, meeting)
    _require_open(meeting)
    title = clean_text(title, field="title", label=_("the item"), max_length=300, required=True)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting, title=title, position=0 if last is None else last + 1
    )
    audit(actor=by, action="meeting.agenda_item_added", target=meeting, detail={"item": item.pk})
    return item


@transaction.atomic
def remove_agenda_item(*, by: Any, item: AgendaItem) -> None:
    _require_team(by, item.meeting)
    audit(
        actor=by,
        action="meeting.agenda_item_removed",
        target=item.meeting,
        detail={"item": item.pk},
    )
    item.delete()


@transaction.atomic
def ask_question(*, by: Any, meeting: Meeting, text: str) -> Question:
    """A signed-in resident's question for a meeting that has not started yet."""
    if not is_signed_in(by):
        raise PermissionDenied(_("Sign in to ask a question."))
    _require_open(meeting)
    if meeting.starts_at <= timezone.now():
        raise DomainError(
            _("Questions are taken until the meeting starts; ask it at the meeting."),
            field="text",
            code="closed",
        )
    text = clean_text(
        text, field="text", label=_("your question"), max_length=QUESTION_MAX, required=True
    )
    if Question.objects.filter(meeting=meeting, asked_by=by).count() >= QUESTIONS_PER_PERSON:
        raise DomainError(
            _("You have asked %(count)d questions for this meeting, the most one person may.")
            % {"count": QUESTIONS_PER_PERSON},
            field="text",
            code="too_many",
        )
    return Question.objects.create(meeting=meeting, text=text, asked_by=by)


def _require_upvotable(by: Any, question: Question) -> None:
    if not is_signed_in(by):
        raise PermissionDenied(_("Sign in to support a question."))
    if question.is_hidden:
        raise DomainError(_("This question is not on the list."), field="question")
    _require_open(question.meeting)
    if question.meeting.starts_at <= timezone.now():
        raise DomainError(_("The meeting has started."), field="question", code="closed")


def upvote_question(*, by: Any, question: Question) -> bool:
    """Support a question for the agenda: once per person; False when they already had."""
    _require_upvotable(by, question)
    try:
        with transaction.atomic():
            _vote, created = QuestionVote.objects.get_or_create(question=question, voter=by)
    except IntegrityError:
        # Two clicks raced: the other one counted.
        return False
    return created


@transaction.atomic
def withdraw_upvote(*, by: Any, question: Question) -> bool:
    """Take back one's support; False when there was none."""
    _require_upvotable(by, question)
    deleted, _rows = QuestionVote.objects.filter(question=question, voter=by).delete()
    return deleted > 0


@transaction.atomic
def answer_question(*, by: Any, question: Question, answer: str) -> Question:
    """The team's public answer to a question."""
    _require_team(by, question.meeting)
    question.answer = clean_text(
        answer, field="answer", label=_("the answer"), max_length=ANSWER_MAX, required=True
    )
    question.save(update_fields=["answer"])
    audit(actor=by, action="question.answered", target=question)
    return question


@transaction.atomic
def hide_question(*, by: Any, question: Question, hidden: bool = True) -> Question:
    """Take a question off (or back onto) the public list and the agenda."""
    _require_team(by, question.meeting)
    question.is_hidden = hidden
    question.save(update_fields=["is_hidden"])
    audit(actor=by, action="question.hidden" if hidden else "question.shown", target=question)
    return question


# --- attendance ---------------------------------------------------------------------------


@transaction.atomic
def record_attendance(*, by: Any, meeting: Meeting, counts: Mapping[str, int | None]) -> None:
    """How many came, by how they came; the counts given replace any recorded before."""
    _require_team(by, meeting)
    _require_started(meeting, field=None)
    cleaned: dict[str, int] = {}
    for method, count in counts.items():
        if method not in AttendanceMethod.values:
            raise DomainError(_("There is no such way of attending."), field=method)
        if count is None:
            continue
        if not isinstance(count, int) or not 0 <= count <= ATTENDANCE_MAX:
            raise DomainError(
                _("Give a number of people from 0 to %(max)d.") % {"max": ATTENDANCE_MAX},
                field=method,
            )
        if count:
            cleaned[method] = count
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, method=method, count=count) for method, count in cleaned.items()
    )
    audit(actor=by, action="meeting.attendance_recorded", target=meeting, detail=cleaned)


@transaction.atomic
def add_named_attendee(*, by: Any, meeting: Meeting, name: str, consented: bool) -> NamedAttendee:
    """Put someone's name in the meeting's record: only when they agreed to it."""
    _require_team(by, meeting)
    _require_started(meeting, field="name")
    if consented is not True:
        raise DomainError(
            _("Names are recorded only with the person's consent: confirm they gave it."),
            field="consented",
            code="no_consent",
        )
    attendee = NamedAttendee.objects.create(
        meeting=meeting,
        name=clean_text(name, field="name", label=_("the name"), max_length=150, required=True),
    )
    audit(
        actor=by,
        action="meeting.named_attendee_added",
        target=meeting,
        detail={"attendee": attendee.pk},
    )
    return attendee


@transaction.atomic
def remove_named_attendee(*, by: Any, attendee: NamedAttendee) -> None:
    """Take a name out of the record (someone withdrew their consent, say)."""
    _require_team(by, attendee.meeting)
    audit(
        actor=by,
        action="meeting.named_attendee_removed",
        target=attendee.meeting,
        detail={"attendee": attendee.pk},
    )
    attendee.delete()


# --- minutes, concerns and action items ---------------------------------------------------


@transaction.atomic
def publish_minutes(
    *, by: Any, meeting: Meeting, raised: str, answered: str, decided: str
) -> Meeting:
    """Publish (or correct) what was raised, answered and decided, once the meeting started."""
    _require_team(by, meeting)
    _require_started(meeting, field="raised")
    parts = {
        "minutes_raised": clean_text(
            raised,
            field="raised",
            label=_("what was raised"),
            max_length=MINUTES_PART_MAX,
            required=False,
        ),
        "minutes_answered": clean_text(
            answered,
            field="answered",
            label=_("what was answered"),
            max_length=MINUTES_PART_MAX,
            required=False,
        ),
        "minutes_decided": clean_text(
            decided,
            field="decided",
            label=_("what was decided"),
            max_length=MINUTES_PART_MAX,
            required=False,
        ),
    }
    if not any(parts.values()):
        raise DomainError(
            _("Write at least what was raised, answered or decided."),
            field="raised",
            code="required",
        )
    for name, value in parts.items():
        setattr(meeting, name, value)
    # The first publication is the date the public saw them; corrections keep it.
    meeting.minutes_published_at = meeting.minutes_published_at or timezone.now()
    meeting.save(update_fields=[*parts, "minutes_published_at", "updated_at"])
    audit(actor=by, action="meeting.minutes_published", target=meeting)
    return meeting


@transaction.atomic
def add_raised_concern(*, by: Any, meeting: Meeting, text: str) -> RaisedConcern:
    """Note a concern raised at the meeting, to turn into a priority or a report."""
    _require_team(by, meeting)
    _require_started(meeting, field="text")
    concern = RaisedConcern.objects.create(
        meeting=meeting,
        text=clean_text(
            text, field="text", label=_("the concern"), max_length=CONCERN_MAX, required=True
        ),
    )
    audit(actor=by, action="meeting.concern_added", target=meeting, detail={"concern": concern.pk})
    return concern


def _require_unconverted(concern: RaisedConcern) -> None:
    if concern.priority_id is not None or concern.report_reference:
        raise Conflict(
            _("This concern already became a priority or a report."), code="already_converted"
        )


@transaction.atomic
def concern_to_priority(*, by: Any, concern: RaisedConcern, title: str = "") -> Priority:
    """Make a concern a candidate priority (source: this meeting) of the current cycle of
    the meeting's first neighbourhood the person serves; refused when none takes candidates."""
    from beatbridge.voice.selectors.priorities import current_cycle
    from beatbridge.voice.services.priorities import add_candidate

    meeting = concern.meeting
    _require_team(by, meeting)
    concern = RaisedConcern.objects.select_for_update().get(pk=concern.pk)
    _require_unconverted(concern)
    neighbourhood = next(n for n in meeting.neighbourhoods.order_by("pk") if can_manage(by, n))
    cycle = current_cycle(neighbourhood)
    if cycle is None:
        raise DomainError(
            _(
                "%(neighbourhood)s has no priority cycle taking candidates. "
                "Open a cycle first, or turn the concern into a report."
            )
            % {"neighbourhood": neighbourhood.name},
            code="no_open_cycle",
        )
    priority = add_candidate(
        actor=by,
        cycle=cycle,
        title=title.strip() or concern.text[:200],
        source=PrioritySource.MEETING,
        source_reference=str(meeting.pk),
        description=concern.text,
    )
    concern.priority = priority
    concern.save(update_fields=["priority"])
    audit(
        actor=by,
        action="meeting.concern_to_priority",
        target=meeting,
        detail={"concern": concern.pk, "priority": priority.pk, "cycle": cycle.pk},
    )
    return priority


@transaction.atomic
def concern_to_report(*, by: Any, concern: RaisedConcern, category: Category) -> Report:
    """File a concern as a report in the meeting's first neighbourhood, in ``category``.

    The report has no reporter (the meeting raised it); a retry returns the same report.
    """
    from beatbridge.reports.models import ReportKind, Source
    from beatbridge.reports.services import Place, submit_report

    meeting = concern.meeting
    _require_team(by, meeting)
    concern = RaisedConcern.objects.select_for_update().get(pk=concern.pk)
    _require_unconverted(concern)
    neighbourhood = meeting.neighbourhoods.order_by("pk").first()
    if neighbourhood is None or category.force_id != neighbourhood.force_id:
        raise DomainError(_("Choose a category of this force."), field="category")
    report = submit_report(
        kind=ReportKind.CONCERN,
        category=category,
        description=concern.text,
        place=Place(
            address=meeting.address or meeting.venue_name or neighbourhood.name,
            neighbourhood=neighbourhood,
        ),
        source=Source.WEB,
        reporter=None,
        submitter_scope=f"meeting:{meeting.pk}",
        submission_key=f"concern:{concern.pk}",
    ).report
    concern.report_reference = report.reference
    concern.save(update_fields=["report_reference"])
    audit(
        actor=by,
        action="meeting.concern_to_report",
        target=meeting,
        detail={"concern": concern.pk, "report": report.reference},
    )
    return report


@transaction.atomic
def create_action_item(
    *,
    by: Any,
    meeting: Meeting,
    text: str,
    owner: str,
    due_on: datetime.date | None,
    original_language: str = "",
) -> ActionItem:
    """Something the meeting decided someone will do by a date; on later agendas until closed."""
    _require_team(by, meeting)
    _require_started(meeting, field="text")
    text = clean_text(
        text, field="text", label=_("the action"), max_length=ACTION_MAX, required=True
    )
    owner = clean_text(
        owner, field="owner", label=_("who will do it"), max_length=200, required=True
    )
    if due_on is None:
        raise DomainError(_("Give the date it is due."), field="due_on", code="required")
    if due_on < timezone.localdate(meeting.starts_at):
        raise DomainError(_("It cannot be due before the meeting."), field="due_on")
    item = ActionItem.objects.create(
        meeting=meeting,
        text=text,
        owner=owner,
        due_on=due_on,
        original_language=(original_language or "").strip().lower()[:16],
    )
    audit(actor=by, action="action_item.created", target=item)
    return item


@transaction.atomic
def close_action_item(*, by: Any, item: ActionItem, outcome: str) -> ActionItem:
    """Close an action item with what was done: it leaves the agenda and shows as done."""
    _require_team(by, item.meeting)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_open:
        raise Conflict(_("This action item is already closed."), code="closed")
    item.outcome = clean_text(
        outcome, field="outcome", label=_("what was done"), max_length=ACTION_MAX, required=True
    )
    item.done_at = timezone.now()
    item.save(update_fields=["outcome", "done_at"])
    audit(actor=by, action="action_item.closed", target=item)
    return item
