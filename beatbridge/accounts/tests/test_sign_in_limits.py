from __future__ import annotations

import logging
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from beatbridge.accounts import services
from beatbridge.accounts.tests.factories import SuperuserFactory, UserFactory
from beatbridge.errors import TooManyRequests

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
ATTACKER = "198.51.100.7"
OWNER = "203.0.113.1"
REFUSAL = "Too many failed sign-in attempts"


@pytest.fixture(autouse=True)
def _limits(settings):
    # Per e-mail and client 5, per e-mail 50, per client 20 (services' ceilings).
    settings.LOGIN_ATTEMPT_LIMIT = 5
    settings.LOGIN_ATTEMPT_WINDOW_SECONDS = 900


def sign_in(client, email, password, address=ATTACKER):
    return client.post(
        reverse("accounts:sign-in"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client, email, times, address=ATTACKER):
    for _ in range(times):
        assert sign_in(client, email, "wrong password", address).status_code == 200


def test_the_sixth_attempt_from_one_client_is_refused_even_with_the_right_password(client):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5)

    response = sign_in(client, "sam@example.org", PASSWORD)

    assert response.status_code == 429
    assert REFUSAL in response.content.decode()
    assert SESSION_KEY not in client.session


def test_someone_elses_failures_do_not_lock_the_owner_out(client):
    owner = UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5, address=ATTACKER)

    response = sign_in(client, "sam@example.org", PASSWORD, address=OWNER)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_the_count_covers_an_email_whatever_its_case(client):
    UserFactory(email="sam@example.org")
    fail(client, "SAM@Example.org", 5)

    assert sign_in(client, "sam@example.org", PASSWORD).status_code == 429


def test_an_email_failing_from_many_clients_is_refused_to_every_client(client, settings):
    settings.LOGIN_ATTEMPT_LIMIT = 2  # so the per-e-mail ceiling is 20
    UserFactory(email="sam@example.org")
    for number in range(10):
        fail(client, "sam@example.org", 2, address=f"198.51.100.{number}")

    response = sign_in(client, "sam@example.org", PASSWORD, address=OWNER)

    assert response.status_code == 429


def test_fewer_failures_from_many_clients_leave_the_email_open(client, settings):
    settings.LOGIN_ATTEMPT_LIMIT = 2
    UserFactory(email="sam@example.org")
    for number in range(9):
        fail(client, "sam@example.org", 2, address=f"198.51.100.{number}")
    fail(client, "sam@example.org", 1, address="198.51.100.9")

    assert sign_in(client, "sam@example.org", PASSWORD, address=OWNER).status_code == 302


def test_one_client_failing_on_many_emails_is_stopped_but_not_other_clients(client):
    UserFactory(email="ana@example.org")
    for number in range(20):
        fail(client, f"guess{number}@example.org", 1)

    blocked = sign_in(client, "ana@example.org", PASSWORD)
    other_client = sign_in(client, "ana@example.org", PASSWORD, address=OWNER)

    assert blocked.status_code == 429
    assert other_client.status_code == 302


def test_an_ipv6_client_is_counted_by_its_64_network(client):
    UserFactory(email="sam@example.org")
    for number in range(1, 6):
        fail(client, "sam@example.org", 1, address=f"2001:db8:0:1::{number}")

    same_network = sign_in(client, "sam@example.org", PASSWORD, address="2001:db8:0:1::99")
    other_network = sign_in(client, "sam@example.org", PASSWORD, address="2001:db8:0:2::1")

    assert same_network.status_code == 429
    assert other_network.status_code == 302


def test_a_success_clears_the_count_for_its_email_and_client(client):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 4)
    assert sign_in(client, "sam@example.org", PASSWORD).status_code == 302
    client.logout()
    fail(client, "sam@example.org", 4)

    response = sign_in(client, "sam@example.org", PASSWORD)

    assert response.status_code == 302


def test_attempts_are_allowed_again_once_the_window_has_passed(client, monkeypatch):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5)
    later = time.time() + 901
    monkeypatch.setattr(time, "time", lambda: later)

    response = sign_in(client, "sam@example.org", PASSWORD)

    assert response.status_code == 302


def test_an_unknown_email_is_counted_and_refused_in_the_same_words(client):
    UserFactory(email="sam@example.org")
    known_failure = sign_in(client, "sam@example.org", "wrong").context["form"].errors
    unknown_failure = sign_in(client, "nobody@example.org", "wrong").context["form"].errors
    fail(client, "sam@example.org", 4)
    fail(client, "nobody@example.org", 4)

    known_refusal = sign_in(client, "sam@example.org", "wrong")
    unknown_refusal = sign_in(client, "nobody@example.org", "wrong")

    assert known_failure == unknown_failure
    assert (known_refusal.status_code, unknown_refusal.status_code) == (429, 429)
    assert known_refusal.context["form"].errors == unknown_refusal.context["form"].errors


def test_neither_the_email_nor_the_client_address_is_stored_or_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    fail(client, "sam@example.org", 5, address="203.0.113.99")
    assert sign_in(client, "sam@example.org", "wrong", "203.0.113.99").status_code == 429

    stored = repr(cache._cache)  # the test cache is local memory
    assert "203.0.113.99" not in stored
    assert "sam@example.org" not in stored
    assert "203.0.113.99" not in caplog.text
    assert "sam@example.org" not in caplog.text


def test_the_service_refuses_with_a_429_domain_error():
    UserFactory(email="sam@example.org")
    for _ in range(5):
        with pytest.raises(services.DomainError):
            services.sign_in(
                request=None, email="sam@example.org", password="x", client_address=None
            )

    with pytest.raises(TooManyRequests) as error:
        services.sign_in(
            request=None, email="sam@example.org", password=PASSWORD, client_address=None
        )

    assert error.value.status == 429
    assert error.value.field == "email"


def test_behind_the_proxy_the_address_it_saw_is_counted(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    UserFactory(email="ana@example.org")
    for number in range(5):
        client.post(
            reverse("accounts:sign-in"),
            {"username": "ana@example.org", "password": "wrong"},
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

    assert REFUSAL in response.content.decode()
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
