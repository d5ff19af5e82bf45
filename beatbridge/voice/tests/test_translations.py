"""The team's translations: who may add them, what is refused, and what readers then see."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import Priority, PriorityUpdate
from beatbridge.voice.services.translations import set_translation
from beatbridge.voice.tests.factories_events import EventFactory
from beatbridge.voice.tests.factories_meetings import ActionItemFactory, MeetingFactory
from beatbridge.voice.tests.factories_priorities import CycleFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(fremont):
    return PriorityFactory(
        cycle=CycleFactory(neighbourhood=fremont), title="Speeding by the school"
    )


@pytest.fixture
def ballard(force):
    return NeighbourhoodFactory(force=force, code="N-BAL", languages=["so"])


@pytest.fixture
def other_officer(ballard):
    return TeamAssignmentFactory(neighbourhood=ballard).officer.user


def _url(kind: str, pk: int) -> str:
    return reverse("voice:translate", kwargs={"kind": kind, "pk": pk})


def _original_note(language: str) -> str:
    with translation.override(language):
        return translation.gettext("shown in its original language")


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("team", 200), ("admin", 200), ("other_officer", 403), ("resident", 403), ("anonymous", 302)],
)
@pytest.mark.parametrize("kind", ["priority", "update", "meeting", "action-item", "event"])
def test_only_the_team_opens_the_translation_page(
    client, fremont, fremont_officer, other_officer, priority, who, expected, kind
):
    items = {
        "priority": priority,
        "update": PriorityUpdate.objects.create(
            priority=priority, text="Speed checks started.", author=fremont_officer
        ),
        "meeting": MeetingFactory(neighbourhoods=[fremont]),
        "action-item": ActionItemFactory(meeting=MeetingFactory(neighbourhoods=[fremont])),
        "event": EventFactory(neighbourhoods=[fremont]),
    }
    user = {
        "team": fremont_officer,
        "admin": AdministratorFactory(),
        "other_officer": other_officer,
        "resident": UserFactory(),
        "anonymous": None,
    }[who]
    if user is not None:
        client.force_login(user)
    response = client.get(_url(kind, items[kind].pk))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_only_the_team_saves_a_translation(client, priority, other_officer):
    for user in (other_officer, UserFactory()):
        client.force_login(user)
        response = client.post(
            _url("priority", priority.pk), {"language": "es", "es-title": "Exceso de velocidad"}
        )
        assert response.status_code == 403
    client.logout()
    response = client.post(
        _url("priority", priority.pk), {"language": "es", "es-title": "Exceso de velocidad"}
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.translations == {}


def test_an_unknown_kind_or_item_is_not_found(client, fremont_officer, priority):
    client.force_login(fremont_officer)
    assert client.get(_url("cycle", priority.cycle_id)).status_code == 404
    assert client.get(_url("priority", priority.pk + 1000)).status_code == 404


def test_another_neighbourhoods_officer_cannot_translate_through_the_service(
    priority, other_officer
):
    with pytest.raises(PermissionDenied):
        set_translation(by=other_officer, item=priority, language="es", texts={"title": "Hola"})
    priority.refresh_from_db()
    assert priority.translations == {}


def test_any_team_of_a_joint_meeting_may_translate_it(fremont, ballard, other_officer):
    meeting = MeetingFactory(neighbourhoods=[fremont, ballard])
    set_translation(by=other_officer, item=meeting, language="so", texts={"title": "Kulan"})
    meeting.refresh_from_db()
    assert meeting.translations == {"so": {"title": "Kulan"}}


# --- what is refused ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "texts", "field", "code"),
    [
        ("xx", {"title": "Hola"}, "language", "unknown"),
        ("so", {"title": "Hola"}, "language", "unknown"),  # Fremont does not list Somali
        ("not a language", {"title": "Hola"}, "language", "invalid"),
        ("en", {"title": "Speeding"}, "language", "original"),
        ("en-GB", {"title": "Speeding"}, "language", "original"),
        ("es", {"title": "x" * 201}, "title", "too_long"),
        ("es", {"place": "Calle 36"}, "place", "unknown"),
    ],
)
def test_bad_translations_are_refused_naming_the_field(
    priority, fremont_officer, language, texts, field, code
):
    with pytest.raises(DomainError) as refused:
        set_translation(by=fremont_officer, item=priority, language=language, texts=texts)
    assert (refused.value.field, refused.value.code) == (field, code)
    priority.refresh_from_db()
    assert priority.translations == {}
    assert not AuditEntry.objects.filter(action="priority.translated").exists()


def test_a_language_the_neighbourhood_speaks_is_accepted(fremont, fremont_officer, priority):
    fremont.languages = ["en", "zh-hant"]
    fremont.save(update_fields=["languages"])
    set_translation(by=fremont_officer, item=priority, language="zh-hant", texts={"title": "超速"})
    priority.refresh_from_db()
    # Stored under the base language, which is how pages look translations up.
    assert priority.translation_in("zh") == {"title": "超速"}


def test_an_empty_text_removes_only_its_own_translation(priority, fremont_officer):
    priority.description = "Every morning at 8."
    priority.translations = {"ar": {"title": "السرعة"}}
    priority.save()
    set_translation(
        by=fremont_officer,
        item=priority,
        language="es",
        texts={"title": "Velocidad", "description": "Cada mañana a las 8."},
    )
    set_translation(by=fremont_officer, item=priority, language="es", texts={"description": " "})
    priority.refresh_from_db()
    assert priority.translations == {"ar": {"title": "السرعة"}, "es": {"title": "Velocidad"}}
    set_translation(by=fremont_officer, item=priority, language="es", texts={"title": ""})
    priority.refresh_from_db()
    assert priority.translations == {"ar": {"title": "السرعة"}}


def test_the_audit_entry_names_the_language_and_fields_but_holds_no_text(priority, fremont_officer):
    set_translation(by=fremont_officer, item=priority, language="es", texts={"title": "Velocidad"})
    entry = AuditEntry.objects.get(action="priority.translated")
    assert entry.detail == {"language": "es", "fields": ["title"]}
    assert entry.actor == fremont_officer


# --- the page, and what readers see -------------------------------------------------------


def test_the_page_shows_the_original_and_a_form_per_language(
    client, fremont, fremont_officer, priority
):
    fremont.languages = ["en", "es", "vi"]
    fremont.save(update_fields=["languages"])
    client.force_login(fremont_officer)
    page = client.get(_url("priority", priority.pk)).text
    assert "Speeding by the school" in page
    assert 'id="translation-es"' in page
    assert 'id="translation-ar"' in page
    assert 'id="translation-vi"' in page
    assert 'id="translation-en"' not in page  # the language it was written in


def test_a_saved_translation_replaces_the_fallback_note_on_the_public_page(
    client, fremont_officer, priority
):
    public = reverse("voice:priority", kwargs={"priority_id": priority.pk})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    before = client.get(public).text
    assert _original_note("es") in before

    client.force_login(fremont_officer)
    response = client.post(
        _url("priority", priority.pk),
        {"language": "es", "es-title": "Exceso de velocidad junto a la escuela"},
    )
    assert response.status_code == 302
    assert response.url == _url("priority", priority.pk) + "#translation-es"
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    after = client.get(public).text
    assert "Exceso de velocidad junto a la escuela" in after
    assert _original_note("es") not in after
    english = client.get(public, HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="").text
    assert "Speeding by the school" in english


def test_a_refused_translation_shows_on_its_field_and_saves_nothing(
    client, fremont_officer, priority
):
    client.force_login(fremont_officer)
    response = client.post(_url("priority", priority.pk), {"language": "es", "es-title": "x" * 201})
    assert response.status_code == 400
    assert "Keep it to 200 characters or fewer." in response.text
    assert 'href="#id_es-title"' in response.text
    assert Priority.objects.get(pk=priority.pk).translations == {}


def test_a_language_the_page_does_not_offer_is_refused_at_the_top(
    client, fremont_officer, priority
):
    client.force_login(fremont_officer)
    response = client.post(_url("priority", priority.pk), {"language": "xx", "xx-title": "Hola"})
    assert response.status_code == 400
    assert "Choose a language of the site or one the neighbourhood speaks." in response.text
    assert Priority.objects.get(pk=priority.pk).translations == {}


def test_the_team_pages_link_to_the_translations(client, fremont, fremont_officer, priority):
    meeting = MeetingFactory(neighbourhoods=[fremont])
    event = EventFactory(neighbourhoods=[fremont])
    client.force_login(fremont_officer)
    pages = {
        reverse("voice:manage_priority", kwargs={"priority_id": priority.pk}): _url(
            "priority", priority.pk
        ),
        reverse("voice:manage_meeting", kwargs={"pk": meeting.pk}): _url("meeting", meeting.pk),
        reverse("voice:event", kwargs={"pk": event.pk}): _url("event", event.pk),
    }
    for page, link in pages.items():
        assert f'href="{link}"' in client.get(page).text
