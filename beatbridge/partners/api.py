"""The partners JSON API under /api/v1/: organisations, contacts, the liaison log,
follow-ups, concern conversion, and referrals for partners.

The same rules as the pages, from the same selectors and services: the police of a force
and administrators manage its partners (``/partners/...``); a partner's contacts read
and answer what is shared with their organisation (``/partner/...``). A signed-in
person is known by their session; writes carry the CSRF token (``SessionOrAnonymous``).
"""

# No ``from __future__ import annotations``: ninja reads the parameters of a @paginate'd
# handler through the decorator's wrapper, whose module cannot resolve names given as text.

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from beatbridge.accounts import selectors as accounts_selectors
from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, NotFound, input_error
from beatbridge.partners import selectors, services
from beatbridge.partners.models import Organisation
from beatbridge.partners.schemas import (
    CompleteIn,
    ConvertedOut,
    EngagementConcernToPriorityIn,
    EngagementConcernToReportIn,
    EngagementIn,
    EngagementOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationUpdateIn,
    PartnerContactIn,
    PartnerContactOut,
    PartnerFollowUpOut,
    PartnerReferralOut,
    ReassignIn,
    ReferralResponseIn,
    SharedEngagementOut,
)
from beatbridge.places import selectors as places_selectors
from beatbridge.places.api import ErrorOut, Pages
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.reports.api import SessionOrAnonymous

router = Router(tags=["partners"], auth=SessionOrAnonymous())

READ = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
SLUG = r"^[-a-z0-9]{1,80}$"
MAX_ID = 2**31 - 1


class FollowUpQuery(Schema):
    scope: str = "mine"
    include_done: bool = False


class DirectoryQuery(Schema):
    kind: str = ""
    neighbourhood: str = ""
    language: str = ""
    q: str = ""
    include_inactive: bool = False


def _force(slug: str) -> Force:
    try:
        return places_selectors.get_force(slug)
    except NotFound as error:
        raise input_error(error, "force") from None


def _neighbourhood(force: Force, code: str | None, *, field: str) -> Neighbourhood | None:
    if not code:
        return None
    try:
        return places_selectors.get_neighbourhood(force, code)
    except NotFound as error:
        raise input_error(error, field) from None


def _neighbourhoods(force: Force, codes: list[str]) -> list[Neighbourhood]:
    return [_neighbourhood(force, code, field="neighbourhoods") for code in codes]  # type: ignore[misc]


def _police_account(user_id: int, *, field: str) -> Any:
    user = accounts_selectors.account_by_id(user_id)
    if user is None:
        raise DomainError(_("There is no such account."), field=field, code="unknown")
    return user


# --- organisations ------------------------------------------------------------------------


@router.get(
    "/partners/organisations",
    response={200: list[OrganisationOut], **READ},
    url_name="v1-partner-organisations",
    summary="Partner organisations of your force (police)",
)
@paginate(Pages)
def list_organisations(request: HttpRequest, filters: Query[DirectoryQuery]) -> Any:
    """Partner organisations of your force (police)."""
    return selectors.organisations_for_staff(
        request.auth,
        kind=filters.kind,
        neighbourhood_code=filters.neighbourhood[:40],
        language=filters.language,
        search=filters.q[:100],
        include_inactive=filters.include_inactive,
    )


@router.post(
    "/partners/organisations",
    response={201: OrganisationOut, **WRITE},
    url_name="v1-partner-organisation-create",
    summary="Add a partner organisation (police)",
)
def create_organisation(request: HttpRequest, body: OrganisationIn) -> Any:
    """Add a partner organisation (police)."""
    force = _force(body.force)
    values = body.model_dump(exclude={"force", "neighbourhoods"})
    organisation = services.create_organisation(
        by=request.auth,
        force=force,
        details=services.OrganisationDetails(
            **values, neighbourhoods=_neighbourhoods(force, body.neighbourhoods)
        ),
    )
    return Status(201, organisation)


@router.get(
    "/partners/organisations/{slug}",
    response={200: OrganisationOut, **READ},
    url_name="v1-partner-organisation",
    summary="One partner organisation (police)",
)
def get_organisation(request: HttpRequest, slug: str = Path(..., pattern=SLUG)) -> Any:
    """One partner organisation (police)."""
    return selectors.get_organisation_for_staff(request.auth, slug)


@router.patch(
    "/partners/organisations/{slug}",
    response={200: OrganisationOut, **WRITE},
    url_name="v1-partner-organisation-update",
    summary="Change a partner organisation (police)",
)
def update_organisation(
    request: HttpRequest, body: OrganisationUpdateIn, slug: str = Path(..., pattern=SLUG)
) -> Any:
    """Change a partner organisation (police)."""
    organisation = selectors.get_organisation_for_staff(request.auth, slug)
    details = _details_of(organisation)
    for name, value in body.model_dump(exclude_unset=True, exclude={"neighbourhoods"}).items():
        if value is not None:
            setattr(details, name, value)
    if body.neighbourhoods is not None:
        details.neighbourhoods = _neighbourhoods(organisation.force, body.neighbourhoods)
    return services.update_organisation(organisation=organisation, by=request.auth, details=details)


def _details_of(organisation: Organisation) -> services.OrganisationDetails:
    names = [n for n in services.OrganisationDetails.__dataclass_fields__ if n != "neighbourhoods"]
    return services.OrganisationDetails(
        **{name: getattr(organisation, name) for name in names},
        neighbourhoods=list(organisation.neighbourhoods.all()),
    )


# --- contacts -----------------------------------------------------------------------------


@router.get(
    "/partners/organisations/{slug}/contacts",
    response={200: list[PartnerContactOut], **READ},
    url_name="v1-partner-contacts",
    summary="The people who act for an organisation (police; audited)",
)
@paginate(Pages)
def list_contacts(request: HttpRequest, slug: str = Path(..., pattern=SLUG)) -> Any:
    """The people who act for an organisation (police; audited)."""
    organisation = selectors.get_organisation_for_staff(request.auth, slug)
    # Names and e-mail addresses of the organisation's people: a view of personal data.
    audit(actor=request.auth, action="partner.contacts_viewed", target=organisation)
    return selectors.contacts_of(organisation)


@router.post(
    "/partners/organisations/{slug}/contacts",
    response={201: PartnerContactOut, **WRITE},
    url_name="v1-partner-contact-add",
    summary="Let a person act for an organisation (police)",
)
def add_contact(
    request: HttpRequest, body: PartnerContactIn, slug: str = Path(..., pattern=SLUG)
) -> Any:
    """Let a person act for an organisation (police)."""
    organisation = selectors.get_organisation_for_staff(request.auth, slug)
    contact = services.add_contact(
        organisation=organisation,
        by=request.auth,
        email=body.email,
        job_title=body.job_title,
        is_primary=body.is_primary,
    )
    return Status(201, contact)


@router.post(
    "/partners/contacts/{contact_id}/end",
    response={200: PartnerContactOut, **WRITE},
    url_name="v1-partner-contact-end",
    summary="The person no longer acts for the organisation (police)",
)
def end_contact(request: HttpRequest, contact_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """The person no longer acts for the organisation (police)."""
    contact = selectors.get_contact_for_staff(request.auth, contact_id)
    return services.end_contact(contact=contact, by=request.auth)


# --- engagements --------------------------------------------------------------------------


@router.get(
    "/partners/organisations/{slug}/engagements",
    response={200: list[EngagementOut], **READ},
    url_name="v1-partner-engagements",
    summary="An organisation's engagement log (police)",
)
@paginate(Pages)
def list_engagements(request: HttpRequest, slug: str = Path(..., pattern=SLUG)) -> Any:
    """An organisation's engagement log (police)."""
    organisation = selectors.get_organisation_for_staff(request.auth, slug)
    return selectors.engagements_for_staff(request.auth, organisation=organisation)


@router.post(
    "/partners/organisations/{slug}/engagements",
    response={201: EngagementOut, **WRITE},
    url_name="v1-partner-engagement-create",
    summary="Log an engagement with its concerns and follow-ups (police)",
)
def log_engagement(
    request: HttpRequest, body: EngagementIn, slug: str = Path(..., pattern=SLUG)
) -> Any:
    """Log an engagement with its concerns and follow-ups (police)."""
    organisation = selectors.get_organisation_for_staff(request.auth, slug)
    engagement = services.log_engagement(
        by=request.auth,
        organisation=organisation,
        kind=body.kind,
        occurred_at=body.occurred_at,
        summary=body.summary,
        topics=body.topics,
        neighbourhood=_neighbourhood(organisation.force, body.neighbourhood, field="neighbourhood"),
        shared_with_partner=body.shared_with_partner,
        internal_note=body.internal_note,
        concerns=body.concerns,
        follow_ups=[
            services.FollowUpDetails(
                description=item.description,
                due_on=item.due_on,
                owner=_police_account(item.owner_id, field=f"follow_ups.{index}"),
            )
            for index, item in enumerate(body.follow_ups)
        ],
    )
    return Status(201, selectors.get_engagement_for_staff(request.auth, engagement.pk))


# --- follow-ups ---------------------------------------------------------------------------


@router.get(
    "/partners/follow-ups",
    response={200: list[PartnerFollowUpOut], **READ},
    url_name="v1-partner-follow-ups",
    summary="Follow-ups: yours, your team's or the force's (police), overdue first",
)
@paginate(Pages)
def list_follow_ups(request: HttpRequest, filters: Query[FollowUpQuery]) -> Any:
    """Follow-ups: yours, your team's or the force's (police), overdue first."""
    if filters.scope not in selectors.SCOPES:
        raise DomainError(_("Choose mine, team or force."), field="scope")
    return selectors.follow_ups_for(
        request.auth, scope=filters.scope, include_done=filters.include_done
    )


@router.post(
    "/partners/follow-ups/{follow_up_id}/complete",
    response={200: PartnerFollowUpOut, **WRITE},
    url_name="v1-partner-follow-up-complete",
    summary="Mark a follow-up done with its outcome (police)",
)
def complete_follow_up(
    request: HttpRequest, body: CompleteIn, follow_up_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Mark a follow-up done with its outcome (police)."""
    follow_up = selectors.get_follow_up_for_staff(request.auth, follow_up_id)
    return services.complete_follow_up(follow_up=follow_up, by=request.auth, outcome=body.outcome)


@router.post(
    "/partners/follow-ups/{follow_up_id}/owner",
    response={200: PartnerFollowUpOut, **WRITE},
    url_name="v1-partner-follow-up-reassign",
    summary="Give a follow-up to someone else of the force (police)",
)
def reassign_follow_up(
    request: HttpRequest, body: ReassignIn, follow_up_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Give a follow-up to someone else of the force (police)."""
    follow_up = selectors.get_follow_up_for_staff(request.auth, follow_up_id)
    owner = _police_account(body.owner_id, field="owner")
    return services.reassign_follow_up(follow_up=follow_up, by=request.auth, owner=owner)


# --- concerns -----------------------------------------------------------------------------


@router.post(
    "/partners/concerns/{concern_id}/report",
    response={201: ConvertedOut, **WRITE},
    url_name="v1-partner-concern-report",
    summary="Turn a concern raised in an engagement into a report (police)",
)
def concern_to_report(
    request: HttpRequest,
    body: EngagementConcernToReportIn,
    concern_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Turn a concern raised in an engagement into a report (police)."""
    from beatbridge.reports.selectors import get_category

    concern = selectors.get_concern_for_staff(request.auth, concern_id)
    force = concern.engagement.organisation.force
    try:
        category = get_category(force, body.category)
    except NotFound as error:
        raise input_error(error, "category") from None
    report = services.concern_to_report(
        concern=concern,
        by=request.auth,
        category=category,
        neighbourhood=_neighbourhood(force, body.neighbourhood, field="neighbourhood"),
    )
    concern.refresh_from_db()
    return Status(201, {"concern": concern, "report_reference": report.reference})


@router.post(
    "/partners/concerns/{concern_id}/priority",
    response={201: ConvertedOut, **WRITE},
    url_name="v1-partner-concern-priority",
    summary="Turn a concern raised in an engagement into a priority candidate (police)",
)
def concern_to_priority(
    request: HttpRequest,
    body: EngagementConcernToPriorityIn,
    concern_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Turn a concern raised in an engagement into a priority candidate (police)."""
    concern = selectors.get_concern_for_staff(request.auth, concern_id)
    force = concern.engagement.organisation.force
    priority = services.concern_to_priority(
        concern=concern,
        by=request.auth,
        title=body.title,
        neighbourhood=_neighbourhood(force, body.neighbourhood, field="neighbourhood"),
    )
    concern.refresh_from_db()
    return Status(201, {"concern": concern, "priority_id": priority.pk})


# --- the partner's side -------------------------------------------------------------------


@router.get(
    "/partner/referrals",
    response={200: list[PartnerReferralOut], **READ},
    url_name="v1-partner-referrals",
    summary="Reports referred to your organisation (partner contacts)",
)
@paginate(Pages)
def list_referrals(request: HttpRequest) -> Any:
    """Reports referred to your organisation (partner contacts)."""
    return selectors.portal_referrals(request.auth)


@router.post(
    "/partner/referrals/{referral_id}/response",
    response={200: PartnerReferralOut, **WRITE},
    url_name="v1-partner-referral-respond",
    summary="Accept, decline or close a referral (partner contacts)",
)
def respond_to_referral(
    request: HttpRequest, body: ReferralResponseIn, referral_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Accept, decline or close a referral (partner contacts)."""
    referral = selectors.get_referral_for_contact(request.auth, referral_id)
    services.respond_to_referral(
        referral=referral, by=request.auth, status=body.status, response=body.response
    )
    return selectors.get_referral_for_contact(request.auth, referral_id)


@router.get(
    "/partner/engagements",
    response={200: list[SharedEngagementOut], **READ},
    url_name="v1-partner-shared-engagements",
    summary="Your organisation's shared engagement history (partner contacts)",
)
@paginate(Pages)
def list_shared_engagements(request: HttpRequest) -> Any:
    """Your organisation's shared engagement history (partner contacts)."""
    return selectors.portal_engagements(request.auth)
