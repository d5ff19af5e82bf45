"""Beatbridge's own reports API (/api/v1/): who may do what, bad input, idempotency, shapes."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from PIL import Image

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.places import services as places_services
from beatbridge.places.tests.factories import NeighbourhoodFactory, square
from beatbridge.reports import services
from beatbridge.reports.models import Report, ReportPhoto, ReportUpdate, Status
from beatbridge.reports.tests.factories import CategoryFactory, CategoryQuestionFactory

pytestmark = pytest.mark.django_db

# A JSON body that fails validation names the field as "body.<field>" until beatbridge/api.py's
# handler drops ninja's body parameter name from the location (asked of the lead). Strict: once
# the handler is fixed these pass, fail as XPASS, and the mark comes off.
FREMONT_POINT = {"latitude": 47.655, "longitude": -122.345}
# Inside Fremont, in another ~150 m public cell than FREMONT_POINT's exact value.
EXACT_LATITUDE = 47.6512345


# --- people and reports -------------------------------------------------------------------


@pytest.fixture
def wallingford(force):
    """A second neighbourhood of the same force, with its own officer (the officer elsewhere)."""
    neighbourhood = NeighbourhoodFactory(
        force=force, code="N-WAL", name="Wallingford", boundary=square(-122.34, 47.65)
    )
    places_services.mark_boundaries_changed()
    return neighbourhood


@pytest.fixture
def people(force, fremont, fremont_officer, wallingford):
    elsewhere = TeamAssignmentFactory(
        officer=OfficerProfileFactory(force=force), neighbourhood=wallingford
    ).officer.user
    return {
        "anonymous": None,
        "resident": UserFactory(),
        "reporter": UserFactory(),
        "officer": fremont_officer,
        "officer_elsewhere": elsewhere,
        "supervisor": OfficerProfileFactory(force=force, supervisor=True).user,
        "admin": AdministratorFactory(),
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def submit(category, *, reporter=None, kind="concern", private=False, **fields) -> Report:
    result = services.submit_report(
        kind=kind,
        category=category,
        description=fields.pop("description", "The street light on the corner is out."),
        place=services.Place(latitude=EXACT_LATITUDE, longitude=-122.3456789),
        source="web",
        reporter=reporter,
        is_private=private,
        contact=fields.pop("contact", None),
        **fields,
    )
    return result.report


@pytest.fixture
def public_report(people, street_light):
    report = submit(
        street_light,
        reporter=people["reporter"],
        contact=services.Contact(name="Rita Reporter", phone="206-555-0199"),
    )
    services.add_note(report=report, by=people["officer"], text="Caller is the shop owner.")
    services.post_public_update(report=report, by=people["officer"], text="City crew booked.")
    return Report.staff_objects.get(pk=report.pk)


@pytest.fixture
def private_report(people, street_light):
    return submit(street_light, reporter=people["reporter"], private=True)


def concern(**overrides) -> dict:
    body = {
        "force": "seattle",
        "category": "street-light",
        "description": "The street light on the corner has been out for a week.",
        **FREMONT_POINT,
    }
    body.update(overrides)
    return body


def post_json(client: Client, path: str, body: object, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


# --- categories ---------------------------------------------------------------------------


def test_categories_are_named_in_the_language_asked_for_with_their_questions(
    client: Client, street_light
):
    street_light.translations = {"es": {"name": "Farola apagada"}}
    street_light.save()

    response = client.get(
        "/api/v1/forces/seattle/report-categories", headers={"accept-language": "es"}
    )

    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["name"] == "Farola apagada"
    assert item["code"] == "street-light"
    assert [question["code"] for question in item["questions"]] == ["pole-number"]


def test_categories_filter_by_kind_and_unknown_force_is_404(client: Client, force, street_light):
    CategoryFactory(force=force, code="loitering", suspicious=True)

    response = client.get("/api/v1/forces/seattle/report-categories?kind=suspicious_activity")
    missing = client.get("/api/v1/forces/atlantis/report-categories")

    assert [item["code"] for item in response.json()["items"]] == ["loitering"]
    assert missing.status_code == 404
    assert missing.json()["field"] == "force"


def test_category_choices_are_translated(client: Client, street_light):
    CategoryQuestionFactory(
        category=street_light,
        code="side",
        datatype="singlevaluelist",
        choices=[{"key": "north", "name": "North side"}],
        translations={"es": {"choices": {"north": "Lado norte"}}},
    )

    response = client.get(
        "/api/v1/forces/seattle/report-categories", headers={"accept-language": "es"}
    )

    questions = response.json()["items"][0]["questions"]
    assert questions[1]["choices"] == [{"key": "north", "name": "Lado norte"}]


# --- submitting ---------------------------------------------------------------------------


def test_anonymous_report_is_made_with_a_follow_up_code(client: Client, fremont, street_light):
    response = post_json(client, "/api/v1/reports", concern())

    body = response.json()
    report = Report.staff_objects.get()
    assert response.status_code == 201
    assert body["reference"] == report.reference
    assert body["neighbourhood"] == {"id": "N-FRE", "name": "Fremont"}
    assert body["follow_up_code"]
    assert report.reporter is None
    assert report.source == "api"


def test_signed_in_report_belongs_to_the_person_and_has_no_follow_up_code(fremont, street_light):
    resident = UserFactory()

    response = post_json(client_for(resident), "/api/v1/reports", concern())

    assert response.status_code == 201
    assert response.json()["follow_up_code"] is None
    assert Report.staff_objects.get().reporter == resident


def test_signed_in_write_without_the_csrf_token_is_refused(fremont, street_light):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = post_json(client, "/api/v1/reports", concern())

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert Report.staff_objects.count() == 0


def test_signed_in_write_with_the_csrf_token_is_accepted(fremont, street_light):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    token = "a" * 32
    client.cookies["csrftoken"] = token

    response = post_json(client, "/api/v1/reports", concern(), headers={"x-csrftoken": token})

    assert response.status_code == 201


def test_anonymous_write_needs_no_csrf_token(fremont, street_light):
    response = post_json(Client(enforce_csrf_checks=True), "/api/v1/reports", concern())

    assert response.status_code == 201


def test_same_idempotency_key_twice_makes_one_report_and_answers_the_same(
    client: Client, fremont, street_light
):
    headers = {"idempotency-key": "6f1c0a4e-retry"}

    first = post_json(client, "/api/v1/reports", concern(), headers=headers)
    second = post_json(client, "/api/v1/reports", concern(), headers=headers)

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()
    assert Report.staff_objects.count() == 1


def test_submission_key_field_works_like_the_header(client: Client, fremont, street_light):
    body = concern(submission_key="key-in-the-body")

    first = post_json(client, "/api/v1/reports", body)
    second = post_json(client, "/api/v1/reports", body)

    assert (first.status_code, second.status_code) == (201, 200)
    assert Report.staff_objects.count() == 1


def test_reused_key_with_another_payload_is_409(client: Client, fremont, street_light):
    headers = {"idempotency-key": "reused"}
    post_json(client, "/api/v1/reports", concern(), headers=headers)

    response = post_json(
        client, "/api/v1/reports", concern(description="Something else entirely."), headers=headers
    )

    assert response.status_code == 409
    assert response.json()["code"] == "submission_key_reused"
    assert response.json()["field"] == "submission_key"
    assert Report.staff_objects.count() == 1


def test_header_and_body_keys_that_differ_are_refused(client: Client, fremont, street_light):
    response = post_json(
        client,
        "/api/v1/reports",
        concern(submission_key="one"),
        headers={"idempotency-key": "two"},
    )

    assert response.status_code == 400
    assert response.json()["field"] == "submission_key"


def test_tip_from_a_signed_in_person_stores_no_reporter(fremont, street_light):
    response = post_json(
        client_for(UserFactory()), "/api/v1/reports", concern(kind="tip", address="By the bridge")
    )

    report = Report.staff_objects.get()
    assert response.status_code == 201
    assert response.json()["follow_up_code"]
    assert report.reporter is None
    assert (report.contact_name, report.contact_email, report.contact_phone) == ("", "", "")


def test_tip_with_contact_details_is_refused(client: Client, fremont, street_light):
    response = post_json(client, "/api/v1/reports", concern(kind="tip", email="me@example.org"))

    assert response.status_code == 400
    assert response.json()["field"] == "contact"
    assert Report.staff_objects.count() == 0


def test_suspicious_activity_resting_on_appearance_alone_is_sent_back(
    client: Client, force, fremont
):
    CategoryFactory(force=force, code="suspicious", suspicious=True)

    response = post_json(
        client,
        "/api/v1/reports",
        concern(category="suspicious", description="A man who looked foreign.", behaviour=""),
    )

    assert response.status_code == 400
    assert response.json()["code"].startswith("guardrail_")
    assert Report.staff_objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": None}, "description"),
        ({"description": 123}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"category": None}, "category"),
        ({"category": "no-such-thing"}, "category"),
        ({"force": "atlantis"}, "force"),
        ({"latitude": "north"}, "latitude"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": None}, "longitude"),
        ({"latitude": 40.0, "longitude": -100.0}, "location"),
        ({"kind": "gossip"}, "kind"),
        ({"email": "not-an-address"}, "email"),
        ({"name": "n" * 151}, "name"),
        ({"answers": {"no-such-question": "1"}}, "attribute[no-such-question]"),
        ({"answers": {"pole-number": "p" * 1001}}, "attribute[pole-number]"),
        ({"neighbourhood": "N-NONE", "latitude": None, "longitude": None}, "neighbourhood"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(
    client: Client, fremont, street_light, change, field
):
    body = concern()
    for name, value in change.items():
        if value is None:
            body.pop(name)
        else:
            body[name] = value
    if change.get("neighbourhood"):
        body["address"] = "By the bridge"

    response = post_json(client, "/api/v1/reports", body)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert set(response.json()) >= {"detail", "field", "code"}
    assert Report.staff_objects.count() == 0


def test_infinite_latitude_is_400(client: Client, fremont, street_light):
    raw = json.dumps(concern()).replace("47.655", "1e999")

    response = client.post("/api/v1/reports", raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["field"] == "latitude"
    assert Report.staff_objects.count() == 0


def test_body_that_is_not_json_is_400(client: Client, fremont, street_light):
    response = client.post("/api/v1/reports", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert Report.staff_objects.count() == 0


def _png(size=(8, 8)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, "red").save(data, format="PNG")
    data.seek(0)
    data.name = "photo.png"
    return data


def test_report_with_photos_stores_them_together(client: Client, fremont, street_light):
    response = client.post(
        "/api/v1/reports/with-photos",
        {"report": json.dumps(concern()), "photos": [_png(), _png()]},
    )

    assert response.status_code == 201
    report = Report.staff_objects.get(reference=response.json()["reference"])
    assert ReportPhoto.objects.filter(report=report).count() == 2


def test_report_with_a_photo_that_is_not_an_image_writes_nothing(
    client: Client, fremont, street_light
):
    fake = io.BytesIO(b"MZ not a picture at all")
    fake.name = "photo.jpg"

    response = client.post(
        "/api/v1/reports/with-photos", {"report": json.dumps(concern()), "photos": [fake]}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert Report.staff_objects.count() == 0
    assert ReportPhoto.objects.count() == 0


def test_multipart_report_names_the_bad_field_inside_the_json(
    client: Client, fremont, street_light
):
    body = concern()
    del body["description"]

    response = client.post(
        "/api/v1/reports/with-photos", {"report": json.dumps(body), "photos": [_png()]}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "description"


def test_multipart_retry_with_the_same_key_makes_one_report(client: Client, fremont, street_light):
    def send():
        return client.post(
            "/api/v1/reports/with-photos",
            {"report": json.dumps(concern()), "photos": [_png()]},
            headers={"idempotency-key": "with-photo"},
        )

    assert [send().status_code, send().status_code] == [201, 200]
    assert ReportPhoto.objects.count() == 1


# --- reading one report -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shape"),
    [
        ("anonymous", "public"),
        ("resident", "public"),
        ("reporter", "reporter"),
        ("officer", "staff"),
        ("officer_elsewhere", "public"),
        ("supervisor", "staff"),
        ("admin", "staff"),
    ],
)
def test_public_report_is_shaped_for_its_reader(people, public_report, role, shape):
    response = client_for(people[role]).get(f"/api/v1/reports/{public_report.reference}")

    assert response.status_code == 200
    assert response.json()["shape"] == shape


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("resident", 404),
        ("reporter", 200),
        ("officer", 200),
        ("officer_elsewhere", 404),
        ("supervisor", 200),
        ("admin", 200),
    ],
)
def test_private_report_is_seen_by_reporter_and_staff_only(people, private_report, role, status):
    response = client_for(people[role]).get(f"/api/v1/reports/{private_report.reference}")

    assert response.status_code == status


def test_public_shape_has_no_contact_exact_point_or_internal_note(client: Client, public_report):
    response = client.get(f"/api/v1/reports/{public_report.reference}")

    text = response.content.decode()
    body = response.json()
    assert "Rita Reporter" not in text
    assert "206-555-0199" not in text
    assert public_report.reporter.email not in text
    assert str(EXACT_LATITUDE) not in text
    assert "Caller is the shop owner" not in text
    assert not {"contact", "place", "address", "reporter", "photos"} & set(body)
    assert [update["text"] for update in body["updates"]] == ["City crew booked."]
    assert body["approximate_place"]["latitude"] != EXACT_LATITUDE


def test_reporter_sees_their_details_but_not_internal_notes(people, public_report):
    response = client_for(people["reporter"]).get(f"/api/v1/reports/{public_report.reference}")

    body = response.json()
    assert body["contact"]["name"] == "Rita Reporter"
    assert body["place"]["latitude"] == EXACT_LATITUDE
    assert "Caller is the shop owner" not in response.content.decode()


def test_staff_read_shows_everything_and_is_audited(people, public_report):
    response = client_for(people["officer"]).get(f"/api/v1/reports/{public_report.reference}")

    body = response.json()
    assert body["contact"]["phone"] == "206-555-0199"
    assert body["reporter"]["email"] == people["reporter"].email
    assert "Caller is the shop owner." in [update["text"] for update in body["updates"]]
    entry = AuditEntry.objects.get(action="report.viewed")
    assert entry.actor == people["officer"]
    assert entry.target_id == str(public_report.pk)


def test_public_read_is_not_audited(client: Client, public_report):
    client.get(f"/api/v1/reports/{public_report.reference}")

    assert not AuditEntry.objects.filter(action="report.viewed").exists()


def test_tip_is_hidden_from_everyone_but_staff(people, street_light):
    tip = submit(street_light, kind="tip")

    statuses = {
        role: client_for(user).get(f"/api/v1/reports/{tip.reference}").status_code
        for role, user in people.items()
    }

    assert statuses == {
        "anonymous": 404,
        "resident": 404,
        "reporter": 404,
        "officer": 200,
        "officer_elsewhere": 404,
        "supervisor": 200,
        "admin": 200,
    }


def test_malformed_reference_is_400(client: Client):
    assert client.get("/api/v1/reports/not%20a%20ref").status_code == 400


# --- lists --------------------------------------------------------------------------------


def test_public_list_shows_only_public_reports_at_approximate_places(
    client: Client, people, public_report, private_report, force, street_light
):
    submit(street_light, kind="tip")
    submit(CategoryFactory(force=force, code="hidden", sensitive=True))

    response = client.get("/api/v1/forces/seattle/neighbourhoods/N-FRE/reports")

    body = response.json()
    assert response.status_code == 200
    assert [item["reference"] for item in body["items"]] == [public_report.reference]
    assert "Rita" not in response.content.decode()
    assert str(EXACT_LATITUDE) not in response.content.decode()


def test_public_list_filters_by_status_category_and_period(
    client: Client, people, public_report, force
):
    other = submit(CategoryFactory(force=force, code="graffiti"))
    services.acknowledge(report=other, by=people["officer"])

    def refs(query: str) -> list[str]:
        response = client.get(f"/api/v1/forces/seattle/neighbourhoods/N-FRE/reports?{query}")
        assert response.status_code == 200
        return [item["reference"] for item in response.json()["items"]]

    assert refs("status=acknowledged") == [other.reference]
    assert refs("status=new&status=acknowledged") == [other.reference, public_report.reference]
    assert refs("category=street-light") == [public_report.reference]
    assert refs("since=2999-01-01T00:00:00Z") == []
    assert refs("until=2000-01-01T00:00:00Z") == []


def test_public_list_is_paginated_and_refuses_a_bad_status(client: Client, people, street_light):
    for _ in range(3):
        submit(street_light)

    page = client.get("/api/v1/forces/seattle/neighbourhoods/N-FRE/reports?limit=2").json()
    bad = client.get("/api/v1/forces/seattle/neighbourhoods/N-FRE/reports?status=lost")

    assert (page["count"], len(page["items"])) == (3, 2)
    assert bad.status_code == 400
    assert "status" in bad.json()["field"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 403),
        ("resident", 403),
        ("reporter", 403),
        ("officer", 200),
        ("officer_elsewhere", 403),
        ("supervisor", 200),
        ("admin", 200),
    ],
)
def test_inbox_is_for_those_who_may_triage(people, public_report, role, status):
    response = client_for(people[role]).get("/api/v1/forces/seattle/neighbourhoods/N-FRE/inbox")

    assert response.status_code == status


def test_inbox_lists_tips_and_private_reports_without_contact_details(
    people, public_report, private_report, street_light
):
    tip = submit(street_light, kind="tip")

    response = client_for(people["officer"]).get(
        "/api/v1/forces/seattle/neighbourhoods/N-FRE/inbox?sort=newest"
    )

    assert [item["reference"] for item in response.json()["items"]] == [
        tip.reference,
        private_report.reference,
        public_report.reference,
    ]
    assert "206-555-0199" not in response.content.decode()


def test_inbox_filters(people, public_report, street_light):
    officer = people["officer"]
    tip = submit(street_light, kind="tip")
    services.set_priority(report=tip, by=officer, priority=1)
    services.assign(report=public_report, by=officer, officer=officer)
    closed = submit(street_light)
    services.change_status(report=closed, by=officer, status=Status.RESOLVED, reason="Fixed.")
    client = client_for(officer)

    def refs(query: str) -> list[str]:
        response = client.get(f"/api/v1/forces/seattle/neighbourhoods/N-FRE/inbox?{query}")
        assert response.status_code == 200, response.json()
        return [item["reference"] for item in response.json()["items"]]

    assert refs("kind=tip") == [tip.reference]
    assert refs("priority=1") == [tip.reference]
    assert refs("assigned=me") == [public_report.reference]
    assert refs("assigned=none") == [tip.reference]
    assert refs("status=resolved") == [closed.reference]
    assert closed.reference in refs("include_closed=true")
    assert closed.reference not in refs("")
    assert refs("sort=priority")[0] == tip.reference
    assert refs(f"q={tip.reference}") == [tip.reference]


def test_inbox_with_an_unknown_category_is_400(people):
    response = client_for(people["officer"]).get(
        "/api/v1/forces/seattle/neighbourhoods/N-FRE/inbox?category=nope"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "category"


def test_inbox_takes_a_fixed_number_of_queries(people, street_light, django_assert_num_queries):
    officer = people["officer"]
    for _ in range(5):
        report = submit(street_light)
        services.assign(report=report, by=officer, officer=officer)
    client = client_for(officer)
    client.get("/api/v1/forces/seattle/neighbourhoods/N-FRE/inbox")  # warm the session

    # session, user, neighbourhood, may-triage check, count, page (officers joined)
    with django_assert_num_queries(6) as captured:
        response = client.get("/api/v1/forces/seattle/neighbourhoods/N-FRE/inbox")

    assert response.json()["count"] == 5, captured


def test_my_reports_lists_only_my_own(people, public_report, private_report, street_light):
    submit(street_light, reporter=people["resident"])

    response = client_for(people["reporter"]).get("/api/v1/me/reports")
    anonymous = Client().get("/api/v1/me/reports")

    assert {item["reference"] for item in response.json()["items"]} == {
        public_report.reference,
        private_report.reference,
    }
    assert anonymous.status_code == 403
    assert anonymous.json()["code"] == "sign_in_required"


# --- triage -------------------------------------------------------------------------------

ACTIONS = [
    ("acknowledge", {"message": "Thanks, we are on it."}, 200),
    ("status", {"status": "in_progress", "reason": "Crew on the way."}, 200),
    ("public-updates", {"text": "Crew on the way."}, 201),
    ("notes", {"text": "Internal."}, 201),
    ("priority", {"priority": 1}, 200),
    ("referral", {"referred_to": "Seattle City Light", "note": "Their light."}, 200),
]


@pytest.mark.parametrize(("action", "body", "ok"), ACTIONS)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("resident", False),
        ("reporter", False),
        ("officer", True),
        ("officer_elsewhere", False),
        ("supervisor", True),
        ("admin", True),
    ],
)
def test_triage_actions_are_for_those_who_may_triage(
    people, public_report, action, body, ok, role, allowed
):
    before = ReportUpdate.objects.count()

    response = post_json(
        client_for(people[role]), f"/api/v1/reports/{public_report.reference}/{action}", body
    )

    # The report is public, so those who may not handle it may still see it: 403, not 404.
    assert response.status_code == (ok if allowed else 403)
    assert ReportUpdate.objects.count() == before + (1 if allowed else 0)


@pytest.mark.parametrize(("action", "body", "ok"), ACTIONS)
def test_triage_of_a_report_one_may_not_see_is_404(people, private_report, action, body, ok):
    response = post_json(
        client_for(people["officer_elsewhere"]),
        f"/api/v1/reports/{private_report.reference}/{action}",
        body,
    )

    assert response.status_code == 404


def test_acknowledge_answers_the_new_state(people, public_report):
    response = post_json(
        client_for(people["officer"]), f"/api/v1/reports/{public_report.reference}/acknowledge", {}
    )

    assert response.json()["status"] == "acknowledged"
    assert response.json()["acknowledged_at"] is not None


def test_status_change_needs_a_reason_and_a_known_status(people, public_report):
    client = client_for(people["officer"])
    path = f"/api/v1/reports/{public_report.reference}/status"

    no_reason = post_json(client, path, {"status": "in_progress", "reason": ""})
    unknown = post_json(client, path, {"status": "lost", "reason": "Because."})
    duplicate = post_json(client, path, {"status": "duplicate", "reason": "Because."})

    assert (no_reason.status_code, no_reason.json()["field"]) == (400, "reason")
    assert (unknown.status_code, unknown.json()["field"]) == (400, "status")
    assert (duplicate.status_code, duplicate.json()["field"]) == (400, "status")


def test_note_is_never_public(client: Client, people, public_report):
    post_json(
        client_for(people["officer"]),
        f"/api/v1/reports/{public_report.reference}/notes",
        {"text": "Known to us."},
    )

    assert (
        "Known to us."
        not in client.get(f"/api/v1/reports/{public_report.reference}").content.decode()
    )


def test_assign_to_an_officer_of_the_neighbourhood_only(people, public_report):
    client = client_for(people["supervisor"])
    path = f"/api/v1/reports/{public_report.reference}/assignment"
    fremont_profile = people["officer"].officer_profile.pk
    elsewhere_profile = people["officer_elsewhere"].officer_profile.pk

    assigned = post_json(client, path, {"assigned_to": fremont_profile})
    refused = post_json(client, path, {"assigned_to": elsewhere_profile})
    unknown = post_json(client, path, {"assigned_to": 999999})
    back = post_json(client, path, {"assigned_to": None})

    assert assigned.json()["assigned_to"]["id"] == fremont_profile
    assert (refused.status_code, refused.json()["field"]) == (400, "assigned_to")
    assert (unknown.status_code, unknown.json()["field"]) == (400, "assigned_to")
    assert back.json()["assigned_to"] is None


def test_move_to_another_neighbourhood(people, public_report, wallingford):
    client = client_for(people["supervisor"])
    path = f"/api/v1/reports/{public_report.reference}/neighbourhood"

    moved = post_json(client, path, {"neighbourhood": "N-WAL"})
    unknown = post_json(client, path, {"neighbourhood": "N-NONE"})

    assert moved.json()["neighbourhood"] == {"id": "N-WAL", "name": "Wallingford"}
    assert (unknown.status_code, unknown.json()["field"]) == (400, "neighbourhood")


def test_merge_into_another_report(people, public_report, street_light):
    into = submit(street_light)
    client = client_for(people["officer"])
    path = f"/api/v1/reports/{public_report.reference}/merge"

    unknown = post_json(client, path, {"duplicate_of": "NOPE1234"})
    merged = post_json(client, path, {"duplicate_of": into.reference})

    assert (unknown.status_code, unknown.json()["field"]) == (400, "duplicate_of")
    assert merged.json()["status"] == "duplicate"
    assert merged.json()["duplicate_of"] == into.reference


def test_merge_needs_a_report_the_officer_handles(people, public_report, force, wallingford):
    category = CategoryFactory(force=force, code="noise")
    there = services.submit_report(
        kind="concern",
        category=category,
        description="Loud music every night.",
        place=services.Place(latitude=47.655, longitude=-122.335),
        source="web",
        is_private=True,
    ).report

    response = post_json(
        client_for(people["officer"]),
        f"/api/v1/reports/{public_report.reference}/merge",
        {"duplicate_of": there.reference},
    )

    assert (response.status_code, response.json()["field"]) == (400, "duplicate_of")


def test_triage_with_wrong_types_is_400(people, public_report):
    response = post_json(
        client_for(people["officer"]),
        f"/api/v1/reports/{public_report.reference}/priority",
        {"priority": "urgent"},
    )

    assert (response.status_code, response.json()["field"]) == (400, "priority")


# --- following up with a code -------------------------------------------------------------


@pytest.fixture
def tip_and_code(client: Client, people, street_light):
    response = post_json(client, "/api/v1/reports", concern(kind="tip"))
    report = Report.staff_objects.get(reference=response.json()["reference"])
    services.post_public_update(report=report, by=people["officer"], text="Thank you.")
    services.add_note(report=report, by=people["officer"], text="Matches last week's tip.")
    return report, response.json()["follow_up_code"]


def test_follow_up_code_reads_public_replies_but_not_notes(client: Client, tip_and_code):
    report, code = tip_and_code

    response = post_json(client, "/api/v1/follow-up", {"code": code.lower().replace("-", " ")})

    assert response.status_code == 200
    assert response.json()["reference"] == report.reference
    texts = [update["text"] for update in response.json()["updates"]]
    assert "Thank you." in texts
    assert "Matches last week's tip." not in texts


def test_follow_up_adds_information_the_team_sees(client: Client, people, tip_and_code):
    report, code = tip_and_code

    response = post_json(
        client, "/api/v1/follow-up/information", {"code": code, "text": "It was a blue van."}
    )

    assert response.status_code == 201
    assert "It was a blue van." in [update["text"] for update in response.json()["updates"]]
    assert ReportUpdate.objects.filter(report=report, kind="reporter").count() == 1


def test_wrong_follow_up_code_is_404_and_adds_nothing(client: Client, tip_and_code):
    before = ReportUpdate.objects.count()

    read = post_json(client, "/api/v1/follow-up", {"code": "AAAA-AAAA-AAAA-AAAA"})
    add = post_json(
        client, "/api/v1/follow-up/information", {"code": "AAAA-AAAA", "text": "Hello."}
    )

    assert (read.status_code, read.json()["field"]) == (404, "code")
    assert add.status_code == 404
    assert ReportUpdate.objects.count() == before


def test_follow_up_information_must_say_something(client: Client, tip_and_code):
    _report, code = tip_and_code

    response = post_json(client, "/api/v1/follow-up/information", {"code": code, "text": " "})

    assert (response.status_code, response.json()["field"]) == (400, "text")


def test_follow_up_code_is_never_taken_from_the_url(client: Client, tip_and_code):
    _report, code = tip_and_code

    assert client.get(f"/api/v1/follow-up?code={code}").status_code == 405


# --- the OpenAPI document -----------------------------------------------------------------


def test_openapi_lists_the_reports_paths(client: Client):
    response = client.get("/api/openapi.json")

    paths = set(response.json()["paths"])
    assert response.status_code == 200
    assert {
        "/api/v1/forces/{force}/report-categories",
        "/api/v1/reports",
        "/api/v1/reports/with-photos",
        "/api/v1/reports/{reference}",
        "/api/v1/forces/{force}/neighbourhoods/{code}/reports",
        "/api/v1/forces/{force}/neighbourhoods/{code}/inbox",
        "/api/v1/me/reports",
        "/api/v1/reports/{reference}/acknowledge",
        "/api/v1/reports/{reference}/status",
        "/api/v1/reports/{reference}/public-updates",
        "/api/v1/reports/{reference}/notes",
        "/api/v1/reports/{reference}/assignment",
        "/api/v1/reports/{reference}/priority",
        "/api/v1/reports/{reference}/neighbourhood",
        "/api/v1/reports/{reference}/referral",
        "/api/v1/reports/{reference}/merge",
        "/api/v1/follow-up",
        "/api/v1/follow-up/information",
    } <= paths
    operations = [
        operation
        for path, methods in response.json()["paths"].items()
        if "report" in path or "follow-up" in path or "inbox" in path
        for operation in methods.values()
    ]
    assert all(
        operation.get("summary") and operation.get("description") for operation in operations
    )
