"""GET endpoints: discovery, services, definitions, requests, one request, tokens."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from beatbridge.open311.tests.conftest import BASE, assert_matches_schema, xml_of
from beatbridge.places.tests.factories import ForceFactory
from beatbridge.reports.tests.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

NEVER_PUBLIC = ["sensitive", "private", "tip", "suspicious"]


def ids_in(response) -> list[str]:
    return [item["service_request_id"] for item in response.json()]


# --- discovery ----------------------------------------------------------------------------


def test_discovery_names_the_endpoint_and_its_formats(client, force):
    response = client.get(BASE + "discovery.json")

    assert response.status_code == 200
    document = response.json()
    endpoint = document["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert "Seattle Police" in document["contact"]


def test_discovery_in_xml_lists_formats_as_elements(client, force):
    root = xml_of(client.get(BASE + "discovery.xml"))

    assert root.tag == "discovery"
    formats = [element.text for element in root.iterfind("endpoints/endpoint/formats/format")]
    assert formats == ["application/json", "text/xml"]


def test_the_endpoints_root_answers_with_discovery(client, force):
    assert client.get(BASE).json()["endpoints"][0]["type"] == "production"


# --- services -----------------------------------------------------------------------------


def test_services_list_the_forces_concern_categories(client, street_light):
    CategoryFactory(force=street_light.force, code="suspicious", suspicious=True)
    CategoryFactory(force=street_light.force, code="retired", is_active=False)

    response = client.get(BASE + "services.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert_matches_schema(response.json(), "services.json")
    assert response.json() == [
        {
            "service_code": "street-light",
            "service_name": "Street light out",
            "description": street_light.description,
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": "Streets",
        }
    ]


def test_services_in_xml(client, street_light):
    root = xml_of(client.get(BASE + "services.xml"))

    assert root.tag == "services"
    service = root.find("service")
    assert service.findtext("service_code") == "street-light"
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"


def test_services_without_an_extension_are_json_or_the_format_asked_for(client, street_light):
    assert client.get(BASE + "services").json()[0]["service_code"] == "street-light"
    assert xml_of(client.get(BASE + "services", {"format": "xml"})).tag == "services"


def test_an_unknown_format_is_refused_in_json(client, street_light):
    response = client.get(BASE + "services.csv")

    assert response.status_code == 400
    assert "json and xml" in response.json()[0]["description"]


def test_jurisdiction_id_is_the_force_id_and_optional_with_one_force(client, street_light):
    assert client.get(BASE + "services.json", {"jurisdiction_id": "SEATTLE"}).status_code == 200

    response = client.get(BASE + "services.json", {"jurisdiction_id": "gotham"})

    assert response.status_code == 404
    assert response.json() == [
        {"code": 404, "description": "jurisdiction_id: There is no jurisdiction “gotham”."}
    ]


def test_jurisdiction_id_is_required_once_there_are_several_forces(client, street_light):
    ForceFactory(slug="boston")

    response = client.get(BASE + "services.xml")

    assert response.status_code == 400
    root = xml_of(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400"
    assert root.findtext("error/description").startswith("jurisdiction_id: Required")
    assert client.get(BASE + "services.json", {"jurisdiction_id": "seattle"}).status_code == 200


# --- service definitions ------------------------------------------------------------------


def test_a_service_definition_lists_its_questions_as_attributes(client, direction):
    response = client.get(BASE + "services/street-light.json")

    assert response.status_code == 200
    definition = response.json()
    assert_matches_schema(definition, "service-definition.json")
    assert definition["service_code"] == "street-light"
    attributes = definition["attributes"]
    assert [attribute["code"] for attribute in attributes] == ["pole-number", "side", "problems"]
    assert [attribute["order"] for attribute in attributes] == [1, 2, 3]
    assert attributes[1] == {
        "variable": True,
        "code": "side",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "Facing north",
        "order": 2,
        "description": "Which side of the street?",
        "values": [{"key": "east", "name": "East side"}, {"key": "west", "name": "West side"}],
    }
    assert attributes[2]["required"] is True
    assert attributes[0]["values"] == []


def test_a_service_definition_in_xml(client, direction):
    root = xml_of(client.get(BASE + "services/street-light.xml"))

    assert root.tag == "service_definition"
    side = root.findall("attributes/attribute")[1]
    assert side.findtext("variable") == "true"
    assert [value.findtext("key") for value in side.iterfind("values/value")] == ["east", "west"]


def test_the_singular_service_path_is_accepted_too(client, street_light):
    response = client.get(BASE + "service/street-light.json")

    assert response.json()["service_code"] == "street-light"


@pytest.mark.parametrize("code", ["no-such-thing", "suspicious", "retired"])
def test_a_service_that_is_not_offered_has_no_definition(client, street_light, code):
    CategoryFactory(force=street_light.force, code="suspicious", suspicious=True)
    CategoryFactory(force=street_light.force, code="retired", is_active=False)

    response = client.get(BASE + f"services/{code}.json")

    assert response.status_code == 404
    assert response.json()[0]["description"] == f"service_code: There is no service “{code}”."


# --- service requests ---------------------------------------------------------------------


def test_requests_show_public_reports_of_the_last_90_days_newest_first(client, reports):
    response = client.get(BASE + "requests.json")

    assert response.status_code == 200
    assert_matches_schema(response.json(), "requests.json")
    assert ids_in(response) == ["OPEN0001", "SHUT0001"]


def test_a_request_shows_the_public_version_of_a_report(client, reports, force):
    report = reports["open"]

    item = client.get(BASE + "requests.json").json()[0]

    assert item == {
        "service_request_id": "OPEN0001",
        "status": "open",
        "status_notes": "We have asked the city to fix the light.",
        "service_name": "Street light out",
        "service_code": "street-light",
        "description": report.description,
        "agency_responsible": "Seattle Police",
        "service_notice": None,
        "requested_datetime": timezone.localtime(report.created_at).isoformat(timespec="seconds"),
        "updated_datetime": timezone.localtime(report.updated_at).isoformat(timespec="seconds"),
        "expected_datetime": None,
        "address": "Fremont",
        "address_id": None,
        "zipcode": None,
        "lat": report.public_latitude,
        "long": report.public_longitude,
        "media_url": None,
    }
    assert (item["lat"], item["long"]) != (report.latitude, report.longitude)
    assert item["requested_datetime"][-6:] in ("-08:00", "-07:00")


def test_requests_never_show_the_reporter_contact_address_or_internal_notes(client, reports):
    body = (
        client.get(BASE + "requests.json").content.decode()
        + client.get(BASE + "requests.xml").content.decode()
    )

    for secret in ("Dana Reporter", "dana@example.org", "1 Troll Avenue", "Internal:"):
        assert secret not in body


@pytest.mark.parametrize("hidden", NEVER_PUBLIC)
def test_reports_the_public_may_not_see_never_appear(client, reports, hidden):
    reference = reports[hidden].reference

    listed = client.get(BASE + "requests.json", {"service_request_id": reference})
    one = client.get(BASE + f"requests/{reference}.json")
    token = client.get(BASE + f"tokens/{reference}.json")

    assert listed.json() == []
    assert reference not in ids_in(client.get(BASE + "requests.json"))
    assert one.status_code == 404
    assert token.status_code == 404


def test_closed_requests_are_updated_when_they_were_closed(client, reports):
    item = client.get(BASE + "requests.json", {"status": "closed"}).json()[0]

    assert item["status"] == "closed"
    resolved = timezone.localtime(reports["closed"].resolved_at).isoformat(timespec="seconds")
    assert item["updated_datetime"] == resolved
    assert item["agency_responsible"] == "Seattle Police"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["OPEN0001"]),
        ("closed", ["SHUT0001"]),
        ("open,closed", ["OPEN0001", "SHUT0001"]),
        ("OPEN", ["OPEN0001"]),
    ],
)
def test_requests_filter_by_status(client, reports, status, expected):
    assert ids_in(client.get(BASE + "requests.json", {"status": status})) == expected


def test_requests_filter_by_service_codes(client, reports):
    assert ids_in(client.get(BASE + "requests.json", {"service_code": "graffiti"})) == ["SHUT0001"]
    both = client.get(BASE + "requests.json", {"service_code": "graffiti,street-light"})
    assert ids_in(both) == ["OPEN0001", "SHUT0001"]
    assert client.get(BASE + "requests.json", {"service_code": "nothing"}).json() == []


def test_requests_filter_by_period(client, reports):
    now = timezone.now()
    four_days_ago = (now - datetime.timedelta(days=4)).isoformat()

    since = client.get(BASE + "requests.json", {"start_date": four_days_ago})
    until = client.get(BASE + "requests.json", {"end_date": four_days_ago})
    old = client.get(
        BASE + "requests.json",
        {
            "start_date": (now - datetime.timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end_date": (now - datetime.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )

    assert ids_in(since) == ["OPEN0001"]
    # Only end_date: the 90 days before it, which reach back past the closed report.
    assert ids_in(until) == ["SHUT0001"]
    assert ids_in(old) == ["OLD00001"]


def test_an_unencoded_plus_in_an_offset_is_read_as_a_plus(client, reports):
    start = timezone.localtime() - datetime.timedelta(days=3)
    # "+01:00" sent raw arrives as " 01:00".
    given = start.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    raw = given.strftime("%Y-%m-%dT%H:%M:%S") + "+01:00"

    response = client.get(BASE + f"requests.json?start_date={raw}")

    assert ids_in(response) == ["OPEN0001"]


def test_service_request_id_overrides_every_other_filter(client, reports):
    response = client.get(
        BASE + "requests.json",
        {"service_request_id": "OLD00001, SHUT0001,nope", "status": "open"},
    )

    assert sorted(ids_in(response)) == ["OLD00001", "SHUT0001"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-02-30T00:00:00Z"}, "start_date"),
        ({"end_date": "2026-13-01"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "status"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "9" * 30}, "page"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        # Digits, but not ASCII ones (Arabic-Indic ten): int() would take them.
        ({"page_size": "\u0661\u0660"}, "page_size"),
        ({"service_request_id": ",".join(f"R{n}" for n in range(1001))}, "service_request_id"),
    ],
)
def test_bad_filters_are_refused_naming_the_parameter(client, reports, query, field):
    response = client.get(BASE + "requests.json", query)

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert response.json()[0]["description"].startswith(f"{field}: ")


def test_far_dates_are_answered_not_crashed_on(client, reports):
    for query in ({"start_date": "9999-12-31T00:00:00Z"}, {"end_date": "0001-01-01T00:00:00Z"}):
        response = client.get(BASE + "requests.json", query)
        assert (response.status_code, response.json()) == (200, [])


def test_requests_come_in_pages(client, reports, street_light, fremont):
    for number in range(5):
        ReportFactory(reference=f"PAGE000{number}", category=street_light, neighbourhood=fremont)
    everything = ids_in(client.get(BASE + "requests.json"))

    pages = [
        ids_in(client.get(BASE + "requests.json", {"page": page, "page_size": 3}))
        for page in (1, 2, 3, 4)
    ]

    assert len(everything) == 7
    assert pages == [everything[0:3], everything[3:6], everything[6:7], []]


def test_requests_in_xml(client, reports):
    root = xml_of(client.get(BASE + "requests.xml", {"status": "open"}))

    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("service_request_id") == "OPEN0001"
    assert request.findtext("status") == "open"
    assert float(request.findtext("lat")) == reports["open"].public_latitude
    assert request.find("media_url").text is None


def test_xml_escapes_markup_and_drops_characters_xml_cannot_hold(client, street_light, fremont):
    ReportFactory(
        reference="MARKUP01",
        category=street_light,
        neighbourhood=fremont,
        description="<b>Lights & wires</b>\x01 out",
    )

    response = client.get(BASE + "requests.xml")

    assert b"&lt;b&gt;Lights &amp; wires&lt;/b&gt; out" in response.content
    assert xml_of(response).findtext("request/description") == "<b>Lights & wires</b> out"


def test_listing_requests_takes_a_fixed_number_of_queries(
    client, reports, street_light, fremont, django_assert_num_queries
):
    for number in range(10):
        ReportFactory(reference=f"MANY00{number:02d}", category=street_light, neighbourhood=fremont)

    # The force, the reports with their categories and neighbourhoods, their public updates.
    with django_assert_num_queries(3):
        response = client.get(BASE + "requests.json")

    assert len(response.json()) == 12


def test_one_request_by_its_id(client, reports):
    response = client.get(BASE + "requests/OPEN0001.json")

    assert response.status_code == 200
    assert_matches_schema(response.json(), "requests.json")
    assert ids_in(response) == ["OPEN0001"]
    assert response.json()[0]["status_notes"] == "We have asked the city to fix the light."
    root = xml_of(client.get(BASE + "requests/OPEN0001.xml"))
    assert root.findtext("request/service_request_id") == "OPEN0001"


def test_one_request_of_another_jurisdiction_is_not_found(client, reports):
    other = ForceFactory(slug="boston")
    ReportFactory(reference="BOS00001", category=CategoryFactory(force=other))

    response = client.get(BASE + "requests/BOS00001.json", {"jurisdiction_id": "seattle"})

    assert response.status_code == 404
    assert response.json()[0]["description"].startswith("service_request_id: ")
    ok = client.get(BASE + "requests/BOS00001.json", {"jurisdiction_id": "boston"})
    assert ok.status_code == 200


def test_a_token_is_the_service_request_id(client, reports):
    response = client.get(BASE + "tokens/OPEN0001.json")

    assert response.json() == [{"service_request_id": "OPEN0001", "token": "OPEN0001"}]
    root = xml_of(client.get(BASE + "tokens/OPEN0001.xml"))
    assert root.findtext("request/token") == "OPEN0001"
    assert client.get(BASE + "tokens/NOTATOKEN.json").status_code == 404


@pytest.mark.parametrize("path", ["nothing.json", "requests/a/b.json", "services/x/y", "tokens/"])
def test_unknown_paths_are_a_readable_404(client, force, path):
    response = client.get(BASE + path)

    assert response.status_code == 404
    assert json.loads(response.content)[0]["code"] == 404


def test_unknown_xml_paths_answer_in_xml(client, force):
    response = client.get(BASE + "nothing.xml")

    assert (response.status_code, xml_of(response).tag) == (404, "errors")


@pytest.mark.parametrize(
    "path", ["discovery.json", "services.json", "services/street-light.json", "tokens/X.json"]
)
def test_reading_endpoints_refuse_other_methods(client, street_light, path):
    response = client.post(BASE + path)

    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert response.json()[0]["code"] == 405


@pytest.mark.parametrize(
    "path",
    [
        "services/%00.json",
        "services/%F0%9F%92%A5.xml",
        "requests/%00.json",
        "requests/" + "A" * 300 + ".json",
        "tokens/%27%20OR%201=1.json",
        "service/..json",
    ],
)
def test_no_path_makes_a_read_fail_badly(client, reports, path):
    response = client.get(BASE + path)

    assert response.status_code in (400, 404)
    assert response.content.startswith((b"[", b"<?xml"))


def test_the_extension_may_be_in_capitals_and_parameters_repeated(client, reports):
    response = client.get(BASE + "requests.JSON?status=open&status=closed")

    assert ids_in(response) == ["OPEN0001", "SHUT0001"]


def test_discovery_without_a_jurisdiction_among_several_forces_has_no_contact(client, force):
    ForceFactory(slug="boston")

    assert client.get(BASE + "discovery.json").json()["contact"] == ""
    assert client.get(BASE + "discovery.json", {"jurisdiction_id": "nowhere"}).status_code == 404


def test_too_many_query_parameters_get_a_readable_400(client, force, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10

    response = client.get(BASE + "services.json?" + "&".join(f"p{n}=1" for n in range(20)))

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
