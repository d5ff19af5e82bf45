"""The watch JSON API under /api/v1/: schemes, membership, roles and the patrol rota.

The same permissions as the pages, from the same selectors and services: anyone lists a
neighbourhood's running schemes (never their members); a signed-in resident proposes a
scheme and asks to join; members see members and the rota and sign up; coordinators and
deputies decide requests and keep the rota; coordinators give roles; the neighbourhood's
team decides proposals and sets a scheme's status. A signed-in person is known by their
session and their writes carry the CSRF token (``SessionOrAnonymous``).
"""

# No ``from __future__ import annotations``: ninja reads the parameters of a @paginate'd
# handler through the decorator's wrapper, whose module cannot resolve names given as text.

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from ninja.pagination import paginate

from beatbridge.audit.services import record as audit
from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.places import selectors as places_selectors
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID, ErrorOut, Pages
from beatbridge.reports.api import SessionOrAnonymous
from beatbridge.watch import selectors, services
from beatbridge.watch.permissions import is_member, is_signed_in
from beatbridge.watch.schemas import (
    DecisionIn,
    JoinIn,
    MemberOut,
    MyMembershipOut,
    ReceivesMessagesIn,
    RequestOut,
    RoleIn,
    SchemeDecisionIn,
    SchemeOut,
    SchemeProposalIn,
    SchemeSummaryOut,
    SlotIn,
    SlotOut,
    StatusIn,
)

router = Router(tags=["neighbourhood watch"], auth=SessionOrAnonymous())

MAX_ID = 2**31 - 1
NEIGHBOURHOOD = "/forces/{force}/neighbourhoods/{code}"
READ = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}


def _require_signed_in(request: HttpRequest) -> None:
    if not is_signed_in(request.auth):
        raise PermissionDenied(_("Sign in first."), code="sign_in_required")


def _scheme_out(found: selectors.SchemeForPerson) -> dict[str, Any]:
    scheme = found.scheme
    return {
        "id": scheme.pk,
        "name": scheme.name,
        "description": scheme.description,
        "streets": scheme.streets,
        "area": scheme.area,
        "status": scheme.status,
        "decision_note": scheme.decision_note,
        "neighbourhood": scheme.neighbourhood,
        "member_count": selectors.member_count(scheme),
        "created_at": scheme.created_at,
        "my_membership": found.membership,
    }


def _slot_out(found: selectors.SchemeForPerson, slot_id: int) -> Any:
    membership = found.membership if is_member(found.membership) else None
    slot = selectors.upcoming_rota(found.scheme, membership).filter(pk=slot_id).first()
    if slot is None:
        slot = selectors.get_slot(found.scheme, slot_id)
        slot.taken = slot.signups.count()
        slot.is_mine = False
    return slot


# --- schemes ------------------------------------------------------------------------------


@router.get(
    f"{NEIGHBOURHOOD}/watch-schemes",
    response={200: list[SchemeSummaryOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-watch-schemes",
    summary="A neighbourhood's watch schemes",
)
@paginate(Pages)
def list_schemes(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """The neighbourhood's running schemes (active or dormant) by name, with how many
    members each has. Never who they are."""
    return selectors.public_schemes_of(places_selectors.get_neighbourhood(force, code))


@router.post(
    f"{NEIGHBOURHOOD}/watch-schemes",
    response={201: SchemeOut, **WRITE},
    url_name="v1-watch-scheme-propose",
    summary="Propose a watch scheme (signed in)",
)
def propose_scheme(
    request: HttpRequest,
    body: SchemeProposalIn,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """It covers streets, an area drawn inside the neighbourhood, or both. The team
    approves it; you become its coordinator then. Proposing it again while it waits
    answers the same proposal; another scheme's name is a 409."""
    _require_signed_in(request)
    neighbourhood = places_selectors.get_neighbourhood(force, code)
    scheme = services.propose_scheme(by=request.auth, neighbourhood=neighbourhood, **body.dict())
    return Status(201, _scheme_out(selectors.get_scheme_for(request.auth, scheme.pk)))


@router.get(
    "/watch-schemes/{scheme_id}",
    response={200: SchemeOut, **READ},
    url_name="v1-watch-scheme",
    summary="One watch scheme",
)
def get_scheme(request: HttpRequest, scheme_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Running schemes are public; a proposal, a declined or a closed scheme only to its
    proposer, its people and the team (404 to anyone else). Signed in, with yours."""
    return _scheme_out(selectors.get_scheme_for(request.auth, scheme_id))


@router.post(
    "/watch-schemes/{scheme_id}/decision",
    response={200: SchemeOut, **WRITE},
    url_name="v1-watch-scheme-decision",
    summary="Approve or decline a proposed scheme (team)",
)
def decide_scheme(
    request: HttpRequest, body: SchemeDecisionIn, scheme_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Approved, it becomes active and its proposer its coordinator. Declining needs a
    note. Deciding the same way again changes nothing; otherwise a decided one is a 409."""
    found = selectors.get_scheme_for(request.auth, scheme_id)
    services.decide_scheme(by=request.auth, scheme=found.scheme, **body.dict())
    return _scheme_out(selectors.get_scheme_for(request.auth, scheme_id))


@router.post(
    "/watch-schemes/{scheme_id}/status",
    response={200: SchemeOut, **WRITE},
    url_name="v1-watch-scheme-status",
    summary="Mark a scheme active, dormant or closed (team)",
)
def set_status(
    request: HttpRequest, body: StatusIn, scheme_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    found = selectors.get_scheme_for(request.auth, scheme_id)
    services.set_status(by=request.auth, scheme=found.scheme, status=body.status)
    return _scheme_out(selectors.get_scheme_for(request.auth, scheme_id))


# --- membership ---------------------------------------------------------------------------


@router.post(
    "/watch-schemes/{scheme_id}/join",
    response={200: MyMembershipOut, **WRITE},
    url_name="v1-watch-scheme-join",
    summary="Ask to join a scheme (signed in)",
)
def join(request: HttpRequest, body: JoinIn, scheme_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """A coordinator approves the request. Asking again answers the same membership."""
    _require_signed_in(request)
    found = selectors.get_scheme_for(request.auth, scheme_id)
    return services.request_membership(user=request.auth, scheme=found.scheme, note=body.note)


@router.post(
    "/watch-schemes/{scheme_id}/leave",
    response={200: MyMembershipOut, **WRITE},
    url_name="v1-watch-scheme-leave",
    summary="Leave a scheme, or withdraw a request (signed in)",
)
def leave(request: HttpRequest, scheme_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Your future rota sign-ups go too; leaving again answers the same. The last
    coordinator cannot leave (400); someone who never asked to join gets a 404."""
    _require_signed_in(request)
    found = selectors.get_scheme_for(request.auth, scheme_id)
    membership = services.leave_scheme(user=request.auth, scheme=found.scheme)
    if membership is None:
        raise NotFound(_("You are not in this scheme."), field="membership")
    return membership


@router.post(
    "/watch-schemes/{scheme_id}/messages",
    response={200: MyMembershipOut, **WRITE},
    url_name="v1-watch-scheme-messages",
    summary="Receive the scheme's messages, or not (members)",
)
def receive_messages(
    request: HttpRequest, body: ReceivesMessagesIn, scheme_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    _require_signed_in(request)
    found = selectors.get_scheme_for(request.auth, scheme_id)
    return services.set_receives_messages(
        user=request.auth, scheme=found.scheme, receives=body.receives_messages
    )


@router.get(
    "/watch-schemes/{scheme_id}/members",
    response={200: list[MemberOut], **READ},
    url_name="v1-watch-scheme-members",
    summary="A scheme's members (members and the team)",
)
@paginate(Pages)
def list_members(request: HttpRequest, scheme_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Names and roles, coordinators first; never an e-mail address. The team's reads are
    audited."""
    found = selectors.get_scheme_for_members(request.auth, scheme_id)
    if not is_member(found.membership):
        audit(actor=request.auth, action="watch_scheme.members_viewed", target=found.scheme)
    return selectors.members_of(found.scheme)


@router.get(
    "/watch-schemes/{scheme_id}/requests",
    response={200: list[RequestOut], **READ},
    url_name="v1-watch-scheme-requests",
    summary="Requests to join waiting (coordinators and deputies)",
)
@paginate(Pages)
def list_requests(request: HttpRequest, scheme_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    found = selectors.get_scheme_to_run(request.auth, scheme_id)
    return selectors.requests_to_join(found.scheme)


@router.post(
    "/watch-schemes/{scheme_id}/memberships/{membership_id}/decision",
    response={200: MemberOut, **WRITE},
    url_name="v1-watch-membership-decision",
    summary="Approve or decline a request to join (coordinators and deputies)",
)
def decide_membership(
    request: HttpRequest,
    body: DecisionIn,
    scheme_id: int = Path(..., ge=1, le=MAX_ID),
    membership_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    found = selectors.get_scheme_to_run(request.auth, scheme_id)
    membership = selectors.get_membership(found.scheme, membership_id)
    return services.decide_membership(by=request.auth, membership=membership, approve=body.approve)


@router.post(
    "/watch-schemes/{scheme_id}/memberships/{membership_id}/role",
    response={200: MemberOut, **WRITE},
    url_name="v1-watch-membership-role",
    summary="Give a member a role (coordinators, and the team)",
)
def set_role(
    request: HttpRequest,
    body: RoleIn,
    scheme_id: int = Path(..., ge=1, le=MAX_ID),
    membership_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """A scheme always keeps at least one coordinator (400 on `role` otherwise)."""
    found = selectors.get_scheme_for_roles(request.auth, scheme_id)
    membership = selectors.get_membership(found.scheme, membership_id)
    return services.set_member_role(by=request.auth, membership=membership, role=body.role)


# --- the rota -----------------------------------------------------------------------------


@router.get(
    "/watch-schemes/{scheme_id}/rota",
    response={200: list[SlotOut], **READ},
    url_name="v1-watch-rota",
    summary="The patrol rota (members and the team)",
)
@paginate(Pages)
def list_rota(request: HttpRequest, scheme_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Slots not yet over, soonest first, with places taken and whether you signed up."""
    found = selectors.get_scheme_for_members(request.auth, scheme_id)
    membership = found.membership if is_member(found.membership) else None
    return selectors.upcoming_rota(found.scheme, membership)


@router.post(
    "/watch-schemes/{scheme_id}/rota",
    response={201: SlotOut, **WRITE},
    url_name="v1-watch-rota-add",
    summary="Add a rota slot (coordinators and deputies)",
)
def add_slot(
    request: HttpRequest, body: SlotIn, scheme_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    found = selectors.get_scheme_to_run(request.auth, scheme_id)
    slot = services.add_rota_slot(by=request.auth, scheme=found.scheme, **body.dict())
    return Status(201, _slot_out(found, slot.pk))


@router.post(
    "/watch-schemes/{scheme_id}/rota/{slot_id}/cancel",
    response={200: SlotOut, **WRITE},
    url_name="v1-watch-rota-cancel",
    summary="Cancel a rota slot (coordinators and deputies)",
)
def cancel_slot(
    request: HttpRequest,
    scheme_id: int = Path(..., ge=1, le=MAX_ID),
    slot_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Not once it has started (400); cancelling again answers the same."""
    found = selectors.get_scheme_to_run(request.auth, scheme_id)
    services.cancel_rota_slot(by=request.auth, slot=selectors.get_slot(found.scheme, slot_id))
    return _slot_out(found, slot_id)


@router.post(
    "/watch-schemes/{scheme_id}/rota/{slot_id}/signup",
    response={200: SlotOut, **WRITE},
    url_name="v1-watch-rota-signup",
    summary="Sign up for a rota slot (members)",
)
def sign_up(
    request: HttpRequest,
    scheme_id: int = Path(..., ge=1, le=MAX_ID),
    slot_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Not for a slot that has started or been cancelled (400); a full one is a 409.
    Signing up again answers the same."""
    found = selectors.get_scheme_for_members(request.auth, scheme_id)
    services.sign_up(user=request.auth, slot=selectors.get_slot(found.scheme, slot_id))
    return _slot_out(found, slot_id)


@router.delete(
    "/watch-schemes/{scheme_id}/rota/{slot_id}/signup",
    response={200: SlotOut, **WRITE},
    url_name="v1-watch-rota-withdraw",
    summary="Take your name off a rota slot (members)",
)
def withdraw(
    request: HttpRequest,
    scheme_id: int = Path(..., ge=1, le=MAX_ID),
    slot_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    found = selectors.get_scheme_for_members(request.auth, scheme_id)
    services.withdraw(user=request.auth, slot=selectors.get_slot(found.scheme, slot_id))
    return _slot_out(found, slot_id)
