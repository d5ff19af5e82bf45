"""Names of languages for people to read, for codes Django knows and some it does not."""

from __future__ import annotations

from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

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
