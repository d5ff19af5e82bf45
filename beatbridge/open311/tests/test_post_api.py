"""POST requests: API keys, the form, attributes, contact, idempotency and bad input."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from beatbridge.open311 import services
from beatbridge.open311.models import ApiClient
from beatbridge.open311.tests.conftest import BASE, xml_of
from beatbridge.reports.models import Report, Source
from beatbridge.reports.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

IN_FREMONT = {"lat": "47.6551", "long": "-122.3452"}


def post(client, key, fmt="json", query="", **fields):
    data = {"service_code": "street-light", "description": "The light is out.", **fields}
    if key is not None:
        data["api_key"] = key
    return client.post(BASE + f"requests.{fmt}{query}", data)


def test_a_client_with_a_key_files_a_report(client, api_key, fremont, street_light):
    response = post(client, api_key, **IN_FREMONT, **{"attribute[pole-number]": "SL-1234"})

    assert response.status_code == 201
    [created] = response.json()
    report = Report.staff_objects.get()
    assert created == {
        "service_request_id": report.reference,
        "service_notice": created["service_notice"],
        "account_id": None,
    }
    assert "911" in created["service_notice"]
    assert report.source == Source.OPEN311
    assert report.category == street_light
    assert report.neighbourhood == fremont
    assert (report.latitude, report.longitude) == (47.6551, -122.3452)
    assert report.answers == {"pole-number": "SL-1234"}
    assert report.reporter is None
    assert report.contact_email == ""
    assert ApiClient.objects.get().last_used_at is not None


def test_what_a_client_posts_it_reads_back(client, api_key, fremont, street_light):
    reference = post(client, api_key, **IN_FREMONT).json()[0]["service_request_id"]

    [item] = client.get(BASE + f"requests/{reference}.json").json()

    assert (item["service_code"], item["status"], item["address"]) == (
        "street-light",
        "open",
        "Fremont",
    )


def test_the_answer_comes_in_xml_too(client, api_key, fremont, street_light):
    response = post(client, api_key, fmt="xml", **IN_FREMONT)

    assert response.status_code == 201
    root = xml_of(response)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == Report.staff_objects.get().reference
    assert root.find("request/account_id") is not None


def test_the_key_may_come_in_the_query_string(client, api_key, fremont, street_light):
    response = post(client, None, query=f"?api_key={api_key}", **IN_FREMONT)

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, "api_key: Required"),
        ("", "api_key: Required"),
        ("bb311_not-a-key", "api_key: Not a valid key"),
    ],
)
def test_no_report_without_a_valid_key(client, fremont, street_light, key, message):
    response = post(client, key, **IN_FREMONT)

    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert response.json()[0]["description"].startswith(message)
    assert Report.staff_objects.count() == 0


def test_no_report_with_a_deactivated_key(client, api_key, fremont, street_light):
    services.deactivate_api_client(client=ApiClient.objects.get(), by=None)

    response = post(client, api_key, fmt="xml", **IN_FREMONT)

    assert response.status_code == 403
    assert xml_of(response).findtext("error/description").startswith("api_key: This key has been")
    assert Report.staff_objects.count() == 0


def test_an_address_string_is_enough(client, api_key, street_light):
    response = post(client, api_key, address_string="Troll Ave N & N 36th St")

    assert response.status_code == 201
    report = Report.staff_objects.get()
    assert (report.address, report.latitude, report.neighbourhood) == (
        "Troll Ave N & N 36th St",
        None,
        None,
    )


def test_an_address_id_alone_is_refused(client, api_key, street_light):
    response = post(client, api_key, address_id="545483")

    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("address_id: Not supported")


def test_contact_details_are_kept_only_when_given(client, api_key, fremont, street_light):
    post(
        client,
        api_key,
        **IN_FREMONT,
        first_name="Dana",
        last_name="Reporter",
        email="Dana@Example.org",
        phone="206-555-0199",
        device_id="abc",
        account_id="42",
        media_url="https://example.org/photo.jpg",
    )

    report = Report.staff_objects.get()
    assert (report.contact_name, report.contact_email, report.contact_phone) == (
        "Dana Reporter",
        "dana@example.org",
        "206-555-0199",
    )
    assert "example.org/photo" not in report.description


def test_multiple_choice_attributes_take_several_values(client, api_key, fremont, direction):
    response = client.post(
        BASE + "requests.json",
        {
            "api_key": api_key,
            "service_code": "street-light",
            "description": "Out and flickering.",
            **IN_FREMONT,
            "attribute[side]": "east",
            "attribute[problems][]": ["dark", "flicker"],
        },
    )

    assert response.status_code == 201
    assert Report.staff_objects.get().answers == {"side": "east", "problems": ["dark", "flicker"]}


@pytest.mark.parametrize(
    ("fields", "status", "description"),
    [
        ({"attribute[side]": "north"}, 400, "attribute[side]: “north” is not one of the choices"),
        ({"attribute[problems][]": ""}, 400, "attribute[problems]: Answer the question “What"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]: "),
        ({"service_code": ""}, 400, "service_code: Required"),
        ({"service_code": "potholes"}, 404, "service_code: There is no service “potholes”."),
        ({"description": ""}, 400, "description: "),
        ({"lat": "north"}, 400, "lat: Give a number"),
        ({"lat": "47.65", "long": ""}, 400, "long: "),
        ({"lat": "nan", "long": "-122.34"}, 400, "location: "),
        ({"lat": "1e400", "long": "-122.34"}, 400, "location: "),
        ({"lat": "51.5", "long": "-0.12"}, 400, "location: That place is outside the area"),
        ({"lat": "", "long": ""}, 400, "location: "),
        ({"email": "not-an-address"}, 400, "email: "),
        ({"jurisdiction_id": "gotham"}, 404, "jurisdiction_id: "),
        ({"description": "x\x00y"}, 400, "description: May not contain NUL"),
        # Not an attribute parameter: ignored, so the required question is still unanswered.
        ({"attribute[problems": "dark", "attribute[problems][]": ""}, 400, "attribute[problems]"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(
    client, api_key, fremont, direction, fields, status, description
):
    given = {"attribute[problems][]": ["dark"], **IN_FREMONT, **fields}

    response = post(client, api_key, **given)

    assert response.status_code == status, response.content
    assert response.json()[0]["description"].startswith(description)
    assert Report.staff_objects.count() == 0


def test_a_suspicious_activity_category_is_not_a_service(client, api_key, fremont, force):
    CategoryFactory(force=force, code="suspicious", suspicious=True)

    response = post(client, api_key, service_code="suspicious", **IN_FREMONT)

    assert response.status_code == 404
    assert Report.staff_objects.count() == 0


def test_a_retry_with_the_same_idempotency_key_is_the_same_report(
    client, api_key, fremont, street_light
):
    first = post(client, api_key, idempotency_key="retry-1", **IN_FREMONT)
    again = client.post(
        BASE + "requests.json",
        {
            "api_key": api_key,
            "service_code": "street-light",
            "description": "The light is out.",
            **IN_FREMONT,
        },
        headers={"X-Idempotency-Key": "retry-1"},
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Report.staff_objects.count() == 1


def test_a_reused_idempotency_key_with_another_report_is_a_conflict(
    client, api_key, fremont, street_light
):
    post(client, api_key, idempotency_key="retry-1", **IN_FREMONT)

    response = post(
        client, api_key, idempotency_key="retry-1", description="Another light.", **IN_FREMONT
    )

    assert response.status_code == 409
    assert response.json()[0]["description"].startswith("idempotency_key: ")
    assert Report.staff_objects.count() == 1


def test_idempotency_keys_of_different_clients_do_not_meet(client, api_key, fremont, street_light):
    other_key = services.issue_api_key(name="Another app").key

    post(client, api_key, idempotency_key="same", **IN_FREMONT)
    response = post(client, other_key, idempotency_key="same", **IN_FREMONT)

    assert response.status_code == 201
    assert Report.staff_objects.count() == 2


def test_without_an_idempotency_key_every_post_is_a_new_report(
    client, api_key, fremont, street_light
):
    post(client, api_key, **IN_FREMONT)
    post(client, api_key, **IN_FREMONT)

    assert Report.staff_objects.count() == 2


def test_a_photo_may_be_uploaded_as_media(client, api_key, fremont, street_light):
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(image, "PNG")
    image.seek(0)
    image.name = "light.png"

    response = client.post(
        BASE + "requests.json",
        {
            "api_key": api_key,
            "service_code": "street-light",
            "description": "See the photo.",
            **IN_FREMONT,
            "media": image,
        },
    )

    assert response.status_code == 201
    report = Report.staff_objects.get()
    assert report.photos.count() == 1
    # Photos are never public.
    assert client.get(BASE + f"requests/{report.reference}.json").json()[0]["media_url"] is None


def test_a_broken_multipart_body_is_a_400(client, api_key, street_light):
    response = client.generic(
        "POST",
        BASE + "requests.json",
        b'--nope\r\nContent-Disposition: form-data; name="a"\r\n\r\n',
        content_type="multipart/form-data; boundary=",
    )

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_posting_needs_no_csrf_token(api_key, fremont, street_light):
    from django.test import Client

    response = post(Client(enforce_csrf_checks=True), api_key, **IN_FREMONT)

    assert response.status_code == 201


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_requests_answer_only_get_and_post(client, api_key, street_light, method):
    response = getattr(client, method)(BASE + "requests.json")

    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


NASTY = ["", " ", "\x00", "%", "' OR 1=1 --", "9" * 400, "💥", "-1", "nan", "1e999", "[]", "\u202e"]
POST_FIELDS = [
    "service_code",
    "jurisdiction_id",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "first_name",
    "phone",
    "description",
    "attribute[pole-number]",
    "attribute[]",
    "attribute[pole-number][]",
    "idempotency_key",
]


@pytest.mark.parametrize("field", POST_FIELDS)
def test_no_field_value_makes_a_post_fail_badly(client, api_key, fremont, street_light, field):
    for value in NASTY:
        response = post(client, api_key, **{**IN_FREMONT, field: value})
        assert response.status_code in (200, 201, 400, 404), (field, value, response.content)
        assert isinstance(response.json(), list)


@pytest.mark.parametrize(
    "name", ["service_request_id", "service_code", "start_date", "end_date", "status", "page"]
)
def test_no_query_value_makes_a_listing_fail_badly(client, street_light, name):
    for value in NASTY:
        response = client.get(BASE + "requests.json", {name: value})
        assert response.status_code in (200, 400), (name, value, response.content)
        assert isinstance(response.json(), list)
