from __future__ import annotations

import logging
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from beatbridge.accounts import services
from beatbridge.accounts.tests.factories import SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_ATTEMPT_LIMIT = 5
    settings.LOGIN_ATTEMPT_WINDOW_SECONDS = 900


def sign_in(client, email, password, address="198.51.100.7"):
    return client.post(
        reverse("accounts:sign-in"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client, email, times, address="198.51.100.7"):
    for _ in range(times):
        assert sign_in(client, email, "wrong password", address).status_code == 200


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5)

    response = sign_in(client, "sam@example.org", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_limit_counts_an_email_whatever_its_case_or_client(client):
    UserFactory(email="sam@example.org")
    for number in range(5):
        sign_in(client, "SAM@example.org", "wrong", address=f"198.51.100.{number}")

    response = sign_in(client, "sam@example.org", PASSWORD, address="203.0.113.1")

    assert response.status_code == 429


def test_another_email_from_another_client_still_signs_in(client):
    UserFactory(email="sam@example.org")
    other = UserFactory(email="ana@example.org")
    fail(client, "sam@example.org", 5)

    response = sign_in(client, "ana@example.org", PASSWORD, address="203.0.113.1")

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_one_client_failing_on_many_emails_is_stopped(client):
    UserFactory(email="ana@example.org")
    for number in range(5):
        sign_in(client, f"guess{number}@example.org", "wrong")

    response = sign_in(client, "ana@example.org", PASSWORD)

    assert response.status_code == 429


def test_a_success_clears_the_count_for_the_email(client):
    UserFactory(email="sam@example.org")
    # Each try from another client, so only the e-mail's counter is at play.
    for number in range(4):
        sign_in(client, "sam@example.org", "wrong", address=f"198.51.100.{number}")
    assert sign_in(client, "sam@example.org", PASSWORD, address="203.0.113.1").status_code == 302
    client.logout()
    for number in range(4):
        sign_in(client, "sam@example.org", "wrong", address=f"192.0.2.{number}")

    response = sign_in(client, "sam@example.org", PASSWORD, address="203.0.113.2")

    assert response.status_code == 302


def test_attempts_are_allowed_again_once_the_window_has_passed(client, monkeypatch):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5)
    later = time.time() + 901
    monkeypatch.setattr(time, "time", lambda: later)

    response = sign_in(client, "sam@example.org", PASSWORD)

    assert response.status_code == 302


def test_neither_the_email_nor_the_client_address_is_stored_or_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    fail(client, "sam@example.org", 2, address="203.0.113.99")

    stored = repr(cache._cache)  # the test cache is local memory
    assert "203.0.113.99" not in stored
    assert "sam@example.org" not in stored
    assert "203.0.113.99" not in caplog.text


def test_the_service_refuses_with_a_429_domain_error():
    UserFactory(email="sam@example.org")
    for _ in range(5):
        with pytest.raises(services.DomainError):
            services.sign_in(
                request=None, email="sam@example.org", password="x", client_address=None
            )

    with pytest.raises(services.TooManySignInAttempts) as error:
        services.sign_in(
            request=None, email="sam@example.org", password=PASSWORD, client_address=None
        )

    assert error.value.status == 429


def test_behind_the_proxy_the_address_it_saw_is_counted(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    UserFactory(email="ana@example.org")
    for number in range(5):
        client.post(
            reverse("accounts:sign-in"),
            {"username": f"guess{number}@example.org", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.5",  # forged, then real
        )

    blocked = client.post(
        reverse("accounts:sign-in"),
        {"username": "ana@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    other_client = client.post(
        reverse("accounts:sign-in"),
        {"username": "ana@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )

    assert blocked.status_code == 429
    assert other_client.status_code == 302


def test_the_admin_sign_in_is_under_the_same_limit(client):
    SuperuserFactory(email="root@example.org")
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "root@example.org", "password": "x"})

    response = client.post(
        reverse("admin:login"), {"username": "root@example.org", "password": PASSWORD}
    )

    assert "Too many failed sign-in attempts" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_admin_sign_in_still_admits_staff_and_refuses_others(client):
    SuperuserFactory(email="root@example.org")
    UserFactory(email="ana@example.org")

    refused = client.post(
        reverse("admin:login"), {"username": "ana@example.org", "password": PASSWORD}
    )
    assert SESSION_KEY not in client.session
    admitted = client.post(
        reverse("admin:login"), {"username": "root@example.org", "password": PASSWORD}
    )

    assert refused.status_code == 200
    assert admitted.status_code == 302
    assert SESSION_KEY in client.session
