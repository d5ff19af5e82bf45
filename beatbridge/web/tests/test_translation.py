"""Checking translations people send: one set of rules for every kind of content."""

from __future__ import annotations

import pytest

from beatbridge.errors import DomainError
from beatbridge.web.translation import clean_translations


def test_translations_are_kept_by_base_language_with_empty_texts_dropped():
    cleaned = clean_translations(
        {"es-MX": {"title": " Hola ", "body": ""}, "es": {"body": "Cuerpo"}, "ar": {"title": ""}},
        {"title": 10, "body": 20},
        language_of=lambda language: language.split("-")[0],
    )
    assert cleaned == {"es": {"title": "Hola", "body": "Cuerpo"}}


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"es": {"title": "x" * 11}}, "translations.es.title"),
        ({"es": {"nope": "x"}}, "translations.es.nope"),
        ({"es": {"title": 3}}, "translations.es.title"),
        ({"es": {"title": "a\x00b"}}, "translations.es.title"),
        ({"es": "text"}, "translations"),
        (["es"], "translations"),
    ],
)
def test_a_bad_translation_names_its_field(value, field):
    with pytest.raises(DomainError) as refused:
        clean_translations(
            value,
            {"title": 10},
            language_of=str,
            field_of=lambda language, name: f"translations.{language}.{name}",
        )
    assert refused.value.field == field
