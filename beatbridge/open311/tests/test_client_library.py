"""A real Open311 client library against a live server: list, define, post, read back.

The ``georeport`` package (PyPI) reads services, definitions and requests in JSON and
XML. Version 0.3 has no method to post a service request, so the POST goes through
urllib, form-encoded exactly as the specification's example.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from georeport import GeoReport

from beatbridge.open311 import services

pytestmark = pytest.mark.django_db(transaction=True)


def post_form(url: str, fields: dict[str, str]) -> list[dict]:
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(  # noqa: S310 (the live test server, over http)
        url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201
        return json.loads(response.read())


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_a_georeport_client_lists_posts_and_reads_back(
    live_server, fremont, street_light, output_format
):
    root = f"{live_server.url}/open311/v2"
    key = services.issue_api_key(name="georeport test").key
    client = GeoReport(root, jurisdiction="seattle", output_format=output_format)

    listed = client.get_service_list()
    definition = client.get_service_definition("street-light")
    [created] = post_form(
        f"{root}/requests.json",
        {
            "api_key": key,
            "jurisdiction_id": "seattle",
            "service_code": "street-light",
            "lat": "47.6551",
            "long": "-122.3452",
            "description": "The light by the troll is out.",
            "attribute[pole-number]": "SL-1234",
            "email": "resident@example.org",
        },
    )
    reference = created["service_request_id"]
    read_back = client.get_service_request(reference)
    found = client.get_service_requests(service_request_id=reference)

    # xmltodict gives one dict for a one-item list; JSON gives the list.
    services_listed = listed if isinstance(listed, list) else [listed]
    assert [service["service_code"] for service in services_listed] == ["street-light"]
    assert definition["service_code"] == "street-light"
    assert read_back["service_request_id"] == reference
    assert read_back["status"] == "open"
    assert read_back["description"] == "The light by the troll is out."
    assert "resident@example.org" not in json.dumps(read_back)
    assert (found if isinstance(found, dict) else found[0])["service_request_id"] == reference
