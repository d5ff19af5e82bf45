"""Abstract models every app's content shares. No tables of their own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from beatbridge.web.languages import base_language


def _base_language(language: str | None) -> str:
    return base_language(language or get_language() or "")


class TranslatedContent(models.Model):
    """Content written by people (staff or residents), with its own translations:
    ``translations = {"es": {"title": ..., "description": ...}}``.

    ``translated`` falls back to the original; ``has_translation`` says whether it had
    to, so a page can say plainly that the text is shown in its original language.
    """

    translations = models.JSONField(_("translations"), default=dict, blank=True)
    original_language = models.CharField(
        _("original language"),
        max_length=16,
        blank=True,
        help_text=_("The language the text was written in, e.g. 'en'."),
    )

    class Meta:
        abstract = True

    def translation_in(self, language: str | None = None) -> dict:
        """The translations into ``language`` (the active one by default), by field."""
        language = _base_language(language)
        return self.translations.get(language, {}) if self.translations else {}

    def translated(self, field: str, language: str | None = None) -> str:
        """``field`` in ``language``, else the original text."""
        return self.translation_in(language).get(field) or getattr(self, field)

    def has_translation(self, field: str, language: str | None = None) -> bool:
        """Whether ``field`` reads in ``language``: translated, or written in it."""
        language = _base_language(language)
        written_in = _base_language(self.original_language) if self.original_language else ""
        return language == written_in or bool(self.translation_in(language).get(field))
