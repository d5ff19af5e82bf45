"""What every browser journey does: sign in, and check a page with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from beatbridge.demo.services import DEMO_PASSWORD

from .axe import describe_violations, serious_accessibility_violations


def assert_accessible(page: Page, what: str) -> None:
    """No serious or critical axe finding on the page once it has settled."""
    page.wait_for_load_state("networkidle")
    violations = serious_accessibility_violations(page)
    assert not violations, f"axe, {what}:\n{describe_violations(violations)}"


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
