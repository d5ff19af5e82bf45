"""Fremont's officer sends an urgent alert with a Spanish translation and sees it delivered to
every follower once per chosen channel, in their language; a follower reads it in their
inbox and the officer's figures count it read. axe on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from beatbridge.accounts.models import TeamRole
from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.demo.services import DEMO_OFFICER_SIGN_INS, DEMO_PASSWORD
from beatbridge.notify import services, sms
from beatbridge.notify.models import Alert, AlertDelivery, Channel, DeliveryStatus, Severity
from beatbridge.places.models import Neighbourhood

from .journey import assert_accessible, sign_in

pytestmark = pytest.mark.browser

FOLLOWER_PASSWORD = "follower-walks-the-beat"
TITLE = "Gas leak on Fremont Avenue"
MESSAGE = "Fremont Avenue N is closed between N 34th and N 36th Street. Keep away."
SPANISH_TITLE = "Fuga de gas en Fremont Avenue"
SPANISH_MESSAGE = "Fremont Avenue N está cerrada entre N 34th y N 36th Street. Manténgase lejos."


def _figures(page: Page) -> dict[str, dict[str, int]]:
    """The figures table as {channel: {status: count}}, read from the page as shown."""
    return page.evaluate(
        """() => {
            const table = document.querySelector("#figures table.figures");
            const heads = [...table.tHead.rows[0].cells].slice(1).map(c => c.textContent.trim());
            const figures = {};
            for (const row of table.tBodies[0].rows) {
                const cells = [...row.cells];
                figures[cells[0].textContent.trim()] = Object.fromEntries(
                    cells.slice(1).map((c, i) => [heads[i], Number(c.textContent.trim())])
                );
            }
            return figures;
        }"""
    )


def _followers_of(fremont: Neighbourhood) -> dict[str, object]:
    """Four followers: two read Spanish, one of each language also wants text messages."""
    followers = {}
    for name, language, phone in (
        ("Ana", "es", "+12065550101"),
        ("Beto", "es", ""),
        ("Chris", "en", "+12065550102"),
        ("Dana", "en", ""),
    ):
        user = UserFactory(
            full_name=f"{name} Follower",
            email=f"{name.lower()}@example.org",
            preferred_language=language,
            password=FOLLOWER_PASSWORD,
        )
        services.follow_neighbourhood(user=user, neighbourhood=fremont)
        if phone:
            services.update_preferences(user=user, sms_enabled=True, phone_number=phone)
        followers[name] = user
    return followers


def test_an_officer_sends_an_urgent_alert_that_every_follower_receives_once(
    page: Page, browser: Browser, site: str, settings
):
    settings.SMS_BACKEND = "beatbridge.notify.sms.LocmemBackend"
    sms.outbox.clear()
    fremont = Neighbourhood.objects.select_related("force").get(code="fremont")
    followers = _followers_of(fremont)
    mail.outbox.clear()

    sign_in(page, DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER], DEMO_PASSWORD)
    page.get_by_role("link", name="Send alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts sent")
    assert_accessible(page, "alerts sent")
    page.locator("main").get_by_role("link", name="Send an alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send an alert")
    assert_accessible(page, "the alert form")

    page.get_by_label("How serious").select_option(Severity.URGENT)
    page.get_by_label("Category").select_option(label="Public safety incident")
    page.get_by_label(re.compile(r"^Title:?$")).fill(TITLE)
    page.get_by_label(re.compile(r"^Message:?$")).fill(MESSAGE)
    page.get_by_label("Followers of neighbourhoods").check()
    page.get_by_role("checkbox", name="Fremont", exact=True).check()
    page.locator("summary", has_text="español").click()
    page.get_by_label("Title in español").fill(SPANISH_TITLE)
    page.get_by_label("Message in español").fill(SPANISH_MESSAGE)
    page.get_by_role("button", name="Send the alert").click()

    # Tasks run inline: by the time the figures page shows, every delivery was attempted.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Delivery of “{TITLE}”")
    expect(page.locator("#figures")).to_contain_text("Reached 4 people.")
    figures = _figures(page)
    assert figures["In-app inbox"]["Delivered"] == 4
    assert figures["E-mail"]["Sent"] == 4
    assert figures["Text message"]["Sent"] == 2
    assert sum(figures["Webhook"].values()) == 0
    page.reload()  # without the flash message, whose layout is checked elsewhere
    assert_accessible(page, "the alert's figures")

    alert = Alert.objects.get(title=TITLE)
    assert alert.severity == Severity.URGENT
    rows = sorted(
        AlertDelivery.objects.filter(alert=alert).values_list("recipient__full_name", "channel")
    )
    assert rows == sorted(
        [(user.full_name, Channel.INBOX) for user in followers.values()]
        + [(user.full_name, Channel.EMAIL) for user in followers.values()]
        + [(followers["Ana"].full_name, Channel.SMS), (followers["Chris"].full_name, Channel.SMS)]
    )
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted(user.email for user in followers.values())
    assert len(mail.outbox) == 4
    for name in ("Ana", "Beto"):
        spanish = by_address[followers[name].email]
        assert SPANISH_TITLE in spanish.subject
        assert SPANISH_MESSAGE in spanish.body
        assert MESSAGE not in spanish.body
    for name in ("Chris", "Dana"):
        english = by_address[followers[name].email]
        assert TITLE in english.subject
        assert MESSAGE in english.body
    assert sorted(to for _reference, to, _body in sms.outbox) == ["+12065550101", "+12065550102"]
    (ana_text,) = [body for _reference, to, body in sms.outbox if to == "+12065550101"]
    assert SPANISH_TITLE in ana_text

    # A follower signs in, sees one unread alert, and reads it.
    follower_context = browser.new_context(base_url=site, locale="en-US")
    follower_context.set_default_timeout(10_000)
    try:
        follower_page = follower_context.new_page()
        sign_in(follower_page, followers["Dana"].email, FOLLOWER_PASSWORD)
        follower_page.get_by_role("link", name="Alerts 1 unread").click()
        expect(follower_page.get_by_role("heading", level=1)).to_have_text("Your alerts")
        expect(follower_page.locator(".lead")).to_have_text("1 unread alert.")
        assert_accessible(follower_page, "the inbox, unread")
        follower_page.get_by_role("link", name=TITLE).click()
        expect(follower_page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(follower_page.locator("main")).to_contain_text(MESSAGE)
        assert_accessible(follower_page, "an alert")
        expect(follower_page.get_by_role("link", name="Alerts", exact=True)).to_be_visible()
    finally:
        follower_context.close()
    read = AlertDelivery.objects.get(
        alert=alert, recipient=followers["Dana"], channel=Channel.INBOX
    )
    assert read.status == DeliveryStatus.READ
    assert read.read_at is not None

    page.reload()
    expect(page.locator("#figures")).to_contain_text("1 read it here.")
    figures = _figures(page)
    assert (figures["In-app inbox"]["Delivered"], figures["In-app inbox"]["Read"]) == (3, 1)
