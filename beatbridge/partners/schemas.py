"""Shapes of the partners API: what comes in (``*In``) and goes out (``*Out``)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from beatbridge.partners.models import EngagementKind, OrganisationKind, ReferralStatus

_ID = Field(..., ge=1, le=2**31 - 1)


class OrganisationOut(Schema):
    id: str = Field(alias="slug")
    name: str
    kind: OrganisationKind
    description: str
    force: str = Field(alias="force.slug")
    neighbourhoods: list[str] = Field(description="Codes of the neighbourhoods it serves.")
    languages: list[str]
    help_offered: list[str]
    website: str
    email: str
    telephone: str
    address: str
    is_active: bool

    @staticmethod
    def resolve_neighbourhoods(obj: object) -> list[str]:
        return [n.code for n in obj.neighbourhoods.all()]  # type: ignore[attr-defined]


class OrganisationIn(Schema):
    force: str = Field(description="The force's identifier (slug).")
    name: str
    kind: OrganisationKind
    description: str = ""
    neighbourhoods: list[str] = Field(default=[], description="Neighbourhood codes.")
    languages: list[str] = []
    help_offered: list[str] = []
    website: str = ""
    email: str = ""
    telephone: str = ""
    address: str = ""
    is_active: bool = True


class OrganisationUpdateIn(Schema):
    """Every field optional: what is left out stays as it is."""

    name: str | None = None
    kind: OrganisationKind | None = None
    description: str | None = None
    neighbourhoods: list[str] | None = None
    languages: list[str] | None = None
    help_offered: list[str] | None = None
    website: str | None = None
    email: str | None = None
    telephone: str | None = None
    address: str | None = None
    is_active: bool | None = None


class PartnerContactOut(Schema):
    id: int
    name: str = Field(alias="user.full_name")
    email: str = Field(alias="user.email")
    job_title: str
    is_primary: bool
    is_active: bool
    created_at: datetime.datetime


class PartnerContactIn(Schema):
    email: str = Field(description="The e-mail address of the person's existing account.")
    job_title: str = ""
    is_primary: bool = False


class EngagementConcernOut(Schema):
    id: int
    description: str
    report_reference: str
    priority_id: int | None
    converted_at: datetime.datetime | None


class PartnerFollowUpOut(Schema):
    id: int
    engagement_id: int
    organisation: str = Field(alias="engagement.organisation.slug")
    description: str
    due_on: datetime.date
    owner_id: int
    owner_name: str
    is_overdue: bool
    done_at: datetime.datetime | None
    outcome: str

    @staticmethod
    def resolve_owner_name(obj: object) -> str:
        return str(obj.owner)  # type: ignore[attr-defined]


class EngagementFollowUpOut(Schema):
    id: int
    description: str
    due_on: datetime.date
    owner_id: int
    is_overdue: bool
    done_at: datetime.datetime | None
    outcome: str


class EngagementOut(Schema):
    id: int
    organisation: str = Field(alias="organisation.slug")
    kind: EngagementKind
    occurred_at: datetime.datetime
    officer_id: int
    neighbourhood: str | None = Field(None, alias="neighbourhood.code")
    topics: list[str]
    summary: str
    shared_with_partner: bool
    internal_note: str
    concerns: list[EngagementConcernOut]
    follow_ups: list[EngagementFollowUpOut]


class EngagementFollowUpIn(Schema):
    description: str
    due_on: datetime.date
    owner_id: int = _ID


class EngagementIn(Schema):
    kind: EngagementKind
    occurred_at: datetime.datetime
    summary: str
    topics: list[str] = []
    neighbourhood: str | None = Field(None, description="A neighbourhood code of the force.")
    shared_with_partner: bool = True
    internal_note: str = ""
    concerns: list[str] = []
    follow_ups: list[EngagementFollowUpIn] = []


class CompleteIn(Schema):
    outcome: str


class ReassignIn(Schema):
    owner_id: int = _ID


class EngagementConcernToReportIn(Schema):
    category: str = Field(description="The code of a report category of the force.")
    neighbourhood: str | None = Field(None, description="Else the engagement's neighbourhood.")


class EngagementConcernToPriorityIn(Schema):
    title: str = ""
    neighbourhood: str | None = Field(None, description="Else the engagement's neighbourhood.")


class ConvertedOut(Schema):
    concern: EngagementConcernOut
    report_reference: str | None = None
    priority_id: int | None = None


class PartnerReferralOut(Schema):
    """What a partner sees of a report referred to it: never the reporter."""

    id: int
    organisation: str = Field(alias="organisation.slug")
    report: str = Field(alias="report.reference")
    category: str = Field(alias="report.category.name")
    description: str = Field(alias="report.description")
    neighbourhood: str | None = Field(None, alias="report.neighbourhood.name")
    address: str = Field(alias="report.address")
    note: str
    referred_at: datetime.datetime
    status: ReferralStatus
    response: str
    responded_at: datetime.datetime | None


class ReferralResponseIn(Schema):
    status: ReferralStatus = Field(description="accepted, declined or closed.")
    response: str = ""


class SharedFollowUpOut(Schema):
    """A follow-up as the organisation's contacts see it: what, by when, whether done;
    not which officer owns it nor the police's own account of the outcome."""

    id: int
    description: str
    due_on: datetime.date
    is_overdue: bool
    done_at: datetime.datetime | None


class SharedEngagementOut(Schema):
    """An engagement as the organisation's contacts see it: no internal note."""

    id: int
    organisation: str = Field(alias="organisation.slug")
    kind: EngagementKind
    occurred_at: datetime.datetime
    topics: list[str]
    summary: str
    concerns: list[str]
    follow_ups: list[SharedFollowUpOut]

    @staticmethod
    def resolve_concerns(obj: object) -> list[str]:
        return [c.description for c in obj.concerns.all()]  # type: ignore[attr-defined]
