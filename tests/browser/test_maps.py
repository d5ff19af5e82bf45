"""The home map: a boundary file cannot put script into the page through a name."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from beatbridge.places import services
from beatbridge.places.models import Neighbourhood

pytestmark = pytest.mark.browser

PAYLOAD = '<img src="x" onerror="window.__injected = true">Fremont'


def test_a_neighbourhood_name_is_shown_as_text_in_the_map_tooltip(page: Page):
    # Every neighbourhood carries the payload, so whichever the pointer lands on shows it.
    Neighbourhood.objects.update(name=PAYLOAD)
    services.mark_boundaries_changed()

    page.goto("/")
    area = page.locator("path.leaflet-interactive").first
    expect(area).to_be_attached()
    area.dispatch_event("mouseover")
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(PAYLOAD)
    assert tooltip.locator("img").count() == 0
    assert page.evaluate("window.__injected === undefined")
