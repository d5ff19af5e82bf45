"""Names of languages for people to read, for codes Django knows and some it does not."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from beatbridge.errors import DomainError

# Languages often spoken in the neighbourhoods we serve that Django has no name for.
_NAMES_DJANGO_LACKS = {
    "am": _("Amharic"),
    "chk": _("Chuukese"),
    "fil": _("Filipino"),
    "ha": _("Hausa"),
    "haw": _("Hawaiian"),
    "hmn": _("Hmong"),
    "ht": _("Haitian Creole"),
    "ku": _("Kurdish"),
    "lo": _("Lao"),
    "mh": _("Marshallese"),
    "om": _("Oromo"),
    "prs": _("Dari"),
    "ps": _("Pashto"),
    "rw": _("Kinyarwanda"),
    "sm": _("Samoan"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "tl": _("Tagalog"),
    "to": _("Tongan"),
    "yo": _("Yoruba"),
    "yue": _("Cantonese"),
    "zh": _("Chinese"),
}


def base_language(code: str) -> str:
    """The language pages look translations up by: "zh-hant" -> "zh" (see TranslatedContent)."""
    return code.strip().lower().split("-")[0]


def language_name(code: str) -> str:
    """The name of a language in the current interface language: "es" -> "Spanish".

    A code nobody knows is shown as it is, so no language a neighbourhood lists is hidden.
    """
    normalised = code.strip().lower()
    if normalised in _NAMES_DJANGO_LACKS:
        return str(_NAMES_DJANGO_LACKS[normalised])
    try:
        return str(get_language_info(normalised)["name_translated"])
    except KeyError:
        return code


# BCP 47 language tags as officers and neighbourhoods list them: "en", "so", "zh-hant".
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def clean_language_codes(languages: object, *, field: str = "languages") -> list[str]:
    """A list of language codes, lower-cased and without repeats; DomainError on ``field``.

    Everywhere a list of languages is stored (officers, neighbourhoods, from a service
    or the admin) goes through here, so every page and API can rely on its shape.
    """
    if languages is None:
        return []
    if not isinstance(languages, list):
        raise DomainError(
            gettext('Give a list of language codes such as ["en", "es"].'), field=field
        )
    cleaned: list[str] = []
    for language in languages:
        tag = language.strip().lower() if isinstance(language, str) else ""
        if not _LANGUAGE_TAG.match(tag):
            raise DomainError(
                gettext("%(tag)r is not a language code such as 'en' or 'es'.") % {"tag": language},
                field=field,
            )
        if tag not in cleaned:
            cleaned.append(tag)
    return cleaned


class LanguageCodesField(forms.JSONField):
    """A form field for a stored list of language codes, checked by clean_language_codes."""

    def clean(self, value: Any) -> list[str]:
        try:
            return clean_language_codes(super().clean(value))
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
