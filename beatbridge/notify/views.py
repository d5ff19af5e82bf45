"""Notify pages: a person's inbox, alerts, followed places and settings; unsubscribing and
SMS receipts from outside; and the team's pages to send alerts and see how they went.

An alert is fetched only through ``selectors.get_alert_for_viewer`` (recipients and the
team, else 404) or ``selectors.get_alert_for_sender`` (the team; 403 for a recipient).
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beatbridge.accounts.permissions import is_administrator
from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError
from beatbridge.notify import alerts, selectors, services
from beatbridge.notify.forms import ComposeForm, FollowAreaForm, PreferencesForm, ReplyForm
from beatbridge.notify.models import Alert, Audience
from beatbridge.notify.permissions import can_see_alert_figures, can_send_urgent
from beatbridge.places.selectors import get_neighbourhood
from beatbridge.web.csv_export import csv_response
from beatbridge.web.maps import map_settings
from beatbridge.web.views import domain_errors_as_http

PAGE_SIZE = 25
# How often the figures page asks for fresh counts while deliveries are under way.
REFRESH_SECONDS = 5


def _submitted(request: HttpRequest) -> Any:
    """A form's data on POST (bound even when empty, so it says what is missing), else none."""
    return request.POST if request.method == "POST" else None


def _status(form: Any) -> int:
    if form.errors:
        return form.status if form.status != 200 else 400
    return 200


def _shown(alert: Alert) -> dict[str, Any]:
    """The alert's text in the reader's language, and whether it had to be the original."""
    return {
        "title": alert.translated("title"),
        "message": alert.translated("message"),
        "is_original": not alert.has_translation("message"),
    }


# --- a person's inbox and alerts ----------------------------------------------------------


@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"delivery": row, "shown": _shown(row.alert)} for row in page.object_list]
    context = {
        "page": page,
        "items": items,
        "unread": selectors.unread_count(request.user),
    }
    return render(request, "notify/inbox.html", context)


def _alert_page(
    request: HttpRequest, alert: Alert, *, form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    recipient = selectors.is_recipient(request.user, alert)
    context = {
        "alert": alert,
        "shown": _shown(alert),
        "is_recipient": recipient,
        "form": (form or ReplyForm()) if recipient else None,
        "my_replies": selectors.reply_of(request.user, alert) if recipient else [],
        "may_see_figures": can_see_alert_figures(request.user, alert),
        "neighbourhoods": list(alert.neighbourhoods.select_related("force")),
    }
    return render(request, "notify/alert.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def alert_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One alert: opening it marks it read; a recipient may reply to the team privately."""
    alert = selectors.get_alert_for_viewer(request.user, public_id)
    if request.method == "POST":
        if not selectors.is_recipient(request.user, alert):
            raise Forbidden(_("Only people this alert reached may reply to it."))
        form = ReplyForm(request.POST)
        if form.is_valid():
            sent = form.call_service(
                services.reply, user=request.user, alert=alert, body=form.cleaned_data["body"]
            )
            if sent is not None:
                messages.success(request, _("Your reply is sent to the team."))
                return redirect("notify:alert", public_id=alert.public_id)
        return _alert_page(request, alert, form=form, status=_status(form))
    services.mark_read(user=request.user, alert=alert)
    return _alert_page(request, alert)


# --- following places ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def following(request: HttpRequest) -> HttpResponse:
    """The places a person follows, and a form to follow an area around a point."""
    form = FollowAreaForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        follow = form.call_service(services.follow_area, user=request.user, **form.cleaned_data)
        if follow is not None:
            messages.success(request, _("You follow “%(place)s” now.") % {"place": follow})
            return redirect("notify:following")
    context = {
        "follows": list(selectors.follows_of(request.user)),
        "form": form,
        "map": map_settings(),
    }
    return render(request, "notify/following.html", context, status=_status(form))


def _back_to(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the button was on, when it is one of ours."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(wanted)
    return redirect(fallback)


@require_POST
@login_required
@domain_errors_as_http
def follow_neighbourhood(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = get_neighbourhood(force, code)
    try:
        services.follow_neighbourhood(user=request.user, neighbourhood=neighbourhood)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You follow %(name)s: its alerts come to you as you chose in your settings.")
            % {"name": neighbourhood.name},
        )
    return _back_to(request, reverse("places:neighbourhood", args=[force, code]))


@require_POST
@login_required
@domain_errors_as_http
def unfollow_neighbourhood(request: HttpRequest, force: str, code: str) -> HttpResponse:
    neighbourhood = get_neighbourhood(force, code)
    follow = selectors.follow_of_neighbourhood(request.user, neighbourhood)
    if follow is not None:
        services.unfollow(user=request.user, follow_id=follow.pk)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": neighbourhood.name})
    return _back_to(request, reverse("places:neighbourhood", args=[force, code]))


@require_POST
@login_required
@domain_errors_as_http
def unfollow(request: HttpRequest, follow_id: int) -> HttpResponse:
    services.unfollow(user=request.user, follow_id=follow_id)
    messages.success(request, _("You no longer follow that place."))
    return redirect("notify:following")


# --- settings -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preferences_of(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            saved = form.call_service(
                services.update_preferences, user=request.user, **form.changes()
            )
            if saved is not None:
                messages.success(request, _("Your settings are saved."))
                return redirect("notify:preferences")
    else:
        form = PreferencesForm.for_preferences(current)
    context = {"form": form, "preferences": current}
    return render(request, "notify/preferences.html", context, status=_status(form))


@require_POST
@login_required
def new_webhook_secret(request: HttpRequest) -> HttpResponse:
    services.update_preferences(user=request.user, new_webhook_secret=True)
    messages.success(
        request, _("Your webhook has a new secret: give it to your system; the old one is void.")
    )
    return redirect(reverse("notify:preferences") + "#webhook-secret")


# --- from outside: unsubscribe links and SMS receipts -------------------------------------


# RFC 8058: a mail client unsubscribes with one POST carrying no session and no CSRF token.
# The signed token in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners follow links); POST, from the page or a mail client, acts."""
    if alerts.user_of_unsubscribe_token(token) is None:
        raise Http404(_("This unsubscribe link is not valid."))
    if request.method == "GET":
        return render(request, "notify/unsubscribe.html", {"done": False})
    services.unsubscribe_email(token)
    return render(request, "notify/unsubscribe.html", {"done": True})


@csrf_exempt
@require_POST
def sms_receipt(request: HttpRequest) -> HttpResponse:
    """An SMS gateway's delivery receipt: ``reference``, ``status`` (delivered or failed),
    ``reason``, and ``token``, the shared secret ``SMS_RECEIPT_TOKEN``."""
    expected = settings.SMS_RECEIPT_TOKEN
    given = request.POST.get("token") or request.headers.get("X-Receipt-Token", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"detail": "Not allowed.", "code": "forbidden"}, status=403)
    reference = request.POST.get("reference", "").strip()
    status = request.POST.get("status", "")
    if not reference or len(reference) > 100 or "\x00" in reference:
        return JsonResponse(
            {"detail": "Give the message's reference.", "field": "reference"}, status=400
        )
    if status not in ("delivered", "failed"):
        return JsonResponse(
            {"detail": "Give status delivered or failed.", "field": "status"}, status=400
        )
    recorded = alerts.record_sms_receipt(
        reference,
        delivered=status == "delivered",
        reason=request.POST.get("reason", "").replace("\x00", "")[:300],
    )
    # Not found (yet): a receipt can outrun the worker recording the message; gateways try
    # again on anything but a 2xx.
    return JsonResponse({"recorded": recorded}, status=200 if recorded else 404)


# --- the team: sending alerts and their figures -------------------------------------------


@require_safe
@login_required
def sent(request: HttpRequest) -> HttpResponse:
    if not selectors.may_send_alerts(request.user):
        raise Forbidden(_("Only neighbourhood teams and scheme coordinators send alerts."))
    page = Paginator(selectors.alerts_sent_by_team(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notify/sent.html", {"page": page, "alerts": page.object_list})


def _compose_form(request: HttpRequest, data: Any, initial: dict[str, Any]) -> ComposeForm:
    user = request.user
    neighbourhoods = selectors.neighbourhoods_user_may_alert(user)
    return ComposeForm(
        data,
        initial=initial,
        neighbourhoods=neighbourhoods,
        sectors=selectors.sectors_user_may_alert(user),
        schemes=selectors.schemes_user_may_message(user),
        may_send_urgent=can_send_urgent(user),
        may_alert_area=bool(neighbourhoods) or is_administrator(user),
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def compose(request: HttpRequest) -> HttpResponse:
    """Write an alert to the audiences this person may reach; ``?scheme=<id>`` picks a scheme."""
    if not selectors.may_send_alerts(request.user):
        raise Forbidden(_("Only neighbourhood teams and scheme coordinators send alerts."))
    initial: dict[str, Any] = {}
    scheme_id = request.GET.get("scheme", "")
    if scheme_id:
        if not scheme_id.isdigit() or len(scheme_id) > 10:
            raise Http404(_("No such watch scheme."))
        scheme = selectors.get_scheme_for_sender(request.user, int(scheme_id))
        initial = {"audience": Audience.SCHEME, "scheme": scheme.pk, "category": "scheme"}
    form = _compose_form(request, _submitted(request), initial)
    if request.method == "POST" and form.is_valid():
        alert = form.call_service(services.send_alert, author=request.user, **form.arguments())
        if alert is not None:
            messages.success(
                request, _("The alert is on its way. The figures below fill in as it is sent.")
            )
            return redirect("notify:figures", public_id=alert.public_id)
    context = {"form": form, "map": map_settings()}
    return render(request, "notify/compose.html", context, status=_status(form))


@require_safe
@login_required
@domain_errors_as_http
def figures(request: HttpRequest, public_id: Any) -> HttpResponse:
    """How an alert's deliveries stand, and its replies (reading them is audited).

    As an htmx request it answers with the figures only, and reads no replies.
    """
    alert = selectors.get_alert_for_sender(request.user, public_id)
    figures = selectors.delivery_figures(alert)
    context = {
        "alert": alert,
        "shown": _shown(alert),
        "figures": figures,
        "refresh_seconds": REFRESH_SECONDS,
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "notify/_figures.html", context)
    else:
        context["replies"] = list(selectors.replies_to(alert))
        if context["replies"]:
            services.mark_replies_read(user=request.user, alert=alert)
        context["neighbourhoods"] = list(alert.neighbourhoods.all())
        response = render(request, "notify/figures.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@login_required
@domain_errors_as_http
def figures_csv(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The figures as CSV: counts per channel and status, nobody named."""
    alert = selectors.get_alert_for_sender(request.user, public_id)
    figures = selectors.delivery_figures(alert)
    audit(actor=request.user, action="alert.figures_exported", target=alert)
    rows = [
        (channel, status, figures.counts[channel][status])
        for channel, _label, _counts, _total in figures.rows
        for status in selectors.STATUSES
    ]
    return csv_response(
        ["channel", "status", "count"], rows, filename=f"alert-{alert.public_id}-figures.csv"
    )
