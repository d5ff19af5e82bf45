"""The priority pages: who may open and post to them, and what they show."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beatbridge.accounts.tests.factories import AdministratorFactory, UserFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import (
    Cycle,
    Priority,
    PrioritySource,
    PriorityStatus,
    PriorityUpdate,
    Residency,
    Vote,
    VoteMethod,
)

from .factories_priorities import (
    CycleFactory,
    OnlineVoteFactory,
    PriorityFactory,
    ResidencyFactory,
    meeting_of,
    officer_of,
    resident_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db


def _priorities_url(neighbourhood, name="voice:priorities"):
    return reverse(name, kwargs={"force": neighbourhood.force.slug, "code": neighbourhood.code})


def _signed_in(client, user):
    client.force_login(user)
    return client


def _messages(response):
    return [str(message) for message in response.context["messages"]]


# --- the permission matrix of the team's pages --------------------------------------------

ROLES = ["anonymous", "resident", "other_team", "team", "supervisor", "administrator"]


def _user(role, neighbourhood):
    return {
        "anonymous": lambda: None,
        "resident": lambda: resident_of(neighbourhood),
        "other_team": lambda: officer_of(NeighbourhoodFactory(force=neighbourhood.force)),
        "team": lambda: officer_of(neighbourhood),
        "supervisor": lambda: supervisor_of(neighbourhood.force),
        "administrator": AdministratorFactory,
    }[role]()


def _team_urls(neighbourhood):
    cycle = CycleFactory(neighbourhood=neighbourhood, phase="deciding")
    priority = PriorityFactory(cycle=cycle)
    return [
        ("get", _priorities_url(neighbourhood, "voice:manage_cycles"), {}),
        ("get", reverse("voice:manage_cycle", kwargs={"cycle_id": cycle.pk}), {}),
        ("get", reverse("voice:manage_priority", kwargs={"priority_id": priority.pk}), {}),
        (
            "post",
            reverse(
                "voice:manage_priority_action",
                kwargs={"priority_id": priority.pk, "action": "decline"},
            ),
            {"reason": "The city's to fix."},
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_team_pages_are_for_the_team_supervisors_and_administrators(client, fremont, role):
    user = _user(role, fremont)
    if user is not None:
        client.force_login(user)
    expected = {"anonymous": 302, "resident": 403, "other_team": 403}.get(role)
    for method, url, data in _team_urls(fremont):
        response = getattr(client, method)(url, data)
        allowed = 302 if method == "post" else 200
        assert response.status_code == (expected or allowed), (role, url)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:sign-in"))
    declined = Priority.objects.filter(status=PriorityStatus.NOT_ADOPTED).exists()
    assert declined == (expected is None)


def test_team_pages_of_unknown_things_are_404(client, fremont, fremont_officer):
    _signed_in(client, fremont_officer)
    assert client.get(reverse("voice:manage_cycle", kwargs={"cycle_id": 999})).status_code == 404
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont))
    url = reverse(
        "voice:manage_priority_action", kwargs={"priority_id": priority.pk, "action": "delete"}
    )
    assert client.post(url).status_code == 404


# --- the neighbourhood's page -------------------------------------------------------------


def test_the_page_explains_that_there_is_no_cycle_yet(client, fremont):
    response = client.get(_priorities_url(fremont))
    assert response.status_code == 200
    assert "no priority cycle here yet" in response.content.decode()


def test_an_unknown_neighbourhood_is_404(client, force):
    url = reverse("voice:priorities", kwargs={"force": force.slug, "code": "nowhere"})
    assert client.get(url).status_code == 404


def test_while_voting_the_public_sees_candidates_but_no_counts(client, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    OnlineVoteFactory.create_batch(4, priority=PriorityFactory(cycle=cycle, title="Speeding"))
    page = client.get(_priorities_url(fremont)).content.decode()
    assert "Speeding" in page
    assert "4 votes" not in page
    assert "Sign in" in page


def test_a_resident_sees_their_votes_left_and_vote_buttons(client, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting", votes_per_person=3)
    voted, other = PriorityFactory.create_batch(2, cycle=cycle)
    person = resident_of(fremont)
    OnlineVoteFactory(priority=voted, voter=person)
    page = _signed_in(client, person).get(_priorities_url(fremont)).content.decode()
    assert "You have 2 votes left." in page
    assert "You voted for this." in page
    assert reverse("voice:priority_vote", kwargs={"priority_id": other.pk}) in page
    assert reverse("voice:priority_withdraw_vote", kwargs={"priority_id": voted.pk}) in page


def test_someone_without_residency_is_sent_to_declare_it(client, fremont):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="voting"))
    page = _signed_in(client, UserFactory()).get(_priorities_url(fremont)).content.decode()
    assert _priorities_url(fremont, "voice:residency") in page
    assert reverse("voice:priority_vote", kwargs={"priority_id": priority.pk}) not in page


def test_after_voting_everyone_sees_the_results_by_method(client, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    priority = PriorityFactory(cycle=cycle, title="Speeding")
    OnlineVoteFactory.create_batch(2, priority=priority)
    Vote.objects.create(
        priority=priority,
        method=VoteMethod.MEETING,
        meeting=meeting_of(fremont, cycle.voting_opens_on),
        count=5,
    )
    page = client.get(_priorities_url(fremont)).content.decode()
    assert "7 votes" in page
    assert "2 online, 5 at meetings" in page


def test_the_page_links_past_cycles(client, fremont):
    past = CycleFactory(neighbourhood=fremont, phase="closed", title="Winter")
    CycleFactory(neighbourhood=fremont, phase="voting")
    page = client.get(_priorities_url(fremont)).content.decode()
    url = reverse(
        "voice:priority_cycle",
        kwargs={"force": fremont.force.slug, "code": fremont.code, "cycle_id": past.pk},
    )
    assert url in page
    assert client.get(url).status_code == 200


def test_a_cycle_of_another_neighbourhood_is_404_here(client, fremont):
    theirs = CycleFactory()
    url = reverse(
        "voice:priority_cycle",
        kwargs={"force": fremont.force.slug, "code": fremont.code, "cycle_id": theirs.pk},
    )
    assert client.get(url).status_code == 404


def test_the_page_lists_candidates_in_constant_queries(
    client, fremont, django_assert_max_num_queries
):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    person = resident_of(fremont)
    _signed_in(client, person)
    PriorityFactory(cycle=cycle)
    with django_assert_max_num_queries(12) as few:
        client.get(_priorities_url(fremont))
    for _n in range(10):
        OnlineVoteFactory(priority=PriorityFactory(cycle=cycle))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_priorities_url(fremont))
    assert len(response.context["candidates"]) == 11


def test_a_text_without_a_translation_says_it_is_shown_in_its_original_language(client, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    PriorityFactory(cycle=cycle, title="Exceso de velocidad", original_language="es")
    PriorityFactory(
        cycle=cycle,
        title="Basura en el parque",
        original_language="es",
        translations={"en": {"title": "Litter in the park"}},
    )
    page = client.get(_priorities_url(fremont), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Exceso de velocidad" in page
    assert "Litter in the park" in page
    assert "Basura en el parque" not in page
    assert page.count("shown in its original language") == 1


# --- proposing ----------------------------------------------------------------------------


def test_a_resident_proposes_from_the_page(client, fremont):
    CycleFactory(neighbourhood=fremont, phase="proposing")
    _signed_in(client, resident_of(fremont))
    response = client.post(
        _priorities_url(fremont), {"title": "Speeding on 36th", "place": "By the school"}
    )
    priority = Priority.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#priority-{priority.pk}")
    assert priority.place == "By the school"


def test_a_duplicate_proposal_comes_back_with_the_message_on_the_title(client, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="proposing")
    PriorityFactory(cycle=cycle, title="Speeding on 36th")
    _signed_in(client, resident_of(fremont))
    response = client.post(_priorities_url(fremont), {"title": "speeding on 36th"})
    assert response.status_code == 409
    assert "already a candidate" in response.context["form"].errors["title"][0]
    assert Priority.objects.count() == 1


def test_proposing_needs_a_sign_in_and_a_residency(client, fremont):
    CycleFactory(neighbourhood=fremont, phase="proposing")
    response = client.post(_priorities_url(fremont), {"title": "Speeding"})
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    _signed_in(client, UserFactory())
    response = client.post(_priorities_url(fremont), {"title": "Speeding"})
    assert response.status_code == 403
    assert "live or work in Fremont" in response.context["form"].non_field_errors()[0]
    assert not Priority.objects.exists()


# --- voting -------------------------------------------------------------------------------


def test_a_resident_votes_and_withdraws_from_the_page(client, fremont):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="voting"))
    person = resident_of(fremont)
    _signed_in(client, person)
    vote_url = reverse("voice:priority_vote", kwargs={"priority_id": priority.pk})
    response = client.post(vote_url, follow=True)
    assert "Your vote is counted." in _messages(response)
    assert Vote.objects.filter(voter=person, priority=priority).exists()
    response = client.post(vote_url, follow=True)
    assert "You have already voted for this." in _messages(response)
    withdraw = reverse("voice:priority_withdraw_vote", kwargs={"priority_id": priority.pk})
    response = client.post(withdraw, {"back": "priority"})
    assert response["Location"] == reverse("voice:priority", kwargs={"priority_id": priority.pk})
    assert not Vote.objects.exists()


def test_voting_needs_a_sign_in_and_a_post(client, fremont):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="voting"))
    url = reverse("voice:priority_vote", kwargs={"priority_id": priority.pk})
    assert client.post(url)["Location"].startswith(reverse("accounts:sign-in"))
    _signed_in(client, resident_of(fremont))
    assert client.get(url).status_code == 405
    assert not Vote.objects.exists()


def test_a_vote_refused_says_why(client, fremont):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="deciding"))
    _signed_in(client, resident_of(fremont))
    response = client.post(
        reverse("voice:priority_vote", kwargs={"priority_id": priority.pk}), follow=True
    )
    assert any(message.startswith("Voting is open from") for message in _messages(response))
    assert not Vote.objects.exists()


# --- residency, one priority, you said we did ---------------------------------------------


def test_a_person_declares_residency_from_the_page(client, fremont):
    url = _priorities_url(fremont, "voice:residency")
    assert client.get(url)["Location"].startswith(reverse("accounts:sign-in"))
    person = UserFactory()
    _signed_in(client, person)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == _priorities_url(fremont)
    assert Residency.objects.filter(user=person, neighbourhood=fremont).exists()


def test_a_priority_page_shows_its_plan_updates_and_outcome(client, fremont, fremont_officer):
    priority = PriorityFactory(
        cycle=CycleFactory(neighbourhood=fremont, phase="closed"),
        status=PriorityStatus.DELIVERED,
        action_plan="Speed checks",
        action_owner="Sgt Ruiz",
        action_due_on=datetime.date(2025, 6, 1),
        adopted_at=timezone.now(),
        outcome="Speeds fell",
        closed_at=timezone.now(),
    )
    PriorityUpdate.objects.create(priority=priority, text="Two checks done", author=fremont_officer)
    page = client.get(reverse("voice:priority", kwargs={"priority_id": priority.pk})).content
    for text in (b"Speed checks", b"Sgt Ruiz", b"Two checks done", b"Speeds fell"):
        assert text in page
    assert client.get(reverse("voice:priority", kwargs={"priority_id": 999})).status_code == 404


def test_you_said_we_did_shows_outcomes_and_reasons_in_constant_queries(
    client, fremont, fremont_officer, django_assert_max_num_queries
):
    cycle = CycleFactory(neighbourhood=fremont, phase="closed")
    url = _priorities_url(fremont, "voice:you_said_we_did")

    def add(n):
        priority = PriorityFactory(
            cycle=cycle,
            title=f"Adopted {n}",
            status=PriorityStatus.ADOPTED,
            action_plan="Plan",
            action_owner="Team",
            adopted_at=timezone.now(),
        )
        PriorityUpdate.objects.create(priority=priority, text=f"Update {n}", author=fremont_officer)
        PriorityFactory(
            cycle=cycle, status=PriorityStatus.NOT_ADOPTED, decision_reason=f"Reason {n}"
        )

    add(0)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for n in range(1, 6):
        add(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Adopted 5" in page
    assert "Update 5" in page
    assert "Reason 5" in page


# --- the team's pages ---------------------------------------------------------------------


def _cycle_form(**change):
    today = timezone.localdate()
    return {
        "title": "Summer",
        "starts_on": today.isoformat(),
        "voting_opens_on": (today + datetime.timedelta(days=14)).isoformat(),
        "voting_closes_on": (today + datetime.timedelta(days=28)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=90)).isoformat(),
        "votes_per_person": "3",
        "max_adopted": "2",
        **change,
    }


def test_the_team_creates_a_cycle_and_bad_dates_are_named(client, fremont, fremont_officer):
    _signed_in(client, fremont_officer)
    url = _priorities_url(fremont, "voice:manage_cycles")
    response = client.post(url, _cycle_form(ends_on=timezone.localdate().isoformat()))
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"]
    assert not Cycle.objects.exists()
    response = client.post(url, _cycle_form())
    cycle = Cycle.objects.get()
    assert response["Location"] == reverse("voice:manage_cycle", kwargs={"cycle_id": cycle.pk})
    assert cycle.max_adopted == 2


def test_the_team_adds_a_candidate_counts_hands_and_verifies_a_residency(
    client, fremont, fremont_officer
):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    meeting = meeting_of(fremont, timezone.localdate())
    residency = ResidencyFactory(neighbourhood=fremont)
    _signed_in(client, fremont_officer)

    def act(action, data):
        url = reverse("voice:manage_cycle_action", kwargs={"cycle_id": cycle.pk, "action": action})
        return client.post(url, data)

    response = act("candidate", {"title": "Burglaries", "source": "crime_data"})
    assert response.status_code == 400
    assert response.context["bound_form"].errors["source_reference"]
    assert (
        act(
            "candidate",
            {"title": "Burglaries", "source": "crime_data", "source_reference": "Burglary, Q1"},
        ).status_code
        == 302
    )
    priority = Priority.objects.get(source=PrioritySource.CRIME_DATA)
    response = act("meeting-votes", {"priority": priority.pk, "meeting": meeting.pk, "count": 9})
    assert response.status_code == 302
    assert Vote.objects.get().count == 9
    assert act("verify", {"residency": residency.pk}).status_code == 302
    residency.refresh_from_db()
    assert residency.verified_by == fremont_officer
    assert act("explode", {}).status_code == 404


def test_the_manage_cycle_page_lists_candidates_in_constant_queries(
    client, fremont, fremont_officer, django_assert_max_num_queries
):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    url = reverse("voice:manage_cycle", kwargs={"cycle_id": cycle.pk})
    _signed_in(client, fremont_officer)
    PriorityFactory(cycle=cycle)
    ResidencyFactory(neighbourhood=fremont)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _n in range(10):
        OnlineVoteFactory(priority=PriorityFactory(cycle=cycle))
        ResidencyFactory(neighbourhood=fremont)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_team_adopts_updates_and_closes_a_priority(client, fremont, fremont_officer):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="deciding"))
    _signed_in(client, fremont_officer)

    def act(action, data):
        url = reverse(
            "voice:manage_priority_action", kwargs={"priority_id": priority.pk, "action": action}
        )
        return client.post(url, data)

    response = act("adopt", {"action_plan": "Checks", "action_owner": "Sgt Ruiz"})
    assert response.status_code == 400
    assert response.context["bound_form"].errors["action_due_on"]
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert (
        act(
            "adopt", {"action_plan": "Checks", "action_owner": "Sgt Ruiz", "action_due_on": due}
        ).status_code
        == 302
    )
    assert act("update", {"text": "First checks done"}).status_code == 302
    response = act("close", {"status": "delivered", "outcome": ""})
    assert response.status_code == 400
    assert act("close", {"status": "delivered", "outcome": "Speeds fell"}).status_code == 302
    priority.refresh_from_db()
    assert (priority.status, priority.outcome) == (PriorityStatus.DELIVERED, "Speeds fell")
    response = act("update", {"text": "Late"})
    assert response.status_code == 409
    assert PriorityUpdate.objects.count() == 1


def test_a_look_at_the_residents_to_confirm_is_audited(client, fremont, fremont_officer):
    from beatbridge.audit.models import AuditEntry

    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    url = reverse("voice:manage_cycle", kwargs={"cycle_id": cycle.pk})
    _signed_in(client, fremont_officer)
    client.get(url)
    assert not AuditEntry.objects.filter(action="cycle.residencies_viewed").exists()
    ResidencyFactory(neighbourhood=fremont)
    client.get(url)
    entry = AuditEntry.objects.get(action="cycle.residencies_viewed")
    assert (entry.actor, entry.target_id) == (fremont_officer, str(cycle.pk))
