"""Server-side SVG charts: scaled right, gaps kept, names escaped, labelled for readers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from beatbridge.web.charts import Series, Shade, area_map, bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (our own markup)


def test_nice_ticks_cover_the_largest_value_in_round_steps():
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(130) == [0, 50, 100, 150]
    assert nice_ticks(0.3) == [0, 0.1, 0.2, 0.3]
    assert nice_ticks(0) == [0, 1]


def test_a_line_chart_places_values_on_the_scale():
    chart = _parse(
        line_chart(
            labels=["Jan", "Feb", "Mar"],
            series=[Series("Fremont", [0, 5, 10])],
            title="Burglary",
            description="Up from 0 to 10.",
            chart_id="burglary",
        )
    )
    [line] = chart.findall(f"{SVG}polyline")
    points = [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
    ys = [point[1] for point in points]
    # 10 is the top tick: the highest point; 0 the baseline: the lowest; 5 half way.
    assert ys[2] < ys[1] < ys[0]
    assert abs((ys[0] + ys[2]) / 2 - ys[1]) < 0.2
    xs = [point[0] for point in points]
    assert xs == sorted(xs)


def test_a_gap_splits_the_line_and_a_lone_value_gets_a_dot():
    chart = _parse(
        line_chart(
            labels=["a", "b", "c", "d", "e"],
            series=[Series("x", [1, 2, None, 3, None])],
            title="t",
            description="d",
            chart_id="gap",
        )
    )
    assert len(chart.findall(f"{SVG}polyline")) == 2
    assert len(chart.findall(f"{SVG}circle")) == 1


def test_the_chart_is_an_image_named_by_its_title_and_description():
    chart = _parse(
        line_chart(
            labels=["Jan"],
            series=[Series("x", [1]), Series("a year earlier", [2], style="dashed")],
            title="Burglary",
            description="One line per year.",
            chart_id="c1",
        )
    )
    assert chart.get("role") == "img"
    assert chart.get("aria-labelledby") == "c1-title c1-desc"
    assert chart.find(f"{SVG}title").text == "Burglary"
    assert chart.find(f"{SVG}desc").text == "One line per year."
    dashes = [line.get("stroke-dasharray") for line in chart.iter(f"{SVG}polyline")]
    assert "" in dashes or None in dashes


def test_names_from_data_are_escaped():
    markup = str(
        line_chart(
            labels=["<b>Jan</b>"],
            series=[Series('<script>alert("x")</script>', [1])],
            title="<i>t</i>",
            description="d",
            chart_id="esc",
        )
    )
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup
    _parse(markup)


def test_bar_chart_bars_are_proportional_and_labelled():
    chart = _parse(
        bar_chart(
            items=[("No suspect identified", 40), ("Under investigation", 10)],
            title="Outcomes",
            description="d",
            chart_id="o",
        )
    )
    widths = [float(rect.get("width")) for rect in chart.findall(f"{SVG}rect")]
    assert widths[0] == 4 * widths[1]
    texts = [text.text for text in chart.findall(f"{SVG}text")]
    assert "No suspect identified" in texts and "40" in texts
    assert re.match(r"^0 0 640 \d+$", chart.get("viewBox"))


def test_an_area_map_draws_outlines_and_cells_where_they_lie():
    hot = Shade("Hot spot, 99% confidence", "#8a1c00")
    markup = area_map(
        bounds=(0.0, 0.0, 1.0, 1.0),
        outlines=[{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}],
        cells=[((0.0, 0.5, 0.5, 1.0), hot), ((0.5, 0.0, 1.0, 0.5), hot)],
        title="Hotspots",
        description="Two hot cells.",
        chart_id="h",
    )
    svg, legend = str(markup).split("</svg>")
    chart = _parse(svg + "</svg>")
    first, second = chart.findall(f"{SVG}rect")
    # North is up: the north-west cell starts at the top left, the south-east one below it.
    assert float(first.get("y")) < float(second.get("y"))
    assert float(first.get("x")) < float(second.get("x"))
    assert first.find(f"{SVG}title").text == "Hot spot, 99% confidence"
    assert len(chart.findall(f"{SVG}polygon")) == 1
    assert legend.count("<li>") == 1
