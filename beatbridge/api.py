"""The JSON API: one NinjaAPI, each app's router mounted here (OpenAPI at /api/docs).

Beatbridge's own API lives under /api/v1/. The data.police.uk-compatible paths
live directly under /api/ and are mounted last, because their ``{force}/{id}``
patterns would otherwise swallow the fixed paths.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from beatbridge.errors import DomainError
from beatbridge.web.validation import refuse_nul_characters


class _Parser(Parser):
    """ninja's parser, refusing a NUL character anywhere in a body, a form or a query."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        refuse_nul_characters(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        refuse_nul_characters(result)
        return result


api = NinjaAPI(
    title="Beatbridge API",
    version="1",
    description=str(
        _(
            "Beatbridge's own API is under /api/v1/. The data.police.uk-compatible "
            "paths are directly under /api/."
        )
    ),
    # Swagger UI comes from ninja's own static files (ninja is in INSTALLED_APPS), never a CDN.
    docs_url="/docs",
    parser=_Parser(),
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.status)


def _field_name(location: tuple | list) -> str | None:
    """The field as the client wrote it: ("query", "lat") -> "lat"; a JSON body's
    ("body", "<parameter>", "description") -> "description"."""
    parts = list(location[2:] if location[:1] == ("body",) and len(location) > 2 else location[1:])
    return ".".join(str(part) for part in parts) or None


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """ninja's own refusals (a body that is not JSON, say) in the same shape as the others."""
    if isinstance(error.__cause__, DomainError):
        # ninja wraps whatever its parser raises: our parser's refusal names its field.
        return domain_error(request, error.__cause__)
    body = {"detail": str(error), "field": None, "code": "invalid"}
    return api.create_response(request, body, status=error.status_code)


@api.exception_handler(NinjaValidationError)
def request_validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    """Name the first bad field in the same shape as a DomainError, with every problem listed."""
    problems = [
        {"field": _field_name(problem.get("loc", ())), "detail": problem.get("msg", "")}
        for problem in error.errors
    ]
    first = problems[0] if problems else {"field": None, "detail": str(_("Invalid request."))}
    body = {
        "detail": first["detail"],
        "field": first["field"],
        "code": "invalid",
        "errors": problems,
    }
    return api.create_response(request, body, status=400)


def _mount_routers() -> None:
    from beatbridge.accounts.api import router as accounts_router
    from beatbridge.crimedata.api import router as crimedata_router
    from beatbridge.notify.api import router as notify_router
    from beatbridge.partners.api import router as partners_router
    from beatbridge.places.api import router as places_router
    from beatbridge.policeuk.api import router as policeuk_router
    from beatbridge.problems.api import router as problems_router
    from beatbridge.reports.api import router as reports_router
    from beatbridge.voice.api import router as voice_router
    from beatbridge.watch.api import router as watch_router

    api.add_router("/v1/", places_router)
    api.add_router("/v1/", accounts_router)
    api.add_router("/v1/", reports_router)
    api.add_router("/v1/", voice_router)
    api.add_router("/v1/", notify_router)
    api.add_router("/v1/", watch_router)
    api.add_router("/v1/", partners_router)
    api.add_router("/v1/", crimedata_router)
    api.add_router("/v1/", problems_router)
    api.add_router("/", policeuk_router)


_mount_routers()
