"""Text messages through a pluggable gateway adapter, chosen by ``SMS_BACKEND``.

An adapter is a class with ``send(to, body) -> str`` returning the gateway's id for the
message (its delivery receipt names it) and raising on failure. Three ship here: the
console (development), files under ``var/sms`` (the default, like e-mail without a mail
server), and an in-memory outbox for tests. A real gateway is one small class beside them;
docs/operating.md shows how.
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SMSBackend(Protocol):
    def send(self, to: str, body: str) -> str: ...


def _reference() -> str:
    return uuid.uuid4().hex


class ConsoleBackend:
    """Writes each message to standard output, as Django's console e-mail backend does."""

    def send(self, to: str, body: str) -> str:
        reference = _reference()
        sys.stdout.write(f"SMS {reference} to {to}\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()
        return reference


class FileBackend:
    """Appends each message as a JSON line to a file per day under ``SMS_FILE_PATH``."""

    _lock = threading.Lock()

    def send(self, to: str, body: str) -> str:
        reference = _reference()
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"reference": reference, "to": to, "body": body, "at": timezone.now().isoformat()},
            ensure_ascii=False,
        )
        with self._lock, (folder / f"{timezone.localdate():%Y-%m-%d}.jsonl").open("a") as out:
            out.write(line + "\n")
        return reference


# What the in-memory backend sent, like django.core.mail.outbox: (reference, to, body).
outbox: list[tuple[str, str, str]] = []


class LocmemBackend:
    def send(self, to: str, body: str) -> str:
        reference = _reference()
        outbox.append((reference, to, body))
        return reference


def backend() -> SMSBackend:
    return import_string(settings.SMS_BACKEND)()
