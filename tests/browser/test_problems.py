"""Fremont's officer starts a problem-solving project, draws its area on the map, takes it
from scanning through analysis (a side of the triangle) and response (an action) to an
assessment, reads the figures with their formulas, decides to close it and publishes a
summary, which a visitor then finds on Fremont's page. axe on the project page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from beatbridge.accounts.models import TeamRole
from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.tests.files import street_row, write_street_file
from beatbridge.demo.services import DEMO_FORCE_SLUG, DEMO_NEIGHBOURHOOD, DEMO_OFFICER_SIGN_INS
from beatbridge.places.models import Neighbourhood
from beatbridge.problems.models import Assessment, Project, Stage

from .journey import assert_accessible, sign_in

pytestmark = pytest.mark.browser

TITLE = "Burglaries around the Fremont library"
SUMMARY = "Lighting went in behind the library and burglaries fell from 15 to 6."


def _square(latitude: float, longitude: float, half: float = 0.001) -> dict:
    west, east = round(longitude - half, 6), round(longitude + half, 6)
    south, north = round(latitude - half, 6), round(latitude + half, 6)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _import_burglaries(folder: Path, fremont: Neighbourhood) -> tuple[dict, dict]:
    """Burglaries at Fremont's centre (5 a month, then 2) and at a place 2 km north (4 a
    month throughout), January to June 2024: the response and comparison areas."""
    here = (fremont.centre_latitude, fremont.centre_longitude)
    there = (here[0] + 0.02, here[1])
    for number in range(1, 7):
        month = f"2024-{number:02d}"
        rows = []
        for (latitude, longitude), count, street in (
            (here, 5 if number <= 3 else 2, "On or near Library Lane"),
            (there, 4, "On or near Far Avenue"),
        ):
            rows += [
                street_row(
                    month=month,
                    latitude=str(latitude),
                    longitude=str(longitude),
                    location=street,
                    context=f"{street} {index}",
                )
                for index in range(count)
            ]
        write_street_file(folder, rows, month=month)
    result = import_police_uk(paths=[folder], force_slug=DEMO_FORCE_SLUG)
    assert not result.refused, result.refused
    return _square(*here), _square(*there)


def _stage_is(page: Page, label: str) -> None:
    expect(page.locator('#stages li[aria-current="step"]')).to_contain_text(label)


def test_an_officer_takes_a_project_from_scanning_to_a_published_assessment(
    page: Page, browser: Browser, site: str, tmp_path: Path
):
    fremont = Neighbourhood.objects.get(force__slug=DEMO_FORCE_SLUG, code=DEMO_NEIGHBOURHOOD)
    response_area, comparison_area = _import_burglaries(tmp_path, fremont)
    sign_in(page, DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER])

    page.get_by_role("link", name="Problem solving", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem-solving projects")
    page.get_by_role("link", name="Start a project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a problem-solving project")
    assert_accessible(page, "the start form")

    # Scanning: the area drawn with three clicks, then replaced by the one typed.
    page.get_by_role("checkbox", name="Fremont", exact=True).check()
    page.get_by_label(re.compile(r"^The problem:?$")).fill(TITLE)
    page.get_by_label(re.compile(r"^What happens")).fill("Cars broken into at night.")
    page.get_by_label(re.compile(r"^Crime series")).select_option(label="Burglary")
    drawing = page.get_by_role("region", name="Map to draw the problem's area")
    expect(drawing).to_be_visible()
    for x, y in ((60, 60), (160, 60), (110, 140)):
        drawing.click(position={"x": x, "y": y})
    page.get_by_role("button", name="Finish the area").click()
    expect(page.get_by_role("status").filter(has_text="The area is drawn")).to_be_visible()
    area = page.get_by_label(re.compile(r"^Area:?$"))
    drawn = json.loads(area.input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 4
    assert drawn["coordinates"][0][0] == drawn["coordinates"][0][-1]
    area.fill(json.dumps(response_area))
    page.get_by_role("button", name="Start the project").click()
    expect(page.locator(".messages")).to_contain_text("The project has started, in scanning.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    _stage_is(page, "Scanning")

    # Analysis: one side of the triangle.
    page.get_by_role("button", name="Move to Analysis").click()
    _stage_is(page, "Analysis")
    page.get_by_text("Edit the triangle").click()
    page.get_by_label(re.compile(r"^Place:?$")).fill("An unlit car park behind the library.")
    page.get_by_role("button", name="Save the analysis").click()
    expect(page.locator(".messages")).to_contain_text("The analysis has been saved.")
    expect(page.locator("#triangle")).to_contain_text("An unlit car park behind the library.")

    # Response: an action the officer owns.
    page.get_by_role("button", name="Move to Response").click()
    _stage_is(page, "Response")
    page.get_by_label(re.compile(r"^What will be done")).fill("Ask the library for lighting.")
    owner = page.get_by_label(re.compile(r"^Owner:?$"))
    owner.select_option(index=1)
    page.get_by_role("button", name="Plan the action").click()
    expect(page.locator(".messages")).to_contain_text("The action has been planned.")
    expect(page.locator("#response article")).to_contain_text("Ask the library for lighting.")

    # Assessment: the response area is the project's; the rest typed.
    response_field = page.get_by_label(re.compile(r"^Response area:?$"))
    assert json.loads(response_field.input_value()) == response_area
    page.get_by_label(re.compile(r"^Comparison area:?$")).fill(json.dumps(comparison_area))
    page.get_by_label(re.compile(r"^Before: first month")).fill("2024-01")
    page.get_by_label(re.compile(r"^Before: last month")).fill("2024-03")
    page.get_by_label(re.compile(r"^After: first month")).fill("2024-04")
    page.get_by_label(re.compile(r"^After: last month")).fill("2024-06")
    page.locator("#assessment").get_by_label(re.compile(r"^Category:?$")).select_option(
        label="Burglary"
    )
    page.get_by_role("button", name="Count and assess").click()
    expect(page.locator(".messages")).to_contain_text("The assessment has been recorded.")
    _stage_is(page, "Assessment")
    figures = page.locator("#assessment article")
    expect(figures.get_by_role("row", name=re.compile("Response area"))).to_contain_text("15")
    expect(figures).to_contain_text("Change in the response area: -60.0")
    expect(figures).to_contain_text("(6 - 15) / 15 * 100 = -60.0%")
    expect(figures).to_contain_text("(Da/Ca - Db/Cb) / (Ra/Ca - Rb/Cb)")
    page.reload()
    assert_accessible(page, "the project page with an assessment")

    # The decision, then the public summary.
    page.get_by_role("radio", name=re.compile("^Close")).check()
    page.get_by_label(re.compile(r"^Why:?$")).fill("Burglary fell by more than half.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".messages")).to_contain_text("The decision has been recorded.")
    page.locator("textarea[name=public_summary]").fill(SUMMARY)
    page.get_by_role("button", name="Publish the summary").click()
    expect(page.locator(".messages")).to_contain_text("The summary has been published.")

    project = Project.objects.get(title=TITLE)
    assert project.stage == Stage.CLOSED
    assert project.area == response_area
    assert Assessment.objects.get(project=project).counts["response"] == [15, 6]

    # Anyone finds it on Fremont's page.
    visitor = browser.new_context(base_url=site, locale="en-US").new_page()
    visitor.goto(f"/forces/{DEMO_FORCE_SLUG}/{DEMO_NEIGHBOURHOOD}/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator("main")).to_contain_text(SUMMARY)
    assert_accessible(visitor, "the published project")
    visitor.context.close()
