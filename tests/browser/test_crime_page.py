"""A Fremont resident goes from their neighbourhood page to its crime page, reads the month
by month table, the map of street points and what happened next, and switches to one
category, with JavaScript and without. axe passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.tests.files import street_row, write_street_file
from beatbridge.demo.services import DEMO_FORCE_SLUG, DEMO_NEIGHBOURHOOD, DEMO_RESIDENTS
from beatbridge.places.models import Neighbourhood
from beatbridge.places.selectors import locate_neighbourhood_ref

from .journey import assert_accessible, sign_in

pytestmark = pytest.mark.browser

RESIDENT = DEMO_RESIDENTS[0][0]
# reverse() here also loads the URLconf before the live server's first request, which would
# otherwise spend most of its ten seconds importing every app's views and the API.
CRIME_URL = reverse(
    "crimedata:neighbourhood_crime", kwargs={"force": DEMO_FORCE_SLUG, "code": DEMO_NEIGHBOURHOOD}
)
NEIGHBOURHOOD_URL = reverse(
    "places:neighbourhood", kwargs={"force": DEMO_FORCE_SLUG, "code": DEMO_NEIGHBOURHOOD}
)


def _import_fremont_crime(folder: Path) -> None:
    """Burglaries and anti-social behaviour at Fremont's centre: this June and the June before;
    and two vehicle crimes a street away in May."""
    fremont = Neighbourhood.objects.get(force__slug=DEMO_FORCE_SLUG, code=DEMO_NEIGHBOURHOOD)
    latitude, longitude = fremont.centre_latitude, fremont.centre_longitude
    found = locate_neighbourhood_ref(latitude, longitude)
    assert found is not None and found.code == DEMO_NEIGHBOURHOOD, "Fremont's centre is outside it"
    place = {
        "latitude": str(latitude),
        "longitude": str(longitude),
        "location": "On or near Fremont Avenue",
    }
    for month, burglaries, nuisances in (("2024-06", 5, 3), ("2023-06", 2, 1)):
        counts = (("Burglary", burglaries), ("Anti-social behaviour", nuisances))
        rows = [
            street_row(month=month, crime_type=crime_type, context=str(index), **place)
            for crime_type, count in counts
            for index in range(count)
        ]
        write_street_file(folder, rows, month=month)
    nearby = {**place, "latitude": str(latitude + 0.001), "location": "On or near Leary Way"}
    assert locate_neighbourhood_ref(latitude + 0.001, longitude).code == DEMO_NEIGHBOURHOOD
    rows = [
        street_row(month="2024-05", crime_type="Vehicle crime", context=str(index), **nearby)
        for index in range(2)
    ]
    write_street_file(folder, rows, month="2024-05")
    result = import_police_uk(paths=[folder], force_slug=DEMO_FORCE_SLUG)
    assert not result.refused, result.refused


def _trend(page: Page) -> dict[str, list[str]]:
    """The month by month table as {month: [incidents, a year earlier]}."""
    return page.evaluate(
        """() => {
            const table = document.querySelector("#trend-table table");
            return Object.fromEntries([...table.tBodies[0].rows].map(row => {
                const cells = [...row.cells].map(cell => cell.textContent.trim());
                return [cells[0], cells.slice(1)];
            }));
        }"""
    )


def _read_the_map(page: Page) -> None:
    """The map shows Fremont's two street points as circles sized by their counts, and,
    zoomed out, squares shaded by the incidents they hold."""
    expect(
        page.get_by_role("region", name="Map of All crime in Fremont, street by street")
    ).to_be_visible()
    expect(page.locator("[data-map-hint]")).to_be_visible()
    points = page.locator(".leaflet-overlay-pane path.crime-point")
    cells = page.locator(".leaflet-overlay-pane path.crime-cell")
    legend = page.locator(".map-count-legend")
    # Most first, as the GeoJSON lists them: Fremont Avenue's 8, then Leary Way's 2.
    expect(points).to_have_count(2)
    busy, quiet = (points.nth(index).bounding_box() for index in range(2))
    assert busy["width"] > quiet["width"], "the circles are not sized by their counts"
    expect(legend).to_contain_text("Incidents at a street point")
    points.first.dispatch_event("mouseover")
    expect(page.get_by_role("tooltip")).to_have_text("On or near Fremont Avenue. Incidents: 8")

    page.get_by_role("button", name="Zoom out").click()
    expect(points).to_have_count(0)
    expect(cells.first).to_be_attached()
    expect(legend).to_contain_text("Incidents in a square")
    # The point's tooltip fades out as its circle goes: look for the square's own.
    cells.first.dispatch_event("mouseover")
    expect(
        page.get_by_role("tooltip").filter(has_text=re.compile(r"^Incidents in this square: \d+$"))
    ).to_be_visible()
    page.get_by_role("button", name="Zoom in").click()
    expect(points).to_have_count(2)
    expect(cells).to_have_count(0)


def test_a_resident_reads_their_neighbourhoods_crime_month_by_month(
    page: Page, browser: Browser, site: str, tmp_path: Path
):
    _import_fremont_crime(tmp_path)
    sign_in(page, RESIDENT)

    page.goto(NEIGHBOURHOOD_URL)
    page.get_by_role("link", name=re.compile("Recorded crime here")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Crime and anti-social behaviour in Fremont"
    )
    expect(page.locator("#crime-lead")).to_contain_text("from July 2023 to June 2024")
    assert_accessible(page, "the crime page")

    _read_the_map(page)
    expect(page.get_by_role("heading", name="What happened next")).to_be_visible()
    expect(page.locator("#outcomes-table tbody tr")).to_have_text(
        [re.compile(r"Under investigation\s+7\s+100%")]
    )
    expect(page.locator("#crime-figures")).to_contain_text(
        "the 3 incidents of anti-social behaviour"
    )

    page.get_by_text("The same figures as a table").click()
    expect(page.locator("#trend-table table")).to_be_visible()
    trend = _trend(page)
    assert trend["June 2024"] == ["8", "3"]
    assert trend["July 2023"] == ["0", "0"]

    # htmx swaps the figures in place (the page is not reloaded) and the address keeps the choice.
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("Category", exact=True).select_option(label="Burglary")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"category=burglary"))
    expect(page.locator("#crime-lead")).to_contain_text("Burglary recorded in the 12 months")
    expect(page.get_by_role("heading", name="Month by month: Burglary")).to_be_visible()
    page.get_by_text("The same figures as a table").click()
    assert _trend(page)["June 2024"] == ["5", "2"]
    assert page.evaluate("window.__notReloaded === true")
    # The map came back with the figures, drawing only the burglaries' point.
    expect(page.locator(".leaflet-overlay-pane path.crime-point")).to_have_count(1)
    assert_accessible(page, "the crime page, burglary only")

    # Without JavaScript the same form reloads the page with the same choice.
    context = browser.new_context(base_url=site, locale="en-US", java_script_enabled=False)
    plain = context.new_page()
    plain.goto(CRIME_URL)
    # No map without script: the table of places stands in for it.
    expect(plain.locator("[data-map]")).to_be_hidden()
    expect(plain.locator("#points-table")).to_be_visible()
    plain.get_by_label("Category", exact=True).select_option(label="Anti-social behaviour")
    plain.get_by_role("button", name="Show").click()
    expect(plain).to_have_url(re.compile(r"category=anti-social-behaviour"))
    expect(plain.locator("#trend-table tfoot tr")).to_have_text(re.compile(r"Total\s+3\s+1"))
    context.close()
