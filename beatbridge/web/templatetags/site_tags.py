"""Template filters every page may use: language names and localised numbers."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from beatbridge.web.languages import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """{{ "so"|language_name }} -> "Somali", in the current interface language."""
    return _language_name(code)


@register.filter
def grouped_number(value: int | float | None) -> str:
    """A number with the current language's digit grouping: 12345 -> "12,345" or "12.345"."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)
