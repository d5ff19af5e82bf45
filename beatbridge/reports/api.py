"""Beatbridge's own API for reports (/api/v1/): categories, submitting, reading, triage.

The same permissions as the pages: anyone may read public reports and send a report or
a tip; the reporter reads their own; staff who may triage a neighbourhood read and
handle its reports. A signed-in person is known by their session, and their writes must
carry the CSRF token as the pages' forms do; a program without a session writes as an
anonymous visitor. Each handler calls one service or selector; the rules live there.
"""

# No ``from __future__ import annotations``: ninja reads the parameters of a @paginate'd
# handler through the decorator's wrapper, whose module cannot resolve names given as text.

from typing import Any

import pydantic
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Path, Query, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from beatbridge.accounts import selectors as accounts_selectors
from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, NotFound, PermissionDenied, input_error
from beatbridge.limits import client_address
from beatbridge.places import selectors as places_selectors
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID, ErrorOut, Pages
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.reports import selectors, services
from beatbridge.reports.models import Report, Source
from beatbridge.reports.permissions import can_triage_neighbourhood, can_triage_report, is_reporter
from beatbridge.reports.schemas import (
    AcknowledgeIn,
    AssignIn,
    CategoryOut,
    CategoryQuery,
    FollowUpCodeIn,
    FollowUpInformationIn,
    FollowUpReportOut,
    InboxQuery,
    MergeIn,
    MyReportItemOut,
    NeighbourhoodIn,
    PriorityIn,
    PublicListQuery,
    PublicReportItemOut,
    ReferIn,
    ReportCreatedOut,
    ReportIn,
    ReportInboxItemOut,
    ReportOut,
    StatusChangeIn,
    TextIn,
    TriageOut,
    UpdateCreatedOut,
)

REFERENCE = r"^[A-Za-z0-9]{1,16}$"
IDEMPOTENCY_KEY_DOC = (
    "A key of your choosing (a UUID) that makes a retry safe: the same key and payload "
    "answer 200 with the first report; the same key with another payload answers 409."
)


class SessionOrAnonymous(APIKeyCookie):
    """The signed-in person (their writes checked for the CSRF token), or an anonymous visitor.

    An anonymous request needs no token: with no session there is nobody to act for.
    A cross-site request from a signed-in browser carries the session, so it is checked.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.user.is_authenticated and check_csrf(request) is not None:
            raise PermissionDenied(
                _("Send the CSRF token with this request (the X-CSRFToken header)."),
                code="csrf_failed",
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user


router = Router(tags=["reports"], auth=SessionOrAnonymous())

REPORT_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _force_for_input(slug: str) -> Force:
    try:
        return places_selectors.get_force(slug)
    except NotFound as error:
        raise input_error(error, "force") from None


# --- categories ---------------------------------------------------------------------------


@router.get(
    "/forces/{force}/report-categories",
    response={200: list[CategoryOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-report-categories",
    summary="Report categories of a force",
)
@paginate(Pages)
def list_categories(
    request: HttpRequest,
    filters: Query[CategoryQuery],
    force: str = Path(..., pattern=FORCE_ID),
) -> Any:
    """The categories a report can be filed under, with their extra questions (Open311
    attributes), named in the language of Accept-Language where a translation exists."""
    return selectors.categories_of(places_selectors.get_force(force), kind=filters.kind)


# --- submitting ---------------------------------------------------------------------------


def _submit(request: HttpRequest, body: ReportIn, idempotency_key: str | None, uploads) -> Any:
    key = (idempotency_key or "").strip()
    if key and body.submission_key and body.submission_key != key:
        raise DomainError(
            _("The Idempotency-Key header and submission_key differ: send one of them."),
            field="submission_key",
        )
    force = _force_for_input(body.force)
    try:
        category = selectors.get_category(force, body.category)
    except NotFound as error:
        raise input_error(error, "category") from None
    neighbourhood = None
    if body.neighbourhood:
        try:
            neighbourhood = places_selectors.get_neighbourhood(force, body.neighbourhood)
        except NotFound as error:
            raise input_error(error, "neighbourhood") from None
    user = request.auth
    result = services.submit_report(
        kind=body.kind,
        category=category,
        description=body.description,
        place=services.Place(
            latitude=body.latitude,
            longitude=body.longitude,
            address=body.address,
            neighbourhood=neighbourhood,
        ),
        source=Source.API,
        reporter=user if user.is_authenticated else None,
        suspicious_activity=services.SuspiciousActivity(
            behaviour=body.behaviour,
            seen_at=body.seen_at,
            direction=body.direction,
            vehicle=body.vehicle,
        ),
        answers=body.answers,
        uploads=uploads,
        is_private=body.is_private,
        contact=services.Contact(name=body.name, email=body.email, phone=body.phone),
        language=get_language() or "",
        submission_key=key or body.submission_key,
        submitter_scope="api",
        client_address=client_address(request),
    )
    report = result.report
    return Status(
        201 if result.created else 200,
        {
            "reference": report.reference,
            "kind": report.kind,
            "status": report.status,
            "category": category.code,
            "neighbourhood": (
                {"id": report.neighbourhood.code, "name": report.neighbourhood.name}
                if report.neighbourhood
                else None
            ),
            "created_at": report.created_at,
            "follow_up_code": result.follow_up_code,
        },
    )


SUBMIT_RESPONSES = {
    201: ReportCreatedOut,
    200: ReportCreatedOut,
    400: ErrorOut,
    409: ErrorOut,
    429: ErrorOut,
}


@router.post(
    "/reports",
    response=SUBMIT_RESPONSES,
    url_name="v1-reports",
    summary="Send a report or an anonymous tip",
)
def submit_report(
    request: HttpRequest,
    body: ReportIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
) -> Any:
    """Send a concern, a suspicious-activity report or an anonymous tip as JSON (photos: use
    `/reports/with-photos`). Signed in, the report is yours (send the CSRF token); without a
    session it is anonymous and the answer carries a `follow_up_code`. A tip stores no
    account, name, contact, address or software of the sender. 201 when made, 200 when the
    idempotency key repeats an earlier submission, 409 when it repeats with another payload,
    400 naming the field otherwise (`attribute[code]` for a category's question)."""
    return _submit(request, body, idempotency_key, ())


@router.post(
    "/reports/with-photos",
    response=SUBMIT_RESPONSES,
    url_name="v1-reports-with-photos",
    summary="Send a report or a tip with photos (multipart)",
)
def submit_report_with_photos(
    request: HttpRequest,
    report: Form[str],
    photos: File[list[UploadedFile]],
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
) -> Any:
    """As `POST /reports`, as multipart/form-data: the report's JSON in the `report` field and
    up to five `photos` (JPEG, PNG or WebP, checked by content and re-encoded without any
    metadata). The report and its photos are stored together or not at all."""
    try:
        body = ReportIn.model_validate_json(report)
    except pydantic.ValidationError as error:
        # Named like the JSON endpoint's errors: the field inside the report, not "report".
        raise NinjaValidationError(
            [{**problem, "loc": ("form", *problem["loc"])} for problem in error.errors()]
        ) from None
    return _submit(request, body, idempotency_key, photos)


# --- reading ------------------------------------------------------------------------------


@router.get(
    "/reports/{reference}",
    response={200: ReportOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-report",
    summary="One report, as its reader may see it",
)
def get_report(request: HttpRequest, reference: str = Path(..., pattern=REFERENCE)) -> Any:
    """`shape` says which answer this is: `staff` (who may triage it: contact, exact place,
    photos, internal notes; the read is audited), `reporter` (the person who made it: their
    own details and the updates for them) or `public` (approximate place, public updates).
    404 when the reader may not see the report at all."""
    user = request.auth
    report = selectors.get_report_for_user(user, reference)
    # The response's discriminator: it picks the one shape the report is rendered in.
    if can_triage_report(user, report):
        audit(actor=user, action="report.viewed", target=report, detail={"via": "api"})
        report.shape = "staff"
    elif is_reporter(user, report):
        report.shape = "reporter"
    else:
        report.shape = "public"
    return report


@router.get(
    "/forces/{force}/neighbourhoods/{code}/reports",
    response={200: list[PublicReportItemOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-public-reports",
    summary="A neighbourhood's public reports",
)
@paginate(Pages)
def list_public_reports(
    request: HttpRequest,
    filters: Query[PublicListQuery],
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Concerns anyone may see, newest first, at their approximate places: no reporter, no
    suspicious-activity reports or tips, nothing in a sensitive category or kept private."""
    neighbourhood = places_selectors.get_neighbourhood(force, code)
    return selectors.public_reports(
        neighbourhood=neighbourhood,
        filters=selectors.PublicFilters(
            statuses=tuple(filters.status),
            category_codes=(filters.category,) if filters.category else (),
            since=filters.since,
            until=filters.until,
        ),
    )


@router.get(
    "/forces/{force}/neighbourhoods/{code}/inbox",
    response={200: list[ReportInboxItemOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="v1-inbox",
    summary="A neighbourhood's triage inbox (staff)",
)
@paginate(Pages)
def list_inbox(
    request: HttpRequest,
    filters: Query[InboxQuery],
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Every report of the neighbourhood, tips included, for those who may triage it (403
    otherwise): open ones oldest first unless filtered or sorted otherwise."""
    user = request.auth
    neighbourhood = places_selectors.get_neighbourhood(force, code)
    if not can_triage_neighbourhood(user, neighbourhood):
        raise PermissionDenied(_("You may not open this neighbourhood's inbox."))
    reports = selectors.inbox(neighbourhood, _inbox_filters(user, neighbourhood, filters))
    # Each row names its officer: one join instead of a query per row.
    return reports.select_related("assigned_to__officer_profile")


def _inbox_filters(user: Any, neighbourhood: Neighbourhood, query: InboxQuery) -> Any:
    category_id = None
    if query.category:
        try:
            category_id = selectors.get_category(neighbourhood.force_id, query.category).pk
        except NotFound as error:
            raise input_error(error, "category") from None
    assigned_to_id = None
    if query.assigned == "me":
        assigned_to_id = user.pk
    elif query.assigned and query.assigned != "none":
        assigned_to_id = _officer_user(int(query.assigned), field="assigned").pk
    return selectors.InboxFilters(
        statuses=tuple(query.status),
        category_id=category_id,
        kind=query.kind or "",
        assigned_to_id=assigned_to_id,
        unassigned=query.assigned == "none",
        priority=query.priority,
        open_only=not query.include_closed,
        sort=query.sort,
        search=query.q or "",
    )


def _officer_user(officer_id: int, *, field: str) -> Any:
    try:
        return accounts_selectors.get_public_officer(officer_id).user
    except NotFound as error:
        raise input_error(error, field) from None


@router.get(
    "/me/reports",
    response={200: list[MyReportItemOut], 400: ErrorOut, 403: ErrorOut},
    url_name="v1-my-reports",
    summary="My reports (signed in)",
)
@paginate(Pages)
def list_my_reports(request: HttpRequest) -> Any:
    """The signed-in person's own reports and where they stand, newest first. Tips are not
    among them: a tip keeps no account."""
    user = request.auth
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to see your reports."), code="sign_in_required")
    return selectors.reports_of(user)


# --- triage -------------------------------------------------------------------------------

TRIAGE_RESPONSES = {
    200: TriageOut,
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
}
UPDATE_RESPONSES = {201: UpdateCreatedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _for_triage(request: HttpRequest, reference: str) -> Report:
    return selectors.get_report_for_triage(request.auth, reference)


@router.post(
    "/reports/{reference}/acknowledge",
    response=TRIAGE_RESPONSES,
    url_name="v1-report-acknowledge",
    summary="Acknowledge a report (staff)",
)
def acknowledge(
    request: HttpRequest, body: AcknowledgeIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """Tell the reporter a person has read it, with an optional public message. Only a new
    report can be acknowledged. 404 if you may not see the report, 403 if you may see it but
    not handle it."""
    report = _for_triage(request, reference)
    return services.acknowledge(report=report, by=request.auth, message=body.message)


@router.post(
    "/reports/{reference}/status",
    response=TRIAGE_RESPONSES,
    url_name="v1-report-status",
    summary="Change a report's status (staff)",
)
def change_status(
    request: HttpRequest, body: StatusChangeIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """Move the report to another status with a reason the reporter (and, for a public report,
    everyone) reads. Referring and merging have their own endpoints."""
    report = _for_triage(request, reference)
    return services.change_status(
        report=report, by=request.auth, status=body.status, reason=body.reason
    )


def _update_created(report: Report, update: Any) -> tuple[int, dict[str, Any]]:
    return Status(201, {"reference": report.reference, "update": update})


@router.post(
    "/reports/{reference}/public-updates",
    response=UPDATE_RESPONSES,
    url_name="v1-report-public-update",
    summary="Post a public update (staff)",
)
def post_public_update(
    request: HttpRequest, body: TextIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """An update the reporter is told of and, unless the report is private, the public sees."""
    report = _for_triage(request, reference)
    update = services.post_public_update(report=report, by=request.auth, text=body.text)
    return _update_created(report, update)


@router.post(
    "/reports/{reference}/notes",
    response=UPDATE_RESPONSES,
    url_name="v1-report-note",
    summary="Add an internal note (staff)",
)
def add_note(
    request: HttpRequest, body: TextIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """A note for the team only: never shown to the reporter or the public."""
    report = _for_triage(request, reference)
    update = services.add_note(report=report, by=request.auth, text=body.text)
    return _update_created(report, update)


@router.post(
    "/reports/{reference}/assignment",
    response=TRIAGE_RESPONSES,
    url_name="v1-report-assign",
    summary="Assign a report to an officer (staff)",
)
def assign(
    request: HttpRequest, body: AssignIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """Give the report to an officer who may handle it, or (null) back to the team."""
    report = _for_triage(request, reference)
    officer = (
        None if body.assigned_to is None else _officer_user(body.assigned_to, field="assigned_to")
    )
    return services.assign(report=report, by=request.auth, officer=officer)


@router.post(
    "/reports/{reference}/priority",
    response=TRIAGE_RESPONSES,
    url_name="v1-report-priority",
    summary="Set a report's priority (staff)",
)
def set_priority(
    request: HttpRequest, body: PriorityIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """1 high, 2 normal, 3 low; recorded in the report's internal history."""
    report = _for_triage(request, reference)
    return services.set_priority(report=report, by=request.auth, priority=body.priority)


@router.post(
    "/reports/{reference}/neighbourhood",
    response=TRIAGE_RESPONSES,
    url_name="v1-report-neighbourhood",
    summary="Move a report to another neighbourhood (staff)",
)
def change_neighbourhood(
    request: HttpRequest, body: NeighbourhoodIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """Into another neighbourhood's inbox, in the same force; the assignment is cleared."""
    report = _for_triage(request, reference)
    try:
        neighbourhood = places_selectors.get_neighbourhood(report.force, body.neighbourhood)
    except NotFound as error:
        raise input_error(error, "neighbourhood") from None
    return services.change_neighbourhood(
        report=report, by=request.auth, neighbourhood=neighbourhood
    )


@router.post(
    "/reports/{reference}/referral",
    response=TRIAGE_RESPONSES,
    url_name="v1-report-refer",
    summary="Refer a report to a partner or agency (staff)",
)
def refer(
    request: HttpRequest, body: ReferIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """Pass the report on with a public note; its status becomes referred. To a partner
    `organisation`, whose contacts then see it, or to another agency named in `referred_to`."""
    from beatbridge.partners.selectors import organisations_to_refer_to
    from beatbridge.partners.services import refer_to_organisation

    report = _for_triage(request, reference)
    if not body.organisation:
        return services.refer(report=report, by=request.auth, to=body.referred_to, note=body.note)
    organisation = organisations_to_refer_to(report.force_id).filter(slug=body.organisation).first()
    if organisation is None:
        raise DomainError(
            _("Choose an active partner organisation of the force."),
            field="organisation",
            code="unknown",
        )
    return refer_to_organisation(
        report=report, by=request.auth, organisation=organisation, note=body.note
    )


@router.post(
    "/reports/{reference}/merge",
    response=TRIAGE_RESPONSES,
    url_name="v1-report-merge",
    summary="Close a report as a duplicate of another (staff)",
)
def merge(
    request: HttpRequest, body: MergeIn, reference: str = Path(..., pattern=REFERENCE)
) -> Any:
    """Close this report as a duplicate of `duplicate_of`, a report you also handle; the
    reporter is told which report to follow."""
    report = _for_triage(request, reference)
    try:
        into = selectors.get_report_for_user(request.auth, body.duplicate_of)
    except NotFound as error:
        raise input_error(error, "duplicate_of") from None
    return services.merge_duplicate(report=report, by=request.auth, into=into)


# --- following up with a code -------------------------------------------------------------


@router.post(
    "/follow-up",
    response={200: FollowUpReportOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    url_name="v1-follow-up",
    summary="Read replies to an anonymous report or tip",
)
def follow_up(request: HttpRequest, body: FollowUpCodeIn) -> Any:
    """With the follow-up code given when it was sent: its status, the public replies and what
    you added. The code goes in the body, never the URL, so it stays out of logs."""
    return services.open_follow_up(code=body.code, client_address=client_address(request))


@router.post(
    "/follow-up/information",
    response={201: FollowUpReportOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    url_name="v1-follow-up-information",
    summary="Add information to an anonymous report or tip",
)
def add_information(request: HttpRequest, body: FollowUpInformationIn) -> Any:
    """Add to what you sent, with its follow-up code; the team sees it, the public never does."""
    report = services.open_follow_up(code=body.code, client_address=client_address(request))
    services.add_reporter_information(report=report, text=body.text)
    report.refresh_from_db(fields=["updated_at"])
    return Status(201, report)
