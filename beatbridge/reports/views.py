"""Pages for residents and the public: reporting, following up, one's own reports, and the
public list of a neighbourhood's reports.

What keeps people safe here:
- a follow-up code is never in a URL, a redirect, the session or a log: it is shown in
  the response to the POST that made it, and typed back into a POST form;
- an anonymous tip writes nothing about who sent it: no session, no message, no
  account, and wrong follow-up codes are counted per client under a keyed hash only;
- the public pages show only what ``Report.public_objects`` allows, at the snapped
  place, without contact details or photos.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from beatbridge.errors import Conflict, DomainError, NotFound, TooManyRequests
from beatbridge.limits import client_address
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.places.selectors import (
    get_force,
    get_neighbourhood,
    list_forces,
    locate_neighbourhood_ref,
)
from beatbridge.reports.forms import (
    AddInformationForm,
    FollowUpCodeForm,
    PresetForm,
    PublicListForm,
    ReportForm,
    grouped,
)
from beatbridge.reports.models import Category, CategoryKind, Report, ReportKind, Source
from beatbridge.reports.permissions import can_triage_report, is_reporter
from beatbridge.reports.selectors import (
    PublicFilters,
    categories_of,
    get_report_for_user,
    history_of,
    public_report_features,
    public_reports,
    public_updates,
    reports_of,
)
from beatbridge.reports.services import add_reporter_information, open_follow_up, submit_report
from beatbridge.web.maps import map_settings

PAGE_SIZE = 20
# The map draws the newest reports only: enough to see where things happen.
MAP_LIMIT = 500
# The categories each kind of report offers (None: every category of the force).
_CATEGORY_KINDS = {
    ReportKind.CONCERN: CategoryKind.CONCERN,
    ReportKind.SUSPICIOUS_ACTIVITY: CategoryKind.SUSPICIOUS_ACTIVITY,
    ReportKind.TIP: None,
}
_PAGE_NAMES = {
    ReportKind.CONCERN: "reports:concern",
    ReportKind.SUSPICIOUS_ACTIVITY: "reports:suspicious",
    ReportKind.TIP: "reports:tip",
}


# --- where a report is about --------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """The force (and neighbourhood, when known) a report is about, and a preset point."""

    force: Force | None = None
    neighbourhood: Neighbourhood | None = None
    latitude: float | None = None
    longitude: float | None = None

    def query(self) -> str:
        """The query string that brings the next page to the same place."""
        values: dict[str, Any] = {}
        if self.neighbourhood is not None:
            values = {
                "force": self.neighbourhood.force.slug,
                "neighbourhood": self.neighbourhood.code,
            }
        elif self.force is not None:
            values = {"force": self.force.slug}
        if self.latitude is not None and self.longitude is not None:
            values.update(lat=self.latitude, lng=self.longitude)
        return urlencode(values)


def _where(data: QueryDict) -> Where:
    """The neighbourhood named, else the one holding the point, else the force named, else
    the only force there is; bad or unknown values are ignored."""
    preset = PresetForm(data).values()
    latitude, longitude = preset.get("lat"), preset.get("lng")
    neighbourhood = None
    if "force" in preset and "neighbourhood" in preset:
        neighbourhood = _neighbourhood_or_none(preset["force"], preset["neighbourhood"])
    if neighbourhood is None and latitude is not None and longitude is not None:
        found = locate_neighbourhood_ref(latitude, longitude)
        if found is not None:
            neighbourhood = _neighbourhood_or_none(found.force_slug, found.code)
    force = neighbourhood.force if neighbourhood is not None else None
    if force is None and "force" in preset:
        try:
            force = get_force(preset["force"])
        except NotFound:
            force = None
    if force is None:
        forces = list(list_forces()[:2])
        force = forces[0] if len(forces) == 1 else None
    return Where(force, neighbourhood, latitude, longitude)


def _neighbourhood_or_none(force: str, code: str) -> Neighbourhood | None:
    try:
        return get_neighbourhood(force, code)
    except NotFound:
        return None


# --- reporting ----------------------------------------------------------------------------


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Choose what to send: a concern, suspicious activity or an anonymous tip."""
    where = _where(request.GET)
    return render(
        request,
        "reports/start.html",
        {"where": where, "force": where.force, "query": where.query()},
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def report_concern(request: HttpRequest) -> HttpResponse:
    return _report_page(request, ReportKind.CONCERN)


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def report_suspicious_activity(request: HttpRequest) -> HttpResponse:
    return _report_page(request, ReportKind.SUSPICIOUS_ACTIVITY)


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def send_tip(request: HttpRequest) -> HttpResponse:
    return _report_page(request, ReportKind.TIP)


def _report_page(request: HttpRequest, kind: str) -> HttpResponse:
    """One reporting form in two steps: the category (skipped when there is one), then the
    rest. The answer to a POST that filed the report is the confirmation itself."""
    data = request.POST if request.method == "POST" else request.GET
    where = _where(data)
    context: dict[str, Any] = {
        "kind": kind,
        "where": where,
        "force": where.force,
        "page_url": reverse(_PAGE_NAMES[kind]),
        "signed_in": request.user.is_authenticated,
    }
    if where.force is None:
        context["forces"] = list_forces()
        return render(request, "reports/choose_force.html", context)
    categories = list(categories_of(where.force, kind=_CATEGORY_KINDS[kind]))
    category = _chosen_category(categories, data.get("category"))
    if category is None:
        chosen = data.get("category")
        context.update(groups=grouped(categories), unknown_category=bool(chosen))
        status = 400 if chosen or request.method == "POST" else 200
        return render(request, "reports/choose_category.html", context, status=status)
    context.update(
        category=category, several_categories=len(categories) > 1, map=_map_settings(where.force)
    )
    if request.method != "POST":
        form = ReportForm(
            initial=_initial(where), kind=kind, category=category, signed_in=context["signed_in"]
        )
        return render(request, "reports/report_form.html", {**context, "form": form})
    form = ReportForm(
        request.POST, request.FILES, kind=kind, category=category, signed_in=context["signed_in"]
    )
    status = 400
    if form.is_valid():
        try:
            result = submit_report(
                kind=kind,
                category=category,
                description=form.cleaned_data["description"],
                place=form.place(where.neighbourhood),
                source=Source.WEB,
                reporter=_reporter(request, kind),
                suspicious_activity=form.suspicious_activity(),
                answers=form.answers(),
                uploads=form.cleaned_data["photos"],
                is_private=form.cleaned_data.get("is_private", False),
                contact=form.contact(),
                language=get_language() or "",
                submission_key=str(form.cleaned_data["submission_key"]),
                submitter_scope="web",
                client_address=client_address(request),
            )
        except DomainError as error:
            form.refuse(error)
            if isinstance(error, Conflict):
                form.fresh_submission_key()
            # 409 for a reused key, 429 when the client has sent too many.
            status = error.status
        else:
            return render(
                request,
                "reports/submitted.html",
                {**context, "report": result.report, "follow_up_code": result.follow_up_code},
            )
    return render(request, "reports/report_form.html", {**context, "form": form}, status=status)


def _chosen_category(categories: list[Category], code: str | None) -> Category | None:
    if code is None and len(categories) == 1:
        return categories[0]
    return next((category for category in categories if category.code == code), None)


def _initial(where: Where) -> dict[str, Any]:
    initial: dict[str, Any] = {"force": where.force.slug if where.force else ""}
    if where.neighbourhood is not None:
        initial["neighbourhood"] = where.neighbourhood.code
    if where.latitude is not None and where.longitude is not None:
        initial.update(latitude=where.latitude, longitude=where.longitude)
    return initial


def _reporter(request: HttpRequest, kind: str) -> Any:
    # A tip is anonymous even from a signed-in account: it is never linked to one.
    if kind == ReportKind.TIP or not request.user.is_authenticated:
        return None
    return request.user


# --- following up with a code -------------------------------------------------------------


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """Read the replies to an anonymous report or tip, and add to it, with its code.

    The code travels only in POST bodies: the form that reads it, and a hidden field of
    the form that adds information.
    """
    if request.method != "POST":
        return render(request, "reports/follow_up.html", {"form": FollowUpCodeForm()})
    code_form = FollowUpCodeForm(request.POST)
    if not code_form.is_valid():
        return render(request, "reports/follow_up.html", {"form": code_form}, status=400)
    code = code_form.cleaned_data["code"]
    try:
        report = open_follow_up(code=code, client_address=client_address(request))
    except DomainError as error:
        code_form.add_error("code", error.message)
        status = 429 if isinstance(error, TooManyRequests) else 400
        return render(request, "reports/follow_up.html", {"form": code_form}, status=status)

    status, added = 200, False
    if request.POST.get("action") == "add":
        form = AddInformationForm(request.POST, request.FILES)
        status, added = _add_information(form, report)
        if added:
            form = AddInformationForm()
    else:
        form = AddInformationForm()
    context = {
        "report": report,
        "force": report.force,
        "history": history_of(report, staff=False),
        "form": form,
        "code": code,
        "added": added,
    }
    return render(request, "reports/follow_up_report.html", context, status=status)


def _add_information(form: AddInformationForm, report: Report) -> tuple[int, bool]:
    """(status, whether it was added) for information the reporter sent."""
    if not form.is_valid():
        return 400, False
    try:
        add_reporter_information(
            report=report, text=form.cleaned_data["text"], uploads=form.uploads()
        )
    except DomainError as error:
        form.refuse(error)
        return 400, False
    return 200, True


# --- a signed-in resident's own reports ---------------------------------------------------


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    page = Paginator(reports_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/mine.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def my_report(request: HttpRequest, reference: str) -> HttpResponse:
    """One of the resident's own reports, its history and a form to add to it."""
    report = _own_report_or_404(request.user, reference)
    form = AddInformationForm()
    status = 200
    if request.method == "POST":
        form = AddInformationForm(request.POST, request.FILES)
        status, added = _add_information(form, report)
        if added:
            messages.success(request, _("Thank you: what you added is now part of your report."))
            return redirect("reports:mine_detail", reference=report.reference)
    context = {
        "report": report,
        "force": report.force,
        "history": history_of(report, staff=False),
        "form": form,
    }
    return render(request, "reports/mine_detail.html", context, status=status)


def _own_report_or_404(user: Any, reference: str) -> Report:
    try:
        report = get_report_for_user(user, reference)
    except NotFound as error:
        raise Http404(error.message) from None
    if not is_reporter(user, report):
        raise Http404(_("There is no report %(reference)s.") % {"reference": reference[:16]})
    return report


# --- the public list, map and page of a report --------------------------------------------


@require_GET
def neighbourhood_reports(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """A neighbourhood's public reports, newest first, with a map of their approximate places."""
    neighbourhood = _neighbourhood_or_404(force, code)
    filters = PublicListForm(request.GET)
    open_only = filters.is_valid() and filters.cleaned_data["open_only"]
    page = Paginator(
        public_reports(
            neighbourhood=neighbourhood, filters=PublicFilters(closed=False if open_only else None)
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    map_query = urlencode({"open_only": "on"}) if open_only else ""
    context = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "page": page,
        "filters": filters,
        "open_only": open_only,
        "page_query": map_query,
        "map": _map_settings(neighbourhood.force),
        "report_query": urlencode(
            {"force": neighbourhood.force.slug, "neighbourhood": neighbourhood.code}
        ),
    }
    return render(request, "reports/public_list.html", context)


@require_GET
def neighbourhood_reports_geojson(request: HttpRequest, force: str, code: str) -> JsonResponse:
    """The approximate places of a neighbourhood's newest public reports, as GeoJSON."""
    neighbourhood = _neighbourhood_or_404(force, code)
    filters = PublicListForm(request.GET)
    open_only = filters.is_valid() and filters.cleaned_data["open_only"]
    # The map needs no history: drop the list's prefetch.
    reports = public_reports(
        neighbourhood=neighbourhood, filters=PublicFilters(closed=False if open_only else None)
    ).prefetch_related(None)
    return JsonResponse(
        public_report_features(reports[:MAP_LIMIT]), content_type="application/geo+json"
    )


@require_GET
def public_report(request: HttpRequest, reference: str) -> HttpResponse:
    """One report as the public sees it; its reporter and staff also see a non-public one."""
    try:
        report = get_report_for_user(request.user, reference)
    except NotFound as error:
        raise Http404(error.message) from None
    context = {
        "report": report,
        "force": report.force,
        "updates": public_updates(report),
        "is_own": is_reporter(request.user, report),
        "may_triage": can_triage_report(request.user, report),
    }
    return render(request, "reports/public_detail.html", context)


def _map_settings(force: Force) -> dict[str, str]:
    """The map settings with the force's boundaries."""
    return map_settings(boundaries_url=reverse("api:v1-boundaries", kwargs={"force": force.slug}))


def _neighbourhood_or_404(force: str, code: str) -> Neighbourhood:
    try:
        return get_neighbourhood(force, code)
    except NotFound as error:
        raise Http404(error.message) from None
