"""A resident files a report and finds it in "your reports"; a tipster sends an anonymous
tip, keeps the code, reads the team's reply with it and adds more. axe on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from beatbridge.accounts.models import TeamRole, User
from beatbridge.demo.services import DEMO_OFFICER_SIGN_INS, DEMO_PASSWORD, DEMO_RESIDENTS
from beatbridge.places.models import Neighbourhood
from beatbridge.reports import services
from beatbridge.reports.models import Category, Report, ReportKind, UpdateKind
from beatbridge.reports.tests.factories import CategoryFactory

from .journey import assert_accessible

pytestmark = pytest.mark.browser

CATEGORY_NAME = "Street light out (browser test)"


def _fremont() -> Neighbourhood:
    return Neighbourhood.objects.select_related("force").get(code="fremont")


def _category() -> Category:
    """A concern category of the demo force, whether or not the demo brings its own."""
    fremont = _fremont()
    return CategoryFactory(
        force=fremont.force, code="browser-test-light", name=CATEGORY_NAME, group="Streets"
    )


def _choose_category(page: Page) -> None:
    """Pick the test's category on the first step; with one category there is no such step."""
    choice = page.get_by_label(CATEGORY_NAME, exact=True)
    if choice.count():
        choice.check()
        page.get_by_role("button", name="Continue").click()
    expect(page.locator(".chosen-category")).to_contain_text(CATEGORY_NAME)


def test_a_resident_files_a_report_with_a_pin_and_finds_it_in_their_reports(page: Page, site: str):
    _category()
    fremont = _fremont()
    email = DEMO_RESIDENTS[0][0]
    page.context.grant_permissions(["geolocation"], origin=site)
    page.context.set_geolocation(
        {"latitude": fremont.centre_latitude, "longitude": fremont.centre_longitude}
    )

    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.goto("/forces/seattle/fremont/")
    page.get_by_role("link", name="Report a concern").click()
    expect(page.locator(".emergency-first")).to_contain_text("In an emergency, call 911 now.")
    _choose_category(page)
    assert_accessible(page, "the concern form")

    page.get_by_label("What is happening?").fill(
        "The street light by the bus stop has been out for a week; the corner is dark."
    )
    # A pin on the map fills in the point; "use my location" then moves it to where we stand.
    page.locator("[data-place-map]").click()
    expect(page.locator("#id_latitude")).not_to_have_value("")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("[data-place-status]")).to_contain_text("Your location is on the map")
    expect(page.locator("#id_latitude")).to_have_value(f"{fremont.centre_latitude:.6f}")
    page.get_by_role("button", name="Send the report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your report was sent")
    report = Report.staff_objects.get(reporter__email=email)
    expect(page.locator(".reference")).to_contain_text(report.reference)
    expect(page.locator("main")).not_to_contain_text("Your follow-up code")
    assert_accessible(page, "the confirmation")

    page.locator("main").get_by_role("link", name="your reports", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/my-reports/{report.reference}/$"))
    assert_accessible(page, "your report")
    page.locator("main").get_by_role("link", name="Your reports", exact=True).click()
    expect(page.locator("main")).to_contain_text(CATEGORY_NAME)
    expect(page.locator("main")).to_contain_text("New")
    assert_accessible(page, "your reports")
    assert report.neighbourhood == fremont
    assert report.latitude == pytest.approx(fremont.centre_latitude, abs=1e-6)


def test_an_anonymous_tip_is_followed_up_with_its_code(page: Page):
    _category()
    officer = User.objects.get(email=DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER])

    page.goto("/forces/seattle/fremont/")
    page.get_by_role("link", name="Send a tip").click()
    expect(page.locator("main")).to_contain_text("This tip is anonymous.")
    _choose_category(page)
    assert_accessible(page, "the tip form")
    page.get_by_label("What is happening?").fill(
        "Packages are handed over at the corner every evening around 8 pm."
    )
    page.get_by_label("Address or landmark").fill("Corner of N 36th St and Fremont Ave N")
    page.get_by_role("button", name="Send the tip").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your tip was sent")
    code = page.locator(".code strong").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code)
    assert code not in page.url
    assert_accessible(page, "the tip's confirmation")

    tip = Report.staff_objects.get(kind=ReportKind.TIP)
    assert tip.reporter is None and tip.neighbourhood == _fremont()
    services.post_public_update(
        report=tip, by=officer, text="Thank you. Officers will walk past in the evenings."
    )

    page.get_by_role("link", name="Follow up", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow up a tip or report")
    assert_accessible(page, "the follow-up form")
    page.get_by_label("Your follow-up code").fill(code.lower())
    page.get_by_role("button", name="Open").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Report {tip.reference}")
    expect(page.locator("main")).to_contain_text("Officers will walk past in the evenings.")
    assert code not in page.url and code.lower() not in page.url
    assert_accessible(page, "the tip followed up")

    page.get_by_label("What would you like to add?").fill("It happened again on Friday at 8 pm.")
    page.get_by_role("button", name="Send").click()

    expect(page.locator("main")).to_contain_text("what you added was sent to the team")
    expect(page.locator("main")).to_contain_text("It happened again on Friday at 8 pm.")
    assert tip.updates.filter(kind=UpdateKind.REPORTER).count() == 1


def test_the_public_list_and_start_page_are_accessible(page: Page):
    report = services.submit_report(
        kind=ReportKind.CONCERN,
        category=_category(),
        description="Graffiti on the underpass wall.",
        place=services.Place(
            latitude=_fremont().centre_latitude, longitude=_fremont().centre_longitude
        ),
        source="web",
    ).report

    page.goto("/report/?force=seattle&neighbourhood=fremont")
    assert_accessible(page, "the start page")
    page.goto("/forces/seattle/fremont/reports/")
    expect(page.locator("main")).to_contain_text(report.reference)
    expect(page.locator("[data-report-map]")).to_be_visible()
    assert_accessible(page, "the public list")
    page.get_by_role("link", name=CATEGORY_NAME).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CATEGORY_NAME)
    assert_accessible(page, "a public report")
