"""The OpenAPI document: every schema it names is one class, and the docs page loads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.test import Client

from beatbridge.api import api


def _classes_in(core_schema: Any) -> Iterator[type]:
    """Every model, dataclass and enum a pydantic core schema describes, however nested."""
    if isinstance(core_schema, dict):
        if core_schema.get("type") in ("model", "dataclass", "enum"):
            yield core_schema["cls"]
        for value in core_schema.values():
            yield from _classes_in(value)
    elif isinstance(core_schema, list | tuple):
        for item in core_schema:
            yield from _classes_in(item)


def _documented_classes() -> Iterator[type]:
    """The classes ninja writes under components/schemas, by name, as it walks the operations."""
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if not operation.include_in_schema:
                    continue
                # ninja wraps the parameters and each response in a model of its own, which it
                # flattens away; only what those wrappers hold becomes a component.
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    if isinstance(wrapper, type):
                        for cls in _classes_in(wrapper.__pydantic_core_schema__):
                            if cls is not wrapper:
                                yield cls


def test_no_two_schema_classes_share_a_component_name():
    """ninja keys components by class name, so a second class of the same name silently
    replaces the first and the document describes the wrong body for one of them."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _documented_classes():
        by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert by_name, "no schema found: the walk no longer matches ninja's operations"
    clashes = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    assert clashes == {}


def test_every_documented_class_is_a_component():
    components = Client().get("/api/openapi.json").json()["components"]["schemas"]
    missing = {cls.__name__ for cls in _documented_classes()} - set(components)
    assert missing == set()


def test_the_docs_page_loads():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"/api/openapi.json" in response.content
