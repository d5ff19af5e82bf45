"""Shapes of the watch API: what it answers (``*Out``) and what it takes (``*In``)."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import AwareDatetime

from beatbridge.watch.models import Membership, Scheme


class WatchNeighbourhoodOut(Schema):
    force: str = Field(description="The force's id.")
    code: str
    name: str

    @staticmethod
    def resolve_force(obj: Any) -> str:
        return obj.force.slug


class SchemeSummaryOut(Schema):
    """A running scheme as anyone sees it: never who its members are."""

    id: int
    name: str
    description: str
    streets: list[str]
    has_area: bool
    status: str = Field(description="active or dormant.")
    member_count: int

    @staticmethod
    def resolve_has_area(obj: Scheme) -> bool:
        return obj.area is not None


class MyMembershipOut(Schema):
    id: int
    role: str = Field(description="coordinator, deputy or member.")
    status: str = Field(description="requested, approved, declined or left.")
    receives_messages: bool


class SchemeOut(Schema):
    id: int
    name: str
    description: str
    streets: list[str]
    area: dict[str, Any] | None = Field(description="A GeoJSON Polygon, when one was drawn.")
    status: str = Field(description="proposed, active, dormant, declined or closed.")
    decision_note: str = Field(description="The team's note on its decision.")
    neighbourhood: WatchNeighbourhoodOut
    member_count: int
    created_at: datetime.datetime
    my_membership: MyMembershipOut | None = Field(description="Signed in: yours, if any.")


class SchemeProposalIn(Schema):
    name: str
    description: str = ""
    streets: list[str] = Field(default_factory=list, description="Street names; or an area.")
    area: dict[str, Any] | None = Field(
        None, description="A GeoJSON Polygon (longitude, latitude) inside the neighbourhood."
    )


class JoinIn(Schema):
    note: str = Field("", description="A short note to the coordinators.")


class MemberOut(Schema):
    """A member, for the scheme's members and team: a name, never an address."""

    id: int
    name: str
    role: str
    status: str

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.user.full_name


class RequestOut(MemberOut):
    note: str
    requested_at: datetime.datetime


class DecisionIn(Schema):
    approve: bool


class SchemeDecisionIn(Schema):
    approve: bool
    note: str = Field("", description="Required to decline.")


class RoleIn(Schema):
    role: str = Field(description="coordinator, deputy or member.")


class StatusIn(Schema):
    status: str = Field(description="active, dormant or closed.")


class ReceivesMessagesIn(Schema):
    receives_messages: bool


class SlotOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    route: str
    places: int
    taken: int = Field(description="How many have signed up.")
    is_mine: bool = Field(description="Whether you have signed up.")
    is_cancelled: bool

    @staticmethod
    def resolve_is_cancelled(obj: Any) -> bool:
        return obj.cancelled_at is not None


class SlotIn(Schema):
    starts_at: AwareDatetime = Field(description="With its UTC offset; in the future.")
    ends_at: AwareDatetime = Field(description="After the start, at most 12 hours later.")
    route: str = ""
    places: int = Field(2, ge=1, le=50)
