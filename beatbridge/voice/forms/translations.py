"""The form for one language's translation of an item; the service decides what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst

from beatbridge.accounts.forms import ServiceForm
from beatbridge.voice.selectors.translations import translatable
from beatbridge.web.models import TranslatedContent


def fields_to_translate(item: TranslatedContent) -> list[str]:
    """The item's translatable fields that have an original text to translate."""
    return [field for field in translatable(item).fields if getattr(item, field)]


class TranslationForm(ServiceForm):
    """One field per text of ``item`` that has an original, filled with the translation into
    ``language``; give each language's form the language as its prefix."""

    def __init__(self, *args: Any, item: TranslatedContent, language: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", item.translation_in(language))
        super().__init__(*args, prefix=language, **kwargs)
        # Typed in the language itself, right to left for Arabic.
        attrs = {"lang": language, "dir": "auto"}
        for name in fields_to_translate(item):
            model_field = item._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=capfirst(model_field.verbose_name),  # type: ignore[union-attr]
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, **attrs})
                if isinstance(model_field, models.TextField)
                else forms.TextInput(attrs=attrs),
            )
