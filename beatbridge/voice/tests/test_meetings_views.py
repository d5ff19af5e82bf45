"""Meeting pages: who may open and post what, and what the pages show and do."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.voice.models import (
    ActionItem,
    Meeting,
    QuestionVote,
    Registration,
    RegistrationStatus,
)
from beatbridge.voice.tests.factories_meetings import (
    ActionItemFactory,
    MeetingFactory,
    PastMeetingFactory,
    QuestionFactory,
    RaisedConcernFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(fremont):
    return MeetingFactory(neighbourhoods=[fremont], title="Fremont beat meeting")


@pytest.fixture
def past_meeting(fremont):
    return PastMeetingFactory(neighbourhoods=[fremont], title="Last month's meeting")


@pytest.fixture
def users(force, fremont_officer):
    return {
        "anonymous": None,
        "resident": UserFactory(),
        "other_officer": TeamAssignmentFactory(officer__force=force).officer.user,
        "team": fremont_officer,
        "supervisor": OfficerProfileFactory(force=force, supervisor=True).user,
        "admin": AdministratorFactory(),
    }


def _as(client, users, who):
    if users[who] is not None:
        client.force_login(users[who])
    return client


TEAM_PAGES = {
    "manage_meetings": lambda m: reverse(
        "voice:manage_meetings", kwargs={"force": "seattle", "code": "N-FRE"}
    ),
    "create_meeting": lambda m: reverse(
        "voice:create_meeting", kwargs={"force": "seattle", "code": "N-FRE"}
    ),
    "create_series": lambda m: reverse(
        "voice:create_series", kwargs={"force": "seattle", "code": "N-FRE"}
    ),
    "manage_meeting": lambda m: reverse("voice:manage_meeting", kwargs={"pk": m.pk}),
    "edit_meeting": lambda m: reverse("voice:edit_meeting", kwargs={"pk": m.pk}),
}
EXPECTED_TEAM_STATUS = {
    "anonymous": 302,
    "resident": 403,
    "other_officer": 403,
    "team": 200,
    "supervisor": 200,
    "admin": 200,
}


@pytest.mark.parametrize("page", TEAM_PAGES)
@pytest.mark.parametrize("who", EXPECTED_TEAM_STATUS)
def test_team_pages_open_for_the_team_supervisors_and_admins_only(
    client, users, meeting, page, who
):
    response = _as(client, users, who).get(TEAM_PAGES[page](meeting))
    assert response.status_code == EXPECTED_TEAM_STATUS[who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("who", EXPECTED_TEAM_STATUS)
def test_team_actions_post_for_the_team_only(client, users, past_meeting, who):
    url = reverse("voice:meeting_action", kwargs={"pk": past_meeting.pk, "action": "concern-add"})
    response = _as(client, users, who).post(url, {"text": "Speeding on 36th"})
    assert (
        response.status_code
        == {**EXPECTED_TEAM_STATUS, "team": 302, "supervisor": 302, "admin": 302}[who]
    )
    assert past_meeting.concerns.count() == (
        1 if response.status_code == 302 and who != "anonymous" else 0
    )


@pytest.mark.parametrize("who", EXPECTED_TEAM_STATUS)
def test_public_pages_open_for_everyone(client, users, meeting, past_meeting, who):
    client = _as(client, users, who)
    listing = client.get(reverse("voice:meetings", kwargs={"force": "seattle", "code": "N-FRE"}))
    assert listing.status_code == 200
    assert listing.context["upcoming"] == [meeting]
    assert list(listing.context["page"].object_list) == [past_meeting]
    assert client.get(reverse("voice:meeting", kwargs={"pk": meeting.pk})).status_code == 200


def test_unknown_meetings_and_neighbourhoods_are_404(client, fremont):
    assert client.get(reverse("voice:meeting", kwargs={"pk": 999})).status_code == 404
    url = reverse("voice:meetings", kwargs={"force": "seattle", "code": "N-NOPE"})
    assert client.get(url).status_code == 404


def test_the_list_shows_times_in_the_sites_time_zone(client, fremont, settings):
    start = datetime.datetime(2030, 7, 9, 2, 0, tzinfo=datetime.UTC)  # 19:00 on the 8th in Seattle
    MeetingFactory(
        neighbourhoods=[fremont], starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    response = client.get(reverse("voice:meetings", kwargs={"force": "seattle", "code": "N-FRE"}))
    content = response.content.decode()
    assert "July 8, 2030" in content
    assert "7 p.m." in content
    assert "PDT" in content


def test_the_list_reads_in_a_constant_number_of_queries(client, fremont, django_assert_num_queries):
    for _ in range(3):
        MeetingFactory(neighbourhoods=[fremont])
        PastMeetingFactory(neighbourhoods=[fremont])
    url = reverse("voice:meetings", kwargs={"force": "seattle", "code": "N-FRE"})
    client.get(url)
    with django_assert_num_queries(6) as captured:
        client.get(url)
    for _ in range(5):
        MeetingFactory(neighbourhoods=[fremont])
        PastMeetingFactory(neighbourhoods=[fremont])
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url)


def test_the_meeting_page_shows_details_agenda_and_questions(client, meeting, fremont):
    meeting.languages, meeting.interpretation, meeting.childcare = ["en"], ["so"], True
    meeting.accessibility = "Step-free entrance on 35th."
    meeting.save()
    QuestionFactory(meeting=meeting, text="Will there be more patrols?")
    QuestionFactory(meeting=meeting, text="Hidden abuse", is_hidden=True)
    ActionItemFactory(meeting=PastMeetingFactory(neighbourhoods=[fremont]), text="Fix the lights")
    content = client.get(reverse("voice:meeting", kwargs={"pk": meeting.pk})).content.decode()
    for text in (
        "Step-free entrance on 35th.",
        "Somali",
        "Provided",
        "Will there be more patrols?",
        "Fix the lights",
    ):
        assert text in content
    assert "Hidden abuse" not in content


def test_the_meeting_page_reads_in_a_constant_number_of_queries(
    client, meeting, fremont, django_assert_num_queries
):
    url = reverse("voice:meeting", kwargs={"pk": meeting.pk})
    QuestionFactory(meeting=meeting)
    client.get(url)
    with django_assert_num_queries(10) as captured:
        client.get(url)
    for _ in range(4):
        QuestionFactory(meeting=meeting)
        ActionItemFactory(meeting=PastMeetingFactory(neighbourhoods=[fremont]))
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url)


def test_a_resident_asks_and_supports_a_question(client, meeting):
    resident = UserFactory()
    client.force_login(resident)
    response = client.post(
        reverse("voice:meeting_ask", kwargs={"pk": meeting.pk}), {"text": "Speeding?"}
    )
    assert response.status_code == 302
    question = meeting.questions.get()
    url = reverse("voice:question_upvote", kwargs={"pk": meeting.pk, "question_id": question.pk})
    client.post(url)
    client.post(url)
    assert QuestionVote.objects.filter(question=question, voter=resident).count() == 1
    page = client.get(reverse("voice:meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert "Withdraw your support" in page
    client.post(
        reverse(
            "voice:question_withdraw_upvote", kwargs={"pk": meeting.pk, "question_id": question.pk}
        )
    )
    assert not QuestionVote.objects.exists()


def test_an_empty_question_comes_back_with_the_field_named(client, meeting):
    client.force_login(UserFactory())
    response = client.post(reverse("voice:meeting_ask", kwargs={"pk": meeting.pk}), {"text": " "})
    assert response.status_code == 400
    assert response.context["question_form"].errors["text"]
    assert not meeting.questions.exists()


def test_anonymous_visitors_are_sent_to_sign_in_to_ask_or_support(client, meeting):
    question = QuestionFactory(meeting=meeting)
    for url in (
        reverse("voice:meeting_ask", kwargs={"pk": meeting.pk}),
        reverse("voice:question_upvote", kwargs={"pk": meeting.pk, "question_id": question.pk}),
    ):
        response = client.post(url, {"text": "Hi"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert meeting.questions.count() == 1
    assert not QuestionVote.objects.exists()


def test_a_hidden_question_or_one_of_another_meeting_cannot_be_supported(client, meeting):
    client.force_login(UserFactory())
    hidden = QuestionFactory(meeting=meeting, is_hidden=True)
    elsewhere = QuestionFactory()
    for question in (hidden, elsewhere):
        url = reverse(
            "voice:question_upvote", kwargs={"pk": meeting.pk, "question_id": question.pk}
        )
        assert client.post(url).status_code == 404
    assert not QuestionVote.objects.exists()


def test_someone_without_an_account_registers_with_an_email_address(client, meeting):
    url = reverse("voice:meeting_register", kwargs={"pk": meeting.pk})
    response = client.post(url, {"email": "sam@example.org", "name": "Sam"})
    assert response.status_code == 302
    assert Registration.objects.get().email == "sam@example.org"
    bad = client.post(url, {"email": "not an address"})
    assert bad.status_code == 400
    assert bad.context["register_form"].errors
    assert Registration.objects.count() == 1


def test_a_signed_in_resident_registers_with_one_click(client, meeting):
    resident = UserFactory()
    client.force_login(resident)
    client.post(reverse("voice:meeting_register", kwargs={"pk": meeting.pk}))
    assert Registration.objects.get().user == resident
    page = client.get(reverse("voice:meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert "You are registered." in page


def test_registration_past_capacity_joins_the_waiting_list(client, meeting):
    meeting.capacity = 1
    meeting.save()
    url = reverse("voice:meeting_register", kwargs={"pk": meeting.pk})
    client.post(url, {"email": "first@example.org"})
    client.post(url, {"email": "second@example.org"})
    assert Registration.objects.get(email="second@example.org").status == RegistrationStatus.WAITING


def test_a_cancelled_meeting_takes_no_registration_or_question(client, meeting):
    meeting.is_cancelled, meeting.cancellation_reason = True, "Flooded hall"
    meeting.save()
    page = client.get(reverse("voice:meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert "Flooded hall" in page
    response = client.post(
        reverse("voice:meeting_register", kwargs={"pk": meeting.pk}), {"email": "a@example.org"}
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


# --- the team's pages ---------------------------------------------------------------------


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_team_schedules_a_meeting_from_the_form(client, fremont_officer, fremont):
    client.force_login(fremont_officer)
    url = reverse("voice:create_meeting", kwargs={"force": "seattle", "code": "N-FRE"})
    data = {
        "kind": "beat",
        "title": "Spring meeting",
        "starts_at": _when(in_days(5)),
        "ends_at": _when(in_days(5, hour=21)),
        "venue_name": "Fremont Library",
        "languages": "en, es",
        "interpretation": "so",
    }
    response = client.post(url, data)
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("voice:manage_meeting", kwargs={"pk": meeting.pk})
    assert (meeting.languages, meeting.starts_at) == (["en", "es"], in_days(5))


def test_a_meeting_in_the_past_comes_back_with_the_field_named(client, fremont_officer):
    client.force_login(fremont_officer)
    url = reverse("voice:create_meeting", kwargs={"force": "seattle", "code": "N-FRE"})
    response = client.post(
        url,
        {
            "kind": "beat",
            "title": "Too late",
            "starts_at": _when(in_days(-3)),
            "ends_at": _when(in_days(-3, hour=21)),
            "venue_name": "Library",
        },
    )
    assert response.status_code == 400
    assert "starts_at" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_bad_language_codes_are_named_on_their_field(client, fremont_officer):
    client.force_login(fremont_officer)
    url = reverse("voice:create_meeting", kwargs={"force": "seattle", "code": "N-FRE"})
    response = client.post(
        url,
        {
            "kind": "beat",
            "title": "x",
            "starts_at": _when(in_days(3)),
            "ends_at": _when(in_days(3, hour=21)),
            "venue_name": "Library",
            "languages": "english!",
        },
    )
    assert "languages" in response.context["form"].errors


def test_the_team_schedules_a_series_from_the_form(client, fremont_officer):
    client.force_login(fremont_officer)
    url = reverse("voice:create_series", kwargs={"force": "seattle", "code": "N-FRE"})
    response = client.post(
        url,
        {
            "kind": "beat",
            "title": "Monthly beat meeting",
            "venue_name": "Library",
            "week_of_month": "2",
            "weekday": "2",
            "start_time": "19:00",
            "duration_minutes": "90",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.count() >= 12


def test_the_team_edits_a_meeting_from_the_form(client, fremont_officer, meeting):
    client.force_login(fremont_officer)
    url = reverse("voice:edit_meeting", kwargs={"pk": meeting.pk})
    initial = client.get(url).context["form"].initial
    data = {
        key: value for key, value in initial.items() if value is not None and value is not False
    }
    client.post(url, {**data, "title": "Renamed"})
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"


def test_the_team_moves_and_cancels_from_the_meeting_page(client, fremont_officer, meeting):
    client.force_login(fremont_officer)
    move = reverse("voice:meeting_action", kwargs={"pk": meeting.pk, "action": "move"})
    response = client.post(move, {"starts_at": _when(in_days(9)), "ends_at": _when(in_days(9, 21))})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == in_days(9)
    cancel = reverse("voice:meeting_action", kwargs={"pk": meeting.pk, "action": "cancel"})
    refused = client.post(cancel, {"reason": ""})
    assert refused.status_code == 400
    assert refused.context["bound"].errors["reason"]
    client.post(cancel, {"reason": "Hall flooded"})
    meeting.refresh_from_db()
    assert meeting.is_cancelled


def test_the_team_records_minutes_attendance_and_action_items(
    client, fremont_officer, past_meeting
):
    client.force_login(fremont_officer)

    def act(action, data):
        url = reverse("voice:meeting_action", kwargs={"pk": past_meeting.pk, "action": action})
        return client.post(url, data)

    assert act("attendance", {"in_person": "30", "online": "4"}).status_code == 302
    assert (
        act("minutes", {"raised": "Speeding", "answered": "", "decided": "Survey"}).status_code
        == 302
    )
    assert (
        act(
            "action-add", {"text": "Speed survey", "owner": "SDOT", "due_on": "2099-01-31"}
        ).status_code
        == 302
    )
    item = ActionItem.objects.get()
    refused = act("action-close", {"item": item.pk, "outcome": ""})
    assert refused.status_code == 400
    assert act("action-close", {"item": item.pk, "outcome": "Done"}).status_code == 302
    assert act("attendee-add", {"name": "Pat", "consented": ""}).status_code == 400
    assert act("attendee-add", {"name": "Pat", "consented": "on"}).status_code == 302
    past_meeting.refresh_from_db()
    assert past_meeting.minutes_decided == "Survey"
    public = client.get(reverse("voice:meeting", kwargs={"pk": past_meeting.pk})).content.decode()
    assert "Survey" in public and "Speed survey" in public and "Done" in public
    assert "Pat" not in public


def test_an_item_of_another_meeting_is_404(client, fremont_officer, past_meeting):
    client.force_login(fremont_officer)
    elsewhere = ActionItemFactory()
    url = reverse("voice:meeting_action", kwargs={"pk": past_meeting.pk, "action": "action-close"})
    assert client.post(url, {"item": elsewhere.pk, "outcome": "Done"}).status_code == 404
    assert ActionItem.objects.get().is_open


def test_an_unknown_action_is_404(client, fremont_officer, past_meeting):
    client.force_login(fremont_officer)
    url = reverse("voice:meeting_action", kwargs={"pk": past_meeting.pk, "action": "explode"})
    assert client.post(url).status_code == 404


def test_the_team_turns_a_concern_into_a_report(
    client, fremont_officer, past_meeting, street_light
):
    client.force_login(fremont_officer)
    concern = RaisedConcernFactory(meeting=past_meeting)
    url = reverse(
        "voice:meeting_action", kwargs={"pk": past_meeting.pk, "action": "concern-report"}
    )
    assert client.post(url, {"item": concern.pk}).status_code == 400
    assert client.post(url, {"item": concern.pk, "category": street_light.pk}).status_code == 302
    concern.refresh_from_db()
    assert concern.report_reference


def test_without_a_cycle_the_concern_to_priority_form_says_why(
    client, fremont_officer, past_meeting
):
    client.force_login(fremont_officer)
    concern = RaisedConcernFactory(meeting=past_meeting)
    url = reverse(
        "voice:meeting_action", kwargs={"pk": past_meeting.pk, "action": "concern-priority"}
    )
    response = client.post(url, {"item": concern.pk})
    assert response.status_code == 400
    assert "no priority cycle" in response.content.decode()


def test_the_team_page_reads_in_a_constant_number_of_queries(
    client, fremont_officer, past_meeting, django_assert_num_queries
):
    client.force_login(fremont_officer)
    url = reverse("voice:manage_meeting", kwargs={"pk": past_meeting.pk})
    client.get(url)
    # 16 for the page, one for the header's unread alerts.
    with django_assert_num_queries(17) as captured:
        client.get(url)
    for _ in range(3):
        QuestionFactory(meeting=past_meeting)
        RaisedConcernFactory(meeting=past_meeting)
        ActionItemFactory(meeting=past_meeting)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url)
