"""An officer triages a report: inbox, acknowledge, public update, resolve; axe on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from beatbridge.accounts.models import TeamRole
from beatbridge.demo.services import DEMO_OFFICER_SIGN_INS, DEMO_PASSWORD
from beatbridge.places.models import Neighbourhood
from beatbridge.reports import services
from beatbridge.reports.models import Report, Source, Status
from beatbridge.reports.tests.factories import CategoryFactory

from .journey import assert_accessible

pytestmark = pytest.mark.browser


def _a_report_in_fremont() -> Report:
    """A resident's concern at Fremont's centre, filed as the website files it."""
    fremont = Neighbourhood.objects.select_related("force").get(code="fremont")
    category = CategoryFactory(force=fremont.force, code="triage-test", name="Street light out")
    return services.submit_report(
        kind="concern",
        category=category,
        description="The street light outside the library has been out for a week.",
        place=services.Place(latitude=fremont.centre_latitude, longitude=fremont.centre_longitude),
        source=Source.WEB,
        contact=services.Contact(name="Sam Reporter", email="sam@example.org"),
    ).report


def test_an_officer_acknowledges_answers_and_resolves_a_report(page: Page):
    report = _a_report_in_fremont()

    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Triage").click()
    assert_accessible(page, "the triage home")
    page.locator("main").get_by_role("link", name="Fremont", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox: Fremont")
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "the inbox")

    page.get_by_role("link", name=report.reference).click()
    expect(page).to_have_url(re.compile(rf"/triage/reports/{report.reference}/$"))
    expect(page.locator("main")).to_contain_text("sam@example.org")
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "a report")

    page.get_by_label("Message to the reporter (optional)").fill("Thank you, we are on it.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text("Acknowledged")

    answer = "Seattle City Light will fix it on Monday."
    page.get_by_role("textbox", name="Public update").fill(answer)
    page.get_by_role("button", name="Publish the update").click()
    expect(page.locator("#history")).to_contain_text(answer)

    page.get_by_label("New status").select_option(Status.RESOLVED)
    page.get_by_role("textbox", name="Reason").fill("The light works again.")
    page.get_by_role("button", name="Change the status").click()
    expect(page.locator(".lead")).to_contain_text("Resolved")
    # Reloaded without the flash message: the layout's message list is checked elsewhere.
    page.reload()
    assert_accessible(page, "a resolved report")

    page.goto("/triage/guardrail/")
    assert_accessible(page, "the guardrail figures")

    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert report.acknowledged_at is not None
    assert report.resolved_at is not None
