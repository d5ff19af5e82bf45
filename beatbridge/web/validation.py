"""Checks every input from outside shares, whatever it arrives through."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from beatbridge.errors import DomainError

NUL = "\x00"


def first_field_with_nul(data: Any, name: str = "") -> str | None:
    """The name of the first field whose name or text holds a NUL character, or None.

    Nested objects and lists are searched too ("texts.title", "answers.speed").
    """
    if isinstance(data, str):
        return name or "value" if NUL in data else None
    if isinstance(data, Mapping):
        for key, value in data.items():
            key_text = str(key)
            field = f"{name}.{key_text}" if name else key_text
            if NUL in key_text:
                return field.replace(NUL, "")[:64] or "value"
            found = first_field_with_nul(value, field)
            if found:
                return found
        return None
    if isinstance(data, (list, tuple)):
        for item in data:
            found = first_field_with_nul(item, name)
            if found:
                return found
    return None


def refuse_nul_characters(data: Any) -> None:
    """DomainError on the field holding a NUL: PostgreSQL refuses it, and no person means it."""
    field = first_field_with_nul(data)
    if field is not None:
        raise DomainError(_("May not contain NUL characters."), field=field)


def clean_text(
    value: str | None, *, field: str, label: str, max_length: int, required: bool = False
) -> str:
    """Text a person typed, stripped; DomainError on ``field`` when required and empty or
    longer than ``max_length``. ``label`` names it in the message ("a description")."""
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_("Enter %(label)s.") % {"label": label}, field=field, code="required")
    if len(text) > max_length:
        raise DomainError(
            _("%(label)s is too long: at most %(max)d characters.")
            % {"label": label[:1].upper() + label[1:], "max": max_length},
            field=field,
            code="too_long",
        )
    return text
