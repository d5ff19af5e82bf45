from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from beatbridge.web.languages import language_name

pytestmark = pytest.mark.django_db


def test_every_page_has_the_landmarks_skip_link_and_emergency_note(client: Client):
    content = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in content
    assert '<main id="main"' in content
    assert "<header" in content
    assert "<footer" in content
    assert "Beatbridge is not an emergency service. In an emergency, call 911." in content


def test_header_links_to_sign_in_and_sign_up_for_visitors(client: Client):
    content = client.get("/").content.decode()

    assert 'href="/accounts/sign-in/"' in content
    assert 'href="/accounts/sign-up/"' in content


def test_language_switcher_posts_the_choice_and_returns_to_the_page(client: Client):
    content = client.get("/locate/?latitude=1").content.decode()

    assert f'action="{reverse("accounts:language")}" method="post"' in content
    assert 'name="next" type="hidden" value="/locate/?latitude=1"' in content
    assert '<option value="ar" lang="ar">العربيّة</option>' in content


def test_the_emergency_number_comes_from_settings(client: Client, settings):
    settings.EMERGENCY_NUMBER = "112"

    content = client.get("/").content.decode()

    assert "In an emergency, call 112." in content


def test_arabic_layout_is_right_to_left(client: Client):
    content = client.get("/", headers={"Accept-Language": "ar"}).content.decode()

    assert '<html lang="ar" dir="rtl">' in content


def test_stylesheet_uses_logical_properties_only():
    css = Path(finders.find("web/site.css")).read_text()

    for physical in ("margin-left", "margin-right", "padding-left", "padding-right", "float:"):
        assert physical not in css
    assert "text-align: left" not in css


def test_unknown_page_is_a_helpful_404(client: Client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert '<a href="/">Find your neighbourhood' in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    content = render_to_string("500.html")

    assert "<h1>Something went wrong on our side</h1>" in content


@pytest.mark.parametrize(
    "path",
    [
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet/leaflet.js.map",
        "vendor/leaflet/images/layers.png",
        "vendor/leaflet/LICENSE",
        "vendor/htmx/htmx.min.js",
        "vendor/htmx/LICENSE",
        "web/map.js",
        "web/locate.js",
    ],
)
def test_vendored_and_own_assets_are_served_locally(path):
    assert finders.find(path) is not None


def test_no_page_loads_anything_from_another_site(client: Client):
    content = client.get("/").content.decode()

    assert 'src="http' not in content
    assert 'href="http' not in content.split("</head>")[0]


@pytest.mark.parametrize(
    ("code", "interface", "name"),
    [
        ("es", "en", "Spanish"),
        ("de", "es", "Alemán"),
        ("so", "en", "Somali"),
        ("ZH-HANT", "en", "Traditional Chinese"),
        ("xx-private", "en", "xx-private"),
    ],
)
def test_language_names_are_shown_in_the_interface_language(code, interface, name):
    with translation.override(interface):
        assert language_name(code) == name


@pytest.mark.parametrize(("interface", "shown"), [("en", "12,345"), ("es", "12\xa0345")])
def test_numbers_are_grouped_the_way_the_language_does(interface, shown):
    template = Template("{% load site_tags %}{{ number|grouped_number }}")

    with translation.override(interface):
        assert template.render(Context({"number": 12345})) == shown
