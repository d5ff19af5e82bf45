"""The residents' and public pages of reports: who may see what, and what each form does."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square
from beatbridge.reports import services, views
from beatbridge.reports.models import (
    GuardrailTrigger,
    Report,
    ReportKind,
    ReportPhoto,
    ReportUpdate,
    Status,
    UpdateKind,
)
from beatbridge.reports.services import (
    Place,
    add_note,
    hash_follow_up_code,
    post_public_update,
    submit_report,
)
from beatbridge.reports.tests.factories import (
    CategoryFactory,
    CategoryQuestionFactory,
    ReportFactory,
    ReportUpdateFactory,
)

pytestmark = pytest.mark.django_db

CONCERN_URL = reverse("reports:concern")
SUSPICIOUS_URL = reverse("reports:suspicious")
TIP_URL = reverse("reports:tip")
FOLLOW_UP_URL = reverse("reports:follow_up")
FREMONT = {"force": "seattle", "neighbourhood": "N-FRE"}
# Inside Fremont (conftest: the 0.01° square from -122.35, 47.65); snapped for the public.
EXACT_LATITUDE, EXACT_LONGITUDE = "47.6551234", "-122.3451234"
BEHAVIOUR = "He tried the door handles of three parked cars, one after another."


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def resident():
    return UserFactory(full_name="Rosa Resident")


@pytest.fixture
def other_resident():
    return UserFactory()


@pytest.fixture
def graffiti(force):
    return CategoryFactory(
        force=force,
        code="graffiti",
        name="Graffiti",
        group="Streets",
        translations={"es": {"name": "Pintadas", "group": "Calles"}},
    )


@pytest.fixture
def prowler(force):
    return CategoryFactory(
        force=force, code="prowler", name="Someone trying doors", suspicious=True
    )


def photo_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def concern(**overrides: object) -> dict[str, object]:
    """A concern's POST data: a pin in Fremont, a description, a fresh submission key."""
    return {
        **FREMONT,
        "category": "street-light",
        "submission_key": str(uuid.uuid4()),
        "description": "The street light by the bus stop is out; the corner is dark.",
        "latitude": EXACT_LATITUDE,
        "longitude": EXACT_LONGITUDE,
        **overrides,
    }


def suspicious(**overrides: object) -> dict[str, object]:
    return concern(
        **{
            "category": "prowler",
            "behaviour": BEHAVIOUR,
            "seen_at": "Tonight about 11 pm",
            "direction": "North on Fremont Ave",
            "vehicle": "On foot",
            "description": "Tall, dark jacket.",
            **overrides,
        }
    )


def text(response) -> str:
    return response.content.decode()


def fremont_report(fremont, category, **fields) -> Report:
    return ReportFactory(
        neighbourhood=fremont,
        category=category,
        latitude=float(EXACT_LATITUDE),
        longitude=float(EXACT_LONGITUDE),
        **fields,
    )


def anonymous_tip(fremont, category, key: str = "tip-key") -> tuple[Report, str]:
    result = submit_report(
        kind=ReportKind.TIP,
        category=category,
        description="Packages are handed over at the corner every evening.",
        place=Place(address="Corner of 35th and Fremont", neighbourhood=fremont),
        source="web",
        submission_key=key,
    )
    return result.report, result.follow_up_code


# --- who may open which page ----------------------------------------------------------------


@pytest.fixture
def users(resident, other_resident, fremont_officer):
    return {
        "anonymous": None,
        "reporter": resident,
        "other resident": other_resident,
        "officer": fremont_officer,
    }


PAGES = {
    # name: (URL maker, {role: status})
    "start": (
        lambda r: reverse("reports:start"),
        dict.fromkeys(["anonymous", "reporter", "other resident", "officer"], 200),
    ),
    "concern": (
        lambda r: CONCERN_URL,
        dict.fromkeys(["anonymous", "reporter", "other resident", "officer"], 200),
    ),
    "tip": (
        lambda r: TIP_URL,
        dict.fromkeys(["anonymous", "reporter", "other resident", "officer"], 200),
    ),
    "follow up": (
        lambda r: FOLLOW_UP_URL,
        dict.fromkeys(["anonymous", "reporter", "other resident", "officer"], 200),
    ),
    "my reports": (
        lambda r: reverse("reports:mine"),
        {"anonymous": 302, "reporter": 200, "other resident": 200, "officer": 200},
    ),
    "my report": (
        lambda r: reverse("reports:mine_detail", kwargs={"reference": r.reference}),
        {"anonymous": 302, "reporter": 200, "other resident": 404, "officer": 404},
    ),
    "private report's public page": (
        lambda r: reverse("reports:public_detail", kwargs={"reference": r.reference}),
        {"anonymous": 404, "reporter": 200, "other resident": 404, "officer": 200},
    ),
    "public list": (
        lambda r: reverse("reports:public_list", kwargs={"force": "seattle", "code": "N-FRE"}),
        dict.fromkeys(["anonymous", "reporter", "other resident", "officer"], 200),
    ),
}


@pytest.mark.parametrize("role", ["anonymous", "reporter", "other resident", "officer"])
@pytest.mark.parametrize("page", list(PAGES))
def test_who_may_open_each_page(client: Client, users, fremont, street_light, page, role):
    report = fremont_report(fremont, street_light, reporter=users["reporter"], is_private=True)
    make_url, expected = PAGES[page]
    if users[role] is not None:
        client.force_login(users[role])

    response = client.get(make_url(report))

    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert response["Location"].startswith(reverse("accounts:sign-in"))


# --- the start page and the emergency note --------------------------------------------------


def test_every_reporting_page_says_first_how_to_reach_emergency_services(
    client: Client, fremont, street_light, settings
):
    settings.EMERGENCY_NUMBER = "112"
    for url in (reverse("reports:start"), CONCERN_URL, SUSPICIOUS_URL, TIP_URL, FOLLOW_UP_URL):
        content = text(client.get(url, FREMONT))
        main = content[content.index("<main") :]

        assert main.index("In an emergency, call 112 now.") < main.index("<h1"), url
        assert "not monitored around the clock" in main, url


def test_the_emergency_note_gives_the_forces_non_emergency_number(client: Client, fremont):
    content = text(client.get(reverse("reports:start"), FREMONT))

    assert 'href="tel:206-625-5011"' in content


def test_the_start_page_offers_three_ways_keeping_the_neighbourhood(client: Client, fremont):
    content = text(client.get(reverse("reports:start"), FREMONT))

    for url in (CONCERN_URL, SUSPICIOUS_URL, TIP_URL):
        assert f'href="{url}?force=seattle&amp;neighbourhood=N-FRE"' in content


def test_site_navigation_and_the_neighbourhood_page_link_to_reporting(client: Client, fremont):
    content = text(client.get(reverse("places:neighbourhood", args=["seattle", "N-FRE"])))

    assert f'href="{reverse("reports:start")}"' in content
    assert f'href="{CONCERN_URL}?force=seattle&amp;neighbourhood=N-FRE"' in content
    assert f'href="{TIP_URL}?force=seattle&amp;neighbourhood=N-FRE"' in content
    assert f'href="{reverse("reports:public_list", args=["seattle", "N-FRE"])}"' in content


# --- choosing the force and the category -----------------------------------------------------


def test_with_several_forces_and_no_neighbourhood_the_form_asks_where_first(
    client: Client, fremont, street_light
):
    ForceFactory(slug="tacoma", name="Tacoma Police")

    response = client.get(CONCERN_URL)

    assert response.status_code == 200
    assert "Where is it?" in text(response)
    assert f'href="{CONCERN_URL}?force=tacoma"' in text(response)
    assert 'name="description"' not in text(response)


def test_categories_are_the_neighbourhoods_forces_grouped_and_translated(
    client: Client, fremont, street_light, graffiti
):
    other_force = ForceFactory(slug="tacoma")
    CategoryFactory(force=other_force, code="tacoma-only", name="Only in Tacoma")
    CategoryFactory(force=fremont.force, code="old", name="Retired category", is_active=False)

    english = text(client.get(CONCERN_URL, FREMONT))
    spanish = text(client.get(CONCERN_URL, FREMONT, headers={"Accept-Language": "es"}))

    assert "<legend>Streets</legend>" in english
    assert 'value="street-light"' in english and 'value="graffiti"' in english
    assert "Only in Tacoma" not in english and "Retired category" not in english
    assert "<legend>Calles</legend>" in spanish and "Pintadas" in spanish


def test_a_preset_point_chooses_its_neighbourhood_and_fills_in_the_place(
    client: Client, fremont, street_light
):
    ForceFactory(slug="tacoma")

    content = text(client.get(CONCERN_URL, {"lat": EXACT_LATITUDE, "lng": EXACT_LONGITUDE}))

    assert 'name="neighbourhood" value="N-FRE"' in content
    assert f'value="{EXACT_LATITUDE}"' in content


@pytest.mark.parametrize(
    "query",
    [
        {"lat": "abc", "lng": "nan"},
        {"lat": "95", "lng": "-122.3"},
        {"force": "nowhere", "neighbourhood": "N-FRE"},
        {"force": "seattle", "neighbourhood": "no-such-place"},
        {"force": "../../etc", "neighbourhood": "x" * 500},
    ],
)
def test_bad_presets_are_ignored_not_an_error(client: Client, fremont, street_light, query):
    response = client.get(CONCERN_URL, query)

    assert response.status_code == 200
    assert 'name="description"' in text(response)


def test_an_unknown_category_is_refused_with_the_choice_again(
    client: Client, fremont, street_light, graffiti
):
    shown = client.get(CONCERN_URL, {**FREMONT, "category": "no-such-thing"})
    posted = client.post(CONCERN_URL, concern(category="no-such-thing"))

    for response in (shown, posted):
        assert response.status_code == 400
        assert "That category does not exist" in text(response)
    assert Report.staff_objects.count() == 0


def test_a_concern_form_offers_no_suspicious_activity_category(
    client: Client, fremont, street_light, prowler
):
    response = client.post(CONCERN_URL, concern(category="prowler"))

    assert response.status_code == 400
    assert Report.staff_objects.count() == 0


def test_each_question_is_asked_in_the_shape_of_its_answer(client: Client, fremont, street_light):
    for code, datatype, markup in [
        ("sides", "multivaluelist", 'type="checkbox" name="attribute[sides]" value="n"'),
        ("lamp", "singlevaluelist", 'type="radio" name="attribute[lamp]" value="n"'),
        ("poles", "number", 'type="number" name="attribute[poles]" step="any"'),
        ("since", "datetime", 'type="datetime-local" name="attribute[since]"'),
        ("notes", "text", '<textarea name="attribute[notes]"'),
    ]:
        CategoryQuestionFactory(
            category=street_light,
            code=code,
            datatype=datatype,
            choices=[{"key": "n", "name": "North"}, {"key": "s", "name": "South"}],
        )
        content = text(client.get(CONCERN_URL, {**FREMONT, "category": "street-light"}))

        assert markup in content, datatype


# --- filing a concern -----------------------------------------------------------------------


def test_a_signed_out_resident_files_a_concern_and_sees_the_code_in_the_answer(
    client: Client, fremont, street_light
):
    response = client.post(
        CONCERN_URL,
        concern(name="Rosa", email="Rosa@Example.org", phone="206 555 0199", is_private="on"),
    )

    assert response.status_code == 200
    report = Report.staff_objects.get()
    assert (report.kind, report.neighbourhood, report.reporter) == ("concern", fremont, None)
    assert (report.contact_name, report.contact_email) == ("Rosa", "rosa@example.org")
    assert report.is_private is True
    assert report.reference in text(response)
    code = text(response).split('translate="no"><strong>')[1].split("<")[0]
    assert hash_follow_up_code(code) == report.follow_up_code_hash
    assert "Write this code down" in text(response)


def test_the_follow_up_code_is_never_in_a_url(client: Client, fremont, street_light):
    response = client.post(CONCERN_URL, concern())

    assert not response.has_header("Location")
    assert "no-store" in response["Cache-Control"]


def test_a_signed_in_resident_is_the_reporter_and_is_not_asked_for_contact(
    client: Client, fremont, street_light, resident
):
    client.force_login(resident)

    form = text(client.get(CONCERN_URL, {**FREMONT, "category": "street-light"}))
    response = client.post(CONCERN_URL, concern())

    assert 'name="email"' not in form
    report = Report.staff_objects.get()
    assert report.reporter == resident
    assert report.follow_up_code_hash is None
    assert "Your follow-up code" not in text(response)
    assert reverse("reports:mine_detail", args=[report.reference]) in text(response)


def test_the_answers_photos_and_language_are_stored(client: Client, fremont, street_light):
    CategoryQuestionFactory(
        category=street_light,
        code="sides",
        datatype="multivaluelist",
        choices=[{"key": "n", "name": "North"}, {"key": "s", "name": "South"}],
    )
    data = concern(**{"attribute[sides]": ["s", "n"], "attribute[pole-number]": "P-14"})
    data["photos"] = [photo_upload("one.jpg"), photo_upload("two.jpg")]

    response = client.post(CONCERN_URL, data, headers={"Accept-Language": "es"})

    assert response.status_code == 200
    report = Report.staff_objects.get()
    assert report.answers == {"sides": ["n", "s"], "pole-number": "P-14"}
    assert ReportPhoto.objects.filter(report=report).count() == 2
    assert report.language == "es"


def test_an_address_alone_files_the_report_in_the_neighbourhood_it_came_from(
    client: Client, fremont, street_light
):
    response = client.post(CONCERN_URL, concern(latitude="", longitude="", address="By the troll"))

    assert response.status_code == 200
    assert Report.staff_objects.get().neighbourhood == fremont


def test_pressing_send_twice_makes_one_report_with_one_code(client: Client, fremont, street_light):
    data = concern()

    first = client.post(CONCERN_URL, data)
    second = client.post(CONCERN_URL, data)

    assert Report.staff_objects.count() == 1
    code = text(first).split('translate="no"><strong>')[1].split("<")[0]
    assert code in text(second)


def test_a_reused_key_for_different_content_is_409_with_a_fresh_key(
    client: Client, fremont, street_light
):
    data = concern()
    client.post(CONCERN_URL, data)

    response = client.post(CONCERN_URL, {**data, "description": "Something else entirely."})

    assert response.status_code == 409
    assert "already used for a different report" in text(response)
    assert data["submission_key"] not in text(response)
    assert 'name="submission_key" value="' in text(response)
    assert Report.staff_objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"description": "  "}, "id_description", "Enter a description"),
        ({"latitude": "abc"}, "id_latitude", "Enter a number"),
        ({"latitude": "47.6", "longitude": ""}, "id_longitude", "Give both the latitude"),
        ({"email": "not-an-address"}, "id_email", "Enter a valid e-mail address"),
        ({"attribute[pole-number]": "x" * 1001}, "id_attribute[pole-number]", "too long"),
        ({"submission_key": "not-a-uuid"}, "id_submission_key", "Enter a valid UUID"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(
    client: Client, fremont, street_light, overrides, field_id, message
):
    response = client.post(CONCERN_URL, concern(**overrides))

    assert response.status_code == 400
    assert message in text(response)
    assert f'href="#{field_id}"' in text(response)
    assert Report.staff_objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"latitude": "", "longitude": ""}, "Tell us where"),
        ({"latitude": "51.5", "longitude": "-0.12"}, "That place is outside the area"),
    ],
)
def test_a_missing_or_faraway_place_is_shown_on_the_place_fieldset(
    client: Client, fremont, street_light, overrides, message
):
    response = client.post(CONCERN_URL, concern(**overrides))

    assert response.status_code == 400
    assert '<ul class="errorlist" id="place-errors"><li>' + message in text(response)
    assert 'href="#place"' in text(response)


def test_a_required_question_left_unanswered_is_shown_on_that_question(
    client: Client, fremont, street_light
):
    CategoryQuestionFactory(category=street_light, code="height", prompt="How high?", required=True)

    response = client.post(CONCERN_URL, concern())

    assert response.status_code == 400
    assert "Answer the question “How high?”" in text(response)
    assert 'href="#id_attribute[height]"' in text(response)


def test_photos_are_checked_by_content_and_count(client: Client, fremont, street_light, settings):
    not_a_photo = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", "image/jpeg")
    too_many = [photo_upload(f"{n}.jpg") for n in range(6)]
    settings.REPORT_PHOTO_MAX_BYTES = 100

    for photos, message in [
        ([not_a_photo], "not a photo we can accept"),
        (too_many, "at most 5 photos"),
        ([photo_upload()], "larger than"),
    ]:
        response = client.post(CONCERN_URL, {**concern(), "photos": photos})

        assert response.status_code == 400
        assert message in text(response)
        assert 'href="#id_photos"' in text(response)
    assert Report.staff_objects.count() == 0


# --- suspicious activity --------------------------------------------------------------------


def test_the_suspicious_activity_form_asks_what_the_person_did_before_the_description(
    client: Client, fremont, prowler
):
    content = text(client.get(SUSPICIOUS_URL, FREMONT))

    order = [
        content.index(f'name="{name}"')
        for name in ("behaviour", "seen_at", "direction", "vehicle", "description")
    ]
    assert order == sorted(order)


def test_a_report_of_appearance_alone_is_sent_back_on_the_behaviour_field(
    client: Client, fremont, prowler
):
    response = client.post(
        SUSPICIOUS_URL, suspicious(behaviour="He looked out of place in this neighbourhood.")
    )

    assert response.status_code == 400
    content = text(response)
    assert '<div class="guardrail" role="alert"' in content
    guardrail_box = content[content.index('<div class="guardrail"') :]
    assert 'id="id_behaviour_error"' in guardrail_box.split('name="behaviour"')[0]
    assert Report.staff_objects.count() == 0
    assert GuardrailTrigger.objects.count() == 1


def test_suspicious_activity_with_behaviour_is_filed_with_its_details(
    client: Client, fremont, prowler
):
    response = client.post(SUSPICIOUS_URL, suspicious())

    assert response.status_code == 200
    report = Report.staff_objects.get()
    assert report.kind == ReportKind.SUSPICIOUS_ACTIVITY
    assert report.details["behaviour"] == BEHAVIOUR
    assert report.details["direction"] == "North on Fremont Ave"


# --- anonymous tips -------------------------------------------------------------------------


def test_the_tip_form_asks_no_name_and_says_it_is_not_linked_to_an_account(
    client: Client, fremont, street_light, resident
):
    client.force_login(resident)

    content = text(client.get(TIP_URL, {**FREMONT, "category": "street-light"}))

    for name in ("name", "email", "phone", "is_private"):
        assert f'name="{name}"' not in content
    assert "this tip is not linked to your account" in content


def test_a_tip_from_a_signed_in_resident_keeps_no_trace_of_them(
    client: Client, fremont, street_light, resident
):
    client.force_login(resident)
    session_before = dict(client.session.items())

    response = client.post(
        TIP_URL,
        concern(name="Rosa", email="rosa@example.org", phone="555"),
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT="TipsterPhone/1.0",
    )

    assert response.status_code == 200
    tip = Report.staff_objects.get()
    assert (tip.kind, tip.reporter, tip.contact_name, tip.contact_email) == ("tip", None, "", "")
    assert tip.follow_up_code_hash is not None
    assert "Your follow-up code" in text(response)
    assert dict(client.session.items()) == session_before
    stored = str(Report.staff_objects.filter(pk=tip.pk).values().get())
    assert "198.51.100.23" not in stored and "TipsterPhone" not in stored


def test_an_anonymous_tip_starts_no_session(client: Client, fremont, street_light):
    client.post(TIP_URL, concern())

    assert "sessionid" not in client.cookies


def test_a_tip_may_be_about_any_category_of_the_force(
    client: Client, fremont, street_light, prowler
):
    content = text(client.get(TIP_URL, FREMONT))

    assert 'value="street-light"' in content and 'value="prowler"' in content


# --- following up with a code ---------------------------------------------------------------


def test_the_follow_up_form_posts_the_code(client: Client):
    content = text(client.get(FOLLOW_UP_URL))

    assert f'<form method="post" action="{FOLLOW_UP_URL}"' in content
    assert 'name="code"' in content


def test_a_code_opens_the_public_replies_and_never_the_internal_notes(
    client: Client, fremont, street_light, fremont_officer
):
    tip, code = anonymous_tip(fremont, street_light)
    post_public_update(report=tip, by=fremont_officer, text="Thank you, we are patrolling there.")
    add_note(report=tip, by=fremont_officer, text="Internal: matches the 14 May reports.")

    response = client.post(FOLLOW_UP_URL, {"code": code.lower().replace("-", " ")})

    assert response.status_code == 200
    assert tip.reference in text(response)
    assert "Thank you, we are patrolling there." in text(response)
    assert "Internal: matches" not in text(response)
    assert f'<input type="hidden" name="code" value="{code.lower().replace("-", " ")}">' in text(
        response
    )


def test_a_wrong_code_gets_one_plain_message(client: Client, fremont, street_light):
    anonymous_tip(fremont, street_light)

    response = client.post(FOLLOW_UP_URL, {"code": "AAAA-BBBB-CCCC-DDDD"})

    assert response.status_code == 400
    assert "We could not find a report with that code." in text(response)


def test_guessing_codes_is_limited_per_client_and_no_address_is_kept(
    client: Client, fremont, street_light
):
    tip, code = anonymous_tip(fremont, street_light)
    for number in range(services.FOLLOW_UP_GUESSES):
        client.post(FOLLOW_UP_URL, {"code": f"WRONG{number}"}, REMOTE_ADDR="198.51.100.7")

    refused = client.post(FOLLOW_UP_URL, {"code": code}, REMOTE_ADDR="198.51.100.7")
    elsewhere = client.post(FOLLOW_UP_URL, {"code": code}, REMOTE_ADDR="203.0.113.9")

    assert refused.status_code == 429
    assert tip.reference not in text(refused)
    assert elsewhere.status_code == 200
    assert not any("198.51.100.7" in str(key) for key in cache._cache)


def test_a_right_code_is_not_counted_as_a_guess(client: Client, fremont, street_light):
    _tip, code = anonymous_tip(fremont, street_light)
    for _attempt in range(services.FOLLOW_UP_GUESSES + 2):
        response = client.post(FOLLOW_UP_URL, {"code": code})

    assert response.status_code == 200


def test_the_tipster_adds_information_and_a_photo_with_the_code(
    client: Client, fremont, street_light
):
    tip, code = anonymous_tip(fremont, street_light)

    response = client.post(
        FOLLOW_UP_URL,
        {
            "code": code,
            "action": "add",
            "text": "It happened again tonight.",
            "photos": [photo_upload()],
        },
    )

    assert response.status_code == 200
    assert "what you added was sent to the team" in text(response)
    update = ReportUpdate.objects.get(report=tip, kind=UpdateKind.REPORTER)
    assert update.text == "It happened again tonight."
    assert ReportPhoto.objects.filter(report=tip).count() == 1
    assert "sessionid" not in client.cookies


def test_adding_nothing_is_refused_on_the_text(client: Client, fremont, street_light):
    tip, code = anonymous_tip(fremont, street_light)

    response = client.post(FOLLOW_UP_URL, {"code": code, "action": "add", "text": " "})

    assert response.status_code == 400
    assert "Enter what you want to add." in text(response)
    assert not ReportUpdate.objects.filter(report=tip, kind=UpdateKind.REPORTER).exists()


def test_adding_with_a_wrong_code_adds_nothing(client: Client, fremont, street_light):
    tip, _code = anonymous_tip(fremont, street_light)

    response = client.post(FOLLOW_UP_URL, {"code": "AAAA-BBBB", "action": "add", "text": "Sneaky."})

    assert response.status_code == 400
    assert not ReportUpdate.objects.filter(report=tip).exists()


# --- a resident's own reports ---------------------------------------------------------------


def test_my_reports_lists_mine_only_with_their_status(
    client: Client, fremont, street_light, resident, other_resident
):
    mine = fremont_report(fremont, street_light, reporter=resident, status=Status.IN_PROGRESS)
    theirs = fremont_report(fremont, street_light, reporter=other_resident)
    client.force_login(resident)

    content = text(client.get(reverse("reports:mine")))

    assert mine.reference in content and "In progress" in content
    assert theirs.reference not in content


def test_my_reports_take_a_fixed_number_of_queries(
    client: Client, fremont, street_light, resident, django_assert_num_queries
):
    for _number in range(5):
        fremont_report(fremont, street_light, reporter=resident)
    client.force_login(resident)

    # Session, user, count, the page of reports with category and neighbourhood, the
    # header's unread alerts.
    with django_assert_num_queries(5):
        client.get(reverse("reports:mine"))


def test_my_report_shows_public_history_and_my_additions_not_notes(
    client: Client, fremont, street_light, resident, fremont_officer
):
    report = fremont_report(fremont, street_light, reporter=resident)
    post_public_update(report=report, by=fremont_officer, text="A new lamp is ordered.")
    add_note(report=report, by=fremont_officer, text="Internal: chase the city.")
    client.force_login(resident)
    client.post(reverse("reports:mine_detail", args=[report.reference]), {"text": "Still dark."})

    content = text(client.get(reverse("reports:mine_detail", args=[report.reference])))

    assert "A new lamp is ordered." in content
    assert "Still dark." in content
    assert "Internal: chase the city." not in content


def test_adding_to_my_report_returns_to_it_with_a_thank_you(
    client: Client, fremont, street_light, resident
):
    report = fremont_report(fremont, street_light, reporter=resident)
    client.force_login(resident)
    url = reverse("reports:mine_detail", args=[report.reference])

    response = client.post(url, {"text": "The pole number is P-14."}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "what you added is now part of your report" in text(response)
    assert ReportUpdate.objects.filter(report=report, kind=UpdateKind.REPORTER).count() == 1


def test_another_resident_cannot_add_to_my_report(
    client: Client, fremont, street_light, resident, other_resident
):
    report = fremont_report(fremont, street_light, reporter=resident)
    client.force_login(other_resident)

    response = client.post(reverse("reports:mine_detail", args=[report.reference]), {"text": "Hi"})

    assert response.status_code == 404
    assert not ReportUpdate.objects.filter(report=report).exists()


# --- the public list, map and report page ---------------------------------------------------


@pytest.fixture
def mixed_reports(fremont, street_light, prowler, resident):
    """One report the public may see, and one of each kind it may not."""
    sensitive = CategoryFactory(
        force=fremont.force, code="hate", name="Hate incident", sensitive=True
    )
    return {
        "public": fremont_report(
            fremont,
            street_light,
            reporter=resident,
            description="The lamp on 35th is out.",
            contact_name="Rosa Contact",
            contact_email="rosa@example.org",
        ),
        "private": fremont_report(
            fremont, street_light, is_private=True, description="Private one."
        ),
        "sensitive": fremont_report(fremont, sensitive, description="Sensitive one."),
        "tip": fremont_report(fremont, street_light, kind=ReportKind.TIP, description="A tip."),
        "suspicious": fremont_report(
            fremont, prowler, kind=ReportKind.SUSPICIOUS_ACTIVITY, description="Suspicious one."
        ),
    }


def test_the_public_list_shows_public_concerns_only_without_reporter_or_exact_place(
    client: Client, mixed_reports
):
    ReportPhoto.objects.create(
        report=mixed_reports["public"],
        image="reports/x.jpg",
        content_type="image/jpeg",
        width=1,
        height=1,
    )

    content = text(client.get(reverse("reports:public_list", args=["seattle", "N-FRE"])))

    assert mixed_reports["public"].reference in content
    assert "The lamp on 35th is out." in content
    for hidden in ("private", "sensitive", "tip", "suspicious"):
        assert mixed_reports[hidden].reference not in content
    for secret in ("Rosa", "rosa@example.org", EXACT_LATITUDE, EXACT_LONGITUDE, "reports/x.jpg"):
        assert secret not in content


def test_the_public_map_has_the_same_reports_at_approximate_places(client: Client, mixed_reports):
    response = client.get(reverse("reports:public_geojson", args=["seattle", "N-FRE"]))

    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [f["properties"]["reference"] for f in features] == [mixed_reports["public"].reference]
    report = mixed_reports["public"]
    assert features[0]["geometry"]["coordinates"] == [
        report.public_longitude,
        report.public_latitude,
    ]
    assert EXACT_LATITUDE not in response.content.decode()
    assert "The lamp" not in response.content.decode()


def test_the_public_list_takes_a_fixed_number_of_queries(
    client: Client, fremont, street_light, django_assert_num_queries
):
    for _number in range(5):
        ReportUpdateFactory(report=fremont_report(fremont, street_light))

    # The neighbourhood, the count, the page of reports, their public updates.
    with django_assert_num_queries(4):
        client.get(reverse("reports:public_list", args=["seattle", "N-FRE"]))


def test_the_public_list_is_paged_and_survives_bad_page_numbers(
    client: Client, fremont, street_light
):
    reports = [fremont_report(fremont, street_light) for _number in range(views.PAGE_SIZE + 3)]
    url = reverse("reports:public_list", args=["seattle", "N-FRE"])

    first, second, bad = (client.get(url, {"page": page}) for page in ("1", "2", "abc"))
    past_the_end = client.get(url, {"page": "999"})

    # Newest first: the first three made are on the second page.
    assert reports[0].reference in text(second) and reports[0].reference not in text(first)
    assert bad.status_code == 200 and reports[-1].reference in text(bad)
    assert past_the_end.status_code == 200 and reports[0].reference in text(past_the_end)


def test_the_public_list_can_show_open_reports_only(client: Client, fremont, street_light):
    open_report = fremont_report(fremont, street_light)
    resolved = fremont_report(fremont, street_light, status=Status.RESOLVED)
    url = reverse("reports:public_list", args=["seattle", "N-FRE"])

    content = text(client.get(url, {"open_only": "on"}))

    assert open_report.reference in content and resolved.reference not in content


def test_an_unknown_neighbourhood_has_no_report_list(client: Client, fremont):
    assert client.get(reverse("reports:public_list", args=["seattle", "N-XYZ"])).status_code == 404
    assert (
        client.get(reverse("reports:public_geojson", args=["nowhere", "N-FRE"])).status_code == 404
    )


def test_a_public_report_page_shows_public_updates_only_and_no_reporter(
    client: Client, mixed_reports, fremont_officer
):
    report = mixed_reports["public"]
    post_public_update(report=report, by=fremont_officer, text="Fixed on Monday.")
    add_note(report=report, by=fremont_officer, text="Internal: the city was slow.")
    ReportUpdateFactory(report=report, kind=UpdateKind.REPORTER, is_public=False, text="From Rosa.")

    content = text(client.get(reverse("reports:public_detail", args=[report.reference])))

    assert "Fixed on Monday." in content and "The lamp on 35th is out." in content
    for secret in (
        "Internal: the city",
        "From Rosa.",
        "Rosa Contact",
        "rosa@example.org",
        EXACT_LATITUDE,
    ):
        assert secret not in content


@pytest.mark.parametrize("kind", ["private", "sensitive", "tip", "suspicious"])
def test_a_report_the_public_may_not_see_is_404_to_them_and_open_to_its_team(
    client: Client, mixed_reports, fremont_officer, kind
):
    url = reverse("reports:public_detail", args=[mixed_reports[kind].reference])

    anonymous = client.get(url)
    client.force_login(fremont_officer)
    officer = client.get(url)

    assert anonymous.status_code == 404
    assert officer.status_code == 200
    assert reverse("reports:triage_detail", args=[mixed_reports[kind].reference]) in text(officer)


def test_an_unknown_reference_is_404(client: Client):
    assert client.get(reverse("reports:public_detail", args=["NOSUCH"])).status_code == 404


def test_another_forces_neighbourhood_list_is_its_own(client: Client, fremont, street_light):
    tacoma = ForceFactory(slug="tacoma")
    hilltop = NeighbourhoodFactory(force=tacoma, code="N-HIL", boundary=square(-122.45, 47.25))
    fremont_report(fremont, street_light)

    content = text(client.get(reverse("reports:public_list", args=["tacoma", hilltop.code])))

    assert "No public reports here yet." in content
