"""The team's translations of priorities, updates, meetings, action items and events."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.voice.permissions import can_manage_any
from beatbridge.voice.selectors.translations import (
    base_language,
    languages_for,
    neighbourhoods_of,
    translatable,
)
from beatbridge.web import translation as web_translation
from beatbridge.web.languages import clean_language_codes
from beatbridge.web.models import TranslatedContent

Content = TypeVar("Content", bound=TranslatedContent)


def set_translation(*, by: Any, item: Content, language: str, texts: dict[str, str]) -> Content:
    """Set ``item``'s translation into ``language`` of the fields in ``texts``.

    Only the neighbourhood's team (or a team of one of its neighbourhoods) may. The language
    is one of the site's or one the neighbourhood speaks, never the one the item was written
    in; translations are stored under the base language ("zh-hant" as "zh"), which is how
    pages look them up. An empty text removes that field's translation; fields not in
    ``texts`` keep theirs. Each text is bounded like its original.
    """
    entry = translatable(item)
    if not can_manage_any(by, neighbourhoods_of(item)):
        raise PermissionDenied(_("Only the neighbourhood's team may translate this."))
    language = _language_for(item, language)
    cleaned = web_translation.clean_translation_texts(texts, translatable(item).fields)
    with transaction.atomic():
        # Read the translations under a lock: two people translating into two languages at
        # once must not overwrite each other's work.
        stored = (
            type(item)._default_manager.select_for_update().values_list("translations", flat=True)
        )
        translations = dict(stored.get(pk=item.pk) or {})
        into = {**translations.get(language, {}), **cleaned}
        into = {field: text for field, text in into.items() if text}
        if into:
            translations[language] = into
        else:
            translations.pop(language, None)
        item.translations = translations
        item.save(update_fields=["translations"])
        audit(
            actor=by,
            action=f"{entry.audit_name}.translated",
            target=item,
            detail={"language": language, "fields": sorted(cleaned)},
        )
    return item


def clean_translations(*, item: TranslatedContent, value: object) -> dict[str, dict[str, str]]:
    """A whole ``translations`` value for ``item``, as the admin edits it:
    ``{language: {field: text}}`` by the rules of ``set_translation``, without empty texts."""
    return web_translation.clean_translations(
        value, translatable(item).fields, language_of=lambda language: _language_for(item, language)
    )


def _language_for(item: TranslatedContent, language: str) -> str:
    codes = clean_language_codes([language or ""], field="language")
    code = base_language(codes[0])
    if item.original_language and code == base_language(item.original_language):
        raise DomainError(
            _("This is the language it was written in: choose another."),
            field="language",
            code="original",
        )
    if code not in languages_for(item):
        raise DomainError(
            _("Choose a language of the site or one the neighbourhood speaks."),
            field="language",
            code="unknown",
        )
    return code
