"""Pages of the partners app: the police's directory, organisation pages and liaison log
under ``manage/``, and the partner portal under ``partner/`` for their contacts."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beatbridge.accounts.permissions import is_administrator
from beatbridge.accounts.selectors import police_of_force
from beatbridge.audit.services import record as audit
from beatbridge.partners import selectors, services
from beatbridge.partners.forms import (
    CompleteForm,
    ConcernToPriorityForm,
    ConcernToReportForm,
    ContactForm,
    DirectoryFilterForm,
    EngagementForm,
    OrganisationForm,
    ReassignForm,
    ReferralResponseForm,
)
from beatbridge.partners.models import Organisation
from beatbridge.partners.permissions import (
    can_see_force_follow_ups,
    can_use_partner_pages,
    force_of,
)
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.web.csv_export import csv_response
from beatbridge.web.views import domain_errors_as_http

PAGE_SIZE = 50

# Stable column names for analysts' scripts, so they are not translated.
ENGAGEMENT_COLUMNS = (
    "engagement_id",
    "organisation",
    "kind",
    "occurred_at",
    "neighbourhood",
    "officer_id",
    "topics",
    "summary",
    "shared_with_partner",
    "concerns_count",
    "follow_ups_count",
)
FOLLOW_UP_COLUMNS = (
    "follow_up_id",
    "engagement_id",
    "organisation",
    "description",
    "due_on",
    "owner_id",
    "overdue",
    "done_at",
    "outcome",
)


def _staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first, then police or administrators only; 404/403 from the access helpers."""
    view = domain_errors_as_http(view)

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_use_partner_pages(request.user):
            raise Forbidden(_("These pages are for the police's liaison work."))
        return view(request, *args, **kwargs)

    return wrapper


def _neighbourhoods(force_id: int | None) -> Any:
    queryset = Neighbourhood.objects.order_by("name")
    return queryset.filter(force_id=force_id) if force_id is not None else queryset


# --- directory and organisations ----------------------------------------------------------


@require_safe
@_staff_page
def directory(request: HttpRequest) -> HttpResponse:
    """The force's partners, filtered by kind, neighbourhood served and language."""
    form = DirectoryFilterForm(
        request.GET or None, neighbourhoods=_neighbourhoods(force_of(request.user))
    )
    organisations = selectors.organisations_for_staff(request.user, **form.filters())
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/directory.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
@_staff_page
def organisation_create(request: HttpRequest) -> HttpResponse:
    force_id = force_of(request.user)
    forces = Force.objects.order_by("name") if force_id is None else None
    form = OrganisationForm(
        request.POST or None, neighbourhoods=_neighbourhoods(force_id), forces=forces
    )
    if request.method == "POST" and form.is_valid():
        force = form.cleaned_data.get("force") or Force.objects.get(pk=force_id)
        organisation = form.call_service(
            services.create_organisation, by=request.user, force=force, details=form.details()
        )
        if organisation is not None:
            messages.success(request, _("The partner organisation has been added."))
            return redirect("partners:organisation", slug=organisation.slug)
    context = {"form": form, "organisation": None}
    return render(request, "partners/organisation_form.html", context, status=_status(form))


def _status(form: Any) -> int:
    return 400 if form.errors else 200


@require_safe
@_staff_page
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's history in one page."""
    organisation = selectors.get_organisation_for_staff(request.user, slug)
    return _organisation_page(request, organisation)


def _organisation_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "history": selectors.history_of(organisation),
        "today": timezone.localdate(),
    }
    return render(request, "partners/organisation.html", context)


@require_http_methods(["GET", "POST"])
@_staff_page
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.get_organisation_for_staff(request.user, slug)
    form = OrganisationForm(
        request.POST or None,
        neighbourhoods=_neighbourhoods(organisation.force_id),
        initial=OrganisationForm.initial_of(organisation),
    )
    if request.method == "POST" and form.is_valid():
        updated = form.call_service(
            services.update_organisation,
            organisation=organisation,
            by=request.user,
            details=form.details(),
        )
        if updated is not None:
            messages.success(request, _("The partner organisation has been updated."))
            return redirect("partners:organisation", slug=organisation.slug)
    context = {"form": form, "organisation": organisation}
    return render(request, "partners/organisation_form.html", context, status=_status(form))


@require_http_methods(["GET", "POST"])
@_staff_page
def contacts(request: HttpRequest, slug: str) -> HttpResponse:
    """Who acts for the organisation (names and e-mail addresses: every view audited)."""
    organisation = selectors.get_organisation_for_staff(request.user, slug)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.call_service(
            services.add_contact, organisation=organisation, by=request.user, **form.cleaned_data
        )
        if contact is not None:
            messages.success(request, _("The person can now act for the organisation."))
            return redirect("partners:contacts", slug=organisation.slug)
    audit(actor=request.user, action="partner.contacts_viewed", target=organisation)
    context = {
        "organisation": organisation,
        "contacts": selectors.contacts_of(organisation),
        "form": form,
    }
    return render(request, "partners/contacts.html", context, status=_status(form))


@require_POST
@_staff_page
def contact_end(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = selectors.get_contact_for_staff(request.user, contact_id)
    form = ContactForm()
    if form.call_service(services.end_contact, contact=contact, by=request.user) is not None:
        messages.success(request, _("The person no longer acts for the organisation."))
    else:
        messages.error(request, form.non_field_errors()[0] if form.non_field_errors() else "")
    return redirect("partners:contacts", slug=contact.organisation.slug)


# --- the liaison log ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_staff_page
def engagement_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Log an engagement, with concerns and follow-ups in blank rows (no JavaScript needed)."""
    organisation = selectors.get_organisation_for_staff(request.user, slug)
    form = EngagementForm(
        request.POST or None,
        neighbourhoods=_neighbourhoods(organisation.force_id),
        owners=police_of_force(organisation.force_id),
        me=request.user,
    )
    if request.method == "POST" and form.is_valid():
        engagement = form.call_service(
            services.log_engagement,
            by=request.user,
            organisation=organisation,
            kind=form.cleaned_data["kind"],
            occurred_at=form.cleaned_data["occurred_at"],
            summary=form.cleaned_data["summary"],
            topics=[t.strip() for t in form.cleaned_data["topics"].split(",") if t.strip()],
            neighbourhood=form.cleaned_data["neighbourhood"],
            shared_with_partner=form.cleaned_data["shared_with_partner"],
            internal_note=form.cleaned_data["internal_note"],
            concerns=form.concerns(),
            follow_ups=form.follow_ups(),
        )
        if engagement is not None:
            messages.success(request, _("The engagement has been logged."))
            return redirect("partners:organisation", slug=organisation.slug)
    context = {"form": form, "organisation": organisation}
    return render(request, "partners/engagement_form.html", context, status=_status(form))


def _concern_page(
    request: HttpRequest, concern: Any, *, bound: Any = None, status: int = 200
) -> HttpResponse:
    from beatbridge.reports.selectors import categories_of

    organisation = concern.engagement.organisation
    neighbourhoods = _neighbourhoods(organisation.force_id)
    report_form = ConcernToReportForm(
        bound.data if isinstance(bound, ConcernToReportForm) else None,
        categories=categories_of(organisation.force),
        neighbourhoods=neighbourhoods,
        initial={"neighbourhood": concern.engagement.neighbourhood_id},
    )
    priority_form = ConcernToPriorityForm(
        bound.data if isinstance(bound, ConcernToPriorityForm) else None,
        neighbourhoods=neighbourhoods,
        initial={
            "neighbourhood": concern.engagement.neighbourhood_id,
            "title": concern.description[:200],
        },
    )
    if bound is not None:
        report_form = bound if isinstance(bound, ConcernToReportForm) else report_form
        priority_form = bound if isinstance(bound, ConcernToPriorityForm) else priority_form
    context = {
        "concern": concern,
        "organisation": organisation,
        "report_form": report_form,
        "priority_form": priority_form,
    }
    return render(request, "partners/concern.html", context, status=status)


@require_safe
@_staff_page
def concern(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A concern raised in an engagement, and the two ways it can be taken further."""
    return _concern_page(request, selectors.get_concern_for_staff(request.user, concern_id))


@require_POST
@_staff_page
def concern_to_report(request: HttpRequest, concern_id: int) -> HttpResponse:
    from beatbridge.reports.selectors import categories_of

    concern = selectors.get_concern_for_staff(request.user, concern_id)
    organisation = concern.engagement.organisation
    form = ConcernToReportForm(
        request.POST,
        categories=categories_of(organisation.force),
        neighbourhoods=_neighbourhoods(organisation.force_id),
    )
    if form.is_valid():
        report = form.call_service(
            services.concern_to_report, concern=concern, by=request.user, **form.cleaned_data
        )
        if report is not None:
            messages.success(
                request,
                _("The concern is now report %(reference)s.") % {"reference": report.reference},
            )
            return redirect("partners:organisation", slug=organisation.slug)
    return _concern_page(request, concern, bound=form, status=400)


@require_POST
@_staff_page
def concern_to_priority(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = selectors.get_concern_for_staff(request.user, concern_id)
    organisation = concern.engagement.organisation
    form = ConcernToPriorityForm(
        request.POST, neighbourhoods=_neighbourhoods(organisation.force_id)
    )
    if form.is_valid():
        priority = form.call_service(
            services.concern_to_priority, concern=concern, by=request.user, **form.cleaned_data
        )
        if priority is not None:
            messages.success(request, _("The concern is now a priority candidate."))
            return redirect("partners:organisation", slug=organisation.slug)
    return _concern_page(request, concern, bound=form, status=400)


SCOPE_LABELS = {
    selectors.MINE: gettext_lazy("Mine"),
    selectors.TEAM: gettext_lazy("My team's"),
    selectors.FORCE: gettext_lazy("The force's"),
}


@require_safe
@_staff_page
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Follow-ups due, overdue first: mine, my team's, or (supervisors) the force's."""
    scope = request.GET.get("scope", selectors.MINE)
    if scope not in selectors.SCOPES:
        scope = selectors.MINE
    include_done = request.GET.get("done") == "1"
    items = selectors.follow_ups_for(request.user, scope=scope, include_done=include_done)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    # Who each follow-up may be given to: the police of its force (one query a force).
    owners: dict[int, list[Any]] = {}
    for item in page.object_list:
        force_id = item.engagement.organisation.force_id
        if force_id not in owners:
            owners[force_id] = list(police_of_force(force_id))
        item.possible_owners = owners[force_id]
    context = {
        "page": page,
        "scope": scope,
        "scopes": [
            (value, str(SCOPE_LABELS[value]))
            for value in selectors.SCOPES
            if value != selectors.FORCE or _sees_force_follow_ups(request.user)
        ],
        "include_done": include_done,
        "today": timezone.localdate(),
        "due_soon": selectors.due_soon_limit(),
        "complete_form": CompleteForm(),
    }
    return render(request, "partners/follow_ups.html", context)


def _sees_force_follow_ups(user: Any) -> bool:
    force_id = force_of(user)
    return is_administrator(user) or (
        force_id is not None and can_see_force_follow_ups(user, force_id)
    )


@require_POST
@_staff_page
def follow_up_done(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = selectors.get_follow_up_for_staff(request.user, follow_up_id)
    form = CompleteForm(request.POST)
    if form.is_valid() and form.call_service(
        services.complete_follow_up, follow_up=follow_up, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The follow-up is done."))
    else:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(errors))
    return _back_to_follow_ups(request)


@require_POST
@_staff_page
def follow_up_owner(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """Give an open follow-up to someone else of the force's police."""
    follow_up = selectors.get_follow_up_for_staff(request.user, follow_up_id)
    form = ReassignForm(
        request.POST, owners=police_of_force(follow_up.engagement.organisation.force_id)
    )
    if form.is_valid() and form.call_service(
        services.reassign_follow_up, follow_up=follow_up, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The follow-up is someone else's now."))
    else:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(errors))
    return _back_to_follow_ups(request)


def _back_to_follow_ups(request: HttpRequest) -> HttpResponse:
    scope = request.POST.get("scope", "")
    return redirect(
        reverse("partners:follow_ups")
        + f"?scope={scope if scope in selectors.SCOPES else selectors.MINE}"
    )


# --- CSV exports --------------------------------------------------------------------------


@require_safe
@_staff_page
def export_engagements(request: HttpRequest) -> HttpResponse:
    engagements = selectors.engagements_for_staff(request.user)
    audit(actor=request.user, action="engagement.exported")

    def rows() -> Iterator[list[Any]]:
        for engagement in engagements.iterator(chunk_size=500):
            yield [
                engagement.pk,
                engagement.organisation.slug,
                engagement.kind,
                engagement.occurred_at.isoformat(),
                engagement.neighbourhood.code if engagement.neighbourhood else "",
                engagement.officer_id,
                "; ".join(engagement.topics),
                engagement.summary,
                engagement.shared_with_partner,
                len(engagement.concerns.all()),
                len(engagement.follow_ups.all()),
            ]

    return csv_response(ENGAGEMENT_COLUMNS, rows(), filename="engagements.csv")


@require_safe
@_staff_page
def export_follow_ups(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", selectors.MINE)
    if scope not in selectors.SCOPES:
        scope = selectors.MINE
    items = selectors.follow_ups_for(request.user, scope=scope, include_done=True)
    audit(actor=request.user, action="follow_up.exported", detail={"scope": scope})

    def rows() -> Iterator[list[Any]]:
        for item in items.iterator(chunk_size=500):
            yield [
                item.pk,
                item.engagement_id,
                item.engagement.organisation.slug,
                item.description,
                item.due_on.isoformat(),
                item.owner_id,
                item.is_overdue,
                item.done_at.isoformat() if item.done_at else "",
                item.outcome,
            ]

    return csv_response(FOLLOW_UP_COLUMNS, rows(), filename="follow-ups.csv")


# --- the partner portal -------------------------------------------------------------------


def _portal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return login_required(domain_errors_as_http(view))


@require_safe
@_portal_page
def portal(request: HttpRequest) -> HttpResponse:
    """What is shared with the person's organisations: referrals, engagements, events."""
    context = {
        "organisations": list(selectors.portal_organisations(request.user)),
        "referrals": list(selectors.portal_referrals(request.user)[:PAGE_SIZE]),
        "engagements": list(selectors.portal_engagements(request.user)[:PAGE_SIZE]),
        "events": list(selectors.portal_events(request.user)[:PAGE_SIZE]),
    }
    return render(request, "partners/portal.html", context)


@require_http_methods(["GET", "POST"])
@_portal_page
def portal_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = selectors.get_referral_for_contact(request.user, referral_id)
    form = ReferralResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answered = form.call_service(
            services.respond_to_referral, referral=referral, by=request.user, **form.cleaned_data
        )
        if answered is not None:
            messages.success(request, _("Your answer has been sent to the team."))
            return redirect("partners:portal")
    context = {"referral": referral, "form": form}
    return render(request, "partners/portal_referral.html", context, status=_status(form))
