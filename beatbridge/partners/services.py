"""Writes for partners and the liaison log.

Each function checks who may do it, runs in one transaction with its audit entry and
raises a ``DomainError`` on the field at fault. Concerns become reports and priority
candidates through the reports and voice services, never copies of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from beatbridge.accounts.permissions import is_administrator
from beatbridge.accounts.selectors import active_account_by_email
from beatbridge.accounts.services import make_partner_member
from beatbridge.audit.services import record as audit
from beatbridge.errors import Conflict, DomainError, PermissionDenied
from beatbridge.partners.models import (
    Contact,
    Engagement,
    EngagementKind,
    FollowUp,
    Organisation,
    OrganisationKind,
    RaisedConcern,
    Referral,
    ReferralStatus,
)
from beatbridge.partners.permissions import (
    acts_for,
    can_manage_partners_of,
    can_own_follow_ups,
)
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.web.languages import clean_language_codes
from beatbridge.web.validation import clean_text, refuse_nul_characters

_NAME_MAX = 200
_DESCRIPTION_MAX = 4000
_SUMMARY_MAX = 4000
_NOTE_MAX = 2000
_TOPIC_MAX = 100
_TOPICS_MAX = 20
_HELP_MAX = 20
_CONCERNS_MAX = 20
_FOLLOW_UPS_MAX = 20
# A meeting logged from a phone a few minutes early is not "in the future".
_CLOCK_SLACK = datetime.timedelta(minutes=10)


def _require_manager(by: Any, force_id: int) -> None:
    if not can_manage_partners_of(by, force_id):
        raise PermissionDenied(_("Only the police of the force may manage its partners."))


def _short_texts(values: Sequence[str] | None, *, field: str, label: str, most: int) -> list[str]:
    """A list of short texts (topics, what an organisation helps with): stripped, no repeats."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise DomainError(_("Give a list of short texts."), field=field)
    cleaned: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise DomainError(_("Give a list of short texts."), field=field)
        text = clean_text(value, field=field, label=label, max_length=_TOPIC_MAX)
        if text and text.casefold() not in {item.casefold() for item in cleaned}:
            cleaned.append(text)
    if len(cleaned) > most:
        raise DomainError(_("At most %(count)d, please.") % {"count": most}, field=field)
    return cleaned


# --- organisations ------------------------------------------------------------------------


@dataclass
class OrganisationDetails:
    """What the team records about an organisation; the same for creating and changing it."""

    name: str
    kind: str
    description: str = ""
    neighbourhoods: Sequence[Neighbourhood] = ()
    languages: list[str] = field(default_factory=list)
    help_offered: list[str] = field(default_factory=list)
    website: str = ""
    email: str = ""
    telephone: str = ""
    address: str = ""
    is_active: bool = True


def _clean_organisation(details: OrganisationDetails, *, force: Force) -> OrganisationDetails:
    refuse_nul_characters(
        {
            name: value
            for name, value in vars(details).items()
            if name != "neighbourhoods" and value is not None
        }
    )
    name = clean_text(
        details.name, field="name", label=_("the name"), max_length=_NAME_MAX, required=True
    )
    if details.kind not in OrganisationKind.values:
        raise DomainError(_("Choose what kind of organisation it is."), field="kind")
    website = clean_text(details.website, field="website", label=_("the website"), max_length=200)
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise DomainError(
                _("Enter a web address starting https://."), field="website"
            ) from None
    email = clean_text(details.email, field="email", label=_("the e-mail address"), max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    neighbourhoods = list(details.neighbourhoods or ())
    if any(neighbourhood.force_id != force.pk for neighbourhood in neighbourhoods):
        raise DomainError(
            _("Choose neighbourhoods of the organisation's force."), field="neighbourhoods"
        )
    return OrganisationDetails(
        name=name,
        kind=details.kind,
        description=clean_text(
            details.description,
            field="description",
            label=_("the description"),
            max_length=_DESCRIPTION_MAX,
        ),
        neighbourhoods=neighbourhoods,
        languages=clean_language_codes(details.languages, field="languages"),
        help_offered=_short_texts(
            details.help_offered,
            field="help_offered",
            label=_("what it helps with"),
            most=_HELP_MAX,
        ),
        website=website,
        email=email.lower(),
        telephone=clean_text(
            details.telephone, field="telephone", label=_("the telephone number"), max_length=40
        ),
        address=clean_text(
            details.address, field="address", label=_("the address"), max_length=500
        ),
        is_active=bool(details.is_active),
    )


# Page addresses under manage/partners/ that an organisation's identifier may not take.
_RESERVED_SLUGS = frozenset({"new", "concerns", "contacts"})


def _unique_slug(name: str, *, exclude: int | None = None) -> str:
    base = (slugify(name) or "partner")[:70].strip("-") or "partner"
    taken = _RESERVED_SLUGS | set(
        Organisation.objects.filter(slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_organisation(*, by: Any, force: Force, details: OrganisationDetails) -> Organisation:
    """Add a partner organisation of ``force``; its identifier (slug) comes from its name.

    The police of the force and administrators only. Two organisations of the same force
    may not share a name (the directory could not tell them apart).
    """
    _require_manager(by, force.pk)
    details = _clean_organisation(details, force=force)
    with transaction.atomic():
        _refuse_same_name(force, details.name)
        neighbourhoods = details.neighbourhoods
        values = {k: v for k, v in vars(details).items() if k != "neighbourhoods"}
        organisation = Organisation.objects.create(
            force=force, slug=_unique_slug(details.name), **values
        )
        organisation.neighbourhoods.set(neighbourhoods)
        audit(actor=by, action="partner.created", target=organisation)
    return organisation


def _refuse_same_name(force: Force, name: str, *, exclude: int | None = None) -> None:
    if Organisation.objects.filter(force=force, name__iexact=name).exclude(pk=exclude).exists():
        raise Conflict(
            _("The force already has a partner of that name."), field="name", code="duplicate"
        )


def update_organisation(
    *, organisation: Organisation, by: Any, details: OrganisationDetails
) -> Organisation:
    """Change what is recorded about an organisation; its identifier stays the same.

    Making it inactive takes it out of referral and event choices, and its contacts lose
    their portal, without deleting anything.
    """
    _require_manager(by, organisation.force_id)
    details = _clean_organisation(details, force=organisation.force)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _refuse_same_name(organisation.force, details.name, exclude=organisation.pk)
        values = {k: v for k, v in vars(details).items() if k != "neighbourhoods"}
        changed = [name for name, value in values.items() if getattr(organisation, name) != value]
        for name in changed:
            setattr(organisation, name, values[name])
        if changed:
            organisation.save(update_fields=changed)
        before = set(organisation.neighbourhoods.values_list("pk", flat=True))
        after = {neighbourhood.pk for neighbourhood in details.neighbourhoods}
        if before != after:
            organisation.neighbourhoods.set(details.neighbourhoods)
            changed.append("neighbourhoods")
        if changed:
            audit(
                actor=by, action="partner.updated", target=organisation, detail={"fields": changed}
            )
    return organisation


# --- contacts -----------------------------------------------------------------------------


def add_contact(
    *,
    organisation: Organisation,
    by: Any,
    email: str,
    job_title: str = "",
    is_primary: bool = False,
) -> Contact:
    """Let the person with the account ``email`` act for the organisation.

    The account must exist (the person signs up first) and may not be a police or
    administrator account. A contact who was ended is made active again. A resident's
    account becomes a partner-organisation member's (``accounts.services.make_partner_member``).
    """
    _require_manager(by, organisation.force_id)
    refuse_nul_characters({"email": email, "job_title": job_title})
    email = clean_text(
        email, field="email", label=_("the e-mail address"), max_length=254, required=True
    )
    job_title = clean_text(job_title, field="job_title", label=_("the job title"), max_length=120)
    user = active_account_by_email(email)
    if user is None:
        raise DomainError(
            _("Nobody has an account with that e-mail address: ask them to sign up first."),
            field="email",
            code="unknown",
        )
    if user.is_police or is_administrator(user):
        raise DomainError(
            _("Police and administrator accounts cannot act for a partner."), field="email"
        )
    with transaction.atomic():
        contact, created = Contact.objects.select_for_update().get_or_create(
            organisation=organisation,
            user=user,
            defaults={"job_title": job_title, "is_primary": is_primary},
        )
        if not created:
            if contact.is_active:
                raise Conflict(_("This person already acts for the organisation."), field="email")
            contact.is_active = True
            contact.job_title = job_title
            contact.is_primary = is_primary
            contact.save(update_fields=["is_active", "job_title", "is_primary"])
        if is_primary:
            organisation.contacts.exclude(pk=contact.pk).update(is_primary=False)
        make_partner_member(user=user, by=by)
        audit(
            actor=by,
            action="partner.contact_added",
            target=organisation,
            detail={"contact": contact.pk, "user": user.pk},
        )
    return contact


def end_contact(*, contact: Contact, by: Any) -> Contact:
    """The person no longer acts for the organisation; the row stays so the log keeps names."""
    _require_manager(by, contact.organisation.force_id)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if not contact.is_active:
            raise Conflict(_("This contact has already been ended."), code="already_ended")
        contact.is_active = False
        contact.is_primary = False
        contact.save(update_fields=["is_active", "is_primary"])
        audit(
            actor=by,
            action="partner.contact_ended",
            target=contact.organisation,
            detail={"contact": contact.pk},
        )
    return contact


# --- engagements --------------------------------------------------------------------------


@dataclass
class FollowUpDetails:
    description: str
    due_on: datetime.date | None
    owner: Any


def _clean_follow_up(
    item: FollowUpDetails, *, force_id: int, field: str, earliest: datetime.date | None = None
) -> FollowUpDetails:
    description = clean_text(
        item.description,
        field=field,
        label=_("what was agreed"),
        max_length=FollowUp._meta.get_field("description").max_length or 500,
        required=True,
    )
    if item.due_on is None:
        raise DomainError(_("Give the date it is due."), field=field, code="required")
    if earliest is not None and item.due_on < earliest:
        raise DomainError(_("A follow-up cannot be due before it was agreed."), field=field)
    if item.owner is None or not can_own_follow_ups(item.owner, force_id):
        raise DomainError(_("Choose someone of the force's police to own it."), field=field)
    return FollowUpDetails(description=description, due_on=item.due_on, owner=item.owner)


def log_engagement(
    *,
    by: Any,
    organisation: Organisation,
    kind: str,
    occurred_at: datetime.datetime,
    summary: str,
    topics: Sequence[str] = (),
    neighbourhood: Neighbourhood | None = None,
    shared_with_partner: bool = True,
    internal_note: str = "",
    concerns: Sequence[str] = (),
    follow_ups: Sequence[FollowUpDetails] = (),
) -> Engagement:
    """Record a meeting, call or visit with its topics, concerns raised and follow-ups.

    All or nothing: a bad concern or follow-up refuses the whole entry (its field is
    ``concerns.<n>`` or ``follow_ups.<n>``, counted from 0). Follow-ups are owed by
    police of the organisation's force and due no earlier than the engagement.
    """
    _require_manager(by, organisation.force_id)
    refuse_nul_characters(
        {
            "summary": summary,
            "internal_note": internal_note,
            "topics": list(topics or ()),
            **{f"concerns.{i}": text for i, text in enumerate(concerns)},
            **{f"follow_ups.{i}": item.description for i, item in enumerate(follow_ups)},
        }
    )
    if kind not in EngagementKind.values:
        raise DomainError(_("Choose what kind of engagement it was."), field="kind")
    if occurred_at is None or timezone.is_naive(occurred_at):
        raise DomainError(_("Enter when it took place."), field="occurred_at", code="required")
    if occurred_at > timezone.now() + _CLOCK_SLACK:
        raise DomainError(_("It cannot have taken place in the future."), field="occurred_at")
    summary = clean_text(
        summary,
        field="summary",
        label=_("what was discussed"),
        max_length=_SUMMARY_MAX,
        required=True,
    )
    internal_note = clean_text(
        internal_note, field="internal_note", label=_("the internal note"), max_length=_NOTE_MAX
    )
    topics = _short_texts(topics, field="topics", label=_("a topic"), most=_TOPICS_MAX)
    if neighbourhood is not None and neighbourhood.force_id != organisation.force_id:
        raise DomainError(_("Choose a neighbourhood of the force."), field="neighbourhood")
    if len(concerns) > _CONCERNS_MAX or len(follow_ups) > _FOLLOW_UPS_MAX:
        raise DomainError(_("Too many concerns or follow-ups in one entry."), field="concerns")
    cleaned_concerns = [
        clean_text(
            text,
            field=f"concerns.{index}",
            label=_("the concern"),
            max_length=_NOTE_MAX,
            required=True,
        )
        for index, text in enumerate(concerns)
    ]
    day = timezone.localdate(occurred_at)
    cleaned_follow_ups = [
        _clean_follow_up(
            item, force_id=organisation.force_id, field=f"follow_ups.{index}", earliest=day
        )
        for index, item in enumerate(follow_ups)
    ]
    with transaction.atomic():
        engagement = Engagement.staff_objects.create(
            organisation=organisation,
            officer=by,
            neighbourhood=neighbourhood,
            kind=kind,
            occurred_at=occurred_at,
            topics=topics,
            summary=summary,
            shared_with_partner=shared_with_partner,
            internal_note=internal_note,
        )
        RaisedConcern.objects.bulk_create(
            RaisedConcern(engagement=engagement, description=text) for text in cleaned_concerns
        )
        FollowUp.objects.bulk_create(
            FollowUp(
                engagement=engagement,
                description=item.description,
                due_on=item.due_on,
                owner=item.owner,
            )
            for item in cleaned_follow_ups
        )
        audit(
            actor=by,
            action="engagement.logged",
            target=engagement,
            detail={
                "organisation": organisation.pk,
                "concerns": len(cleaned_concerns),
                "follow_ups": len(cleaned_follow_ups),
            },
        )
    return engagement


def complete_follow_up(*, follow_up: FollowUp, by: Any, outcome: str) -> FollowUp:
    """Mark a follow-up done with what came of it; done once."""
    _require_manager(by, follow_up.engagement.organisation.force_id)
    refuse_nul_characters({"outcome": outcome})
    outcome = clean_text(
        outcome, field="outcome", label=_("the outcome"), max_length=_NOTE_MAX, required=True
    )
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.done_at is not None:
            raise Conflict(_("This follow-up is already done."), code="already_done")
        follow_up.done_at = timezone.now()
        follow_up.done_by = by
        follow_up.outcome = outcome
        follow_up.save(update_fields=["done_at", "done_by", "outcome"])
        audit(actor=by, action="follow_up.completed", target=follow_up)
    return follow_up


def reassign_follow_up(*, follow_up: FollowUp, by: Any, owner: Any) -> FollowUp:
    """Give an open follow-up to someone else of the force's police."""
    force_id = follow_up.engagement.organisation.force_id
    _require_manager(by, force_id)
    if owner is None or not can_own_follow_ups(owner, force_id):
        raise DomainError(_("Choose someone of the force's police to own it."), field="owner")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.done_at is not None:
            raise Conflict(_("This follow-up is already done."), code="already_done")
        if follow_up.owner_id == owner.pk:
            return follow_up
        before = follow_up.owner_id
        follow_up.owner = owner
        follow_up.save(update_fields=["owner"])
        audit(
            actor=by,
            action="follow_up.reassigned",
            target=follow_up,
            detail={"from": before, "to": owner.pk},
        )
    return follow_up


# --- concerns become reports or priority candidates ---------------------------------------


def _locked_unconverted(concern: RaisedConcern, by: Any) -> RaisedConcern:
    _require_manager(by, concern.engagement.organisation.force_id)
    concern = (
        RaisedConcern.objects.select_for_update(of=("self",))
        .select_related("engagement__organisation", "engagement__neighbourhood")
        .get(pk=concern.pk)
    )
    if concern.report_reference or concern.priority_id:
        raise Conflict(
            _("This concern has already become a report or a priority."), code="already_converted"
        )
    return concern


def _neighbourhood_for(concern: RaisedConcern, chosen: Neighbourhood | None) -> Neighbourhood:
    """The chosen neighbourhood, else the engagement's; it must be of the force."""
    neighbourhood = chosen or concern.engagement.neighbourhood
    if neighbourhood is None:
        raise DomainError(
            _("Choose the neighbourhood the concern is about."),
            field="neighbourhood",
            code="required",
        )
    if neighbourhood.force_id != concern.engagement.organisation.force_id:
        raise DomainError(_("Choose a neighbourhood of the force."), field="neighbourhood")
    return neighbourhood


def _converted(concern: RaisedConcern, by: Any, **values: Any) -> None:
    for name, value in values.items():
        setattr(concern, name, value)
    concern.converted_by = by
    concern.converted_at = timezone.now()
    concern.save(update_fields=[*values, "converted_by", "converted_at"])


@transaction.atomic
def concern_to_report(
    *, concern: RaisedConcern, by: Any, category: Any, neighbourhood: Neighbourhood | None = None
) -> Any:
    """File a concern raised in an engagement as a report of the neighbourhood, in one step.

    The report has no reporter (the partner raised it in conversation) and is private.
    The neighbourhood is the engagement's unless one is chosen.
    """
    from beatbridge.reports.models import ReportKind, Source
    from beatbridge.reports.services import Place, submit_report

    concern = _locked_unconverted(concern, by)
    neighbourhood = _neighbourhood_for(concern, neighbourhood)
    if category is None or category.force_id != neighbourhood.force_id:
        raise DomainError(_("Choose a category of this force."), field="category")
    engagement = concern.engagement
    report = submit_report(
        kind=ReportKind.CONCERN,
        category=category,
        description=concern.description,
        place=Place(
            address=engagement.organisation.address or neighbourhood.name,
            neighbourhood=neighbourhood,
        ),
        source=Source.WEB,
        reporter=None,
        # The partner spoke to the police in confidence: not for the public pages.
        is_private=True,
        submitter_scope=f"engagement:{engagement.pk}",
        submission_key=f"concern:{concern.pk}",
    ).report
    _converted(concern, by, report_reference=report.reference)
    audit(
        actor=by,
        action="engagement.concern_to_report",
        target=engagement,
        detail={"concern": concern.pk, "report": report.reference},
    )
    return report


@transaction.atomic
def concern_to_priority(
    *,
    concern: RaisedConcern,
    by: Any,
    title: str = "",
    neighbourhood: Neighbourhood | None = None,
) -> Any:
    """Make a concern a candidate priority of the neighbourhood's current cycle, in one step.

    Through ``voice``'s ``add_candidate``: only the neighbourhood's team may, and only
    while the cycle takes candidates. The candidate says it came from the team, with the
    engagement as its reference.
    """
    from beatbridge.voice.models import PrioritySource
    from beatbridge.voice.selectors.priorities import current_cycle
    from beatbridge.voice.services.priorities import add_candidate

    concern = _locked_unconverted(concern, by)
    neighbourhood = _neighbourhood_for(concern, neighbourhood)
    cycle = current_cycle(neighbourhood)
    if cycle is None:
        raise DomainError(
            _(
                "%(neighbourhood)s has no priority cycle taking candidates. "
                "Open a cycle first, or turn the concern into a report."
            )
            % {"neighbourhood": neighbourhood.name},
            field="neighbourhood",
            code="no_open_cycle",
        )
    engagement = concern.engagement
    priority = add_candidate(
        actor=by,
        cycle=cycle,
        title=(title or "").strip() or concern.description[:200],
        source=PrioritySource.PARTNER,
        source_reference=f"engagement {engagement.pk}",
        description=concern.description,
    )
    _converted(concern, by, priority_id=priority.pk)
    audit(
        actor=by,
        action="engagement.concern_to_priority",
        target=engagement,
        detail={"concern": concern.pk, "priority": priority.pk, "cycle": cycle.pk},
    )
    return priority


# --- referrals ----------------------------------------------------------------------------


def refer_to_organisation(*, report: Any, by: Any, organisation: Organisation, note: str) -> Any:
    """Refer a report to a partner organisation: the report says so, and the partner sees it.

    Through ``reports.services.refer`` (status, public note, the reporter told), and a
    ``Referral`` in the same transaction. The organisation must be an active partner of
    the report's force, and is referred a report once.
    """
    from beatbridge.reports import services as report_services

    if organisation is None or not organisation.is_active:
        raise DomainError(_("Choose an active partner organisation."), field="organisation")
    if organisation.force_id != report.force_id:
        raise DomainError(_("Choose a partner of the report's force."), field="organisation")
    with transaction.atomic():
        if Referral.objects.filter(report=report, organisation=organisation).exists():
            raise Conflict(
                _("The report has already been referred to this organisation."),
                field="organisation",
                code="already_referred",
            )
        report = report_services.refer(report=report, by=by, to=organisation.name, note=note)
        referral = Referral.objects.create(
            report=report, organisation=organisation, note=report_note(note), referred_by=by
        )
        audit(
            actor=by,
            action="referral.created",
            target=referral,
            detail={"report": report.reference, "organisation": organisation.pk},
        )
    return report


def report_note(note: str) -> str:
    # reports.services.refer has already refused an empty or over-long note.
    return (note or "").strip()[:_NOTE_MAX]


_RESPONSES = {
    ReferralStatus.OPEN: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED},
    ReferralStatus.ACCEPTED: {ReferralStatus.CLOSED},
}


def respond_to_referral(*, referral: Referral, by: Any, status: str, response: str) -> Referral:
    """The partner accepts or declines a referral, and closes one it accepted.

    Only a contact of the organisation. A decline or a close says why (``response``).
    """
    if not acts_for(by, referral.organisation):
        raise PermissionDenied(_("Only the organisation's contacts may answer its referrals."))
    refuse_nul_characters({"response": response})
    response = clean_text(
        response,
        field="response",
        label=_("a response"),
        max_length=_NOTE_MAX,
        required=status in (ReferralStatus.DECLINED, ReferralStatus.CLOSED),
    )
    if status not in ReferralStatus.values or status == ReferralStatus.OPEN:
        raise DomainError(_("Choose accept, decline or close."), field="status")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if status not in _RESPONSES.get(referral.status, set()):
            raise Conflict(
                _("A referral that is %(status)s cannot be %(new)s.")
                % {
                    "status": referral.get_status_display().lower(),
                    "new": ReferralStatus(status).label.lower(),
                },
                field="status",
                code="wrong_status",
            )
        before = referral.status
        referral.status = status
        referral.response = response
        referral.responded_at = timezone.now()
        referral.save(update_fields=["status", "response", "responded_at"])
        audit(
            actor=by,
            action="referral.answered",
            target=referral,
            detail={"from": before, "to": status},
        )
    return referral
