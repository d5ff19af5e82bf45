"""Gi* hotspots: agree with PySAL's esda.G_Local(star=True), on full and masked grids."""

from __future__ import annotations

import math

import numpy as np
import pytest

from beatbridge.crimedata.hotspots import (
    CELL_SIZES,
    Grid,
    confidence_classes,
    default_cell_metres,
    gi_star,
)


def _queen_neighbours(inside: np.ndarray, radius: int = 1) -> dict[int, list[int]]:
    """Each cell of the mask (numbered in row order among mask cells) and its neighbours."""
    positions = {cell: index for index, cell in enumerate(zip(*np.nonzero(inside), strict=True))}
    neighbours = {}
    for (row, column), index in positions.items():
        neighbours[index] = [
            positions[(row + dr, column + dc)]
            for dr in range(-radius, radius + 1)
            for dc in range(-radius, radius + 1)
            if (dr or dc) and (row + dr, column + dc) in positions
        ]
    return neighbours


def _esda_z(counts: np.ndarray, inside: np.ndarray, radius: int = 1) -> np.ndarray:
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    weights = libpysal.weights.W(_queen_neighbours(inside, radius), silence_warnings=True)
    local = esda.G_Local(
        counts[inside].astype(float), weights, transform="B", star=True, permutations=0
    )
    return np.asarray(local.Zs)


def test_gi_star_matches_esda_on_a_full_grid():
    rng = np.random.default_rng(7)
    counts = rng.poisson(2, size=(30, 40)).astype(float)
    counts[10:13, 20:23] += 15  # a hot spot

    ours = gi_star(counts)
    expected = _esda_z(counts, np.ones(counts.shape, dtype=bool))

    np.testing.assert_allclose(ours.z.ravel(), expected, rtol=1e-9, atol=1e-9)
    assert ours.confidence[11, 21] == 99


def test_gi_star_matches_esda_with_a_mask_and_a_wider_window():
    rng = np.random.default_rng(11)
    counts = rng.poisson(1.5, size=(25, 25)).astype(float)
    rows, columns = np.mgrid[0:25, 0:25]
    inside = (rows - 12) ** 2 + (columns - 12) ** 2 <= 121  # a round study area

    ours = gi_star(counts, mask=inside, radius=2)
    expected = _esda_z(counts, inside, radius=2)

    np.testing.assert_allclose(ours.z[inside], expected, rtol=1e-9, atol=1e-9)
    assert (ours.z[~inside] == 0).all() and (ours.p[~inside] == 1).all()


def test_a_uniform_area_has_no_hot_spots():
    result = gi_star(np.full((10, 10), 3.0))

    assert (result.z == 0).all()
    assert (result.confidence == 0).all()


def test_confidence_classes_follow_the_two_sided_thresholds():
    z = np.array([0.0, 1.65, 1.96, 2.58, -1.7, -2.0, -3.0, 1.6])

    assert confidence_classes(z).tolist() == [0, 90, 95, 99, -90, -95, -99, 0]


def test_p_values_are_two_sided():
    counts = np.zeros((9, 9))
    counts[4, 4] = 50
    result = gi_star(counts)

    z = result.z[4, 4]
    assert result.p[4, 4] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))


def test_the_grid_counts_points_into_square_cells_on_the_ground():
    grid = Grid.over((-122.35, 47.65, -122.34, 47.66), metres=250)

    # 0.01° of longitude at 47.655° is about 750 m, of latitude about 1,112 m.
    assert (grid.columns, grid.rows) == (3, 5)
    counts = grid.counts(
        np.array([47.6501, 47.6502, 47.6599, 48.0]),
        np.array([-122.3499, -122.3498, -122.3401, -122.345]),
        np.array([2, 3, 1, 100]),
    )
    assert counts[0, 0] == 5
    assert counts[4, 2] == 1
    assert counts.sum() == 6  # the point off the grid is left out
    west, south, east, _north = grid.bounds_of(0, 0)
    assert (west, south) == (-122.35, 47.65)
    assert (east - west) * grid.metres_per_degree_lng == pytest.approx(250)


def test_the_default_cell_gives_a_few_thousand_cells():
    seattle = 217e6  # square metres
    size = default_cell_metres(seattle)

    assert size in CELL_SIZES
    assert 1000 < seattle / size**2 < 10000
    assert default_cell_metres(0) == CELL_SIZES[0]


@pytest.fixture
def hot_corner(fremont, tmp_path):
    """Fremont with 40 burglaries at one street point and one incident at each of 24 others."""
    from beatbridge.crimedata.importing import import_police_uk
    from beatbridge.crimedata.tests.files import street_row, write_street_file

    rows = [
        street_row(
            latitude="47.6512",
            longitude="-122.3488",
            location="On or near Hot Lane",
            context=str(n),
        )
        for n in range(40)
    ]
    for n in range(24):
        rows.append(
            street_row(
                crime_type="Vehicle crime",
                latitude=f"{47.6505 + 0.0019 * (n % 5):.4f}",
                longitude=f"{-122.3495 + 0.0019 * (n // 5):.4f}",
                location=f"On or near Street {n}",
            )
        )
    write_street_file(tmp_path, rows, month="2017-07")
    import_police_uk(paths=[tmp_path], force_slug=fremont.force.slug)
    return fremont


@pytest.mark.django_db
def test_the_hotspot_map_finds_the_hot_corner_and_lists_repeat_locations(hot_corner):
    import datetime

    from beatbridge.crimedata.selectors.hotspots import hotspot_map

    july = datetime.date(2017, 7, 1)
    found = hotspot_map(
        force=hot_corner.force,
        neighbourhoods=[hot_corner],
        category=None,
        first_month=july,
        last_month=july,
        cell_metres=100,
    )

    assert found.incidents == 64
    assert sum(cell.incidents for cell in found.cells) == 64
    [hot_cell] = [
        cell
        for cell in found.cells
        if cell.bounds[0] <= -122.3488 <= cell.bounds[2]
        and cell.bounds[1] <= 47.6512 <= cell.bounds[3]
    ]
    assert (hot_cell.incidents, hot_cell.confidence) == (40, 99)
    assert hot_cell in found.significant()[:9]
    assert not found.significant(hot=False)
    assert found.repeat_locations[0].name == "On or near Hot Lane"
    assert found.repeat_locations[0].incidents == 40
    burglary = hotspot_map(
        force=hot_corner.force,
        neighbourhoods=[hot_corner],
        category="vehicle-crime",
        first_month=july,
        last_month=july,
        cell_metres=100,
    )
    assert burglary.incidents == 24
    assert not [cell for cell in burglary.significant() if cell.incidents == 40]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cell", "radius", "field"), [(10, 1, "cell"), (9000, 1, "cell"), (100, 4, "radius")]
)
def test_the_hotspot_map_refuses_bad_cells_and_windows(hot_corner, cell, radius, field):
    import datetime

    from beatbridge.crimedata.selectors.hotspots import hotspot_map
    from beatbridge.errors import DomainError

    with pytest.raises(DomainError) as refused:
        hotspot_map(
            force=hot_corner.force,
            category=None,
            first_month=datetime.date(2017, 7, 1),
            last_month=datetime.date(2017, 7, 1),
            cell_metres=cell,
            radius=radius,
        )
    assert refused.value.field == field


@pytest.mark.django_db
def test_the_hotspot_api_answers_geojson_to_anyone(client, hot_corner):
    from beatbridge.accounts.tests.factories import UserFactory

    url = "/api/v1/forces/seattle/hotspots?neighbourhood=N-FRE&month_from=2017-07&cell=100"
    anonymous = client.get(url)
    client.force_login(UserFactory())
    signed_in = client.get(url)

    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous["Content-Type"] == "application/geo+json"
    body = anonymous.json()
    assert body["metadata"]["cell_metres"] == 100
    assert body["metadata"]["incidents"] == 64
    assert sum(f["properties"]["incidents"] for f in body["features"]) == 64
    assert max(f["properties"]["confidence"] for f in body["features"]) == 99
    assert body["repeat_locations"][0]["name"] == "On or near Hot Lane"
    assert signed_in.json() == body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [("cell=5", "cell"), ("radius=9", "radius"), ("month_from=2017-13", "month_from")],
)
def test_the_hotspot_api_names_a_bad_parameter(client, hot_corner, query, field):
    response = client.get(f"/api/v1/forces/seattle/hotspots?{query}")

    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.django_db
def test_the_hotspot_api_is_empty_without_data_and_404_for_an_unknown_force(client, fremont):
    assert client.get("/api/v1/forces/seattle/hotspots").json()["features"] == []
    assert client.get("/api/v1/forces/nowhere/hotspots").status_code == 404


@pytest.mark.django_db
def test_the_hotspot_page_shows_the_map_spots_and_repeat_locations(client, hot_corner):
    from beatbridge.accounts.tests.factories import UserFactory

    url = "/forces/seattle/crime/hotspots/?neighbourhood=N-FRE&cell=100"
    anonymous = client.get(url)
    client.force_login(UserFactory())
    signed_in = client.get(url)

    assert anonymous.status_code == signed_in.status_code == 200
    page = anonymous.content.decode()
    assert 'role="img"' in page and "Hot spot, 99% confidence" in page
    hot = anonymous.context["hot"]
    assert hot[0].confidence > 0
    assert any(cell.street == "On or near Hot Lane" and cell.incidents == 40 for cell in hot)
    assert anonymous.context["found"].repeat_locations[0].incidents == 40
    assert "/api/v1/forces/seattle/hotspots?neighbourhood=N-FRE" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["cell=7", "month_from=2017-13", "neighbourhood=NOPE", "radius=9"]
)
def test_the_hotspot_page_names_a_bad_choice_without_failing(client, hot_corner, query):
    response = client.get(f"/forces/seattle/crime/hotspots/?{query}")

    assert response.status_code == 400
    assert response.context["form"].errors


@pytest.mark.django_db
def test_the_hotspot_page_of_an_unknown_force_is_404_and_says_when_there_is_no_data(
    client, fremont
):
    assert client.get("/forces/nowhere/crime/hotspots/").status_code == 404
    empty = client.get("/forces/seattle/crime/hotspots/")
    assert empty.status_code == 200
    assert "has no crime figures yet" in empty.content.decode()
