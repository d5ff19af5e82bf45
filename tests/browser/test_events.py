"""A resident without an account registers for an event by e-mail, then cancels with the
link from the confirmation. axe on the way."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from beatbridge.places.models import Neighbourhood
from beatbridge.voice.models import Registration, RegistrationStatus
from beatbridge.voice.tests.factories_events import EventFactory

from .journey import assert_accessible

pytestmark = pytest.mark.browser


def test_a_resident_registers_by_email_and_cancels_through_the_link(page: Page):
    fremont = Neighbourhood.objects.select_related("force").get(code="fremont")
    event = EventFactory(neighbourhoods=[fremont], title="Troll Park clean-up", capacity=10)
    mail.outbox.clear()

    page.goto(f"/forces/{fremont.force.slug}/{fremont.code}/events/")
    assert_accessible(page, "a neighbourhood's events")
    page.get_by_role("link", name="Troll Park clean-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Troll Park clean-up")
    expect(page.get_by_text("10 places left.")).to_be_visible()
    assert_accessible(page, "an event")

    page.get_by_label("Your e-mail address").fill("neighbour@example.org")
    page.get_by_label("Your name (optional)").fill("Jo")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("We have sent a message")
    expect(page.get_by_text("9 places left.")).to_be_visible()

    (confirmation,) = [m for m in mail.outbox if m.to == ["neighbour@example.org"]]
    # The e-mail links to SITE_URL; the live server answers the same path.
    path = re.search(r"/registrations/[\w-]+/", confirmation.body).group(0)
    page.goto(path)
    expect(page.get_by_text("Coming")).to_be_visible()
    assert_accessible(page, "a registration")

    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_role("status")).to_contain_text("Your registration is cancelled.")
    assert Registration.objects.get(event=event).status == RegistrationStatus.CANCELLED
