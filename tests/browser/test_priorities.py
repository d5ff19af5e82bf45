"""Priorities, end to end: a resident proposes, another declares residency and votes, the team
adopts the priority and closes it with an account, and "you said, we did" shows it.

The cycle's dates are moved between the steps, as the calendar would move its phase.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beatbridge.accounts.models import TeamRole
from beatbridge.demo.services import DEMO_OFFICER_SIGN_INS
from beatbridge.places.models import Neighbourhood
from beatbridge.voice.models import Cycle, Priority, PriorityStatus
from beatbridge.voice.selectors.priorities import current_cycle

from .journey import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PROPOSER = "resident@beatbridge.invalid"
VOTER = "karen.olsen@beatbridge.invalid"
PROBLEM = "Speeding on Fremont Ave by the school at 8am"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def _move_to(cycle: Cycle, phase: str) -> None:
    """Set the cycle's dates around today so that it is in ``phase``."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    opens, closes = {
        "proposing": (today + day, today + 14 * day),
        "voting": (today - day, today + 14 * day),
        "deciding": (today - 14 * day, today - day),
    }[phase]
    Cycle.objects.filter(pk=cycle.pk).update(
        starts_on=opens - 14 * day,
        voting_opens_on=opens,
        voting_closes_on=closes,
        ends_on=closes + 60 * day,
        requires_verified_residency=False,
    )


def _fremont_cycle() -> Cycle:
    """Fremont's current cycle (the demo may have one), else a new one."""
    fremont = Neighbourhood.objects.select_related("force").get(code="fremont")
    cycle = current_cycle(fremont)
    if cycle is None:
        today = timezone.localdate()
        cycle = Cycle.objects.create(
            neighbourhood=fremont,
            title="This quarter",
            starts_on=today,
            voting_opens_on=today,
            voting_closes_on=today,
            ends_on=today,
        )
    _move_to(cycle, "proposing")
    return cycle


def test_residents_propose_and_vote_and_the_team_reports_what_it_did(page: Page):
    cycle = _fremont_cycle()
    priorities_url = "/forces/seattle/fremont/priorities/"

    # A resident declares residency and proposes a priority.
    sign_in(page, PROPOSER)
    page.goto(priorities_url)
    page.get_by_role("link", name="Say where you live or work").click()
    assert_accessible(page, "the residency page")
    page.get_by_role("button", name="I live or work in Fremont").click()
    expect(page.get_by_role("status")).to_contain_text("you are down as living or working")
    page.get_by_label("The problem").fill(PROBLEM)
    page.get_by_label("Where (optional)").fill("Fremont Ave N and N 39th St")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("status")).to_contain_text("your proposal is now a candidate")
    page.reload()
    assert_accessible(page, "the priorities page while proposing")
    _sign_out(page)

    # Voting opens: another resident declares residency and votes.
    _move_to(cycle, "voting")
    priority = Priority.objects.get(cycle=cycle, title=PROBLEM)
    sign_in(page, VOTER)
    page.goto(priorities_url)
    page.get_by_role("link", name="Say where you live or work").click()
    page.get_by_role("button", name="I live or work in Fremont").click()
    candidate = page.locator(f"#priority-{priority.pk}")
    candidate.get_by_role("button", name="Vote for this").click()
    expect(page.get_by_role("status")).to_contain_text("Your vote is counted.")
    expect(page.locator(f"#priority-{priority.pk}")).to_contain_text("You voted for this.")
    assert_accessible(page, "the priorities page while voting")
    _sign_out(page)

    # Voting closes: the team adopts the priority, posts progress and closes it.
    _move_to(cycle, "deciding")
    sign_in(page, DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER])
    page.goto(priorities_url)
    expect(page.locator(f"#priority-{priority.pk}")).to_contain_text("1 online, 0 at meetings")
    page.get_by_role("link", name="Manage priorities").click()
    assert_accessible(page, "the team's cycles")
    page.locator("main table").get_by_role("link", name=cycle.title).click()
    assert_accessible(page, "the team's cycle page")
    page.locator("main table").get_by_role("link", name=PROBLEM).click()
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    page.get_by_label("What the team will do").fill("Speed checks at 8am twice a week.")
    page.get_by_label(re.compile(r"^Who")).fill("Sgt Ana Ruiz")
    page.get_by_label("By when").fill(due)
    page.get_by_role("button", name="Adopt", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The priority is adopted.")
    page.get_by_role("textbox", name="Progress update").fill(
        "Four checks so far; eleven drivers stopped."
    )
    page.get_by_role("button", name="Publish the update").click()
    expect(page.get_by_role("status")).to_contain_text("The update is published.")
    page.reload()
    assert_accessible(page, "the team's priority page")
    page.get_by_role("radio", name="Delivered", exact=True).check()
    outcome = "Average speeds at 8am fell from 31 to 22 mph; the school crossing has a warden."
    page.get_by_role("textbox", name="What was done and what changed").fill(outcome)
    page.get_by_role("button", name="Close the priority").click()
    expect(page.get_by_role("status")).to_contain_text("its account is public")

    # The public account shows it.
    _sign_out(page)
    page.goto("/forces/seattle/fremont/you-said-we-did/")
    account = page.locator(f"#priority-{priority.pk}")
    expect(account).to_contain_text(PROBLEM)
    expect(account).to_contain_text("Speed checks at 8am twice a week.")
    expect(account).to_contain_text("Four checks so far")
    expect(account).to_contain_text(outcome)
    assert_accessible(page, "you said, we did")

    priority.refresh_from_db()
    assert priority.status == PriorityStatus.DELIVERED
    assert priority.closed_at is not None
