"""Beatbridge's categories and reports in Open311's shapes (plain data for formats.render).

A service request shows only what the public may see of a report: its approximate
place (the public grid point and the neighbourhood's name, never the address the
reporter typed), no reporter, no contact details, no photos, no internal notes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.places.models import Force
from beatbridge.reports.models import Category, QuestionType, Report

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this adapter last changed what it offers: the discovery document's changeset.
CHANGESET = "2026-11-30T00:00:00Z"
# The specification limits a request's description to 4,000 characters; reports allow more.
_DESCRIPTION_MAX = 4000
_CHOICE_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)


def w3c(moment: datetime.datetime | None) -> str | None:
    """A W3C date and time with the server's offset: 2026-01-31T09:00:00-08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def discovery(*, url: str, force: Force | None) -> dict[str, Any]:
    contact = ""
    if force is not None:
        contact = " ".join(part for part in (force.name, force.telephone, force.url) if part)
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": _(
            "API keys for posting service requests are issued by this service's administrators."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.local_name,
        "description": category.local_description,
        # The questions were prefetched with the category: no query per service.
        "metadata": bool(category.questions.all()),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.local_group,
    }


def service_definition(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": question.code,
                "datatype": question.datatype,
                "required": question.required,
                "datatype_description": question.translated("help_text") or None,
                # Open311 wants distinct orders from 1; positions may repeat or start at 0.
                "order": order,
                "description": question.translated("prompt"),
                "values": [{"key": key, "name": name} for key, name in question.choice_pairs()]
                if question.datatype in _CHOICE_TYPES
                else [],
            }
            for order, question in enumerate(category.questions.all(), start=1)
        ],
    }


def service_notice() -> str:
    return _(
        "Thank you. The neighbourhood team will read your report, but reports are not "
        "monitored around the clock: in an emergency, call %(number)s."
    ) % {"number": settings.EMERGENCY_NUMBER}


def created(report: Report) -> dict[str, Any]:
    return {
        "service_request_id": report.reference,
        "service_notice": service_notice(),
        "account_id": None,
    }


def token(report: Report) -> dict[str, Any]:
    return {"service_request_id": report.reference, "token": report.reference}


def service_request(report: Report, *, force: Force) -> dict[str, Any]:
    """A report as the public sees it. Expects ``public_history`` (its public updates)."""
    history = report.public_history  # type: ignore[attr-defined]
    description = report.description
    if len(description) > _DESCRIPTION_MAX:
        description = description[: _DESCRIPTION_MAX - 1] + "…"
    # The public time: internal steps (notes, assignments) must not show through.
    updated = report.public_updated_at
    if report.is_closed and report.resolved_at is not None:
        updated = report.resolved_at
    return {
        "service_request_id": report.reference,
        "status": "closed" if report.is_closed else "open",
        "status_notes": next((update.text for update in reversed(history) if update.text), None),
        "service_name": report.category.local_name,
        "service_code": report.category.code,
        "description": description,
        "agency_responsible": report.category.handled_by or force.name,
        "service_notice": None,
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": None,
        "address": report.neighbourhood.name if report.neighbourhood_id else None,
        "address_id": None,
        "zipcode": None,
        "lat": report.public_latitude,
        "long": report.public_longitude,
        # Photos are never public.
        "media_url": None,
    }
