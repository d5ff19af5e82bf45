"""What every app's pages share."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse

from beatbridge.errors import NotFound, PermissionDenied

View = Callable[..., HttpResponse]


def domain_errors_as_http(view: View) -> View:
    """NotFound and PermissionDenied from selectors and services become 404 and 403 pages."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from None
        except PermissionDenied as error:
            raise Forbidden(error.message) from None

    return wrapper
