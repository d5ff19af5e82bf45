"""Open311 GeoReport v2 endpoints: read the parameters, call one selector or service, render.

Every endpoint answers in JSON or XML: the format is the path's extension
(``services.xml``); leniently, without one, the ``format`` parameter or JSON.
Errors come in the specification's shape with 400, 403 or 404 (409 for a reused
idempotency key), never a 500 for bad input. POST needs an API key instead of a
session, so no endpoint uses cookies and CSRF protection has nothing to protect.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from beatbridge.errors import DomainError, NotFound
from beatbridge.open311 import params, selectors, services, shapes
from beatbridge.open311.formats import CONTENT_TYPES, JSON, XML, render, render_errors
from beatbridge.places.models import Force
from beatbridge.reports import services as reports
from beatbridge.reports.models import ReportKind, Source

# The reports app's names for a field, in Open311's words.
_PARAMETER_NAMES = {
    "category": "service_code",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "name": "first_name",
    "submission_key": "idempotency_key",
    "reference": "service_request_id",
    "photos": "media",
    "force": "jurisdiction_id",
}
_UNREADABLE = (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)

View = Callable[..., HttpResponse]


def _error(error: DomainError, fmt: str) -> HttpResponse:
    field = _PARAMETER_NAMES.get(error.field or "", error.field)
    description = f"{field}: {error.message}" if field else error.message
    return render_errors([(error.status, description)], fmt=fmt, status=error.status)


def endpoint(*methods: str) -> Callable[[View], View]:
    """An Open311 endpoint answering ``methods``: format chosen, errors in the spec's shape."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str | None = None, **kwargs: Any):
            chosen = JSON
            try:
                asked = (fmt or request.GET.get("format") or JSON).lower()
                if asked not in CONTENT_TYPES:
                    raise DomainError(
                        _("The formats are json and xml, as in services.json or services.xml."),
                        field="format",
                    )
                chosen = asked
                if request.method not in allowed:
                    answered = ", ".join(methods)
                    message = _("This resource answers %(methods)s.") % {"methods": answered}
                    response = render_errors([(405, message)], fmt=chosen, status=405)
                    response["Allow"] = ", ".join(sorted(allowed))
                    return response
                body = request.POST if request.method == "POST" else QueryDict()
                params.refuse_nul_characters(request.GET, body, path=kwargs)
                return view(request, *args, fmt=chosen, **kwargs)
            except _UNREADABLE:
                return render_errors(
                    [(400, _("The request could not be read."))], fmt=chosen, status=400
                )
            except DomainError as error:
                return _error(error, chosen)

        return wrapper

    return decorate


def _jurisdiction(request: HttpRequest) -> Force:
    """The force named in the form (a POST) or the query string."""
    given = params.text(request.POST, "jurisdiction_id") if request.method == "POST" else ""
    return selectors.get_jurisdiction(given or params.text(request.GET, "jurisdiction_id"))


@endpoint("GET")
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """Where the endpoint is and what it speaks; the contact is the jurisdiction's, when known."""
    try:
        force: Force | None = _jurisdiction(request)
    except DomainError as error:
        if error.status == 404 and request.GET.get("jurisdiction_id"):
            raise
        force = None
    url = request.build_absolute_uri(reverse("open311:root")).rstrip("/")
    return render(shapes.discovery(url=url, force=force), fmt=fmt, root="discovery")


@endpoint("GET")
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    force = _jurisdiction(request)
    services_offered = [shapes.service(category) for category in selectors.services_of(force)]
    return render(services_offered, fmt=fmt, root="services")


@endpoint("GET")
def service_definition(request: HttpRequest, service_code: str, *, fmt: str) -> HttpResponse:
    category = selectors.get_service(_jurisdiction(request), service_code)
    return render(shapes.service_definition(category), fmt=fmt, root="service_definition")


@endpoint("GET", "POST")
def service_requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_service_request(request, fmt=fmt)
    force = _jurisdiction(request)
    ids = params.request_ids(request.GET)
    number, size = params.page(request.GET)
    if ids:
        # The specification: service_request_id overrides every other filter.
        found = selectors.service_requests(force, ids=ids)
    else:
        found = selectors.service_requests(
            force,
            service_codes=params.comma_list(request.GET, "service_code") or None,
            window=params.request_window(request.GET),
            closed=params.closed_filter(request.GET),
        )
    start = (number - 1) * size
    listed = [shapes.service_request(report, force=force) for report in found[start : start + size]]
    return render(listed, fmt=fmt, root="service_requests")


def _post_service_request(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """A new report from a client with a key; a retry with the same idempotency key is the same
    report (200 instead of 201)."""
    client = services.authenticate_api_key(
        params.text(request.POST, "api_key") or params.text(request.GET, "api_key")
    )
    force = _jurisdiction(request)
    given = params.service_request(request)
    result = reports.submit_report(
        kind=ReportKind.CONCERN,
        category=selectors.get_service(force, given.service_code),
        description=given.description,
        place=given.place,
        source=Source.OPEN311,
        answers=given.answers,
        uploads=request.FILES.getlist("media"),
        contact=given.contact,
        language=get_language() or "",
        submission_key=given.idempotency_key,
        submitter_scope=f"open311:{client.pk}",
    )
    return render(
        [shapes.created(result.report)],
        fmt=fmt,
        root="service_requests",
        status=201 if result.created else 200,
    )


@endpoint("GET")
def service_request(request: HttpRequest, service_request_id: str, *, fmt: str) -> HttpResponse:
    force = _jurisdiction(request)
    report = selectors.get_service_request(force, service_request_id)
    return render([shapes.service_request(report, force=force)], fmt=fmt, root="service_requests")


@endpoint("GET")
def token(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    """Requests are made at once, so a token is the service_request_id it stands for."""
    report = selectors.get_service_request(_jurisdiction(request), token)
    return render([shapes.token(report)], fmt=fmt, root="service_requests")


@csrf_exempt
def unknown(request: HttpRequest) -> HttpResponse:
    """Any other path under the endpoint: a 404 a client can read."""
    fmt = XML if request.path.lower().endswith(".xml") else JSON
    return _error(
        NotFound(_("There is no such resource: see discovery.json for what this server offers.")),
        fmt,
    )
