"""The OpenAPI document describes every path, and the docs page works with no network."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

EXPECTED_PATHS = {
    "/api/v1/forces",
    "/api/v1/forces/{force}",
    "/api/v1/forces/{force}/neighbourhoods",
    "/api/v1/forces/{force}/neighbourhoods/{code}",
    "/api/v1/forces/{force}/neighbourhoods/{code}/boundary",
    "/api/v1/forces/{force}/neighbourhoods/{code}/team",
    "/api/v1/forces/{force}/boundaries",
    "/api/v1/locate",
    "/api/v1/officers/{officer_id}",
    "/api/forces",
    "/api/forces/{force}",
    "/api/forces/{force}/people",
    "/api/locate-neighbourhood",
    "/api/crime-categories",
    "/api/crimes-street/{category}",
    "/api/crimes-street-dates",
    "/api/crime-last-updated",
    "/api/crimes-at-location",
    "/api/crimes-no-location",
    "/api/outcomes-at-location",
    "/api/outcomes-for-crime/{persistent_id}",
    "/api/v1/crime-categories",
    "/api/v1/crimes",
    "/api/v1/forces/{force}/crime-counts",
    "/api/v1/forces/{force}/neighbourhoods/{code}/crime-counts",
    "/api/v1/forces/{force}/hotspots",
    "/api/{force}/neighbourhoods",
    "/api/{force}/{neighbourhood}",
    "/api/{force}/{neighbourhood}/boundary",
    "/api/{force}/{neighbourhood}/people",
    "/api/{force}/{neighbourhood}/events",
    "/api/{force}/{neighbourhood}/priorities",
}


@pytest.fixture
def schema(client: Client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _references(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def test_openapi_lists_every_path(schema):
    assert schema["openapi"].startswith("3.")
    # Each app's own tests list its paths (reports: reports/tests/test_api.py).
    assert set(schema["paths"]) >= EXPECTED_PATHS


def test_every_operation_is_documented_with_an_id_and_responses(schema):
    operations = [operation for path in schema["paths"].values() for operation in path.values()]
    ids = [operation["operationId"] for operation in operations]

    assert len(ids) == len(set(ids))
    assert all({"200", "201"} & set(operation["responses"]) for operation in operations)


def test_every_schema_reference_resolves(schema):
    components = schema["components"]["schemas"]
    references = _references(schema)

    assert references
    assert {ref.removeprefix("#/components/schemas/") for ref in references} <= set(components)


def test_docs_page_loads_swagger_from_this_server_not_a_cdn(client: Client):
    response = client.get("/api/docs")
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)

    assert response.status_code == 200
    assert not [source for source in sources if source.startswith(("http:", "https:", "//"))]
    assert any(source.endswith("swagger-ui-bundle.js") for source in sources)
    assert finders.find("ninja/swagger-ui-bundle.js")


def _response_schema(schema: dict, path: str) -> dict:
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    name = content["schema"]["$ref"].removeprefix("#/components/schemas/")
    return schema["components"]["schemas"][name]


def test_each_api_documents_its_own_neighbourhood_shape(schema):
    own = _response_schema(schema, "/api/v1/forces/{force}/neighbourhoods/{code}")
    police_uk = _response_schema(schema, "/api/{force}/{neighbourhood}")

    assert "neighbours" in own["properties"]
    assert "url_force" in police_uk["properties"]
