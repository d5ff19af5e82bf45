"""The shapes of crime data in Beatbridge's own API: what a query asks and what comes back.

Category and outcome ids are police.uk's; their names are in the request's language.
Months are written YYYY-MM.
"""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from beatbridge.crimedata.categories import CrimeCategory, OutcomeCategory
from beatbridge.crimedata.selectors.counts import category_name
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID

MONTH_DOC = "A month, written YYYY-MM."


def month_text(month: datetime.date) -> str:
    # Not strftime: it does not pad a year before 1000 on every platform.
    return f"{month.year:04d}-{month.month:02d}"


def _outcome_name(outcome: str) -> str:
    try:
        return str(OutcomeCategory(outcome).label)
    except ValueError:
        return outcome


class CountsQuery(Schema):
    month_from: str | None = Field(
        None, description=f"{MONTH_DOC} By default 11 months before month_to."
    )
    month_to: str | None = Field(
        None, description=f"{MONTH_DOC} By default the latest month the force has data for."
    )
    category: CrimeCategory | None = Field(None, description="Only this category.")


class CrimesQuery(Schema):
    force: str = Field(..., pattern=FORCE_ID, description="The force's id.")
    neighbourhood: str | None = Field(
        None, pattern=NEIGHBOURHOOD_ID, description="Only this neighbourhood of the force."
    )
    category: CrimeCategory | None = Field(None, description="Only this category.")
    month_from: str | None = Field(None, description=f"{MONTH_DOC} By default month_to.")
    month_to: str | None = Field(
        None,
        description=f"{MONTH_DOC} By default the latest month the force has data for "
        "(or month_from, when that is later).",
    )


class CrimeCategoryOut(Schema):
    id: str
    name: str


class StreetPointOut(Schema):
    """An anonymous map point ("On or near Park Lane"), never an address."""

    id: int
    name: str
    latitude: float
    longitude: float


class OutcomeOut(Schema):
    code: str
    name: str
    month: str | None = Field(description="When it was recorded, if an outcomes file said.")


class CrimeOut(Schema):
    id: int = Field(description="A stable id: the same incident keeps it on every import.")
    reference: str = Field(description="police.uk's Crime ID; empty for anti-social behaviour.")
    category: str
    month: str
    point: StreetPointOut | None = Field(description="Null when published without a location.")
    neighbourhood: str | None = Field(description="Null outside every neighbourhood.")
    outcome: OutcomeOut | None
    context: str

    @staticmethod
    def resolve_id(incident: Any) -> int:
        return incident.public_id

    @staticmethod
    def resolve_month(incident: Any) -> str:
        return month_text(incident.month)

    @staticmethod
    def resolve_point(incident: Any) -> dict[str, Any] | None:
        point = incident.point
        if point is None:
            return None
        return {
            "id": point.pk,
            "name": point.street_name,
            "latitude": point.latitude,
            "longitude": point.longitude,
        }

    @staticmethod
    def resolve_neighbourhood(incident: Any) -> str | None:
        return incident.neighbourhood_code

    @staticmethod
    def resolve_outcome(incident: Any) -> dict[str, Any] | None:
        if not incident.outcome:
            return None
        return {
            "code": incident.outcome,
            "name": _outcome_name(incident.outcome),
            "month": month_text(incident.outcome_month) if incident.outcome_month else None,
        }


class CrimeCountOut(Schema):
    month: str
    category: str
    incidents: int

    @staticmethod
    def resolve_month(row: Any) -> str:
        return month_text(row.month)


class ForceCrimeCountOut(CrimeCountOut):
    in_neighbourhoods: int
    outside_neighbourhoods: int = Field(
        description="Of the incidents, those placed outside every neighbourhood."
    )
    without_location: int = Field(description="Of the incidents, those with no location.")


class CategoryTotalOut(Schema):
    category: str
    name: str
    incidents: int


class CountTotalsOut(Schema):
    incidents: int
    categories: list[CategoryTotalOut] = Field(description="The most frequent first.")

    @staticmethod
    def resolve_categories(totals: Any) -> list[dict[str, Any]]:
        return [
            {"category": category, "name": category_name(category), "incidents": incidents}
            for category, incidents in totals.by_category
        ]


class ForceCountTotalsOut(CountTotalsOut):
    in_neighbourhoods: int
    outside_neighbourhoods: int
    without_location: int


class _CountsOut(Schema):
    force: str
    month_from: str | None = Field(description="Null when the force has no data.")
    month_to: str | None = Field(description="Null when the force has no data.")

    @staticmethod
    def resolve_force(counts: Any) -> str:
        return counts.force.slug

    @staticmethod
    def resolve_month_from(counts: Any) -> str | None:
        return month_text(counts.first_month) if counts.first_month else None

    @staticmethod
    def resolve_month_to(counts: Any) -> str | None:
        return month_text(counts.last_month) if counts.last_month else None


class NeighbourhoodCrimeCountsOut(_CountsOut):
    neighbourhood: str

    @staticmethod
    def resolve_neighbourhood(counts: Any) -> str:
        return counts.neighbourhood.code

    counts: list[CrimeCountOut] = Field(description="By month, then category.")
    totals: CountTotalsOut


class ForceCrimeCountsOut(_CountsOut):
    counts: list[ForceCrimeCountOut] = Field(
        description="By month, then category; every incident of the force, those outside "
        "every neighbourhood and those without a location among them, each counted apart."
    )
    totals: ForceCountTotalsOut


class HotspotQuery(CountsQuery):
    neighbourhood: str | None = Field(
        None, pattern=NEIGHBOURHOOD_ID, description="Only this neighbourhood of the force."
    )
    cell: int | None = Field(
        None,
        description="The side of a grid cell in metres (25-5000); by default one giving the "
        "area a few thousand cells.",
    )
    radius: int = Field(
        1, description="Neighbours are the cells within this many cells each way (1-3)."
    )
