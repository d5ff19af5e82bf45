"""Showing people's content in the reader's language, saying so when it falls back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from beatbridge.web.models import TranslatedContent

Content = TypeVar("Content", bound=TranslatedContent)


def localise(items: Iterable[Content], *fields: str) -> list[Content]:
    """Give each item ``shown`` (the fields in the reader's language, else the original) and
    ``in_original`` (the non-empty fields shown untranslated), for the page's fallback note."""
    result = list(items)
    for item in result:
        item.shown = {field: item.translated(field) for field in fields}  # type: ignore[attr-defined]
        item.in_original = {  # type: ignore[attr-defined]
            field: bool(getattr(item, field)) and not item.has_translation(field)
            for field in fields
        }
    return result
