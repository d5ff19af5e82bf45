from __future__ import annotations

import copy

import pytest
import shapely
from shapely.geometry import shape

from beatbridge.demo.synthetic import synthetic_city
from beatbridge.errors import DomainError
from beatbridge.places import services
from beatbridge.places.models import BoundaryRevision, Neighbourhood, Sector
from beatbridge.places.services import BoundaryImportError, FeatureProblem, import_boundaries
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square

pytestmark = pytest.mark.django_db


def feature(name: str | None, geometry: dict | None, **properties: object) -> dict:
    if name is not None:
        properties["name"] = name
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def polygon(*rings: list) -> dict:
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


BOW_TIE = polygon([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])
COLLAPSED = polygon([[0, 0], [1, 1], [2, 2], [1, 1], [0, 0]])


def problems_of(force, features: list[dict], **options: object) -> list[FeatureProblem]:
    with pytest.raises(BoundaryImportError) as raised:
        import_boundaries(force=force, collection=collection(*features), **options)
    return raised.value.problems


@pytest.mark.parametrize(
    ("bad", "reason_contains"),
    [
        (
            feature("Unclosed", polygon([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0.5]])),
            "not closed",
        ),
        (feature("Too short", polygon([[0, 0], [1, 0], [0, 0]])), "at least 4"),
        (
            feature("Line", {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
            "LineString",
        ),
        (feature("Nothing", None), "no geometry"),
        (feature("North of the pole", square(0, 90)), "out of range"),
        (feature("Off the map", square(180, 0)), "out of range"),
        (feature("Text", polygon([[0, 0], ["a", 0], [1, 1], [0, 0]])), "[longitude, latitude]"),
        (feature(None, square(0, 0)), "“name”"),
        (feature("   ", square(0, 0)), "“name”"),
        (feature("Collapsed bow-tie", COLLAPSED), "cannot be repaired"),
        ({"type": "Polygon", "coordinates": []}, "not a GeoJSON Feature"),
    ],
)
def test_a_bad_feature_is_reported_by_index_and_nothing_is_written(bad, reason_contains):
    force = ForceFactory()
    good = feature("Good", square(10, 10))

    problems = problems_of(force, [good, bad])

    assert [problem.index for problem in problems] == [1]
    assert reason_contains in problems[0].reason
    assert Neighbourhood.objects.count() == 0
    assert not BoundaryRevision.objects.exists()


def test_duplicate_ids_are_reported_on_the_later_feature():
    force = ForceFactory()

    problems = problems_of(
        force,
        [feature("A", square(0, 0), ref="X1"), feature("B", square(1, 0), ref="X1")],
        id_property="ref",
    )

    assert problems == [FeatureProblem(index=1, reason="The id “X1” is also used by feature 0.")]
    assert Neighbourhood.objects.count() == 0


def test_duplicate_names_are_reported_on_the_later_feature():
    force = ForceFactory()

    problems = problems_of(
        force,
        [feature("Same", square(0, 0), ref="A"), feature("Same", square(1, 0), ref="B")],
        id_property="ref",
    )

    assert [(p.index, "“Same”" in p.reason) for p in problems] == [(1, True)]
    assert Neighbourhood.objects.count() == 0


def test_an_invalid_id_is_reported():
    force = ForceFactory()

    problems = problems_of(force, [feature("A", square(0, 0), ref="no spaces")], id_property="ref")

    assert "not valid" in problems[0].reason


def test_every_bad_feature_is_reported_not_only_the_first():
    force = ForceFactory()

    problems = problems_of(
        force,
        [feature(None, square(0, 0)), feature("B", square(1, 0)), feature("C", COLLAPSED)],
    )

    assert [problem.index for problem in problems] == [0, 2]


def test_a_self_intersecting_bow_tie_is_repaired_into_a_multipolygon():
    force = ForceFactory()

    result = import_boundaries(force=force, collection=collection(feature("Bow tie", BOW_TIE)))

    neighbourhood = Neighbourhood.objects.get()
    assert result.created == 1
    assert neighbourhood.boundary["type"] == "MultiPolygon"
    assert shape(neighbourhood.boundary).is_valid
    assert shape(neighbourhood.boundary).area == pytest.approx(0.5)


def test_skip_invalid_imports_the_good_features_and_reports_the_rest():
    force = ForceFactory()
    features = [
        feature("Good", square(0, 0)),
        feature("Line", {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
        feature("Good", square(1, 0)),
    ]

    result = import_boundaries(force=force, collection=collection(*features), skip_invalid=True)

    assert result.created == 1
    assert [problem.index for problem in result.skipped] == [1, 2]
    assert list(Neighbourhood.objects.values_list("name", flat=True)) == ["Good"]


def test_import_creates_neighbourhoods_with_ids_names_centres_and_sectors():
    force = ForceFactory()
    concave = polygon([[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]])
    features = [
        feature("Harrison/Denny-Blaine", concave, precinct="East Precinct"),
        feature("Montlake Café", square(5, 5), precinct="East Precinct"),
    ]

    result = import_boundaries(
        force=force, collection=collection(*features), sector_property="precinct"
    )

    harrison = Neighbourhood.objects.get(code="harrison-denny-blaine")
    assert (result.created, result.updated, result.skipped) == (2, 0, [])
    assert shape(harrison.boundary).contains(
        shapely.Point(harrison.centre_longitude, harrison.centre_latitude)
    )
    assert harrison.sector.slug == "east-precinct"
    assert Sector.objects.get().name == "East Precinct"
    assert Neighbourhood.objects.get(code="montlake-cafe").search_name == "montlake cafe"
    assert BoundaryRevision.objects.exists()


def test_stored_boundary_is_plain_json_rounded_to_seven_decimals():
    force = ForceFactory()
    ring = [[0.123456789, 0], [1, 0], [1, 1], [0, 1], [0.123456789, 0]]

    import_boundaries(force=force, collection=collection(feature("Round", polygon(ring))))

    coordinates = Neighbourhood.objects.get().boundary["coordinates"]
    assert isinstance(coordinates[0][0], list)
    assert [0.1234568, 0.0] in coordinates[0]


def test_reimport_updates_in_place_and_keeps_ids():
    force = ForceFactory()
    first = collection(
        feature("Alpha", square(0, 0), ref="A", precinct="North"),
        feature("Beta", square(1, 0), ref="B", precinct="North"),
    )
    import_boundaries(force=force, collection=first, id_property="ref", sector_property="precinct")
    ids_before = dict(Neighbourhood.objects.values_list("code", "pk"))
    token_before = BoundaryRevision.objects.get().token
    second = collection(
        feature("Alpha Renamed", square(5, 5), ref="A", precinct="South"),
        feature("Beta", square(1, 0), ref="B", precinct="North"),
        feature("Gamma", square(2, 0), ref="C", precinct="North"),
    )

    result = import_boundaries(
        force=force, collection=second, id_property="ref", sector_property="precinct"
    )

    alpha = Neighbourhood.objects.get(code="A")
    assert (result.created, result.updated) == (1, 2)
    assert alpha.pk == ids_before["A"]
    assert Neighbourhood.objects.get(code="B").pk == ids_before["B"]
    assert (alpha.name, alpha.search_name, alpha.sector.name) == (
        "Alpha Renamed",
        "alpha renamed",
        "South",
    )
    assert alpha.boundary == square(5, 5)
    assert (alpha.centre_longitude, alpha.centre_latitude) == pytest.approx((5.005, 5.005))
    assert BoundaryRevision.objects.get().token != token_before


def test_import_without_a_sector_property_leaves_sectors_alone():
    force = ForceFactory()
    import_boundaries(
        force=force,
        collection=collection(feature("Alpha", square(0, 0), precinct="North")),
        sector_property="precinct",
    )

    import_boundaries(force=force, collection=collection(feature("Alpha", square(1, 1))))

    assert Neighbourhood.objects.get().sector.name == "North"


def test_same_ids_in_another_force_are_other_neighbourhoods():
    north, south = ForceFactory(), ForceFactory()
    city = collection(feature("Alpha", square(0, 0)))

    import_boundaries(force=north, collection=city)
    result = import_boundaries(force=south, collection=city)

    assert result.created == 1
    assert Neighbourhood.objects.filter(code="alpha").count() == 2


def test_a_document_that_is_not_a_feature_collection_is_refused():
    with pytest.raises(DomainError) as raised:
        import_boundaries(force=ForceFactory(), collection={"type": "Feature"})

    assert raised.value.field == "collection"


def test_progress_is_reported_for_every_feature():
    calls = []

    import_boundaries(
        force=ForceFactory(),
        collection=collection(feature("A", square(0, 0)), feature("B", square(1, 0))),
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls == [(1, 2), (2, 2)]


def test_a_thousand_neighbourhoods_import_and_reimport_in_batches(django_assert_max_num_queries):
    force = ForceFactory()
    city = synthetic_city(1000, seed=3)

    # Batched: SQLite takes about 60 rows a statement, where a query a row would be 1,000.
    with django_assert_max_num_queries(60):
        first = import_boundaries(force=force, collection=city, sector_property="sector")
    with django_assert_max_num_queries(10):
        second = import_boundaries(force=force, collection=copy.deepcopy(city))

    assert (first.created, second.updated) == (1000, 1000)
    assert Neighbourhood.objects.filter(force=force).count() == 1000


def test_code_from_name_makes_a_valid_id():
    assert services.code_from_name("Harrison/Denny-Blaine") == "harrison-denny-blaine"
    assert services.code_from_name("  Peña Blanca  ") == "pena-blanca"


def test_change_boundary_stores_the_repaired_shape_and_moves_the_centre():
    neighbourhood = NeighbourhoodFactory()
    services.mark_boundaries_changed()
    token = BoundaryRevision.objects.get().token

    services.change_boundary(neighbourhood=neighbourhood, boundary=BOW_TIE)

    neighbourhood.refresh_from_db()
    assert neighbourhood.boundary["type"] == "MultiPolygon"
    assert 0 <= neighbourhood.centre_longitude <= 1
    assert BoundaryRevision.objects.get().token != token


def test_change_boundary_refuses_a_bad_shape_naming_the_field():
    neighbourhood = NeighbourhoodFactory()
    before = neighbourhood.boundary

    with pytest.raises(DomainError) as raised:
        services.change_boundary(neighbourhood=neighbourhood, boundary=COLLAPSED)

    neighbourhood.refresh_from_db()
    assert raised.value.field == "boundary"
    assert neighbourhood.boundary == before
