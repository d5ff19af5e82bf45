"""Showing people's content in the reader's language, saying so when it falls back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TypeVar

from django.utils.translation import gettext as _

from beatbridge.errors import DomainError
from beatbridge.web.models import TranslatedContent
from beatbridge.web.validation import refuse_nul_characters

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


def clean_translation_texts(
    texts: Mapping[object, object],
    bounds: Mapping[str, int],
    *,
    field_of: Callable[[str], str] = str,
) -> dict[str, str]:
    """``{field: text}`` for one language: each a translatable field (``bounds`` gives the
    longest text each may hold, as its original), given as text, stripped; an empty text
    stays empty (it removes that translation). ``field_of`` names a field in an error."""
    cleaned: dict[str, str] = {}
    for name, value in texts.items():
        field = field_of(str(name))
        if name not in bounds:
            raise DomainError(_("This text cannot be translated."), field=field, code="unknown")
        if not isinstance(value, str | None):
            raise DomainError(_("Give each translation as text."), field=field, code="invalid")
        text = (value or "").strip()
        refuse_nul_characters({field: text})
        if len(text) > bounds[str(name)]:
            raise DomainError(
                _("Keep it to %(count)d characters or fewer.") % {"count": bounds[str(name)]},
                field=field,
                code="too_long",
            )
        cleaned[str(name)] = text
    return cleaned


def clean_translations(
    value: object,
    bounds: Mapping[str, int],
    *,
    language_of: Callable[[str], str],
    field_of: Callable[[str, str], str] = lambda _language, name: name,
) -> dict[str, dict[str, str]]:
    """A whole ``translations`` value, ``{language: {field: text}}``, as people send it.

    ``language_of`` checks a language and gives the code it is stored under (pages look
    translations up by base language, so "es-MX" and "es" land together); empty texts are
    dropped, and a language left with none. ``field_of(language, field)`` names a text in
    an error.
    """
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise DomainError(
            _("Give translations as an object keyed by language code."), field="translations"
        )
    cleaned: dict[str, dict[str, str]] = {}
    for language, texts in value.items():
        if not isinstance(texts, dict):
            raise DomainError(
                _("Translations for “%(language)s” must be an object of texts.")
                % {"language": str(language)[:16]},
                field="translations",
            )
        code = language_of(str(language))
        into = clean_translation_texts(texts, bounds, field_of=partial(field_of, code))
        into = {name: text for name, text in into.items() if text}
        if into:
            cleaned[code] = {**cleaned.get(code, {}), **into}
    return cleaned
