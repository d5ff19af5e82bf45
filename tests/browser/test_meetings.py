"""A resident registers for a meeting and asks a question; the team records minutes and an
action item after another. axe checks each page on the way."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beatbridge.accounts.models import TeamRole, User
from beatbridge.demo.services import DEMO_OFFICER_SIGN_INS, DEMO_RESIDENTS
from beatbridge.places.models import Neighbourhood
from beatbridge.voice.models import ActionItem, Meeting, MeetingKind, Registration
from beatbridge.voice.services import meetings as services

from .journey import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def _meeting(title: str, starts_at: datetime.datetime) -> Meeting:
    """A beat meeting in Fremont, scheduled as the team schedules it."""
    fremont = Neighbourhood.objects.get(code="fremont")
    officer = User.objects.get(email=DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER])
    meeting = services.create_meeting(
        by=officer,
        neighbourhoods=[fremont],
        details=services.MeetingDetails(
            kind=MeetingKind.BEAT,
            title=title,
            venue_name="Fremont Library",
            address="731 N 35th St",
            accessibility="Step-free entrance; hearing loop.",
            languages=["en"],
            interpretation=["es"],
        ),
        starts_at=timezone.now() + datetime.timedelta(days=7),
        ends_at=timezone.now() + datetime.timedelta(days=7, hours=2),
    )
    if starts_at < timezone.now():
        # A meeting already held: only a service's rule forbids scheduling one in the past.
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2)
        )
    return meeting


def test_a_resident_registers_for_a_meeting_and_asks_a_question(page: Page):
    meeting = _meeting("Fremont beat meeting", timezone.now() + datetime.timedelta(days=7))
    resident_email = DEMO_RESIDENTS[0][0]
    sign_in(page, resident_email)

    page.goto("/forces/seattle/fremont/meetings/")
    assert_accessible(page, "a neighbourhood's meetings")
    page.get_by_role("link", name="Fremont beat meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fremont beat meeting")
    assert_accessible(page, "a meeting")

    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("You are registered")
    assert Registration.objects.filter(meeting=meeting, user__email=resident_email).exists()

    page.get_by_label("Your question").fill("Can we have a speed survey on N 36th St?")
    page.get_by_role("button", name="Send the question").click()
    expect(page.locator("#questions")).to_contain_text("speed survey on N 36th St")
    page.get_by_role("button", name="Support this question").click()
    expect(page.locator("#questions")).to_contain_text("1 person supports this")
    page.reload()
    assert_accessible(page, "a meeting with a question")


def test_the_team_records_minutes_and_an_action_item(page: Page):
    meeting = _meeting("Last month's meeting", timezone.now() - datetime.timedelta(days=3))
    sign_in(page, DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER])

    page.goto("/manage/forces/seattle/fremont/meetings/")
    assert_accessible(page, "the team's meetings")
    page.get_by_role("link", name="Last month's meeting").click()
    assert_accessible(page, "managing a meeting")

    page.get_by_label("What was raised").fill("Speeding on N 36th St at school time.")
    page.get_by_label("What was decided").fill("A speed survey in May.")
    page.get_by_role("button", name="Publish the minutes").click()
    expect(page.get_by_role("status")).to_contain_text("The minutes were published")

    page.locator("#action-add_text").fill("Run a speed survey on N 36th St")
    page.get_by_label("Who will do it").fill("Sgt Ruiz with SDOT")
    page.get_by_label("By when").fill(
        (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("status")).to_contain_text("The action item was added")
    assert ActionItem.objects.filter(meeting=meeting, owner="Sgt Ruiz with SDOT").exists()
    page.reload()
    assert_accessible(page, "a meeting with minutes")

    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.locator("#minutes")).to_contain_text("A speed survey in May.")
    expect(page.locator("#actions")).to_contain_text("Run a speed survey on N 36th St")
    assert_accessible(page, "a meeting's public minutes")
