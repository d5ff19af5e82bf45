"""Signed webhooks: alerts posted as JSON to a partner system's address.

Each request carries ``Beatbridge-Signature: t=<unix time>,v1=<hex HMAC-SHA256>`` of
``"<t>.<body>"`` keyed with the subscriber's secret, and ``Beatbridge-Delivery``, the id a
receiver uses to ignore a retry it has already taken. Only a 2xx answer counts as
delivered; redirects are not followed. Addresses must be https and, unless
``NOTIFY_WEBHOOK_ALLOW_PRIVATE`` is set, must not resolve to a private or local address.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from beatbridge.errors import DomainError

SIGNATURE_HEADER = "Beatbridge-Signature"
DELIVERY_HEADER = "Beatbridge-Delivery"


class WebhookRefused(Exception):
    """The receiver answered with something other than a 2xx; ``code`` is its status."""

    def __init__(self, code: int):
        super().__init__(f"HTTP {code}")
        self.code = code


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def check_address(url: str) -> str:
    """The IP address to post to for ``url``; DomainError on ``webhook_url`` unless it is
    one we may post to.

    The request then goes to that very address (see ``post``), so a host name that
    resolves differently a moment later (DNS rebinding) cannot steer it inside.
    """
    parts = urlsplit(url)
    allowed_schemes = {"https", "http"} if settings.NOTIFY_WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed_schemes or not parts.hostname:
        raise DomainError(_("A webhook address must start with https://."), field="webhook_url")
    try:
        port = parts.port
        addresses = [info[4][0] for info in socket.getaddrinfo(parts.hostname, port)]
    except (OSError, ValueError) as error:
        raise DomainError(
            _("The webhook's host name does not resolve."), field="webhook_url"
        ) from error
    if not addresses:
        raise DomainError(_("The webhook's host name does not resolve."), field="webhook_url")
    if not settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise DomainError(
                    _("A webhook address must be on the public internet."), field="webhook_url"
                )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address already checked, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host name."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, secret: str, payload: dict[str, Any], *, delivery_id: int) -> None:
    """Post ``payload``; raises WebhookRefused or the network error unless a 2xx comes back.

    Redirects are not followed: a 3xx is a refusal like any other non-2xx answer.
    """
    address = check_address(url)
    parts = urlsplit(url)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    pinned = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = pinned(
        parts.hostname or "", parts.port, address=address, timeout=settings.NOTIFY_HTTP_TIMEOUT
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Beatbridge-Webhook/1",
                SIGNATURE_HEADER: signature(secret, int(time.time()), body),
                DELIVERY_HEADER: str(delivery_id),
            },
        )
        status = connection.getresponse().status
    finally:
        connection.close()
    if not 200 <= status < 300:
        raise WebhookRefused(status)
