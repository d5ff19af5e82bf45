"""Reads for partners and the liaison log: one access helper per scoped thing.

Staff helpers raise NotFound for what is outside the person's force (whether it exists is
not theirs to learn) and PermissionDenied for someone who may not use the staff pages at
all. Contacts read only through the ``portal_*`` and ``*_for_contact`` functions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.accounts.permissions import is_administrator
from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.partners.models import (
    Contact,
    Engagement,
    FollowUp,
    Organisation,
    RaisedConcern,
    Referral,
)
from beatbridge.partners.permissions import (
    can_see_force_follow_ups,
    can_use_partner_pages,
    contact_organisation_ids,
    force_of,
)

# How many days ahead a follow-up counts as "due soon".
DUE_SOON_DAYS = 7

MINE = "mine"
TEAM = "team"
FORCE = "force"
SCOPES = (MINE, TEAM, FORCE)


def _require_staff(user: Any) -> None:
    if not can_use_partner_pages(user):
        raise PermissionDenied(_("Only the police and administrators may see partner records."))


def _organisations_of(user: Any) -> QuerySet[Organisation]:
    _require_staff(user)
    organisations = Organisation.objects.all()
    if is_administrator(user):
        return organisations
    return organisations.filter(force_id=force_of(user))


# --- organisations ------------------------------------------------------------------------


def organisations_for_staff(
    user: Any,
    *,
    kind: str = "",
    neighbourhood_code: str = "",
    language: str = "",
    search: str = "",
    include_inactive: bool = False,
) -> QuerySet[Organisation]:
    """The directory: the person's force's organisations (every force for administrators)."""
    organisations = _organisations_of(user)
    if not include_inactive:
        organisations = organisations.filter(is_active=True)
    if kind:
        organisations = organisations.filter(kind=kind)
    if neighbourhood_code:
        organisations = organisations.filter(neighbourhoods__code=neighbourhood_code)
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(description__icontains=search)
        )
    organisations = organisations.select_related("force").prefetch_related("neighbourhoods")
    if language:
        # JSON containment is not on SQLite: filter the (small) directory in Python.
        wanted = language.strip().lower()
        ids = [o.pk for o in organisations if wanted in (o.languages or [])]
        organisations = organisations.filter(pk__in=ids)
    return organisations.distinct().order_by("name")


def get_organisation_for_staff(user: Any, slug: str) -> Organisation:
    """One organisation of the person's force; NotFound otherwise."""
    organisation = (
        _organisations_of(user).select_related("force").filter(slug=str(slug)[:80]).first()
    )
    if organisation is None:
        raise NotFound(_("There is no such partner organisation."), field="organisation")
    return organisation


def organisations_to_refer_to(force_id: int) -> QuerySet[Organisation]:
    """Active partners of a force: what a report may be referred to, or an event co-run by."""
    return Organisation.objects.filter(force_id=force_id, is_active=True).order_by("name")


def contacts_of(organisation: Organisation, *, include_ended: bool = True) -> QuerySet[Contact]:
    """The organisation's contacts with their accounts; the caller audits the view."""
    contacts = organisation.contacts.select_related("user")
    if not include_ended:
        contacts = contacts.filter(is_active=True)
    return contacts.order_by("-is_active", "-is_primary", "created_at")


def get_contact_for_staff(user: Any, contact_id: int) -> Contact:
    contact = (
        Contact.objects.select_related("organisation", "user")
        .filter(pk=contact_id, organisation__in=_organisations_of(user))
        .first()
    )
    if contact is None:
        raise NotFound(_("There is no such contact."), field="contact")
    return contact


# --- engagements, concerns, follow-ups ----------------------------------------------------


def _engagement_details(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    return engagements.select_related("officer", "neighbourhood", "organisation").prefetch_related(
        Prefetch("concerns", queryset=RaisedConcern.objects.select_related("converted_by")),
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner", "done_by")),
    )


def engagements_for_staff(user: Any, *, organisation: Organisation | None = None) -> Any:
    """Engagements of the person's force (or of one organisation), newest first."""
    engagements = Engagement.staff_objects.filter(organisation__in=_organisations_of(user))
    if organisation is not None:
        engagements = engagements.filter(organisation=organisation)
    return _engagement_details(engagements).order_by("-occurred_at", "-pk")


def get_engagement_for_staff(user: Any, engagement_id: int) -> Engagement:
    engagement = (
        _engagement_details(
            Engagement.staff_objects.filter(organisation__in=_organisations_of(user))
        )
        .filter(pk=engagement_id)
        .first()
    )
    if engagement is None:
        raise NotFound(_("There is no such engagement."), field="engagement")
    return engagement


def get_concern_for_staff(user: Any, concern_id: int) -> RaisedConcern:
    concern = (
        RaisedConcern.objects.select_related(
            "engagement__organisation__force", "engagement__neighbourhood"
        )
        .filter(pk=concern_id, engagement__organisation__in=_organisations_of(user))
        .first()
    )
    if concern is None:
        raise NotFound(_("There is no such concern."), field="concern")
    return concern


def get_follow_up_for_staff(user: Any, follow_up_id: int) -> FollowUp:
    follow_up = (
        FollowUp.objects.select_related("engagement__organisation", "owner")
        .filter(pk=follow_up_id, engagement__organisation__in=_organisations_of(user))
        .first()
    )
    if follow_up is None:
        raise NotFound(_("There is no such follow-up."), field="follow_up")
    return follow_up


def follow_ups_for(user: Any, *, scope: str = MINE, include_done: bool = False) -> Any:
    """Follow-ups for an officer: theirs, their team's (owned by anyone serving a
    neighbourhood they serve), or the force's (supervisors and administrators).

    Open ones by default; ordered by due date, so what is overdue comes first.
    """
    from beatbridge.accounts.models import TeamAssignment

    _require_staff(user)
    follow_ups = FollowUp.objects.select_related(
        "owner", "done_by", "engagement__organisation", "engagement__neighbourhood"
    )
    if scope == FORCE:
        force_id = force_of(user)
        if is_administrator(user) and force_id is None:
            pass
        elif force_id is not None and can_see_force_follow_ups(user, force_id):
            follow_ups = follow_ups.filter(engagement__organisation__force_id=force_id)
        else:
            raise PermissionDenied(_("Only supervisors see every follow-up of the force."))
    elif scope == TEAM:
        current = TeamAssignment.objects.current()
        mine = current.filter(officer__user=user).values("neighbourhood_id")
        team = current.filter(neighbourhood_id__in=mine).values("officer__user_id")
        follow_ups = follow_ups.filter(Q(owner_id__in=team) | Q(owner=user))
    else:
        follow_ups = follow_ups.filter(owner=user)
    if not include_done:
        follow_ups = follow_ups.filter(done_at__isnull=True)
    return follow_ups.order_by("done_at", "due_on", "pk")


def due_soon_limit() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=DUE_SOON_DAYS)


@dataclass
class OrganisationHistory:
    """An organisation's whole story, for its page: one query per kind of thing."""

    organisation: Organisation
    engagements: list[Engagement]
    referrals: list[Referral]
    events: list[Any]
    open_follow_ups: int
    overdue_follow_ups: int


def history_of(organisation: Organisation) -> OrganisationHistory:
    """Engagements (with concerns and what they became, and follow-ups), referrals and
    co-organised events, newest first."""
    engagements = list(
        _engagement_details(Engagement.staff_objects.filter(organisation=organisation)).order_by(
            "-occurred_at", "-pk"
        )
    )
    follow_ups = [f for engagement in engagements for f in engagement.follow_ups.all()]
    today = timezone.localdate()
    return OrganisationHistory(
        organisation=organisation,
        engagements=engagements,
        referrals=list(referrals_of(organisation).select_related("referred_by")),
        events=list(co_organised_events(organisation)),
        open_follow_ups=sum(1 for f in follow_ups if f.done_at is None),
        overdue_follow_ups=sum(1 for f in follow_ups if f.done_at is None and f.due_on < today),
    )


def referrals_of(organisation: Organisation) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(organisation=organisation)
        .select_related("report", "organisation")
        .order_by("-referred_at", "-pk")
    )


def co_organised_events(organisation: Organisation) -> Any:
    return organisation.co_organised_events.order_by("-starts_at")


# --- the partner portal -------------------------------------------------------------------


def _require_contact(user: Any) -> set[int]:
    ids = contact_organisation_ids(user)
    if not ids:
        raise PermissionDenied(_("Only people who act for a partner organisation may open this."))
    return ids


def portal_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations this person acts for; PermissionDenied for anyone else."""
    return Organisation.objects.filter(pk__in=_require_contact(user)).order_by("name")


def portal_referrals(user: Any) -> QuerySet[Referral]:
    """Reports referred to the person's organisations: all a partner sees of reports."""
    return (
        Referral.objects.filter(organisation_id__in=_require_contact(user))
        .select_related("report__category", "report__neighbourhood", "organisation")
        .order_by("-referred_at", "-pk")
    )


def get_referral_for_contact(user: Any, referral_id: int) -> Referral:
    referral = portal_referrals(user).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound(_("There is no such referral."), field="referral")
    return referral


def portal_engagements(user: Any) -> QuerySet[Engagement]:
    """The organisations' shared engagements, with their concerns and follow-ups.

    Callers show no ``internal_note`` and no officer's account details.
    """
    return (
        Engagement.shared_objects.filter(organisation_id__in=_require_contact(user))
        .select_related("organisation", "neighbourhood")
        .prefetch_related("concerns", Prefetch("follow_ups", queryset=FollowUp.objects.all()))
        .order_by("-occurred_at", "-pk")
    )


def portal_events(user: Any) -> Any:
    """Events the person's organisations co-organise, latest first."""
    from beatbridge.voice.selectors.events import events_co_organised_by

    return events_co_organised_by(_require_contact(user))
