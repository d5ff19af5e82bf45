"""The shapes of reports in Beatbridge's own API: what comes in, and what each reader gets.

One report has three shapes, by who reads it (``shape`` says which):
``public`` (anyone: the approximate place, no reporter, public updates only),
``reporter`` (the person who made it: their own details and the updates meant for
them) and ``staff`` (who may triage it: contact details, the exact place, photos and
internal notes). The public shape shares only the base with the others, so nothing
private reaches a public answer by inheritance.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from beatbridge.reports import selectors
from beatbridge.reports.models import Category, CategoryQuestion, Report, ReportUpdate

ReportKindIn = Literal["concern", "suspicious_activity", "tip"]
CategoryKindIn = Literal["concern", "suspicious_activity"]
StatusIn = Literal["new", "acknowledged", "in_progress", "referred", "resolved", "duplicate"]
AnswerIn = str | int | float | list[str] | None

# --- categories ---------------------------------------------------------------------------


class ChoiceOut(Schema):
    key: str
    name: str


class QuestionOut(Schema):
    """An extra question of a category (an Open311 attribute); answers go in ``answers[code]``."""

    code: str
    prompt: str
    help_text: str
    datatype: str = Field(
        description="string, text, number, datetime, singlevaluelist or multivaluelist."
    )
    required: bool
    choices: list[ChoiceOut]

    @staticmethod
    def resolve_prompt(obj: CategoryQuestion) -> str:
        return obj.translated("prompt")

    @staticmethod
    def resolve_help_text(obj: CategoryQuestion) -> str:
        return obj.translated("help_text")

    @staticmethod
    def resolve_choices(obj: CategoryQuestion) -> list[dict[str, str]]:
        return [{"key": key, "name": name} for key, name in obj.choice_pairs()]


class CategoryQuery(Schema):
    kind: CategoryKindIn | None = Field(
        None, description="concern or suspicious_activity; a tip may use any category."
    )


class CategoryOut(Schema):
    """A category in the language asked for (Accept-Language), else as written."""

    code: str = Field(description="The category's id in this force (the Open311 service_code).")
    name: str
    description: str
    group: str
    kind: str = Field(description="concern or suspicious_activity.")
    is_sensitive: bool = Field(description="Reports in it never appear on public lists or maps.")
    handled_by: str
    questions: list[QuestionOut]

    @staticmethod
    def resolve_name(obj: Category) -> str:
        return obj.local_name

    @staticmethod
    def resolve_description(obj: Category) -> str:
        return obj.local_description

    @staticmethod
    def resolve_group(obj: Category) -> str:
        return obj.local_group

    @staticmethod
    def resolve_questions(obj: Category) -> list[CategoryQuestion]:
        return list(obj.questions.all())


# --- submitting ---------------------------------------------------------------------------


class ReportIn(Schema):
    """A concern, a suspicious-activity report or an anonymous tip.

    Give a place as a point (``latitude`` and ``longitude``), an ``address`` or landmark,
    or both. Lengths and contents are checked by the service, which names the field
    at fault.
    """

    kind: ReportKindIn = "concern"
    force: str = Field(description="The force's id, e.g. seattle.")
    category: str = Field(description="A category code of that force (see report-categories).")
    description: str
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", description="An address or landmark, with or without a point.")
    neighbourhood: str | None = Field(
        None, description="With an address only: the neighbourhood the report is about."
    )
    behaviour: str = Field("", description="Suspicious activity: what the person did.")
    seen_at: str = Field("", description="Suspicious activity: when it happened.")
    direction: str = Field("", description="Suspicious activity: the direction they went.")
    vehicle: str = Field("", description="Suspicious activity: the vehicle, if any.")
    answers: dict[str, AnswerIn] = Field(
        default_factory=dict, description="Answers to the category's questions, by code."
    )
    is_private: bool = Field(False, description="Keep the report off public lists and maps.")
    name: str = Field("", description="Contact name (never for a tip).")
    email: str = Field("", description="Contact e-mail for updates (never for a tip).")
    phone: str = Field("", description="Contact telephone (never for a tip).")
    submission_key: str = Field(
        "",
        description="Idempotency key, if the Idempotency-Key header is not used: a retry with "
        "the same key and payload returns the first report instead of a second one.",
    )


class NeighbourhoodRefOut(Schema):
    id: str
    name: str


class ReportCreatedOut(Schema):
    reference: str = Field(description="The report's public id (its Open311 service_request_id).")
    kind: str
    status: str
    category: str
    neighbourhood: NeighbourhoodRefOut | None
    created_at: datetime.datetime
    follow_up_code: str | None = Field(
        description="Anonymous submissions only: the code to read replies and add information "
        "later. Shown once; a retry with the same key shows the same code."
    )


# --- reading: pieces ----------------------------------------------------------------------


class CategoryRefOut(Schema):
    code: str
    name: str


class PointOut(Schema):
    latitude: float
    longitude: float


class OfficerRefOut(Schema):
    id: int | None = Field(description="The officer's public profile id (/api/v1/officers/{id}).")
    name: str


def _category(obj: Report) -> dict[str, str]:
    return {"code": obj.category.code, "name": obj.category.local_name}


def _neighbourhood(obj: Report) -> dict[str, str] | None:
    if obj.neighbourhood is None:
        return None
    return {"id": obj.neighbourhood.code, "name": obj.neighbourhood.name}


def _approximate_place(obj: Report) -> dict[str, float] | None:
    if obj.public_latitude is None or obj.public_longitude is None:
        return None
    return {"latitude": obj.public_latitude, "longitude": obj.public_longitude}


def _exact_place(obj: Report) -> dict[str, float] | None:
    if obj.latitude is None or obj.longitude is None:
        return None
    return {"latitude": obj.latitude, "longitude": obj.longitude}


def officer_ref(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    profile = getattr(user, "officer_profile", None)
    if profile is None:
        return {"id": None, "name": user.full_name}
    return {"id": profile.pk, "name": profile.display_name}


class UpdateOut(Schema):
    kind: str = Field(
        description="public, status, referral, merge, or reporter (added by the reporter)."
    )
    kind_name: str
    text: str
    status_before: str | None
    status_after: str | None
    author: str | None = Field(description="The officer who wrote it; null for the reporter.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_name(obj: ReportUpdate) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_before(obj: ReportUpdate) -> str | None:
        return obj.status_before or None

    @staticmethod
    def resolve_status_after(obj: ReportUpdate) -> str | None:
        return obj.status_after or None

    @staticmethod
    def resolve_author(obj: ReportUpdate) -> str | None:
        ref = officer_ref(obj.author)
        return ref["name"] if ref else None


class StaffUpdateOut(UpdateOut):
    kind: str = Field(description="Every kind, internal notes (note) included.")
    is_public: bool


class PhotoOut(Schema):
    id: int
    url: str = Field(description="Served to staff only, after a permission check.")
    width: int
    height: int


class ReporterContactOut(Schema):
    name: str
    email: str
    phone: str


class ReporterOut(Schema):
    name: str
    email: str


# --- reading: one report, three shapes ----------------------------------------------------


class _ReportBase(Schema):
    """The fields every reader may see."""

    reference: str
    kind: str
    kind_name: str
    category: CategoryRefOut
    neighbourhood: NeighbourhoodRefOut | None
    status: str
    status_name: str
    description: str
    approximate_place: PointOut | None = Field(
        description="The centre of a cell about 150 m across holding the place: never the point."
    )
    referred_to: str
    duplicate_of: str | None = Field(description="The reference this report was merged into.")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    resolved_at: datetime.datetime | None

    @staticmethod
    def resolve_kind_name(obj: Report) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_name(obj: Report) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category(obj: Report) -> dict[str, str]:
        return _category(obj)

    @staticmethod
    def resolve_neighbourhood(obj: Report) -> dict[str, str] | None:
        return _neighbourhood(obj)

    @staticmethod
    def resolve_approximate_place(obj: Report) -> dict[str, float] | None:
        return _approximate_place(obj)

    @staticmethod
    def resolve_duplicate_of(obj: Report) -> str | None:
        # A tip, a private or a sensitive report is not named to anyone outside the team.
        into = obj.duplicate_of if obj.duplicate_of_id else None
        return into.reference if into is not None and into.is_public else None

    @staticmethod
    def resolve_updated_at(obj: Report) -> datetime.datetime:
        # Internal steps (notes, assignments) must not show through the time.
        return obj.public_updated_at


class ReportPublicOut(_ReportBase):
    """What anyone sees: no reporter, no contact, no exact place, no internal notes."""

    shape: Literal["public"]
    updates: list[UpdateOut] = Field(description="Public updates only.")

    @staticmethod
    def resolve_updates(obj: Report) -> list[ReportUpdate]:
        return list(selectors.public_updates(obj).select_related("author__officer_profile"))


class ReportReporterOut(_ReportBase):
    """What the person who made the report sees: their own details and the updates for them."""

    shape: Literal["reporter"]
    place: PointOut | None = Field(description="The exact point given.")
    address: str
    details: dict[str, str] = Field(description="Suspicious activity: behaviour, seen_at, ...")
    answers: dict[str, Any]
    is_private: bool
    contact: ReporterContactOut
    updates: list[UpdateOut] = Field(description="Public updates and the reporter's additions.")

    @staticmethod
    def resolve_place(obj: Report) -> dict[str, float] | None:
        return _exact_place(obj)

    @staticmethod
    def resolve_contact(obj: Report) -> dict[str, str]:
        return {"name": obj.contact_name, "email": obj.contact_email, "phone": obj.contact_phone}

    @staticmethod
    def resolve_updates(obj: Report) -> list[ReportUpdate]:
        return list(selectors.history_of(obj, staff=False))


class ReportStaffOut(ReportReporterOut):
    """What the staff who may triage the report see; each read is audited."""

    shape: Literal["staff"]  # type: ignore[assignment]

    @staticmethod
    def resolve_duplicate_of(obj: Report) -> str | None:
        return obj.duplicate_of.reference if obj.duplicate_of_id else None

    @staticmethod
    def resolve_updated_at(obj: Report) -> datetime.datetime:
        return obj.updated_at

    priority: int = Field(description="1 high, 2 normal, 3 low.")
    priority_name: str
    source: str
    language: str
    reporter: ReporterOut | None = Field(description="The account that made it, if any.")
    assigned_to: OfficerRefOut | None
    photos: list[PhotoOut]
    updates: list[StaffUpdateOut] = Field(description="Every update, internal notes included.")

    @staticmethod
    def resolve_priority_name(obj: Report) -> str:
        return str(obj.get_priority_display())

    @staticmethod
    def resolve_reporter(obj: Report) -> dict[str, str] | None:
        if obj.reporter is None:
            return None
        return {"name": obj.reporter.full_name, "email": obj.reporter.email}

    @staticmethod
    def resolve_assigned_to(obj: Report) -> dict[str, Any] | None:
        return officer_ref(obj.assigned_to)

    @staticmethod
    def resolve_photos(obj: Report) -> list[dict[str, Any]]:
        return [
            {
                "id": photo.pk,
                "url": reverse(
                    "reports:photo", kwargs={"reference": obj.reference, "photo_id": photo.pk}
                ),
                "width": photo.width,
                "height": photo.height,
            }
            for photo in obj.photos.all()
        ]

    @staticmethod
    def resolve_updates(obj: Report) -> list[ReportUpdate]:  # type: ignore[override]
        return list(selectors.history_of(obj, staff=True))


ReportOut = Annotated[
    ReportPublicOut | ReportReporterOut | ReportStaffOut, Field(discriminator="shape")
]


# --- reading: lists -----------------------------------------------------------------------


class PublicReportItemOut(Schema):
    """A report on a neighbourhood's public list: approximate place, no reporter."""

    reference: str
    category: CategoryRefOut
    status: str
    status_name: str
    description: str
    approximate_place: PointOut | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    resolve_category = staticmethod(_category)
    resolve_approximate_place = staticmethod(_approximate_place)

    @staticmethod
    def resolve_status_name(obj: Report) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_updated_at(obj: Report) -> datetime.datetime:
        return obj.public_updated_at


class MyReportItemOut(Schema):
    reference: str
    kind: str
    category: CategoryRefOut
    neighbourhood: NeighbourhoodRefOut | None
    status: str
    status_name: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    resolve_category = staticmethod(_category)
    resolve_neighbourhood = staticmethod(_neighbourhood)

    @staticmethod
    def resolve_status_name(obj: Report) -> str:
        return str(obj.get_status_display())


class ReportInboxItemOut(MyReportItemOut):
    """A row of the triage inbox: no contact details or exact place (open the report for those)."""

    priority: int
    priority_name: str
    description: str
    assigned_to: OfficerRefOut | None
    acknowledged_at: datetime.datetime | None

    @staticmethod
    def resolve_priority_name(obj: Report) -> str:
        return str(obj.get_priority_display())

    @staticmethod
    def resolve_assigned_to(obj: Report) -> dict[str, Any] | None:
        return officer_ref(obj.assigned_to)


class InboxQuery(Schema):
    status: list[StatusIn] = Field(
        default_factory=list,
        description="Repeat for several. Without it, open reports only (see include_closed).",
    )
    include_closed: bool = Field(False, description="With no status: closed reports too.")
    category: str | None = Field(None, description="A category code.")
    kind: ReportKindIn | None = None
    assigned: str | None = Field(
        None, pattern=r"^(me|none|[0-9]{1,10})$", description="me, none, or an officer's id."
    )
    priority: int | None = Field(None, ge=1, le=3)
    sort: Literal["oldest", "newest", "priority", "updated"] = "oldest"
    q: str | None = Field(
        None, pattern=r"^[^\x00]{1,200}$", description="A reference, or words of a description."
    )


class PublicListQuery(Schema):
    status: list[StatusIn] = Field(default_factory=list, description="Repeat for several.")
    category: str | None = Field(None, description="A category code.")
    since: datetime.datetime | None = Field(None, description="Reported at or after.")
    until: datetime.datetime | None = Field(None, description="Reported before.")


# --- triage -------------------------------------------------------------------------------


class AcknowledgeIn(Schema):
    message: str = Field("", description="An optional public message to the reporter.")


class StatusChangeIn(Schema):
    status: StatusIn = Field(
        description="Not new, referred or duplicate: use referral and merge for those."
    )
    reason: str


class TextIn(Schema):
    text: str


class AssignIn(Schema):
    assigned_to: int | None = Field(
        description="An officer's id who may handle the report; null gives it back to the team."
    )


class PriorityIn(Schema):
    priority: int = Field(ge=1, le=3, description="1 high, 2 normal, 3 low.")


class NeighbourhoodIn(Schema):
    neighbourhood: str = Field(description="A neighbourhood id of the report's force.")


class ReferIn(Schema):
    organisation: str = Field(
        "", description="A partner organisation of the force (its id), whose contacts see it."
    )
    referred_to: str = Field(
        "", description="Or another agency that takes it, by name (when no organisation)."
    )
    note: str = Field(description="A public note saying why and what happens next.")


class MergeIn(Schema):
    duplicate_of: str = Field(description="The reference of the report this one repeats.")


class TriageOut(Schema):
    """Where a report stands after a triage step."""

    reference: str
    status: str
    status_name: str
    priority: int
    neighbourhood: NeighbourhoodRefOut | None
    assigned_to: OfficerRefOut | None
    referred_to: str
    duplicate_of: str | None
    updated_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    resolved_at: datetime.datetime | None

    resolve_neighbourhood = staticmethod(_neighbourhood)

    @staticmethod
    def resolve_status_name(obj: Report) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_assigned_to(obj: Report) -> dict[str, Any] | None:
        return officer_ref(obj.assigned_to)

    @staticmethod
    def resolve_duplicate_of(obj: Report) -> str | None:
        return obj.duplicate_of.reference if obj.duplicate_of_id else None


class UpdateCreatedOut(Schema):
    reference: str
    update: StaffUpdateOut


# --- following up with a code -------------------------------------------------------------


class FollowUpCodeIn(Schema):
    code: str = Field(
        max_length=64, description="The follow-up code given when the report was sent."
    )


class FollowUpInformationIn(FollowUpCodeIn):
    text: str = Field(description="What you want to add.")


class FollowUpReportOut(Schema):
    """An anonymous submission as its sender may see it: status and the replies to them."""

    reference: str
    kind: str
    kind_name: str
    category: CategoryRefOut
    status: str
    status_name: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    updates: list[UpdateOut] = Field(description="Public replies and what the sender added.")

    resolve_category = staticmethod(_category)

    @staticmethod
    def resolve_kind_name(obj: Report) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_name(obj: Report) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_updates(obj: Report) -> list[ReportUpdate]:
        return list(selectors.history_of(obj, staff=False))
