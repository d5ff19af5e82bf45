"""What the team can translate, into which languages, and the one way to fetch an item for it.

Priorities, their updates, meetings (with their minutes), action items and events carry
translations of their texts (``TranslatedContent.translations``); pages show them in the
reader's language and say so when they fall back to the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.voice.models import ActionItem, Event, Meeting, Priority, PriorityUpdate
from beatbridge.voice.permissions import can_manage_any
from beatbridge.voice.services.meetings import ACTION_MAX, MINUTES_PART_MAX
from beatbridge.web.languages import base_language
from beatbridge.web.models import TranslatedContent

# The longest free text the team's forms take for a description or an account; minutes and
# action items have their own bounds. A translation is bounded like the text it stands for.
_TEXT_MAX = 5000


@dataclass(frozen=True)
class Translatable:
    """A kind of content that carries translations: its URL slug, its audit name and its
    translatable fields with the longest text each may hold."""

    model: type[TranslatedContent]
    kind: str
    audit_name: str
    fields: dict[str, int]


def _title_max(model: type[TranslatedContent]) -> int:
    return model._meta.get_field("title").max_length or 200  # type: ignore[union-attr]


TRANSLATABLE: dict[type[TranslatedContent], Translatable] = {
    entry.model: entry
    for entry in (
        Translatable(
            Priority,
            "priority",
            "priority",
            {
                "title": _title_max(Priority),
                "description": _TEXT_MAX,
                "decision_reason": _TEXT_MAX,
                "action_plan": _TEXT_MAX,
                "outcome": _TEXT_MAX,
            },
        ),
        Translatable(PriorityUpdate, "update", "priority_update", {"text": _TEXT_MAX}),
        Translatable(
            Meeting,
            "meeting",
            "meeting",
            {
                "title": _title_max(Meeting),
                "description": _TEXT_MAX,
                "accessibility": _TEXT_MAX,
                "minutes_raised": MINUTES_PART_MAX,
                "minutes_answered": MINUTES_PART_MAX,
                "minutes_decided": MINUTES_PART_MAX,
            },
        ),
        Translatable(
            ActionItem, "action-item", "action_item", {"text": ACTION_MAX, "outcome": ACTION_MAX}
        ),
        Translatable(
            Event,
            "event",
            "event",
            {"title": _title_max(Event), "description": _TEXT_MAX, "accessibility": _TEXT_MAX},
        ),
    )
}
_BY_KIND = {entry.kind: entry for entry in TRANSLATABLE.values()}


def translatable(item: TranslatedContent) -> Translatable:
    """What can be translated of ``item``; TypeError for content the team does not translate."""
    try:
        return TRANSLATABLE[type(item)]
    except KeyError:
        raise TypeError(f"{type(item).__name__} carries no translations the team edits.") from None


def neighbourhoods_of(item: TranslatedContent) -> list[Neighbourhood]:
    """The neighbourhoods whose team looks after ``item``."""
    if isinstance(item, Priority):
        return [item.cycle.neighbourhood]
    if isinstance(item, PriorityUpdate):
        return [item.priority.cycle.neighbourhood]
    if isinstance(item, ActionItem):
        return list(item.meeting.neighbourhoods.all())
    if isinstance(item, Meeting | Event):
        return list(item.neighbourhoods.all())
    raise TypeError(f"{type(item).__name__} belongs to no neighbourhood.")


def languages_for(item: TranslatedContent) -> list[str]:
    """Languages ``item`` may be translated into: the site's, then those its neighbourhoods
    speak, without the one it was written in."""
    written_in = base_language(item.original_language) if item.original_language else ""
    languages: list[str] = []
    spoken = [
        code
        for neighbourhood in neighbourhoods_of(item)
        for code in (neighbourhood.languages or [])
        if isinstance(code, str)
    ]
    for code in [code for code, _name in settings.LANGUAGES] + spoken:
        language = base_language(code)
        if language and language != written_in and language not in languages:
            languages.append(language)
    return languages


_RELATED = {
    Priority: ["cycle__neighbourhood__force"],
    PriorityUpdate: ["priority__cycle__neighbourhood__force"],
    ActionItem: ["meeting"],
    Meeting: [],
    Event: [],
}


def get_translatable_for_manager(user: Any, kind: str, pk: int) -> TranslatedContent:
    """The item of ``kind`` ("priority", "update", "meeting", "action-item", "event") for its
    team to translate: NotFound when there is none, PermissionDenied for anyone else."""
    entry = _BY_KIND.get(kind)
    item = (
        entry.model._default_manager.select_related(*_RELATED[entry.model]).filter(pk=pk).first()
        if entry is not None
        else None
    )
    if item is None:
        raise NotFound(_("There is no such text to translate."), field="item")
    if not can_manage_any(user, neighbourhoods_of(item)):
        raise PermissionDenied(_("Only the neighbourhood's team may translate this."))
    return item
