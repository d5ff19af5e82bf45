"""Limits on sign-up and password-reset requests, and how a refusal reaches a client."""

from __future__ import annotations

import json
import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from beatbridge.accounts.models import User
from beatbridge.accounts.services import register_resident
from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.api import domain_error
from beatbridge.errors import TooManyRequests

pytestmark = pytest.mark.django_db

ONE_CLIENT = "198.51.100.7"
OTHER_CLIENT = "203.0.113.1"


@pytest.fixture(autouse=True)
def _limits(settings):
    # Sign-ups 10 per client; resets 5 per e-mail and 10 per client (services' ceilings).
    settings.LOGIN_ATTEMPT_LIMIT = 5
    settings.LOGIN_ATTEMPT_WINDOW_SECONDS = 900


def sign_up(client, email, address=ONE_CLIENT):
    return client.post(
        reverse("accounts:sign-up"),
        {
            "email": email,
            "password": "lantern-orchard-41",
            "password_again": "lantern-orchard-41",
        },
        REMOTE_ADDR=address,
    )


def reset(client, email, address=ONE_CLIENT):
    return client.post(reverse("accounts:password-reset"), {"email": email}, REMOTE_ADDR=address)


# --- sign-up ---


def test_a_client_that_tried_to_sign_up_too_often_is_refused_with_429(client):
    UserFactory(email="taken@example.org")
    # Refused attempts count too, or the form would test e-mails for accounts at will.
    for number in range(9):
        sign_up(client, "taken@example.org" if number % 2 else f"new{number}@example.org")
        client.logout()
    assert sign_up(client, "last@example.org").status_code == 302
    client.logout()
    accounts = User.objects.count()

    response = sign_up(client, "one-more@example.org")

    assert response.status_code == 429
    assert "Too many sign-ups from your network" in response.content.decode()
    assert User.objects.count() == accounts


def test_another_client_still_signs_up(client):
    for number in range(10):
        sign_up(client, f"new{number}@example.org")
        client.logout()

    response = sign_up(client, "neighbour@example.org", address=OTHER_CLIENT)

    assert response.status_code == 302
    assert User.objects.filter(email="neighbour@example.org").exists()


def test_accounts_made_without_a_web_client_are_not_counted():
    for number in range(11):
        register_resident(email=f"demo{number}@example.org", password="lantern-orchard-41")

    assert User.objects.count() == 11


# --- password reset ---


def test_an_email_asked_for_too_often_gets_no_more_mails(client):
    UserFactory(email="sam@example.org")
    for number in range(5):
        assert reset(client, "sam@example.org", f"192.0.2.{number}").status_code == 302

    response = reset(client, "SAM@example.org", OTHER_CLIENT)

    assert response.status_code == 429
    assert "Too many password reset requests" in response.context["form"].errors["email"][0]
    assert len(mail.outbox) == 5


def test_a_client_asking_for_many_resets_is_stopped_but_not_other_clients(client):
    UserFactory(email="sam@example.org")
    for number in range(10):
        reset(client, f"guess{number}@example.org")

    blocked = reset(client, "sam@example.org")
    other_client = reset(client, "sam@example.org", OTHER_CLIENT)

    assert blocked.status_code == 429
    assert other_client.status_code == 302
    assert len(mail.outbox) == 1


def test_a_reset_refusal_reads_the_same_for_an_unknown_email(client):
    UserFactory(email="sam@example.org")
    for number in range(5):
        reset(client, "sam@example.org", f"192.0.2.{number}")
        reset(client, "nobody@example.org", f"192.0.2.{number}")

    known = reset(client, "sam@example.org", OTHER_CLIENT)
    unknown = reset(client, "nobody@example.org", OTHER_CLIENT)

    assert (known.status_code, unknown.status_code) == (429, 429)
    assert known.context["form"].errors == unknown.context["form"].errors


def test_reset_and_sign_up_counters_hold_no_address(client, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(6):
        reset(client, "sam@example.org", "203.0.113.99")
    for number in range(11):
        sign_up(client, f"new{number}@example.org", "203.0.113.99")
        client.logout()

    stored = repr(cache._cache)  # the test cache is local memory
    assert "203.0.113.99" not in stored
    assert "sam@example.org" not in stored
    assert "203.0.113.99" not in caplog.text
    assert "sam@example.org" not in caplog.text


# --- the API ---


def test_the_api_answers_a_rate_limit_with_429_and_the_field():
    request = RequestFactory().get("/api/v1/")

    response = domain_error(request, TooManyRequests("Wait.", field="email"))

    assert response.status_code == 429
    assert json.loads(response.content) == {
        "detail": "Wait.",
        "field": "email",
        "code": "too_many_requests",
    }
