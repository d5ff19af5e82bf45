"""Charts drawn on the server as SVG: they need no script, print, and read aloud.

Each chart is an image with a title and a description for screen readers; pages
put the same figures in a table beside it, so nobody depends on seeing the
picture. Lines differ by dash as well as by colour, so the chart reads in grey.
Every piece of text goes through ``format_html``, so names from data cannot
inject markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from beatbridge.web.templatetags.site_tags import grouped_number

# Colours with at least 3:1 contrast on white, as WCAG asks of graphics.
_COLOURS = ("#0b5cad", "#8a1c00", "#1b6e3c", "#5b2a86", "#4a5560", "#7a4b00")
_DASHES = {"solid": "", "dashed": "6 4", "dotted": "2 3"}
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 12, 12, 40
_MOST_X_LABELS = 12


@dataclass(frozen=True)
class Series:
    """One line: its name (for the legend), a value per label (None for a gap), a dash."""

    name: str
    values: Sequence[float | None]
    style: str = "solid"


def nice_ticks(largest: float, *, most: int = 5) -> list[float]:
    """Round axis values from 0 to at least ``largest``, in steps of 1, 2 or 5 times 10^n."""
    if largest <= 0:
        return [0.0, 1.0]
    rough = largest / most
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    count = math.ceil(largest / step - 1e-9)
    return [round(step * index, 10) for index in range(count + 1)]


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    description: str,
    chart_id: str,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """A line chart of ``series`` over ``labels`` (months, say), with axes and a legend.

    ``chart_id`` must be unique on the page: it ties the title and description to the image.
    """
    values = [value for line in series for value in line.values if value is not None]
    ticks = nice_ticks(max(values, default=0))
    top = ticks[-1] or 1
    plot_width = width - _LEFT - _RIGHT
    plot_height = height - _TOP - _BOTTOM
    step = plot_width / max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return round(_LEFT + index * step, 1)

    def y(value: float) -> float:
        return round(_TOP + plot_height * (1 - value / top), 1)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"/>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>',
        (
            (_LEFT, width - _RIGHT, y(tick), y(tick), _LEFT - 6, y(tick) + 4, _label(tick))
            for tick in ticks
        ),
    )
    every = max(1, math.ceil(len(labels) / _MOST_X_LABELS))
    x_labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>',
        (
            (x(index), height - _BOTTOM + 18, label)
            for index, label in enumerate(labels)
            if index % every == 0 or index == len(labels) - 1
        ),
    )
    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
        'stroke-dasharray="{}" class="chart-line"/>{}',
        (
            (
                " ".join(f"{x(i)},{y(value)}" for i, value in run),
                _COLOURS[number % len(_COLOURS)],
                _DASHES.get(line.style, ""),
                _dots(run, x, y, _COLOURS[number % len(_COLOURS)]),
            )
            for number, line in enumerate(series)
            for run in _runs(line.values)
        ),
    )
    legend = format_html_join(
        "",
        '<g transform="translate({},{})"><line x1="0" x2="24" y1="0" y2="0" stroke="{}" '
        'stroke-width="2.5" stroke-dasharray="{}"/>'
        '<text x="30" y="4" class="chart-legend">{}</text></g>',
        (
            (
                _LEFT + number * (plot_width // max(len(series), 1)),
                height - 8,
                _COLOURS[number % len(_COLOURS)],
                _DASHES.get(line.style, ""),
                line.name,
            )
            for number, line in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}{}</svg>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        grid,
        x_labels,
        lines,
        legend,
    )


def bar_chart(
    *,
    items: Sequence[tuple[str, float]],
    title: str,
    description: str,
    chart_id: str,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per (label, value), in the order given; values printed.

    Each label sits above its bar, across the whole width, so long names (police.uk's
    outcomes) are never cut short.
    """
    row = 44
    height = max(row * len(items), row)
    largest = max((value for _label_text, value in items), default=0) or 1
    bar_room = width - 64
    bars = format_html_join(
        "",
        '<text x="0" y="{}" class="chart-legend">{}</text>'
        '<rect x="0" y="{}" width="{}" height="16" fill="{}"/>'
        '<text x="{}" y="{}" class="chart-axis">{}</text>',
        (
            (
                index * row + 14,
                label,
                index * row + 20,
                round(bar_room * value / largest, 1),
                _COLOURS[0],
                round(bar_room * value / largest, 1) + 6,
                index * row + 33,
                _label(value),
            )
            for index, (label, value) in enumerate(items)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        bars,
    )


def _label(value: float) -> str:
    return grouped_number(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of a line between gaps, each as (index, value) pairs."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def _dots(run: list[tuple[int, float]], x: object, y: object, colour: str) -> SafeString:
    # A lone value between gaps draws no line: a dot shows it is there.
    if len(run) != 1:
        return SafeString("")
    index, value = run[0]
    return format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', x(index), y(value), colour)  # type: ignore[operator]


@dataclass(frozen=True)
class Shade:
    """One kind of cell on an area map: its legend name and its fill."""

    name: str
    fill: str


def area_map(
    *,
    bounds: tuple[float, float, float, float],
    outlines: Sequence[dict],
    cells: Sequence[tuple[tuple[float, float, float, float], Shade]],
    title: str,
    description: str,
    chart_id: str,
    width: int = 640,
) -> SafeString:
    """A flat map of an area: GeoJSON (Multi)Polygon outlines and shaded lon/lat boxes.

    For grids of cells (hotspots) where a tile map would need the internet and script;
    the legend lists each shade used once, in the order first met.
    """
    west, south, east, north = bounds
    squash = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squash, 1e-9)
    span_y = max(north - south, 1e-9)
    plot = width - 2 * _RIGHT
    height = round(plot * span_y / span_x) + 2 * _RIGHT
    scale = plot / span_x

    def point(longitude: float, latitude: float) -> str:
        return (
            f"{round(_RIGHT + (longitude - west) * squash * scale, 1)},"
            f"{round(_RIGHT + (north - latitude) * scale, 1)}"
        )

    rectangles = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        (
            (
                round(_RIGHT + (box[0] - west) * squash * scale, 1),
                round(_RIGHT + (north - box[3]) * scale, 1),
                round((box[2] - box[0]) * squash * scale, 2),
                round((box[3] - box[1]) * scale, 2),
                shade.fill,
                shade.name,
            )
            for box, shade in cells
        ),
    )
    rings = [
        ring
        for outline in outlines
        for polygon in (
            outline["coordinates"]
            if outline["type"] == "MultiPolygon"
            else [outline["coordinates"]]
        )
        for ring in polygon
    ]
    paths = format_html_join(
        "",
        '<polygon points="{}" class="map-outline"/>',
        ((" ".join(point(x, y) for x, y, *_rest in ring),) for ring in rings),
    )
    shades = list({shade.name: shade for _box, shade in cells}.values())
    legend = format_html_join(
        "",
        '<li><span class="map-key" style="background:{}"></span>{}</li>',
        ((shade.fill, shade.name) for shade in shades),
    )
    return format_html(
        '<svg class="chart area-map" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>'
        '<ul class="map-legend">{}</ul>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        paths,
        rectangles,
        legend,
    )
