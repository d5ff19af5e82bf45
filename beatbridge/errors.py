"""The one domain error every service raises, and how it maps to HTTP.

A service raises ``DomainError(message, field=..., code=...)``. The API renders it
as ``{"detail": ..., "field": ..., "code": ...}`` with ``status``; a page shows it
as a form error on ``field``.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A request a service refuses, with the field at fault and an HTTP status."""

    status = 400
    default_code = "invalid"

    def __init__(
        self, message: str | Promise, *, field: str | None = None, code: str | None = None
    ):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code or self.default_code

    def as_dict(self) -> dict[str, str | None]:
        return {"detail": self.message, "field": self.field, "code": self.code}


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    default_code = "forbidden"


class TooManyRequests(DomainError):
    """Refused because a rate limit was reached; the client should wait and try again."""

    status = 429
    default_code = "too_many_requests"


class Conflict(DomainError):
    """The request clashes with what is already stored (a submission key reused, say)."""

    status = 409
    default_code = "conflict"


def input_error(error: NotFound, field: str) -> DomainError:
    """A missing thing named in a request body is bad input (400 on ``field``), not a
    missing page."""
    return DomainError(error.message, field=field, code="unknown")
