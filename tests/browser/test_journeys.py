"""A resident finds their neighbourhood and sees who polices it, in English, Spanish and Arabic."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from beatbridge.accounts.models import OfficerProfile, TeamRole
from beatbridge.demo.services import DEMO_OFFICER_SIGN_INS

pytestmark = pytest.mark.browser


def _fremont_officer_name() -> str:
    """The demo's Fremont neighbourhood officer, whose name the team list must show."""
    email = DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER]
    return OfficerProfile.objects.get(user__email=email).display_name


def _switch_language(page: Page, code: str) -> None:
    """Use the switcher as a visitor does: choose the language, press the button."""
    switcher = page.locator("form.language-switcher")
    switcher.locator("select").select_option(code)
    switcher.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _find_fremont_and_open_it(page: Page) -> None:
    """Search by part of the name, pick the result: the journey from the home page."""
    page.get_by_role("searchbox").fill("fremo")
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"/neighbourhoods/\?q=fremo"))
    page.locator("main").get_by_role("link", name="Fremont", exact=True).click()
    expect(page).to_have_url(re.compile(r"/forces/seattle/fremont/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fremont")


def test_a_resident_finds_their_neighbourhood_and_sees_its_team_in_english(page: Page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find your neighbourhood")

    _find_fremont_and_open_it(page)

    expect(page.locator("main")).to_contain_text(_fremont_officer_name())


def test_a_resident_finds_their_neighbourhood_and_sees_its_team_in_spanish(page: Page):
    """The language chosen on the home page stays chosen on every page after it."""
    page.goto("/")

    _switch_language(page, "es")

    expect(page.get_by_role("heading", level=1)).to_have_text("Encuentra tu barrio")
    _find_fremont_and_open_it(page)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("main")).to_contain_text(_fremont_officer_name())


def test_arabic_lays_pages_out_right_to_left(page: Page):
    page.goto("/")

    _switch_language(page, "ar")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto("/forces/seattle/fremont/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main")).to_contain_text(_fremont_officer_name())
