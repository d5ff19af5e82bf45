"""Reads for calendars, the police.uk adapters and the staff's CSV exports.

Until the priority, meeting and event modules offer their own selectors, the queries
they would answer (adopted priorities, a neighbourhood's gatherings) live here, once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.places import selectors as places
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.voice.models import (
    ActionItem,
    AttendanceMethod,
    CalendarFeed,
    Cycle,
    Event,
    Meeting,
    NamedAttendee,
    Priority,
    Registration,
    RegistrationStatus,
    VoteMethod,
)
from beatbridge.voice.permissions import can_manage

# Calendars and police.uk show what is coming and what happened in the last 90 days.
RECENT_DAYS = 90

Gathering = Meeting | Event


@dataclass(frozen=True)
class PersonalEntry:
    """A meeting or event someone registered for, and whether they are on the waiting list."""

    gathering: Gathering
    is_waiting: bool


def _since(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=RECENT_DAYS)


def _in_order(*querysets: Iterable[Gathering]) -> list[Gathering]:
    gatherings = [gathering for queryset in querysets for gathering in queryset]
    # Meetings before events at the same time: ids of two tables say nothing about order.
    return sorted(
        gatherings,
        key=lambda gathering: (gathering.starts_at, isinstance(gathering, Event), gathering.pk),
    )


def gatherings_of(
    neighbourhood: Neighbourhood, *, now: datetime.datetime, include_cancelled: bool
) -> list[Gathering]:
    """A neighbourhood's meetings and events that end after ``now`` less 90 days, by start."""
    window = Q(neighbourhoods=neighbourhood, ends_at__gte=_since(now))
    if not include_cancelled:
        window &= Q(is_cancelled=False)
    return _in_order(
        Meeting.objects.filter(window).distinct(), Event.objects.filter(window).distinct()
    )


def force_gatherings(force: Force, *, now: datetime.datetime) -> list[Gathering]:
    """Every meeting and event in a force's neighbourhoods, cancelled ones too, as above."""
    window = Q(neighbourhoods__force=force, ends_at__gte=_since(now))
    return _in_order(
        Meeting.objects.filter(window).distinct(), Event.objects.filter(window).distinct()
    )


def get_meeting(pk: int) -> Meeting:
    """A meeting, public to all; NotFound otherwise."""
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise NotFound(_("There is no such meeting."), field="meeting")
    return meeting


def get_event(pk: int) -> Event:
    """An event, public to all; NotFound otherwise."""
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise NotFound(_("There is no such event."), field="event")
    return event


# --- personal calendars -------------------------------------------------------------------


def get_calendar_feed(token: str) -> CalendarFeed:
    """The personal feed with this token, of an active account; NotFound otherwise."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise NotFound(_("There is no such calendar."), field="token")
    return feed


def calendar_feed_of(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def personal_entries(feed: CalendarFeed) -> list[PersonalEntry]:
    """Every meeting and event the feed's owner registered for and did not cancel."""
    registrations = (
        Registration.objects.filter(user_id=feed.user_id)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("meeting", "event")
    )
    entries = [
        PersonalEntry(
            gathering=registration.gathering,
            is_waiting=registration.status == RegistrationStatus.WAITING,
        )
        for registration in registrations
    ]
    return sorted(entries, key=lambda entry: (entry.gathering.starts_at, entry.gathering.pk))


# --- police.uk ----------------------------------------------------------------------------


# --- staff exports ------------------------------------------------------------------------


def get_neighbourhood_for_manager(user: Any, force: str, code: str) -> Neighbourhood:
    """A neighbourhood its team may manage: NotFound if there is none, PermissionDenied if
    ``user`` is not on its team, a supervisor of its force or an administrator."""
    neighbourhood = places.get_neighbourhood(force, code)
    if not can_manage(user, neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team can do this."))
    return neighbourhood


def get_cycle_for_manager(user: Any, pk: int) -> Cycle:
    """A cycle its neighbourhood's team may manage; NotFound or PermissionDenied otherwise."""
    cycle = Cycle.objects.select_related("neighbourhood__force").filter(pk=pk).first()
    if cycle is None:
        raise NotFound(_("There is no such cycle."), field="cycle")
    if not can_manage(user, cycle.neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team can do this."))
    return cycle


def vote_totals(cycle: Cycle) -> QuerySet[Priority]:
    """Each candidate of a cycle with ``online_votes``, ``meeting_votes`` and
    ``total_votes``: counts only, never who voted."""
    online = Sum("votes__count", filter=Q(votes__method=VoteMethod.ONLINE), default=0)
    at_meetings = Sum("votes__count", filter=Q(votes__method=VoteMethod.MEETING), default=0)
    return (
        Priority.objects.filter(cycle=cycle)
        .annotate(online_votes=online, meeting_votes=at_meetings)
        .annotate(total_votes=F("online_votes") + F("meeting_votes"))
        .order_by("-total_votes", "created_at", "id")
    )


def attendance_of(neighbourhood: Neighbourhood) -> QuerySet[Meeting]:
    """A neighbourhood's meetings, oldest first, with a count per way of coming
    (``in_person``, ``online``, ``phone``) and ``named`` (people who consented to be named)."""
    counts = {
        method: Sum("attendance__count", filter=Q(attendance__method=method), default=0)
        for method in AttendanceMethod.values
    }
    # A subquery, not a second join: joining both tables would multiply the sums.
    named = (
        NamedAttendee.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(people=Count("pk"))
        .values("people")
    )
    return (
        Meeting.objects.filter(pk__in=Meeting.objects.filter(neighbourhoods=neighbourhood))
        .annotate(**counts, named=Coalesce(Subquery(named), 0))
        .order_by("starts_at", "id")
    )


def named_attendees_of(meeting_ids: list[int]) -> dict[int, list[str]]:
    """Meeting id -> names of those who consented to be named, in the order they gave them."""
    names: dict[int, list[str]] = {}
    for meeting_id, name in (
        NamedAttendee.objects.filter(meeting_id__in=meeting_ids)
        .order_by("consented_at", "id")
        .values_list("meeting_id", "name")
    ):
        names.setdefault(meeting_id, []).append(name)
    return names


def action_items_of(neighbourhood: Neighbourhood) -> QuerySet[ActionItem]:
    """Action items of a neighbourhood's meetings, by due date, with their meeting."""
    return (
        ActionItem.objects.filter(meeting__in=Meeting.objects.filter(neighbourhoods=neighbourhood))
        .select_related("meeting")
        .order_by("due_on", "id")
    )
