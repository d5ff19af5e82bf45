"""Rate limits kept in the cache: sign-in, sign-up, password resets, reports and follow-up codes.

A counter counts attempts at one action by one scope (an e-mail, a client, an account)
within a window that opens with its first attempt. The values that name a scope are in
the cache only as an HMAC keyed with SECRET_KEY, so the cache never holds an e-mail or
an address, and nothing says which report or account an attempt concerned.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise

from beatbridge.errors import TooManyRequests

logger = logging.getLogger(__name__)


class Counter(NamedTuple):
    key: str
    ceiling: int
    window_seconds: int


def client_address(request: Any) -> str | None:
    """The address the request came from, as our own server or proxy saw it.

    Behind the trusted proxy (``BEHIND_PROXY=1`` sets SECURE_PROXY_SSL_HEADER) that is
    the last X-Forwarded-For entry, the one the proxy appended; entries before it are
    the client's to write, so a limit keyed on them could be dodged at will.
    """
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return str(forwarded.split(",")[-1].strip())
    # Never None for a request: the limits count a request without an address as "unknown".
    return str(request.META.get("REMOTE_ADDR") or "")


def client_of(address: str | None) -> str:
    """The client a limit counts: an IPv4 address, or the /64 network of an IPv6 address.

    One IPv6 subscriber usually holds a whole /64, so counting single addresses would let
    them dodge every limit. Requests without an address count as one unknown client.
    """
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def counter(
    action: str, scope: str, ceiling: int, *values: str, window_seconds: int | None = None
) -> Counter:
    """A counter of ``action`` by the scope ``values`` name, allowing ``ceiling`` a window
    (``LOGIN_ATTEMPT_WINDOW_SECONDS`` unless given)."""
    digest = salted_hmac(
        f"beatbridge.limits.{action}.{scope}", "\n".join(values), algorithm="sha256"
    ).hexdigest()
    window = window_seconds or settings.LOGIN_ATTEMPT_WINDOW_SECONDS
    return Counter(f"limits:{action}:{scope}:{digest}", ceiling, window)


def _window_start(found: Counter, now: float) -> float | None:
    started = cache.get(f"{found.key}:start")
    if started is None or now >= started + found.window_seconds:
        return None
    return float(started)


def refuse_over_limit(
    counters: list[Counter], *, message: str | Promise, field: str | None
) -> None:
    """TooManyRequests (HTTP 429) once any counter has reached its ceiling in its window."""
    now = time.time()
    for found in counters:
        started = _window_start(found, now)
        if started is not None and int(cache.get(f"{found.key}:{started}", 0)) >= found.ceiling:
            logger.warning("Refused: rate limit %s reached", found.key.rsplit(":", 1)[0])
            raise TooManyRequests(message, field=field)


def count_attempt(counters: list[Counter]) -> None:
    now = time.time()
    for found in counters:
        window = found.window_seconds
        # The first attempt opens the window; add() keeps a concurrent one from reopening it.
        cache.add(f"{found.key}:start", now, timeout=window)
        started = cache.get(f"{found.key}:start", now)
        count_key = f"{found.key}:{started}"
        cache.add(count_key, 0, timeout=window)
        cache.incr(count_key)
        # Some backends restart an entry's expiry on incr; the window runs from its opening.
        cache.touch(count_key, timeout=max(1, int(started + window - now)))


def clear(found: Counter) -> None:
    started = cache.get(f"{found.key}:start")
    cache.delete_many([f"{found.key}:start", f"{found.key}:{started}"])
