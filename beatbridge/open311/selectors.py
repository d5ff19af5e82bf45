"""Reads for Open311, over the places and reports selectors.

A jurisdiction is a force (``jurisdiction_id`` is its slug); its services are its active
concern categories. Suspicious-activity categories are left out: their form asks what
a person did, which Open311 has no field for. Service requests are what the public may
see of reports, and nothing else.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from beatbridge.errors import DomainError, NotFound
from beatbridge.open311.models import ApiClient
from beatbridge.places import selectors as places
from beatbridge.places.models import Force
from beatbridge.reports import selectors as reports
from beatbridge.reports.models import Category, CategoryKind, Report


def is_client_name_taken(name: str) -> bool:
    """Whether an active API client already has this name: names tell keys apart."""
    return ApiClient.objects.filter(name=name.strip(), is_active=True).exists()


def get_jurisdiction(jurisdiction_id: str) -> Force:
    """The force a jurisdiction_id names; without one, the only force there is."""
    if jurisdiction_id:
        try:
            return places.get_force(jurisdiction_id)
        except NotFound:
            raise NotFound(
                _("There is no jurisdiction “%(id)s”.") % {"id": jurisdiction_id[:64]},
                field="jurisdiction_id",
            ) from None
    forces = list(places.list_forces()[:2])
    if len(forces) == 1:
        return forces[0]
    if not forces:
        raise NotFound(_("This server serves no jurisdiction yet."), field="jurisdiction_id")
    raise DomainError(
        _("Required: this server serves several jurisdictions (the forces' ids)."),
        field="jurisdiction_id",
        code="required",
    )


def services_of(force: Force) -> QuerySet[Category]:
    return reports.categories_of(force, kind=CategoryKind.CONCERN)


def get_service(force: Force, service_code: str) -> Category:
    """An active concern category by its code; NotFound otherwise."""
    if not service_code:
        raise DomainError(
            _("Required: the code of one of the services."), field="service_code", code="required"
        )
    try:
        category = reports.get_category(force, service_code)
    except NotFound:
        category = None
    if category is None or not category.is_active or category.kind != CategoryKind.CONCERN:
        raise NotFound(
            _("There is no service “%(code)s”.") % {"code": service_code[:64]},
            field="service_code",
        )
    return category


def _just_after(moment: datetime.datetime) -> datetime.datetime | None:
    """The exclusive end that makes Open311's inclusive ``end_date`` so; None at the end of time."""
    try:
        return moment + datetime.timedelta(microseconds=1)
    except OverflowError:
        return None


def service_requests(
    force: Force,
    *,
    ids: Iterable[str] | None = None,
    service_codes: Iterable[str] | None = None,
    window: tuple[datetime.datetime, datetime.datetime] | None = None,
    closed: bool | None = None,
) -> QuerySet[Report]:
    """The force's public reports, newest first, with their public updates."""
    start, end = window or (None, None)
    return reports.public_reports(
        force=force,
        filters=reports.PublicFilters(
            references=tuple(ids) if ids is not None else None,
            category_codes=tuple(service_codes or ()),
            since=start,
            until=_just_after(end) if end is not None else None,
            closed=closed,
        ),
    )


def get_service_request(force: Force, service_request_id: str) -> Report:
    """One report as anyone may see it, in the force; NotFound otherwise, whether or not it
    exists. Its public updates are in ``public_history``."""
    report = reports.get_report_for_user(AnonymousUser(), service_request_id)
    if report.force_id != force.pk:
        raise NotFound(
            _("There is no report %(reference)s.") % {"reference": service_request_id[:16]},
            field="service_request_id",
        )
    report.public_history = list(reports.public_updates(report))  # type: ignore[attr-defined]
    return report
