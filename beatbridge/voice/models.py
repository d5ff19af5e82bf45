"""Community voice: priority cycles and votes, meetings with agendas and minutes, events.

What residents raise becomes a candidate priority; the team adopts some with an action
plan and closes each with an account of what was done ("you said, we did"). Nothing is
dropped silently: a candidate that was not adopted keeps the reason why.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beatbridge.notify.models import Delivery
from beatbridge.web.models import TranslatedContent


def new_token() -> str:
    """A random, unguessable token for links that stand in for a sign-in (feeds, RSVPs)."""
    return secrets.token_urlsafe(24)


# --- priorities ---------------------------------------------------------------------------


class CyclePhase(models.TextChoices):
    UPCOMING = "upcoming", _("Not started")
    PROPOSING = "proposing", _("Taking proposals")
    VOTING = "voting", _("Voting")
    DECIDING = "deciding", _("Results and action")
    CLOSED = "closed", _("Closed")


class Cycle(models.Model):
    """A period (a quarter, say) in which a neighbourhood chooses and works on priorities.

    Proposals are taken from ``starts_on`` until voting opens; votes from
    ``voting_opens_on`` to ``voting_closes_on`` inclusive; the team then adopts and works
    on priorities until ``ends_on``. Cycles of a neighbourhood never overlap.
    """

    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    voting_opens_on = models.DateField(_("voting opens on"))
    voting_closes_on = models.DateField(_("voting closes on"))
    ends_on = models.DateField(_("ends on"))
    votes_per_person = models.PositiveSmallIntegerField(_("votes per person"), default=3)
    max_adopted = models.PositiveSmallIntegerField(_("priorities adopted at most"), default=3)
    requires_verified_residency = models.BooleanField(
        _("votes need verified residency"),
        default=False,
        help_text=_(
            "Off: residents declare that they live or work here. On: a team member must "
            "confirm it before their votes count."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["neighbourhood", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_opens_on__gte=models.F("starts_on"))
                & Q(voting_closes_on__gte=models.F("voting_opens_on"))
                & Q(ends_on__gte=models.F("voting_closes_on")),
                name="cycle_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(votes_per_person__gte=1) & Q(max_adopted__gte=1),
                name="cycle_allows_votes_and_adoption",
            ),
        ]
        verbose_name = _("priority cycle")
        verbose_name_plural = _("priority cycles")

    def __str__(self) -> str:
        return self.title

    def phase(self, on: datetime.date | None = None) -> str:
        day = on or timezone.localdate()
        if day < self.starts_on:
            return CyclePhase.UPCOMING
        if day < self.voting_opens_on:
            return CyclePhase.PROPOSING
        if day <= self.voting_closes_on:
            return CyclePhase.VOTING
        if day <= self.ends_on:
            return CyclePhase.DECIDING
        return CyclePhase.CLOSED

    def get_phase_display(self) -> str:
        return str(CyclePhase(self.phase()).label)


class PriorityStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    DELIVERED = "delivered", _("Delivered")
    NOT_DELIVERED = "not_delivered", _("Not delivered")


# Statuses of priorities the team took on; police.uk's priorities endpoint lists these.
ADOPTED_STATUSES = frozenset(
    {PriorityStatus.ADOPTED, PriorityStatus.DELIVERED, PriorityStatus.NOT_DELIVERED}
)


class PrioritySource(models.TextChoices):
    RESIDENT = "resident", _("Proposed by a resident")
    TEAM = "team", _("Added by the team")
    REPORT = "report", _("From reports")
    MEETING = "meeting", _("Raised at a meeting")
    PARTNER = "partner", _("Raised by a partner organisation")
    CRIME_DATA = "crime_data", _("From crime figures")


class Priority(TranslatedContent):
    """A candidate priority of a cycle; adopted, it carries an action plan and an outcome.

    ``adopted_at`` and ``closed_at`` are police.uk's ``issue-date`` and ``action-date``.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="priorities", verbose_name=_("cycle")
    )
    title = models.CharField(
        _("the problem"),
        max_length=200,
        help_text=_("A problem in a place, e.g. “Speeding on Rainier Ave by the school at 8am”."),
    )
    description = models.TextField(_("more detail"), blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=PrioritySource.choices)
    # What it was drawn from: report references, a meeting's id, a crime category and months.
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PriorityStatus.choices, default=PriorityStatus.PROPOSED
    )
    decision_reason = models.TextField(
        _("why it was not adopted"),
        blank=True,
        help_text=_("Shown publicly: nothing is dropped without a reason."),
    )
    action_plan = models.TextField(_("what the team will do"), blank=True)
    action_owner = models.CharField(_("who"), max_length=200, blank=True)
    action_due_on = models.DateField(_("by when"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    outcome = models.TextField(
        _("what was done and what changed"), blank=True, help_text=_("The “we did”.")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_adopted") | ~Q(decision_reason=""),
                name="priority_not_adopted_has_reason",
                violation_error_message=_("Say why a candidate was not adopted."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["delivered", "not_delivered"]) | ~Q(outcome=""),
                name="priority_closed_has_outcome",
                violation_error_message=_("Say what was done and what changed."),
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"], name="priority_by_cycle_status")]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")

    def __str__(self) -> str:
        return self.title

    @property
    def is_adopted(self) -> bool:
        return self.status in ADOPTED_STATUSES


class PriorityUpdate(TranslatedContent):
    """Progress on an adopted priority, posted by the team: public."""

    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="updates", verbose_name=_("priority")
    )
    text = models.TextField(_("update"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("priority update")
        verbose_name_plural = _("priority updates")

    def __str__(self) -> str:
        return f"{self.priority}: {self.created_at:%Y-%m-%d}"


class VoteMethod(models.TextChoices):
    ONLINE = "online", _("Online")
    MEETING = "meeting", _("At a meeting")


class Vote(models.Model):
    """A vote for a candidate: one person online, or a show of hands counted at a meeting."""

    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="votes", verbose_name=_("priority")
    )
    method = models.CharField(_("how"), max_length=10, choices=VoteMethod.choices)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voter"),
    )
    meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )
    count = models.PositiveIntegerField(_("votes"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "voter"],
                condition=Q(voter__isnull=False),
                name="one_vote_per_person_per_priority",
            ),
            models.CheckConstraint(
                condition=(
                    Q(method="online", voter__isnull=False, meeting__isnull=True, count=1)
                    | Q(method="meeting", voter__isnull=True, meeting__isnull=False, count__gte=1)
                ),
                name="vote_is_a_person_online_or_a_count_at_a_meeting",
            ),
        ]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.priority}: {self.count} ({self.method})"


class Residency(models.Model):
    """That a person lives or works in a neighbourhood: declared, and verified if required."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    declared_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "neighbourhood"], name="one_residency_per_person_and_place"
            )
        ]
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")

    def __str__(self) -> str:
        return f"{self.user_id} in {self.neighbourhood_id}"


# --- meetings -----------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    BEAT = "beat", _("Beat meeting")
    FORUM = "forum", _("Community forum")
    ONLINE = "online", _("Online meeting")


class Gathering(TranslatedContent):
    """What meetings and events share: when, where, who may come and how to reach it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, accessible toilets, parking, seating."),
    )
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Blank: no limit.")
    )
    contact_details = models.CharField(_("contact details"), max_length=300, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    cancellation_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class MeetingSeries(models.Model):
    """A recurring schedule, e.g. the second Tuesday of each month at 7pm, 90 minutes."""

    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    # ISO weekday (1 Monday … 7 Sunday) and which of the month: 1-4, or -1 for the last.
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    week_of_month = models.SmallIntegerField(_("week of the month"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=90)
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=7)
                & (Q(week_of_month__gte=1, week_of_month__lte=4) | Q(week_of_month=-1)),
                name="series_day_is_a_weekday_of_the_month",
            )
        ]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


class Meeting(Gathering):
    """A community meeting for one or several neighbourhoods, with its agenda and minutes."""

    neighbourhoods = models.ManyToManyField(
        "places.Neighbourhood", related_name="+", verbose_name=_("neighbourhoods")
    )
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    # Language codes the meeting is held in, and those interpreters cover.
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpretation = models.JSONField(_("interpretation into"), default=list, blank=True)
    childcare = models.BooleanField(_("childcare provided"), default=False)
    # The minutes, in three parts; their translations are in ``translations`` too.
    minutes_raised = models.TextField(_("what was raised"), blank=True)
    minutes_answered = models.TextField(_("what was answered"), blank=True)
    minutes_decided = models.TextField(_("what was decided"), blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)

    class Meta(Gathering.Meta):
        indexes = [models.Index(fields=["starts_at"], name="meeting_by_start")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")


class AgendaItem(models.Model):
    """An item the team adds by hand; priorities, questions and action items join by themselves."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    title = models.CharField(_("item"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question a resident sends before a meeting; others upvote it onto the agenda."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="questions", verbose_name=_("meeting")
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    answer = models.TextField(_("answer"), blank=True)
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Taken off the public list by the team.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:60]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="upvotes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "voter"], name="one_upvote_per_person")
        ]

    def __str__(self) -> str:
        return f"upvote {self.pk}"


class AttendanceMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("By telephone")


class Attendance(models.Model):
    """How many came to a meeting, by how they came. Names are kept only with consent."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    method = models.CharField(_("how"), max_length=10, choices=AttendanceMethod.choices)
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "method"], name="one_count_per_method")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.count} {self.method}"


class NamedAttendee(models.Model):
    """Someone who agreed to have their name in the meeting's record."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="named_attendees", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=150)
    consented_at = models.DateTimeField(_("consent given at"), default=timezone.now)

    class Meta:
        verbose_name = _("named attendee")
        verbose_name_plural = _("named attendees")

    def __str__(self) -> str:
        return self.name


class RaisedConcern(models.Model):
    """A concern raised at a meeting; the team turns it into a priority or a report in one step."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="concerns", verbose_name=_("meeting")
    )
    text = models.TextField(_("concern"))
    priority = models.OneToOneField(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_at",
        verbose_name=_("became the priority"),
    )
    report_reference = models.CharField(_("became the report"), max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        verbose_name = _("raised concern")
        verbose_name_plural = _("raised concerns")

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(TranslatedContent):
    """Something a meeting decided someone will do by a date; on every agenda until closed."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("meeting")
    )
    text = models.TextField(_("action"))
    owner = models.CharField(_("who"), max_length=200)
    due_on = models.DateField(_("by when"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.TextField(_("what was done"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.done_at is None


# --- events -------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    BLOCK_PARTY = "block_party", _("Block party")
    CLEAN_UP = "clean_up", _("Clean-up day")
    SPORTS = "sports", _("Sports league")
    YOUTH = "youth", _("Youth activity")
    OPEN_DAY = "open_day", _("Open day")
    ACADEMY = "academy_graduation", _("Citizens' academy graduation")
    OTHER = "other", _("Other event")


class Event(Gathering):
    """A community event where police and residents meet outside enforcement."""

    neighbourhoods = models.ManyToManyField(
        "places.Neighbourhood", related_name="+", verbose_name=_("neighbourhoods")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    organiser = models.CharField(
        _("organiser"),
        max_length=200,
        help_text=_("The neighbourhood team or the partner organisation that runs it."),
    )
    # Partner organisations that run it with the team; their contacts see it in their portal.
    co_organisers = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="co_organised_events",
        verbose_name=_("co-organising partners"),
    )

    class Meta(Gathering.Meta):
        indexes = [models.Index(fields=["starts_at"], name="event_by_start")]
        verbose_name = pgettext_lazy("community gathering", "event")
        verbose_name_plural = _("events")


def _event_photo_path(photo: EventPhoto, filename: str) -> str:
    return f"events/{timezone.now():%Y/%m}/{filename}"


class EventPhoto(models.Model):
    """A photo from after the event: public, re-encoded without metadata."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="photos", verbose_name=_("event")
    )
    image = models.FileField(_("photo"), upload_to=_event_photo_path)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"


# --- registrations ------------------------------------------------------------------------


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Coming")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """Someone coming to a meeting or an event: with an account, or with an e-mail address.

    ``token`` lets a person without an account cancel and subscribe to a calendar of
    what they registered for, from the link in their confirmation.
    """

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("meeting"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, event__isnull=True)
                | Q(meeting__isnull=True, event__isnull=False),
                name="registration_is_for_a_meeting_or_an_event",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="registration_has_a_person_or_an_address",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False, meeting__isnull=False),
                name="one_meeting_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False, event__isnull=False),
                name="one_event_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=Q(user__isnull=True, meeting__isnull=False),
                name="one_meeting_registration_per_address",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(user__isnull=True, event__isnull=False),
                name="one_event_registration_per_address",
            ),
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"registration {self.pk}"

    @property
    def gathering(self) -> Meeting | Event:
        return self.meeting if self.meeting_id else self.event  # type: ignore[return-value]

    def address(self) -> str:
        """Where to write: the account's address, else the one given."""
        if self.user_id and self.user.is_active:
            return self.user.email
        return self.email


class RegistrantMessage(models.TextChoices):
    CONFIRMED = "confirmed", _("Registration confirmed")
    PROMOTED = "promoted", _("A place came free")
    REMINDER = "reminder", _("Reminder")
    MOVED = "moved", _("Moved")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrantNotification(Delivery):
    """One message to someone registered for a meeting or an event.

    Unique per registration, message and ``about`` (the time the meeting was moved to, say),
    so a retried task or a second worker never writes to anyone twice about one thing.
    """

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("registration"),
    )
    message = models.CharField(_("message"), max_length=12, choices=RegistrantMessage.choices)
    about = models.CharField(max_length=64, blank=True)

    class Meta(Delivery.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "message", "about"], name="one_message_per_registrant"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="registrant_due")]
        verbose_name = _("registrant notification")
        verbose_name_plural = _("registrant notifications")

    def __str__(self) -> str:
        return f"{self.registration_id} {self.message}: {self.status}"


class CalendarFeed(models.Model):
    """A person's private calendar address: every meeting and event they registered for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar {self.pk}"
