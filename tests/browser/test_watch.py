"""A resident follows Fremont's alerts and joins a watch scheme; its coordinator approves
them in another browser; the resident signs up for a patrol. axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from beatbridge.accounts.models import User
from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.demo.services import DEMO_PASSWORD, DEMO_RESIDENTS
from beatbridge.notify.models import Follow
from beatbridge.places.models import Neighbourhood
from beatbridge.watch.models import MemberRole, Membership, MembershipStatus, RotaSignup
from beatbridge.watch.tests.factories import MembershipFactory, RotaSlotFactory, SchemeFactory

from .journey import assert_accessible, sign_in

pytestmark = pytest.mark.browser

COORDINATOR_PASSWORD = "coordinator-walks-the-beat"


def test_a_resident_follows_fremont_and_joins_a_scheme_with_a_patrol(
    page: Page, browser: Browser, site: str
):
    fremont = Neighbourhood.objects.select_related("force").get(code="fremont")
    coordinator = UserFactory(
        full_name="Casey Coordinator", email="casey@example.org", password=COORDINATOR_PASSWORD
    )
    scheme = SchemeFactory(
        neighbourhood=fremont,
        name="Troll Avenue watch",
        streets=["Troll Avenue N", "N 36th Street"],
        proposed_by=coordinator,
    )
    MembershipFactory(scheme=scheme, user=coordinator, role=MemberRole.COORDINATOR)
    slot = RotaSlotFactory(scheme=scheme, route="Troll Avenue to the canal", created_by=coordinator)
    resident_email, resident_name, _language, _home = DEMO_RESIDENTS[0]
    resident = User.objects.get(email=resident_email)

    # The resident follows the neighbourhood's alerts from its page.
    sign_in(page, resident_email, DEMO_PASSWORD)
    page.goto(f"/forces/{fremont.force.slug}/{fremont.code}/")
    stay_informed = page.locator("#stay-informed")
    expect(stay_informed.get_by_role("heading", name="Alerts from the team")).to_be_visible()
    assert_accessible(page, "Fremont's page, signed in")
    stay_informed.get_by_role("button", name="Follow this neighbourhood's alerts").click()
    expect(page.get_by_role("status")).to_contain_text("You follow Fremont")
    expect(
        stay_informed.get_by_role("button", name="Stop following this neighbourhood")
    ).to_be_visible()
    assert Follow.objects.filter(user=resident, neighbourhood=fremont).count() == 1

    page.get_by_role("link", name="Alerts", exact=True).click()
    page.get_by_role("link", name="Places you follow").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Places you follow")
    expect(page.locator("main").get_by_role("link", name="Fremont", exact=True)).to_be_visible()
    assert_accessible(page, "places you follow")

    # Then the neighbourhood's watch schemes, and asks to join one.
    page.get_by_role("link", name="Fremont", exact=True).click()
    page.get_by_role("link", name="Neighbourhood watch schemes here").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neighbourhood watch in Fremont")
    assert_accessible(page, "Fremont's watch schemes")
    page.get_by_role("link", name="Troll Avenue watch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Troll Avenue watch")
    expect(page.locator("main")).to_contain_text("Troll Avenue N")
    assert_accessible(page, "a scheme, to join")
    page.get_by_label("A note to the coordinators (optional)").fill("I live at the canal end.")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_role("status")).to_contain_text("Your request is sent")
    expect(page.get_by_text("You have asked to join.")).to_be_visible()
    assert_accessible(page, "a scheme, asked to join")
    request = Membership.objects.get(scheme=scheme, user=resident)
    assert (request.status, request.note) == (
        MembershipStatus.REQUESTED,
        "I live at the canal end.",
    )

    # The coordinator, in their own browser, approves the request.
    coordinator_context = browser.new_context(base_url=site, locale="en-US")
    coordinator_context.set_default_timeout(10_000)
    try:
        coordinator_page = coordinator_context.new_page()
        sign_in(coordinator_page, coordinator.email, COORDINATOR_PASSWORD)
        coordinator_page.get_by_role("link", name="Watch schemes").click()
        coordinator_page.get_by_role("link", name="Troll Avenue watch").click()
        assert_accessible(coordinator_page, "a scheme, to its coordinator")
        coordinator_page.get_by_role("link", name="Requests to join").click()
        expect(coordinator_page.get_by_role("heading", level=1)).to_have_text(
            "Requests to join Troll Avenue watch"
        )
        waiting = coordinator_page.locator("main li").filter(has_text=resident_name)
        expect(waiting).to_contain_text("I live at the canal end.")
        assert_accessible(coordinator_page, "requests to join")
        waiting.get_by_role("button", name="Approve").click()
        expect(coordinator_page.get_by_role("status")).to_contain_text("The request is approved.")
        expect(coordinator_page.get_by_text("Nobody is waiting.")).to_be_visible()
    finally:
        coordinator_context.close()
    request.refresh_from_db()
    assert request.status == MembershipStatus.APPROVED

    # The resident, a member now, reads the members' page and signs up for the patrol.
    page.reload()
    expect(page.get_by_role("heading", name="You are a member")).to_be_visible()
    page.get_by_role("link", name="Members' page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of Troll Avenue watch")
    members = page.get_by_role("region", name="Members", exact=True)
    expect(members).to_contain_text("Casey Coordinator · Coordinator")
    expect(members).to_contain_text(resident_name)
    patrol = page.locator("#rota li").filter(has_text="Troll Avenue to the canal")
    expect(patrol).to_contain_text("0 of 2 places taken")
    assert_accessible(page, "the members' page")
    sign_up = patrol.get_by_role("button", name="Sign up")
    # Several slots, several "Sign up" buttons: each says which slot it is for.
    expect(sign_up).to_have_accessible_description(re.compile("Troll Avenue to the canal"))
    sign_up.click()
    expect(page.get_by_role("status")).to_contain_text("You are on the rota.")
    patrol = page.locator("#rota li").filter(has_text="Troll Avenue to the canal")
    expect(patrol).to_contain_text(f"1 of 2 places taken: {resident_name}")
    expect(patrol.get_by_role("button", name="Take my name off")).to_be_visible()
    page.reload()
    assert_accessible(page, "the members' page, signed up")
    assert list(RotaSignup.objects.filter(slot=slot).values_list("member__user", flat=True)) == [
        resident.pk
    ]
