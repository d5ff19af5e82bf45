"""Signed webhooks against a real HTTP server on 127.0.0.1, and the addresses refused."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import socket
import threading
import time

import pytest

from beatbridge.errors import DomainError
from beatbridge.notify import alerts, services, webhooks
from beatbridge.notify.models import AlertDelivery, Channel, DeliveryStatus
from beatbridge.notify.tests.factories import AlertDeliveryFactory, PreferencesFactory

pytestmark = pytest.mark.django_db


class Receiver(http.server.BaseHTTPRequestHandler):
    """Records each request; answers with the status the server was told to give."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((self.path, dict(self.headers), body))
        status = self.server.answers.get(self.path, 204)
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.NOTIFY_WEBHOOK_ALLOW_HTTP = True
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = True
    settings.NOTIFY_HTTP_TIMEOUT = 5
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.requests = []
    server.answers = {}
    server.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def webhook_row(url: str) -> AlertDelivery:
    row = AlertDeliveryFactory(channel=Channel.WEBHOOK, language="en")
    PreferencesFactory(user=row.recipient, webhook_enabled=True, webhook_url=url)
    return row


def test_a_webhook_is_signed_with_the_subscribers_secret_and_counts_as_delivered(receiver):
    row = webhook_row(receiver.url + "/hook")
    started = int(time.time())

    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.DELIVERED}

    [(path, headers, body)] = receiver.requests
    assert path == "/hook"
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Beatbridge-Delivery"] == str(row.pk)
    fields = dict(part.split("=", 1) for part in headers["Beatbridge-Signature"].split(","))
    timestamp = int(fields["t"])
    assert started <= timestamp <= int(time.time())
    secret = row.recipient.notification_preferences.webhook_secret
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(fields["v1"], expected.hexdigest())
    payload = json.loads(body)
    assert payload["id"] == str(row.alert.public_id)
    assert payload["delivery"] == row.pk
    assert payload["title"] == row.alert.title
    assert payload["severity"] == row.alert.severity
    # The payload speaks of the alert, never of the person it went to.
    assert row.recipient.email not in body.decode()
    row.refresh_from_db()
    assert row.delivered_at is not None


def test_a_signature_made_with_another_secret_does_not_verify(receiver):
    row = webhook_row(receiver.url + "/hook")
    alerts.deliver_many([row.pk])
    [(_path, headers, body)] = receiver.requests
    fields = dict(part.split("=", 1) for part in headers["Beatbridge-Signature"].split(","))
    forged = hmac.new(b"not-the-secret", f"{fields['t']}.".encode() + body, hashlib.sha256)
    assert fields["v1"] != forged.hexdigest()


def test_a_webhook_answering_an_error_is_retried_later(receiver):
    row = webhook_row(receiver.url + "/down")
    receiver.answers["/down"] = 503
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.QUEUED}
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (1, "WebhookRefused 503")


def test_redirects_are_not_followed(receiver):
    row = webhook_row(receiver.url + "/moved")
    receiver.answers["/moved"] = 302
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.QUEUED}
    assert [path for path, _headers, _body in receiver.requests] == ["/moved"]
    row.refresh_from_db()
    assert row.last_error == "WebhookRefused 302"


def test_a_webhook_nobody_answers_is_retried(settings):
    settings.NOTIFY_WEBHOOK_ALLOW_HTTP = True
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = True
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    row = webhook_row(f"http://127.0.0.1:{port}/hook")
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.QUEUED}
    row.refresh_from_db()
    # The exception's class names the failure; the address stays out of the record.
    assert row.last_error.split()[0] in {"URLError", "ConnectionRefusedError"}
    assert "127.0.0.1" not in row.last_error


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_private_and_local_addresses_are_refused(settings, url):
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(DomainError) as refused:
        webhooks.check_address(url)
    assert refused.value.field == "webhook_url"


@pytest.mark.parametrize(
    "url",
    ["http://93.184.216.34/hook", "ftp://93.184.216.34/", "file:///etc/passwd", "https:///nohost"],
)
def test_only_https_addresses_are_accepted(settings, url):
    settings.NOTIFY_WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(DomainError):
        webhooks.check_address(url)


def test_a_public_https_address_is_accepted(settings):
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = False
    webhooks.check_address("https://93.184.216.34/hook")


def test_preferences_refuse_a_private_webhook_address(settings):
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = False
    user = PreferencesFactory().user
    with pytest.raises(DomainError) as refused:
        services.update_preferences(
            user=user, webhook_enabled=True, webhook_url="https://127.0.0.1/hook"
        )
    assert refused.value.field == "webhook_url"
    assert services.preferences_of(user).webhook_url == ""


def test_an_address_that_became_private_is_refused_at_sending_time(receiver, settings):
    """And fails at once: waiting will not make the address allowed."""
    row = webhook_row(receiver.url + "/hook")
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = False
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.FAILED}
    assert receiver.requests == []
    row.refresh_from_db()
    assert row.last_error.startswith("DomainError")


def test_a_host_name_that_rebinds_to_a_private_address_is_not_posted_to(
    receiver, settings, monkeypatch
):
    """DNS rebinding: the name resolves to a public address when checked, then to
    127.0.0.1 when urllib connects. The address checked must be the one connected to."""
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = False
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, *args, **kwargs):
        if host == "partner.example":
            return real(next(answers, "127.0.0.1"), *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    row = webhook_row(f"http://partner.example:{receiver.server_port}/hook")

    alerts.deliver_many([row.pk])

    assert receiver.requests == []
