"""Watch pages: a neighbourhood's schemes, one scheme, its members' page, the coordinators'
pages (requests, roles, rota), the person's own schemes, and the team's pages.

A page gets its scheme only through the selectors' access helpers (404, then 403).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, NotFound
from beatbridge.notify import services as notify_services
from beatbridge.notify.permissions import can_message_scheme
from beatbridge.notify.selectors import alerts_to_scheme
from beatbridge.places.selectors import get_neighbourhood
from beatbridge.watch import selectors, services
from beatbridge.watch.forms import (
    DecideMembershipForm,
    DecideSchemeForm,
    JoinForm,
    MessagesForm,
    ProposeForm,
    ReplyForm,
    RoleForm,
    RotaSlotForm,
    StatusForm,
)
from beatbridge.watch.models import MembershipStatus, SchemeStatus
from beatbridge.watch.permissions import (
    RUNNING_STATUSES,
    can_manage_roles,
    can_run,
    is_member,
    is_signed_in,
    is_team,
)
from beatbridge.web.csv_export import csv_response
from beatbridge.web.views import domain_errors_as_http

# Stable column names for analysts' scripts, so they are not translated.
EXPORT_COLUMNS = (
    "scheme_id",
    "name",
    "status",
    "streets",
    "has_area",
    "members",
    "requests_waiting",
    "upcoming_rota_slots",
    "coordinators",
    "created_at",
    "decided_at",
    "last_activity_at",
)
MESSAGES_SHOWN = 20


def _submitted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _refused(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


def _form_refused(request: HttpRequest, form: Any) -> None:
    """A one-button form's refusal, shown as a message on the page it returns to."""
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


# --- the public ---------------------------------------------------------------------------


@require_safe
@domain_errors_as_http
def neighbourhood_schemes(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = get_neighbourhood(force, code)
    context = {
        "neighbourhood": neighbourhood,
        "schemes": selectors.public_schemes_of(neighbourhood),
        "may_manage": is_team(request.user, neighbourhood),
    }
    return render(request, "watch/neighbourhood.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def propose(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = get_neighbourhood(force, code)
    form = ProposeForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        scheme = form.call_service(
            services.propose_scheme,
            by=request.user,
            neighbourhood=neighbourhood,
            **form.proposal(),
        )
        if scheme is not None:
            messages.success(
                request,
                _("Thank you. The neighbourhood's team will look at your proposal and reply."),
            )
            return redirect("watch:scheme", pk=scheme.pk)
    context = {"form": form, "neighbourhood": neighbourhood}
    return render(request, "watch/propose.html", context, status=400 if form.errors else 200)


def _scheme_page(
    request: HttpRequest, found: selectors.SchemeForPerson, *, join_form: JoinForm | None = None
) -> HttpResponse:
    scheme, membership = found.scheme, found.membership
    team = is_team(request.user, scheme.neighbourhood)
    context = {
        "scheme": scheme,
        "neighbourhood": scheme.neighbourhood,
        "membership": membership,
        "member_count": selectors.member_count(scheme),
        "is_member": is_member(membership),
        "may_join": is_signed_in(request.user)
        and scheme.status in RUNNING_STATUSES
        and (membership is None or membership.status == MembershipStatus.LEFT),
        "join_form": join_form or JoinForm(),
        "is_team": team,
        "running_statuses": sorted(RUNNING_STATUSES),
        "may_run": can_run(request.user, scheme, membership),
        "decide_form": DecideSchemeForm() if team else None,
        "status_form": StatusForm(initial={"status": scheme.status}) if team else None,
    }
    status = 400 if join_form is not None and join_form.errors else 200
    return render(request, "watch/scheme.html", context, status=status)


@require_safe
@domain_errors_as_http
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _scheme_page(request, selectors.get_scheme_for(request.user, pk))


@require_POST
@login_required
@domain_errors_as_http
def join(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_scheme_for(request.user, pk)
    form = JoinForm(request.POST)
    if form.is_valid():
        membership = form.call_service(
            services.request_membership,
            user=request.user,
            scheme=found.scheme,
            note=form.cleaned_data["note"],
        )
        if membership is not None:
            messages.success(
                request, _("Your request is sent. A coordinator will approve it soon.")
            )
            return redirect("watch:scheme", pk=pk)
    response = _scheme_page(request, found, join_form=form)
    response.status_code = form.status if form.status != 200 else 400
    return response


@require_POST
@login_required
@domain_errors_as_http
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_scheme_for(request.user, pk)
    try:
        services.leave_scheme(user=request.user, scheme=found.scheme)
    except DomainError as error:
        _refused(request, error)
        return redirect("watch:scheme", pk=pk)
    messages.success(request, _("You have left the scheme."))
    return redirect("watch:scheme", pk=pk)


@require_POST
@login_required
@domain_errors_as_http
def messages_setting(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_scheme_for_members(request.user, pk)
    form = MessagesForm(request.POST)
    form.is_valid()
    receives = bool(form.cleaned_data.get("receives"))
    services.set_receives_messages(user=request.user, scheme=found.scheme, receives=receives)
    messages.success(
        request,
        _("You will receive the scheme's messages.")
        if receives
        else _("You will no longer receive the scheme's messages."),
    )
    return redirect("watch:members", pk=pk)


# --- members ------------------------------------------------------------------------------


def _shown_alerts(scheme: Any) -> list[dict[str, Any]]:
    return [
        {
            "alert": alert,
            "title": alert.translated("title"),
            "message": alert.translated("message"),
            "reply_form": ReplyForm(auto_id=f"reply-{alert.pk}-%s"),
        }
        for alert in alerts_to_scheme(scheme)[:MESSAGES_SHOWN]
    ]


@require_safe
@login_required
@domain_errors_as_http
def members(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_scheme_for_members(request.user, pk)
    scheme, membership = found.scheme, found.membership
    member_view = is_member(membership)
    if not member_view:
        # The team reads the members' names: personal data, so the read is audited.
        audit(actor=request.user, action="watch_scheme.members_viewed", target=scheme)
    context = {
        "scheme": scheme,
        "neighbourhood": scheme.neighbourhood,
        "membership": membership,
        "is_member": member_view,
        "members": selectors.members_of(scheme),
        "alerts": _shown_alerts(scheme),
        "rota": selectors.upcoming_rota(scheme, membership if member_view else None),
        "may_run": can_run(request.user, scheme, membership),
        "may_manage_roles": can_manage_roles(request.user, scheme, membership),
        "may_message": can_message_scheme(request.user, scheme),
        "now": timezone.now(),
    }
    return render(request, "watch/members.html", context)


@require_POST
@login_required
@domain_errors_as_http
def reply(request: HttpRequest, pk: int, alert_id: int) -> HttpResponse:
    found = selectors.get_scheme_for_members(request.user, pk)
    alert = alerts_to_scheme(found.scheme).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("There is no such message."), field="alert")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your reply first."))
    elif form.call_service(
        notify_services.reply, user=request.user, alert=alert, body=form.cleaned_data["body"]
    ):
        messages.success(request, _("Your reply is sent to the team."))
    else:
        _form_refused(request, form)
    return redirect(reverse("watch:members", args=[pk]) + f"#message-{alert.pk}")


@require_safe
@login_required
@domain_errors_as_http
def my_schemes(request: HttpRequest) -> HttpResponse:
    context = {"memberships": selectors.schemes_of_person(request.user)}
    return render(request, "watch/mine.html", context)


# --- coordinators -------------------------------------------------------------------------


@require_safe
@login_required
@domain_errors_as_http
def requests_to_join(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_scheme_to_run(request.user, pk)
    context = {
        "scheme": found.scheme,
        "neighbourhood": found.scheme.neighbourhood,
        "requests": selectors.requests_to_join(found.scheme),
    }
    return render(request, "watch/requests.html", context)


@require_POST
@login_required
@domain_errors_as_http
def decide_request(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    found = selectors.get_scheme_to_run(request.user, pk)
    membership = selectors.get_membership(found.scheme, membership_id)
    form = DecideMembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
    elif form.call_service(
        services.decide_membership, by=request.user, membership=membership, approve=form.approve
    ):
        messages.success(
            request,
            _("The request is approved.") if form.approve else _("The request is declined."),
        )
    else:
        _form_refused(request, form)
    return redirect("watch:requests", pk=pk)


@require_safe
@login_required
@domain_errors_as_http
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_scheme_for_roles(request.user, pk)
    if not is_member(found.membership):
        audit(actor=request.user, action="watch_scheme.members_viewed", target=found.scheme)
    members = [
        (member, RoleForm(initial={"role": member.role}, auto_id=f"member-{member.pk}-%s"))
        for member in selectors.members_of(found.scheme)
    ]
    context = {
        "scheme": found.scheme,
        "neighbourhood": found.scheme.neighbourhood,
        "members": members,
    }
    return render(request, "watch/roles.html", context)


@require_POST
@login_required
@domain_errors_as_http
def set_role(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    found = selectors.get_scheme_for_roles(request.user, pk)
    membership = selectors.get_membership(found.scheme, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
    elif form.call_service(
        services.set_member_role,
        by=request.user,
        membership=membership,
        role=form.cleaned_data["role"],
    ):
        messages.success(request, _("The role is changed."))
    else:
        _form_refused(request, form)
    return redirect("watch:roles", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def rota(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_scheme_to_run(request.user, pk)
    form = RotaSlotForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        slot = form.call_service(
            services.add_rota_slot, by=request.user, scheme=found.scheme, **form.cleaned_data
        )
        if slot is not None:
            messages.success(request, _("The slot is on the rota."))
            return redirect("watch:rota", pk=pk)
    context = {
        "scheme": found.scheme,
        "neighbourhood": found.scheme.neighbourhood,
        "form": form,
        "rota": selectors.upcoming_rota(found.scheme),
    }
    return render(request, "watch/rota.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
@domain_errors_as_http
def cancel_slot(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    found = selectors.get_scheme_to_run(request.user, pk)
    slot = selectors.get_slot(found.scheme, slot_id)
    try:
        services.cancel_rota_slot(by=request.user, slot=slot)
        messages.success(request, _("The slot is cancelled."))
    except DomainError as error:
        _refused(request, error)
    return redirect("watch:rota", pk=pk)


@require_POST
@login_required
@domain_errors_as_http
def sign_up(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    found = selectors.get_scheme_for_members(request.user, pk)
    slot = selectors.get_slot(found.scheme, slot_id)
    try:
        services.sign_up(user=request.user, slot=slot)
        messages.success(request, _("You are on the rota. Thank you."))
    except DomainError as error:
        if error.status == 403:
            raise
        _refused(request, error)
    return redirect("watch:members", pk=pk)


@require_POST
@login_required
@domain_errors_as_http
def withdraw(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    found = selectors.get_scheme_for_members(request.user, pk)
    slot = selectors.get_slot(found.scheme, slot_id)
    try:
        services.withdraw(user=request.user, slot=slot)
        messages.success(request, _("You are off that slot."))
    except DomainError as error:
        _refused(request, error)
    return redirect("watch:members", pk=pk)


# --- the team -----------------------------------------------------------------------------


def _team_neighbourhood(request: HttpRequest, force: str, code: str) -> Any:
    neighbourhood = get_neighbourhood(force, code)
    if not is_team(request.user, neighbourhood):
        raise Forbidden(_("Only the neighbourhood's team may manage its watch schemes."))
    return neighbourhood


@require_safe
@login_required
@domain_errors_as_http
def manage(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = _team_neighbourhood(request, force, code)
    schemes = list(selectors.schemes_for_team(neighbourhood))
    context = {
        "neighbourhood": neighbourhood,
        "proposals": [s for s in schemes if s.status == SchemeStatus.PROPOSED],
        "schemes": [s for s in schemes if s.status != SchemeStatus.PROPOSED],
        "status_choices": StatusForm.base_fields["status"].choices,
    }
    return render(request, "watch/manage.html", context)


def _back_to(request: HttpRequest, scheme: Any) -> HttpResponse:
    if request.POST.get("next") == "manage":
        neighbourhood = scheme.neighbourhood
        return redirect("watch:manage", force=neighbourhood.force.slug, code=neighbourhood.code)
    return redirect("watch:scheme", pk=scheme.pk)


@require_POST
@login_required
@domain_errors_as_http
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.get_scheme_for(request.user, pk).scheme
    if not is_team(request.user, scheme.neighbourhood):
        raise Forbidden(_("Only the neighbourhood's team may decide on schemes."))
    form = DecideSchemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
    elif form.call_service(
        services.decide_scheme,
        by=request.user,
        scheme=scheme,
        approve=form.approve,
        note=form.cleaned_data["note"],
    ):
        messages.success(
            request,
            _("The scheme is approved and active.")
            if form.approve
            else _("The scheme is declined."),
        )
    else:
        _form_refused(request, form)
    return _back_to(request, scheme)


@require_POST
@login_required
@domain_errors_as_http
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.get_scheme_for(request.user, pk).scheme
    if not is_team(request.user, scheme.neighbourhood):
        raise Forbidden(_("Only the neighbourhood's team may change a scheme's status."))
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    elif form.call_service(
        services.set_status, by=request.user, scheme=scheme, status=form.cleaned_data["status"]
    ):
        messages.success(request, _("The scheme's status is changed."))
    else:
        _form_refused(request, form)
    return _back_to(request, scheme)


def _timestamp(moment: Any) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


@require_safe
@login_required
@domain_errors_as_http
def export_schemes(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = _team_neighbourhood(request, force, code)
    audit(actor=request.user, action="watch_schemes.exported", target=neighbourhood)

    def rows() -> Iterator[list[Any]]:
        for scheme in selectors.export_rows(neighbourhood):
            yield [
                scheme.pk,
                scheme.name,
                scheme.status,
                "; ".join(scheme.streets),
                "yes" if scheme.area else "no",
                scheme.member_count,
                scheme.request_count,
                scheme.upcoming_slot_count,
                "; ".join(m.user.full_name or _("(no name)") for m in scheme.coordinators),
                _timestamp(scheme.created_at),
                _timestamp(scheme.decided_at),
                _timestamp(scheme.last_activity_at),
            ]

    filename = f"watch-schemes-{neighbourhood.force.slug}-{neighbourhood.code}.csv"
    return csv_response(EXPORT_COLUMNS, rows(), filename=filename)
