"""Writes for neighbourhood priorities: cycles, residency, proposals and candidates, votes,
and the team's decisions (adopt, decline, update, close).

Each function takes keyword arguments, runs in one transaction and raises ``DomainError``
naming the field at fault; nothing is half-written and nothing is ever deleted but a
person's own withdrawn vote. Staff actions write their audit entry in the same
transaction. Writes that count (votes, adoptions, proposals) lock the cycle's row first,
so two requests at once cannot both take the last vote or the last place.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.audit.services import record as audit
from beatbridge.errors import Conflict, DomainError, NotFound, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.reports.selectors import get_report_for_triage
from beatbridge.voice.models import (
    ADOPTED_STATUSES,
    Cycle,
    CyclePhase,
    Meeting,
    Priority,
    PrioritySource,
    PriorityStatus,
    PriorityUpdate,
    Residency,
    Vote,
    VoteMethod,
)
from beatbridge.voice.permissions import can_manage, is_signed_in
from beatbridge.voice.selectors.priorities import RESULT_PHASES, counts_as_resident

_TITLE_MAX = Priority._meta.get_field("title").max_length or 200
_CYCLE_TITLE_MAX = Cycle._meta.get_field("title").max_length or 120
_PLACE_MAX = Priority._meta.get_field("place").max_length or 200
_OWNER_MAX = Priority._meta.get_field("action_owner").max_length or 200
_REFERENCE_MAX = Priority._meta.get_field("source_reference").max_length or 200
# The phases in which the team may still add candidates: before the results.
_CANDIDATE_PHASES = frozenset({CyclePhase.UPCOMING, CyclePhase.PROPOSING, CyclePhase.VOTING})
_CLOSING_STATUSES = frozenset({PriorityStatus.DELIVERED, PriorityStatus.NOT_DELIVERED})
_REPORT_REFERENCES = re.compile(r"[\s,;]+")


# --- helpers ------------------------------------------------------------------------------


# Bounds that keep numbers people type sensible (and inside the database's columns).
MAX_PER_CYCLE = 100
MAX_HANDS = 100_000


def _require_manager(actor: Any, neighbourhood: Neighbourhood) -> None:
    if not can_manage(actor, neighbourhood):
        raise PermissionDenied(_("Only the neighbourhood's team may do this."))


def _require_signed_in(user: Any) -> None:
    if not is_signed_in(user):
        raise PermissionDenied(_("Sign in first."), code="sign_in")


def _required_text(value: str, *, field: str, message: str, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field, code="required")
    if max_length is not None and len(text) > max_length:
        raise DomainError(
            _("Keep it to %(count)d characters or fewer.") % {"count": max_length},
            field=field,
            code="too_long",
        )
    return text


def _optional_text(value: str, *, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise DomainError(
            _("Keep it to %(count)d characters or fewer.") % {"count": max_length},
            field=field,
            code="too_long",
        )
    return text


def _locked(cycle: Cycle) -> Cycle:
    """The cycle's row, locked until the transaction ends, with its neighbourhood."""
    return (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("neighbourhood")
        .defer("neighbourhood__boundary")
        .get(pk=cycle.pk)
    )


def _refuse_duplicate_title(cycle: Cycle, title: str) -> None:
    """Two candidates of a cycle never share a title (ignoring case and spacing)."""
    wanted = " ".join(title.split()).casefold()
    titles = Priority.objects.filter(cycle=cycle).values_list("title", flat=True)
    if any(" ".join(existing.split()).casefold() == wanted for existing in titles):
        raise Conflict(
            _(
                "“%(title)s” is already a candidate in this cycle: vote for it instead, or "
                "describe a different problem."
            )
            % {"title": title},
            field="title",
            code="duplicate",
        )


# --- cycles and residency -----------------------------------------------------------------


def create_cycle(
    *,
    actor: Any,
    neighbourhood: Neighbourhood,
    title: str,
    starts_on: datetime.date,
    voting_opens_on: datetime.date,
    voting_closes_on: datetime.date,
    ends_on: datetime.date,
    votes_per_person: int = 3,
    max_adopted: int = 3,
    requires_verified_residency: bool = False,
) -> Cycle:
    """Open a new cycle for the neighbourhood (its team only).

    Dates run in order (start ≤ voting opens ≤ voting closes ≤ end) and the cycle must not
    overlap another of the neighbourhood; each person has at least one vote and at least
    one priority may be adopted.
    """
    _require_manager(actor, neighbourhood)
    title = _required_text(
        title, field="title", message=_("Give the cycle a title."), max_length=_CYCLE_TITLE_MAX
    )
    with transaction.atomic():
        # Locking the neighbourhood's row makes two overlapping cycles created at once wait
        # for each other, so the second sees the first.
        Neighbourhood.objects.select_for_update().filter(pk=neighbourhood.pk).only("pk").first()
        check_cycle(
            neighbourhood=neighbourhood,
            starts_on=starts_on,
            voting_opens_on=voting_opens_on,
            voting_closes_on=voting_closes_on,
            ends_on=ends_on,
            votes_per_person=votes_per_person,
            max_adopted=max_adopted,
        )
        cycle = Cycle.objects.create(
            neighbourhood=neighbourhood,
            title=title,
            starts_on=starts_on,
            voting_opens_on=voting_opens_on,
            voting_closes_on=voting_closes_on,
            ends_on=ends_on,
            votes_per_person=votes_per_person,
            max_adopted=max_adopted,
            requires_verified_residency=requires_verified_residency,
        )
        audit(actor=actor, action="priority_cycle.created", target=cycle)
    return cycle


def check_cycle(
    *,
    neighbourhood: Neighbourhood,
    starts_on: datetime.date,
    voting_opens_on: datetime.date,
    voting_closes_on: datetime.date,
    ends_on: datetime.date,
    votes_per_person: int,
    max_adopted: int,
    cycle: Cycle | None = None,
) -> None:
    """The rules of a cycle's dates and numbers, for a new cycle or a change to ``cycle``
    (the admin): DomainError, or Conflict for an overlap, naming the field at fault."""
    if voting_opens_on < starts_on:
        raise DomainError(_("Voting cannot open before the cycle starts."), field="voting_opens_on")
    if voting_closes_on < voting_opens_on:
        raise DomainError(_("Voting cannot close before it opens."), field="voting_closes_on")
    if ends_on < voting_closes_on:
        raise DomainError(_("The cycle cannot end before voting closes."), field="ends_on")
    if not 1 <= votes_per_person <= MAX_PER_CYCLE:
        raise DomainError(
            _("Give each person between 1 and %(max)d votes.") % {"max": MAX_PER_CYCLE},
            field="votes_per_person",
        )
    if not 1 <= max_adopted <= MAX_PER_CYCLE:
        raise DomainError(
            _("Allow between 1 and %(max)d priorities to be adopted.") % {"max": MAX_PER_CYCLE},
            field="max_adopted",
        )
    others = Cycle.objects.filter(
        neighbourhood=neighbourhood, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if cycle is not None and cycle.pk is not None:
        others = others.exclude(pk=cycle.pk)
    overlapping = others.first()
    if overlapping is not None:
        raise Conflict(
            _("These dates overlap “%(title)s” (%(start)s to %(end)s).")
            % {
                "title": overlapping.title,
                "start": overlapping.starts_on.isoformat(),
                "end": overlapping.ends_on.isoformat(),
            },
            field="starts_on",
            code="overlap",
        )


def declare_residency(*, user: Any, neighbourhood: Neighbourhood) -> Residency:
    """Record that the signed-in person lives or works in the neighbourhood. Declaring again
    changes nothing (a verification stands)."""
    _require_signed_in(user)
    with transaction.atomic():
        residency, _created = Residency.objects.get_or_create(
            user=user, neighbourhood=neighbourhood
        )
    return residency


def verify_residency(*, actor: Any, residency: Residency) -> Residency:
    """The team confirms a declared residency; confirming it again changes nothing."""
    _require_manager(actor, residency.neighbourhood)
    with transaction.atomic():
        residency = Residency.objects.select_for_update().get(pk=residency.pk)
        if residency.verified_at is None:
            residency.verified_at = timezone.now()
            residency.verified_by = actor
            residency.save(update_fields=["verified_at", "verified_by"])
            audit(actor=actor, action="residency.verified", target=residency)
    return residency


def _resident_refusal(user: Any, cycle: Cycle) -> DomainError | None:
    """Why the person may not take part as a resident of the cycle's neighbourhood, or None."""
    residency = Residency.objects.filter(user=user, neighbourhood_id=cycle.neighbourhood_id).first()
    if residency is None:
        return PermissionDenied(
            _("Say that you live or work in %(name)s first.") % {"name": cycle.neighbourhood.name},
            code="no_residency",
        )
    if not counts_as_resident(residency, cycle):
        return PermissionDenied(
            _("The team has not yet confirmed that you live or work here."),
            code="unverified",
        )
    return None


# --- candidates ---------------------------------------------------------------------------


def propose_priority(
    *,
    user: Any,
    cycle: Cycle,
    title: str,
    description: str = "",
    place: str = "",
    language: str = "",
) -> Priority:
    """A resident proposes a priority while the cycle takes proposals.

    The proposer must count as a resident (``counts_as_resident``); the title is required
    and may not repeat a candidate's already in the cycle.
    """
    _require_signed_in(user)
    title = _required_text(
        title,
        field="title",
        message=_("Say what the problem is and where."),
        max_length=_TITLE_MAX,
    )
    place = _optional_text(place, field="place", max_length=_PLACE_MAX)
    with transaction.atomic():
        cycle = _locked(cycle)
        if cycle.phase() != CyclePhase.PROPOSING:
            raise DomainError(
                _("Proposals are taken from %(start)s until voting opens on %(opens)s.")
                % {
                    "start": cycle.starts_on.isoformat(),
                    "opens": cycle.voting_opens_on.isoformat(),
                },
                code="not_proposing",
            )
        refusal = _resident_refusal(user, cycle)
        if refusal is not None:
            raise refusal
        _refuse_duplicate_title(cycle, title)
        return Priority.objects.create(
            cycle=cycle,
            title=title,
            description=(description or "").strip(),
            place=place,
            source=PrioritySource.RESIDENT,
            proposed_by=user,
            original_language=language,
        )


def add_candidate(
    *,
    actor: Any,
    cycle: Cycle,
    title: str,
    source: str,
    source_reference: str = "",
    description: str = "",
    place: str = "",
    language: str = "",
) -> Priority:
    """The team adds a candidate, linked to where it came from, any time before the results.

    ``source`` is one of the team's sources (not ``resident``). ``source_reference`` is
    required except for ``team``: report references (each a report of this neighbourhood
    the actor may handle), a meeting's id (a meeting of this neighbourhood), or the crime
    figures it is drawn from.
    """
    _require_manager(actor, cycle.neighbourhood)
    title = _required_text(
        title, field="title", message=_("Say what the problem is and where."), max_length=_TITLE_MAX
    )
    place = _optional_text(place, field="place", max_length=_PLACE_MAX)
    if source == PrioritySource.RESIDENT or source not in PrioritySource.values:
        raise DomainError(_("Choose where this candidate comes from."), field="source")
    reference = _checked_reference(actor, cycle, source, source_reference)
    with transaction.atomic():
        cycle = _locked(cycle)
        if cycle.phase() not in _CANDIDATE_PHASES:
            raise DomainError(
                _("Voting has closed: no more candidates can be added to this cycle."),
                code="too_late",
            )
        _refuse_duplicate_title(cycle, title)
        priority = Priority.objects.create(
            cycle=cycle,
            title=title,
            description=(description or "").strip(),
            place=place,
            source=source,
            source_reference=reference,
            original_language=language,
        )
        audit(
            actor=actor,
            action="priority.candidate_added",
            target=priority,
            detail={"cycle": cycle.pk, "source": source},
        )
    return priority


def _checked_reference(actor: Any, cycle: Cycle, source: str, value: str) -> str:
    """The source reference, normalised, once what it points to is known to exist."""
    reference = _optional_text(value, field="source_reference", max_length=_REFERENCE_MAX)
    if source == PrioritySource.TEAM:
        return reference
    if not reference:
        raise DomainError(
            _("Say which reports, meeting or figures this candidate comes from."),
            field="source_reference",
            code="required",
        )
    if source == PrioritySource.REPORT:
        references = [part.upper() for part in _REPORT_REFERENCES.split(reference) if part]
        for report_reference in references:
            try:
                report = get_report_for_triage(actor, report_reference)
            except DomainError as error:
                raise DomainError(error.message, field="source_reference") from None
            if report.neighbourhood_id != cycle.neighbourhood_id:
                raise DomainError(
                    _("Report %(reference)s is not in this neighbourhood.")
                    % {"reference": report_reference},
                    field="source_reference",
                )
        return ", ".join(references)
    if source == PrioritySource.MEETING:
        meeting = _meeting_of(cycle.neighbourhood, reference, field="source_reference")
        return str(meeting.pk)
    return reference


def _meeting_of(neighbourhood: Neighbourhood, meeting_id: Any, *, field: str) -> Meeting:
    meeting = None
    if str(meeting_id).isdigit():
        meeting = Meeting.objects.filter(pk=int(meeting_id), neighbourhoods=neighbourhood).first()
    if meeting is None:
        raise NotFound(
            _("There is no meeting %(id)s of this neighbourhood.") % {"id": str(meeting_id)[:12]},
            field=field,
        )
    return meeting


# --- votes --------------------------------------------------------------------------------


def cast_vote(*, user: Any, priority: Priority) -> Vote:
    """A resident votes online for a candidate while voting is open.

    One vote per candidate and at most the cycle's ``votes_per_person`` in the cycle; the
    voter must count as a resident of the neighbourhood (declared, verified if required).
    """
    _require_signed_in(user)
    with transaction.atomic():
        cycle = _locked(priority.cycle)
        _require_voting(cycle)
        refusal = _resident_refusal(user, cycle)
        if refusal is not None:
            raise refusal
        votes = Vote.objects.filter(priority__cycle=cycle, voter=user, method=VoteMethod.ONLINE)
        if votes.filter(priority=priority).exists():
            raise Conflict(_("You have already voted for this."), code="already_voted")
        if votes.count() >= cycle.votes_per_person:
            raise DomainError(
                _("You have used all your %(count)d votes. Withdraw one to vote for this instead.")
                % {"count": cycle.votes_per_person},
                code="no_votes_left",
            )
        return Vote.objects.create(priority=priority, method=VoteMethod.ONLINE, voter=user)


def withdraw_vote(*, user: Any, priority: Priority) -> None:
    """A resident takes back their vote for a candidate while voting is open. The vote row
    goes: it is the person's own, and a vote that no longer counts has nothing to show."""
    _require_signed_in(user)
    with transaction.atomic():
        cycle = _locked(priority.cycle)
        _require_voting(cycle)
        deleted, _rows = Vote.objects.filter(
            priority=priority, voter=user, method=VoteMethod.ONLINE
        ).delete()
        if not deleted:
            raise DomainError(_("You have not voted for this."), code="not_voted")


def _require_voting(cycle: Cycle) -> None:
    if cycle.phase() != CyclePhase.VOTING:
        raise DomainError(
            _("Voting is open from %(opens)s to %(closes)s only.")
            % {
                "opens": cycle.voting_opens_on.isoformat(),
                "closes": cycle.voting_closes_on.isoformat(),
            },
            code="outside_voting",
        )


def record_meeting_votes(*, actor: Any, priority: Priority, meeting: Meeting, count: int) -> Vote:
    """The team records a show of hands for a candidate at a meeting of the neighbourhood.

    The meeting must include the neighbourhood, not be cancelled and fall within the voting
    period; one count per meeting and candidate; the candidate must still be undecided.
    """
    cycle = priority.cycle
    _require_manager(actor, cycle.neighbourhood)
    if count is None or not 1 <= count <= MAX_HANDS:
        raise DomainError(
            _("Count between 1 and %(max)d hands.") % {"max": MAX_HANDS}, field="count"
        )
    with transaction.atomic():
        cycle = _locked(cycle)
        # Only while voting is open: once results are public, nobody may add to them.
        if cycle.phase() != CyclePhase.VOTING:
            raise DomainError(
                _("Hands counted at a meeting are recorded while voting is open."),
                code="outside_voting",
            )
        priority = Priority.objects.select_for_update().get(pk=priority.pk)
        if priority.status != PriorityStatus.PROPOSED:
            raise DomainError(
                _("This candidate is already decided: its votes are final."), code="decided"
            )
        meeting = _meeting_of(cycle.neighbourhood, meeting.pk, field="meeting")
        day = timezone.localdate(meeting.starts_at)
        if meeting.is_cancelled or not cycle.voting_opens_on <= day <= cycle.voting_closes_on:
            raise DomainError(
                _("Only a meeting held while voting was open can count votes."), field="meeting"
            )
        if Vote.objects.filter(priority=priority, meeting=meeting).exists():
            raise Conflict(
                _("A count from this meeting is already recorded for this candidate."),
                field="meeting",
                code="already_counted",
            )
        vote = Vote.objects.create(
            priority=priority,
            method=VoteMethod.MEETING,
            meeting=meeting,
            count=count,
            recorded_by=actor,
        )
        audit(
            actor=actor,
            action="priority.meeting_votes_recorded",
            target=priority,
            detail={"meeting": meeting.pk, "count": count},
        )
    return vote


# --- decisions ----------------------------------------------------------------------------


def _decidable(actor: Any, priority: Priority) -> tuple[Cycle, Priority]:
    """The locked cycle and candidate, once the actor may decide it and voting has closed."""
    _require_manager(actor, priority.cycle.neighbourhood)
    cycle = _locked(priority.cycle)
    if cycle.phase() not in RESULT_PHASES:
        raise DomainError(
            _("Candidates are decided after voting closes on %(date)s.")
            % {"date": cycle.voting_closes_on.isoformat()},
            code="voting_not_closed",
        )
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    if priority.status != PriorityStatus.PROPOSED:
        raise Conflict(_("This candidate is already decided."), code="decided")
    return cycle, priority


def adopt(
    *,
    actor: Any,
    priority: Priority,
    action_plan: str,
    action_owner: str,
    action_due_on: datetime.date | None,
) -> Priority:
    """The team adopts a candidate with its plan: what, who, by when.

    After voting closes; at most ``cycle.max_adopted`` per cycle; the due date may not be
    before voting closed. Sets ``adopted_at`` (police.uk's issue-date).
    """
    action_plan = _required_text(
        action_plan, field="action_plan", message=_("Say what the team will do.")
    )
    action_owner = _required_text(
        action_owner,
        field="action_owner",
        message=_("Say who will do it."),
        max_length=_OWNER_MAX,
    )
    if action_due_on is None:
        raise DomainError(_("Say by when it will be done."), field="action_due_on")
    with transaction.atomic():
        cycle, priority = _decidable(actor, priority)
        if action_due_on < cycle.voting_closes_on:
            raise DomainError(
                _("The date it is due cannot be before voting closed."), field="action_due_on"
            )
        adopted = Priority.objects.filter(cycle=cycle, status__in=ADOPTED_STATUSES).count()
        if adopted >= cycle.max_adopted:
            raise Conflict(
                _("This cycle already has its %(count)d adopted priorities.")
                % {"count": cycle.max_adopted},
                code="max_adopted",
            )
        priority.status = PriorityStatus.ADOPTED
        priority.action_plan = action_plan
        priority.action_owner = action_owner
        priority.action_due_on = action_due_on
        priority.adopted_at = timezone.now()
        priority.save(
            update_fields=["status", "action_plan", "action_owner", "action_due_on", "adopted_at"]
        )
        audit(actor=actor, action="priority.adopted", target=priority, detail={"cycle": cycle.pk})
    return priority


def decline(*, actor: Any, priority: Priority, reason: str) -> Priority:
    """The team does not adopt a candidate, and says why, publicly. After voting closes."""
    reason = _required_text(
        reason,
        field="reason",
        message=_("Say why it is not adopted: the reason is shown publicly."),
    )
    with transaction.atomic():
        cycle, priority = _decidable(actor, priority)
        priority.status = PriorityStatus.NOT_ADOPTED
        priority.decision_reason = reason
        priority.save(update_fields=["status", "decision_reason"])
        audit(actor=actor, action="priority.declined", target=priority, detail={"cycle": cycle.pk})
    return priority


def _adopted_and_open(actor: Any, priority: Priority) -> Priority:
    _require_manager(actor, priority.cycle.neighbourhood)
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    if priority.status != PriorityStatus.ADOPTED:
        raise Conflict(
            _("Only an adopted priority that is still open can take this."), code="not_open"
        )
    return priority


def post_update(*, actor: Any, priority: Priority, text: str, language: str = "") -> PriorityUpdate:
    """The team posts public progress on an adopted priority that is still open."""
    text = _required_text(text, field="text", message=_("Write the update."))
    with transaction.atomic():
        priority = _adopted_and_open(actor, priority)
        update = PriorityUpdate.objects.create(
            priority=priority, text=text, author=actor, original_language=language
        )
        audit(
            actor=actor,
            action="priority.update_posted",
            target=priority,
            detail={"update": update.pk},
        )
    return update


def close(*, actor: Any, priority: Priority, status: str, outcome: str) -> Priority:
    """The team closes an adopted priority as delivered or not delivered, with an account of
    what was done and what changed. Sets ``closed_at`` (police.uk's action-date)."""
    if status not in _CLOSING_STATUSES:
        raise DomainError(_("Say whether it was delivered."), field="status")
    outcome = _required_text(
        outcome, field="outcome", message=_("Say what was done and what changed.")
    )
    with transaction.atomic():
        priority = _adopted_and_open(actor, priority)
        priority.status = status
        priority.outcome = outcome
        priority.closed_at = timezone.now()
        priority.save(update_fields=["status", "outcome", "closed_at"])
        audit(actor=actor, action="priority.closed", target=priority, detail={"status": status})
    return priority
