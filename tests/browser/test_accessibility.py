"""axe-core finds no serious or critical accessibility problem on the public pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .axe import describe_violations, serious_accessibility_violations

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "search results": "/neighbourhoods/?q=park",
    "neighbourhood": "/forces/seattle/fremont/",
    "force": "/forces/seattle/",
    "sign-in": "/accounts/sign-in/",
}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_public_pages_have_no_serious_accessibility_violations(
    page: Page, site: str, language: str
):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    findings = {}
    for name, path in PAGES.items():
        response = page.goto(path)
        assert response is not None
        assert response.ok, f"The {name} page ({path}) answered {response.status}"
        page.wait_for_load_state("networkidle")
        if violations := serious_accessibility_violations(page):
            findings[f"{name} ({path})"] = describe_violations(violations)

    assert not findings, f"axe, pages in {language!r}:\n" + "\n".join(
        f"{where}:\n{found}" for where, found in findings.items()
    )
