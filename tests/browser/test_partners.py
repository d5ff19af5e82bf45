"""The liaison officer adds a partner, logs yesterday's meeting with a concern and a
follow-up due yesterday, finds it overdue on the follow-up list and marks it done. axe on
every page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beatbridge.accounts.models import TeamRole, User
from beatbridge.demo.services import DEMO_OFFICER_SIGN_INS, DEMO_PASSWORD
from beatbridge.partners.models import (
    Engagement,
    EngagementKind,
    FollowUp,
    Organisation,
    OrganisationKind,
)

from .journey import assert_accessible

pytestmark = pytest.mark.browser

NAME = "Fremont Mosque Community Centre"
SUMMARY = "Met the trustees about the evening prayers and the car park."
CONCERN = "Young men revving cars in the car park after evening prayers."
FOLLOW_UP = "Ask traffic to patrol N 36th Street after evening prayers"
OUTCOME = "Traffic patrolled three evenings; the trustees report it is calmer."


def test_a_liaison_officer_logs_an_engagement_and_completes_its_overdue_follow_up(page: Page):
    liaison = User.objects.get(email=DEMO_OFFICER_SIGN_INS[TeamRole.LIAISON_OFFICER])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(liaison.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Partners", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner organisations")
    assert_accessible(page, "the partner directory")

    page.get_by_role("link", name="Add an organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a partner organisation")
    assert_accessible(page, "the new organisation form")
    page.get_by_label(re.compile(r"^Name:?$")).fill(NAME)
    page.get_by_label(re.compile(r"^Kind:?$")).select_option(label="Faith group")
    page.get_by_role("checkbox", name="Fremont", exact=True).check()
    page.get_by_label(re.compile(r"^Languages:?$")).fill("en, ar, so")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The partner organisation has been added.")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_text("No engagement has been logged yet.")).to_be_visible()
    organisation = Organisation.objects.get(name=NAME)
    assert organisation.kind == OrganisationKind.FAITH
    assert organisation.languages == ["en", "ar", "so"]
    assert [n.code for n in organisation.neighbourhoods.all()] == ["fremont"]

    page.get_by_role("link", name="Log an engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Log an engagement with {NAME}")
    assert_accessible(page, "the engagement form")
    page.get_by_label(re.compile(r"^Kind:?$")).select_option(EngagementKind.MEETING)
    page.get_by_label(re.compile(r"^When:?$")).fill(f"{yesterday.isoformat()}T18:30")
    page.get_by_label(re.compile(r"^Neighbourhood")).select_option(label="Fremont")
    page.get_by_label(re.compile(r"^What was discussed")).fill(SUMMARY)
    page.get_by_label(re.compile(r"^Topics")).fill("traffic, car park, youth")
    page.get_by_label(re.compile(r"^Concern 1")).fill(CONCERN)
    page.get_by_label(re.compile(r"^Follow-up 1: what was agreed")).fill(FOLLOW_UP)
    page.get_by_label(re.compile(r"^Follow-up 1: due on")).fill(yesterday.isoformat())
    owner = page.get_by_label(re.compile(r"^Follow-up 1: owner"))
    expect(owner).to_have_value(str(liaison.pk))  # the officer logging it, unless changed
    page.get_by_role("button", name="Log the engagement").click()

    # The organisation's history, with the engagement, its concern and its follow-up.
    expect(page.get_by_role("status")).to_contain_text("The engagement has been logged.")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    engagement_panel = page.locator("article").filter(has_text=SUMMARY)
    expect(engagement_panel.get_by_role("heading", level=3)).to_contain_text("Meeting")
    expect(engagement_panel.get_by_role("list", name="Topics")).to_contain_text("car park")
    expect(engagement_panel).to_contain_text(CONCERN)
    expect(engagement_panel.locator("li").filter(has_text=FOLLOW_UP)).to_contain_text("Overdue")
    page.reload()
    assert_accessible(page, "the organisation's history")

    engagement = Engagement.staff_objects.get(organisation=organisation)
    assert (engagement.officer, engagement.kind) == (liaison, EngagementKind.MEETING)
    assert timezone.localdate(engagement.occurred_at) == yesterday
    assert engagement.topics == ["traffic", "car park", "youth"]
    assert [c.description for c in engagement.concerns.all()] == [CONCERN]
    follow_up = FollowUp.objects.get(engagement=engagement)
    assert (follow_up.description, follow_up.due_on, follow_up.owner) == (
        FOLLOW_UP,
        yesterday,
        liaison,
    )

    # The follow-up list shows it overdue; done with an outcome, it leaves the open list.
    page.get_by_role("link", name="Follow-ups", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-ups")
    item = page.locator("article").filter(has_text=FOLLOW_UP)
    expect(item.get_by_role("heading", level=3)).to_have_text(f"Overdue: {FOLLOW_UP}")
    expect(item.get_by_role("link", name=NAME)).to_be_visible()
    assert_accessible(page, "the follow-ups")
    item.get_by_label("Outcome").fill(OUTCOME)
    item.get_by_role("button", name="Mark done").click()
    expect(page.get_by_role("status")).to_contain_text("The follow-up is done.")
    expect(page.locator("article").filter(has_text=FOLLOW_UP)).to_have_count(0)
    page.reload()
    assert_accessible(page, "the follow-ups, one done")

    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert follow_up.outcome == OUTCOME
    assert follow_up.done_by == liaison
