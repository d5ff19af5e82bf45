"""Community voice in the admin: administrators only; checked like the team pages; no 500s."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from beatbridge.accounts.tests.factories import AdministratorFactory, UserFactory
from beatbridge.voice.models import Cycle, Priority, PriorityStatus
from beatbridge.voice.tests.factories_events import EventFactory, RegistrationFactory
from beatbridge.voice.tests.factories_meetings import MeetingFactory
from beatbridge.voice.tests.factories_priorities import CycleFactory, PriorityFactory

pytestmark = pytest.mark.django_db

_MODELS = ["cycle", "priority", "meetingseries", "meeting", "event", "registration"]


@pytest.fixture
def administrator(client):
    user = AdministratorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def cycle(fremont):
    return CycleFactory(neighbourhood=fremont, title="Spring")


def _changelist(model: str) -> str:
    return reverse(f"admin:voice_{model}_changelist")


@pytest.mark.parametrize("model", _MODELS)
def test_administrators_see_every_list(client, administrator, fremont, cycle, model):
    PriorityFactory(cycle=cycle)
    MeetingFactory(neighbourhoods=[fremont])
    RegistrationFactory(event=EventFactory(neighbourhoods=[fremont]))
    assert client.get(_changelist(model)).status_code == 200


@pytest.mark.parametrize("model", _MODELS)
def test_residents_and_officers_do_not_get_in(client, fremont_officer, model):
    for user in (UserFactory(), fremont_officer):
        client.force_login(user)
        response = client.get(_changelist(model))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_a_staff_account_that_is_not_an_administrator_sees_no_registrations(client, fremont):
    registration = RegistrationFactory(event=EventFactory(neighbourhoods=[fremont]))
    client.force_login(UserFactory(is_staff=True))
    url = reverse("admin:voice_registration_change", args=[registration.pk])
    assert client.get(url).status_code == 403


def test_registrations_are_read_only(client, administrator, fremont):
    registration = RegistrationFactory(
        event=EventFactory(neighbourhoods=[fremont]), email="guest@example.org"
    )
    url = reverse("admin:voice_registration_change", args=[registration.pk])
    page = client.get(url)
    # Who registered is for the team pages, where each look is audited.
    assert "guest@example.org" not in page.text
    assert 'name="_save"' not in page.text
    assert client.post(url, {"email": "other@example.org"}).status_code == 403
    assert client.get(reverse("admin:voice_registration_add")).status_code == 403
    registration.refresh_from_db()
    assert registration.email == "guest@example.org"


# --- cycles: added and changed as the team page checks them --------------------------------


def _cycle_form(fremont, start: datetime.date, **changes) -> dict:
    data = {
        "neighbourhood": fremont.pk,
        "title": "Summer",
        "starts_on": start.isoformat(),
        "voting_opens_on": (start + datetime.timedelta(days=14)).isoformat(),
        "voting_closes_on": (start + datetime.timedelta(days=28)).isoformat(),
        "ends_on": (start + datetime.timedelta(days=60)).isoformat(),
        "votes_per_person": 3,
        "max_adopted": 3,
    }
    return {**data, **changes}


def test_an_administrator_adds_a_cycle(client, administrator, fremont, cycle):
    start = cycle.ends_on + datetime.timedelta(days=1)
    response = client.post(reverse("admin:voice_cycle_add"), _cycle_form(fremont, start))
    assert response.status_code == 302
    added = Cycle.objects.get(title="Summer")
    assert (added.neighbourhood, added.starts_on) == (fremont, start)


def test_a_cycle_that_overlaps_another_is_refused_with_a_message(
    client, administrator, fremont, cycle
):
    response = client.post(reverse("admin:voice_cycle_add"), _cycle_form(fremont, cycle.ends_on))
    assert response.status_code == 200
    assert "These dates overlap “Spring”" in response.text
    assert not Cycle.objects.filter(title="Summer").exists()


def test_changing_a_cycle_keeps_its_own_dates_from_counting_as_an_overlap(
    client, administrator, fremont, cycle
):
    url = reverse("admin:voice_cycle_change", args=[cycle.pk])
    data = _cycle_form(fremont, cycle.starts_on, title="Spring, renamed")
    data["ends_on"] = cycle.ends_on.isoformat()
    assert client.post(url, data).status_code == 302
    cycle.refresh_from_db()
    assert cycle.title == "Spring, renamed"

    bad = {**data, "voting_closes_on": (cycle.voting_opens_on - datetime.timedelta(days=1))}
    response = client.post(url, bad)
    assert "Voting cannot close before it opens." in response.text
    cycle.refresh_from_db()
    assert cycle.voting_closes_on > cycle.voting_opens_on


def test_deleting_a_cycle_with_priorities_explains_instead_of_failing(client, administrator, cycle):
    PriorityFactory(cycle=cycle, title="Speeding by the school")
    url = reverse("admin:voice_cycle_delete", args=[cycle.pk])
    for response in (client.get(url), client.post(url, {"post": "yes"})):
        assert response.status_code == 200
        assert "Cannot delete" in response.text  # its priorities are kept
        assert 'name="post"' not in response.text  # no button to confirm
    bulk = client.post(
        _changelist("cycle"),
        {"action": "delete_selected", "_selected_action": [cycle.pk], "post": "yes"},
    )
    assert bulk.status_code == 200
    assert Cycle.objects.filter(pk=cycle.pk).exists()


# --- priorities: texts and translations corrected, decisions left to the team --------------


def _priority_form(priority: Priority, **changes) -> dict:
    data = {
        "title": priority.title,
        "description": priority.description,
        "place": priority.place,
        "source_reference": priority.source_reference,
        "decision_reason": priority.decision_reason,
        "action_plan": priority.action_plan,
        "action_owner": priority.action_owner,
        "action_due_on": "",
        "outcome": priority.outcome,
        "original_language": priority.original_language,
        "translations": json.dumps(priority.translations),
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
        "updates-MIN_NUM_FORMS": 0,
        "updates-MAX_NUM_FORMS": 1000,
    }
    return {**data, **changes}


def test_an_administrator_corrects_a_priority_and_its_translations(client, administrator, cycle):
    priority = PriorityFactory(cycle=cycle, title="Speding by the school")
    url = reverse("admin:voice_priority_change", args=[priority.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _priority_form(
            priority,
            title="Speeding by the school",
            translations=json.dumps({"es": {"title": "Exceso de velocidad", "description": ""}}),
        ),
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.title == "Speeding by the school"
    assert priority.translations == {"es": {"title": "Exceso de velocidad"}}


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        (["es"], "Give translations as an object keyed by language code."),
        ({"xx": {"title": "Hola"}}, "Choose a language of the site or one the neighbourhood"),
        ({"en": {"title": "Speeding"}}, "This is the language it was written in"),
        ({"es": {"status": "adoptado"}}, "This text cannot be translated."),
        ({"es": {"title": "x" * 201}}, "Keep it to 200 characters or fewer."),
    ],
)
def test_bad_translations_are_refused_in_the_admin(
    client, administrator, cycle, translations, message
):
    priority = PriorityFactory(cycle=cycle)
    url = reverse("admin:voice_priority_change", args=[priority.pk])
    response = client.post(url, _priority_form(priority, translations=json.dumps(translations)))
    assert response.status_code == 200
    assert message in response.text
    priority.refresh_from_db()
    assert priority.translations == {}


def test_clearing_the_reason_of_a_declined_priority_is_refused_not_a_500(
    client, administrator, cycle
):
    priority = PriorityFactory(
        cycle=cycle, status=PriorityStatus.NOT_ADOPTED, decision_reason="Already in hand."
    )
    url = reverse("admin:voice_priority_change", args=[priority.pk])
    response = client.post(url, _priority_form(priority, decision_reason=""))
    assert response.status_code == 200
    assert "Say why a candidate was not adopted." in response.text
    priority.refresh_from_db()
    assert priority.decision_reason == "Already in hand."


def test_the_admin_leaves_a_meetings_time_to_the_team_page(client, administrator, fremont):
    meeting = MeetingFactory(neighbourhoods=[fremont])
    page = client.get(reverse("admin:voice_meeting_change", args=[meeting.pk])).text
    assert 'name="starts_at' not in page
    assert 'name="is_cancelled"' not in page
    assert 'name="title"' in page
    assert client.get(reverse("admin:voice_meeting_add")).status_code == 403


def test_meeting_languages_in_the_admin_are_checked_codes(client, administrator, fremont):
    from beatbridge.voice.tests.factories_meetings import MeetingFactory

    meeting = MeetingFactory(neighbourhoods=[fremont])
    url = reverse("admin:voice_meeting_change", args=[meeting.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(languages='"english"', interpretation="[]")
    response = client.post(url, data)
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.languages != "english"


def test_meetings_and_events_are_never_deleted_in_the_admin(client, administrator, fremont):
    from beatbridge.voice.models import Meeting
    from beatbridge.voice.tests.factories_meetings import MeetingFactory

    meeting = MeetingFactory(neighbourhoods=[fremont])
    response = client.post(
        reverse("admin:voice_meeting_delete", args=[meeting.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()
