"""The neighbourhood team's pages: the triage home, inboxes, one report, its actions,
its photos, the CSV export and the guardrail figures.

Every page needs a signed-in police officer or administrator (others get 403). Scopes
come only from the selectors' access helpers (``get_report_for_triage``,
``get_neighbourhood_for_triage``...), which raise NotFound (404) or PermissionDenied
(403). Every view of personal data (one report, a photo, an export) is audited.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.reports import selectors
from beatbridge.reports.guardrail import RULE_LABELS
from beatbridge.reports.models import CLOSED_STATUSES, CategoryQuestion, Report, Status
from beatbridge.reports.permissions import can_triage, can_use_triage_pages
from beatbridge.reports.staff_forms import ACTION_FORMS, InboxFilterForm, TriageForm
from beatbridge.web.csv_export import csv_response
from beatbridge.web.maps import map_settings
from beatbridge.web.views import domain_errors_as_http

INBOX_PAGE_SIZE = 50
GUARDRAIL_PERIODS_DAYS = (30, 90, 365)
# Rows fetched at a time while streaming an export: memory stays flat however many there are.
EXPORT_CHUNK = 2000
# A spreadsheet runs a cell starting with these as a formula (OWASP "CSV injection").
# Stable column names for analysts' scripts, so they are not translated.
EXPORT_COLUMNS = (
    "reference",
    "created",
    "acknowledged",
    "resolved",
    "hours_to_acknowledge",
    "hours_to_resolve",
    "status",
    "priority",
    "kind",
    "category_code",
    "category_name",
    "neighbourhood_code",
    "neighbourhood_name",
    "public_latitude",
    "public_longitude",
    "latitude",
    "longitude",
    "address",
)


def _staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first, then police or administrators only; NotFound and PermissionDenied from
    the access helpers become 404 and 403."""

    view = domain_errors_as_http(view)

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_use_triage_pages(request.user):
            raise Forbidden(_("These pages are for the neighbourhood teams."))
        return view(request, *args, **kwargs)

    return wrapper


# --- the triage home ----------------------------------------------------------------------

OPEN_STATUSES = [(value, label) for value, label in Status.choices if value not in CLOSED_STATUSES]


@require_safe
@_staff_page
def triage_home(request: HttpRequest) -> HttpResponse:
    """The inboxes the user may open, with their open reports by status, grouped by force."""
    neighbourhoods = selectors.neighbourhoods_to_triage(request.user)
    counts = selectors.open_counts_by_neighbourhood(n.pk for n in neighbourhoods)
    forces: dict[int, dict[str, Any]] = {}
    for neighbourhood in neighbourhoods:
        entry = forces.setdefault(
            neighbourhood.force_id, {"force": neighbourhood.force, "rows": [], "sectors": {}}
        )
        by_status = counts[neighbourhood.pk]
        entry["rows"].append(
            {
                "neighbourhood": neighbourhood,
                "counts": [by_status[value] for value, _label in OPEN_STATUSES],
                "open": sum(by_status.values()),
            }
        )
        if neighbourhood.sector is not None:
            entry["sectors"][neighbourhood.sector_id] = neighbourhood.sector
    for entry in forces.values():
        entry["sectors"] = sorted(entry["sectors"].values(), key=lambda sector: sector.name)
        # The sector and unplaced inboxes are the supervisors' (and administrators').
        entry["supervised"] = can_triage(
            request.user, force_id=entry["force"].pk, neighbourhood_id=None
        )
        if entry["supervised"]:
            entry["unplaced_open"] = selectors.unplaced_inbox(entry["force"]).count()
    context = {"forces": list(forces.values()), "open_statuses": OPEN_STATUSES}
    return render(request, "reports/staff/home.html", context)


# --- inboxes ------------------------------------------------------------------------------


@require_safe
@_staff_page
def inbox(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """A neighbourhood's reports, for its team and the force's supervisors."""
    neighbourhood = selectors.get_neighbourhood_for_triage(request.user, force, code)
    return _inbox_page(
        request,
        title=neighbourhood.name,
        force=neighbourhood.force,
        neighbourhood_ids=[neighbourhood.pk],
        reports=lambda filters: selectors.inbox(neighbourhood, filters),
        export_url=reverse("reports:export", kwargs={"force": force, "code": code}),
    )


@require_safe
@_staff_page
def sector_inbox(request: HttpRequest, force: str, sector: str) -> HttpResponse:
    """Every report of a sector's neighbourhoods: the supervisor's view."""
    found = selectors.get_sector_for_triage(request.user, force, sector)
    return _inbox_page(
        request,
        title=_("Sector %(sector)s") % {"sector": found.name},
        force=found.force,
        neighbourhood_ids=found.neighbourhoods.values("pk"),
        reports=lambda filters: selectors.sector_inbox(found, filters),
        show_neighbourhood=True,
    )


@require_safe
@_staff_page
def unplaced_inbox(request: HttpRequest, force: str) -> HttpResponse:
    """A force's reports that no neighbourhood holds: given by address only, or outside all."""
    found = selectors.get_force_for_triage(request.user, force)
    return _inbox_page(
        request,
        title=_("Reports with no neighbourhood"),
        force=found,
        neighbourhood_ids=[],
        reports=lambda filters: selectors.unplaced_inbox(found, filters),
    )


def _filter_form(request: HttpRequest, *, force: Force, neighbourhood_ids: Any) -> InboxFilterForm:
    # Always bound: an empty query is a valid one, the default inbox.
    return InboxFilterForm(
        request.GET,
        categories=selectors.categories_of(force),
        officers=selectors.officers_who_may_triage(
            force_id=force.pk, neighbourhood_ids=neighbourhood_ids
        ),
    )


def _inbox_page(
    request: HttpRequest,
    *,
    title: str,
    force: Force,
    neighbourhood_ids: Any,
    reports: Callable[[selectors.InboxFilters], QuerySet[Report]],
    export_url: str = "",
    show_neighbourhood: bool = False,
) -> HttpResponse:
    form = _filter_form(request, force=force, neighbourhood_ids=neighbourhood_ids)
    filters = form.filters(request.user)
    page = Paginator(reports(filters), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    # The counts answer "how many in each status" for the other filters as chosen.
    counts = selectors.status_counts(reports(replace(filters, statuses=(), open_only=False)))
    context = {
        "title": title,
        "force": force,
        "form": form,
        "page": page,
        "status_counts": [(value, label, counts[value]) for value, label in Status.choices],
        "export_url": export_url,
        "show_neighbourhood": show_neighbourhood,
    }
    return render(request, "reports/staff/inbox.html", context, status=400 if form.errors else 200)


# --- one report ---------------------------------------------------------------------------


@require_safe
@_staff_page
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything the team needs to handle a report, and a form for each action."""
    report = selectors.get_report_for_triage(request.user, reference)
    return _detail_page(request, report)


@require_POST
@_staff_page
def report_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """One triage action (POST, then redirect); a refusal shows on the detail page's form."""
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404(_("There is no such action."))
    report = selectors.get_report_for_triage(request.user, reference)
    form = form_class(request.POST, report=report, viewer=request.user)
    if form.submit(by=request.user):
        messages.success(request, form.success)
        return redirect("reports:triage_detail", reference=report.reference)
    return _detail_page(request, report, bound=form, status=400)


def _detail_page(
    request: HttpRequest, report: Report, *, bound: TriageForm | None = None, status: int = 200
) -> HttpResponse:
    # Keyed by the slug in the template's spelling ("public_update"): one form per action.
    forms = {
        slug.replace("-", "_"): (
            bound
            if bound is not None and bound.slug == slug
            else form_class(report=report, viewer=request.user)
        )
        for slug, form_class in ACTION_FORMS.items()
    }
    context = {
        "report": report,
        "forms": forms,
        "history": selectors.history_of(report, staff=True),
        "photos": list(report.photos.all()),
        "answers": _answers_of(report),
        "place": _place_geometry(report),
        "map": map_settings(),
        "inbox_url": _inbox_url(report),
        "bound_form": bound,
    }
    # The page shows contact details and the exact place: a view of personal data.
    audit(actor=request.user, action="report.viewed", target=report)
    return render(request, "reports/staff/detail.html", context, status=status)


def _answers_of(report: Report) -> list[tuple[str, str]]:
    """(question, answer) in the category's order; answers to since-removed questions last."""
    questions = list(report.category.questions.all())
    answers = [
        (question.translated("prompt"), _answer_text(question, report.answers[question.code]))
        for question in questions
        if question.code in report.answers
    ]
    known = {question.code for question in questions}
    answers += [(code, str(value)) for code, value in report.answers.items() if code not in known]
    return answers


def _answer_text(question: CategoryQuestion, value: Any) -> str:
    names = dict(question.choice_pairs())
    values = value if isinstance(value, list) else [value]
    return ", ".join(str(names.get(item, item)) for item in values)


def _place_geometry(report: Report) -> dict[str, Any] | None:
    """The exact point, with the neighbourhood's boundary around it, for the map."""
    if report.latitude is None or report.longitude is None:
        return None
    point = {"type": "Point", "coordinates": [report.longitude, report.latitude]}
    shapes = [point] if report.neighbourhood is None else [report.neighbourhood.boundary, point]
    # Features, not one collection of geometries: the map styles the point apart.
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": shape, "properties": {}} for shape in shapes],
    }


def _inbox_url(report: Report) -> str:
    if report.neighbourhood is None:
        return reverse("reports:unplaced", kwargs={"force": report.force.slug})
    return reverse(
        "reports:inbox",
        kwargs={"force": report.force.slug, "code": report.neighbourhood.code},
    )


@require_safe
@login_required
def photo(request: HttpRequest, reference: str, photo_id: int) -> HttpResponse:
    """A report's photo, to the staff who may handle the report; 404 for anyone else."""
    try:
        report = selectors.get_report_for_triage(request.user, reference)
    except DomainError:
        raise Http404(_("There is no such photo.")) from None
    found = report.photos.filter(pk=photo_id).first()
    if found is None:
        raise Http404(_("There is no such photo."))
    audit(
        actor=request.user,
        action="report.photo_viewed",
        target=report,
        detail={"photo_id": found.pk},
    )
    extension = found.image.name.rsplit(".", 1)[-1]
    response = FileResponse(
        found.image.open("rb"),
        content_type=found.content_type,
        filename=f"{report.reference}-{found.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the export ---------------------------------------------------------------------------


@require_safe
@_staff_page
def export_csv(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """A neighbourhood's reports as CSV, with the inbox's filters, streamed row by row.

    Staff may see the exact place, so it is included; the reporter's identity and
    contact details are not, nor the description: an export travels further than a page.
    """
    neighbourhood = selectors.get_neighbourhood_for_triage(request.user, force, code)
    form = _filter_form(request, force=neighbourhood.force, neighbourhood_ids=[neighbourhood.pk])
    if not form.is_valid():
        problems = "\n".join(
            f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters(request.user)
    audit(
        actor=request.user,
        action="report.exported",
        target=neighbourhood,
        detail=_filters_detail(filters),
    )
    day = timezone.localdate().isoformat()
    rows = (
        _export_row(report)
        for report in selectors.inbox(neighbourhood, filters).iterator(chunk_size=EXPORT_CHUNK)
    )
    return csv_response(
        EXPORT_COLUMNS,
        rows,
        filename=f"reports-{neighbourhood.force.slug}-{neighbourhood.code}-{day}.csv",
    )


def _filters_detail(filters: selectors.InboxFilters) -> dict[str, Any]:
    # Ids and values only: the search text could name someone, so only whether there was one.
    return {
        "statuses": list(filters.statuses),
        "open_only": filters.open_only,
        "category_id": filters.category_id,
        "kind": filters.kind,
        "assigned_to_id": filters.assigned_to_id,
        "unassigned": filters.unassigned,
        "priority": filters.priority,
        "searched": bool(filters.search),
    }


def _export_row(report: Report) -> list[Any]:
    neighbourhood: Neighbourhood | None = report.neighbourhood
    return [
        report.reference,
        _timestamp(report.created_at),
        _timestamp(report.acknowledged_at),
        _timestamp(report.resolved_at),
        _hours(report.time_to_acknowledge),
        _hours(report.time_to_resolve),
        report.status,
        report.priority,
        report.kind,
        report.category.code,
        report.category.name,
        neighbourhood.code if neighbourhood else "",
        neighbourhood.name if neighbourhood else "",
        _coordinate(report.public_latitude),
        _coordinate(report.public_longitude),
        _coordinate(report.latitude),
        _coordinate(report.longitude),
        report.address,
    ]


def _timestamp(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _hours(duration: datetime.timedelta | None) -> float | str:
    return round(duration.total_seconds() / 3600, 2) if duration is not None else ""


def _coordinate(value: float | None) -> float | str:
    return value if value is not None else ""


# --- the guardrail figures ----------------------------------------------------------------


@require_safe
@_staff_page
def guardrail_figures(request: HttpRequest) -> HttpResponse:
    """How often the suspicious-activity guardrail sent a report back, by rule and period,
    beside the suspicious-activity reports accepted in the same period."""
    now = timezone.now()
    periods = []
    for days in GUARDRAIL_PERIODS_DAYS:
        since = now - datetime.timedelta(days=days)
        by_rule = {row["rule"]: row["count"] for row in selectors.guardrail_counts(since=since)}
        periods.append(
            {
                "days": days,
                "by_rule": by_rule,
                "triggers": sum(by_rule.values()),
                "accepted": selectors.suspicious_activity_count(since=since),
            }
        )
    # Rules no longer in the code may still have counts in the period: list them by id.
    rules = dict(RULE_LABELS)
    for period in periods:
        for rule in period["by_rule"]:
            rules.setdefault(rule, rule)
    context = {
        "periods": periods,
        "rows": [
            {"label": label, "counts": [period["by_rule"].get(rule, 0) for period in periods]}
            for rule, label in rules.items()
        ],
    }
    return render(request, "reports/staff/guardrail.html", context)
