"""Quieter logs while a command writes a whole city."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_account_logs() -> Iterator[None]:
    """Hold back the account services' per-officer and per-assignment INFO lines.

    Building a city writes hundreds of them, which would bury what the command prints.
    """
    accounts_log = logging.getLogger("beatbridge.accounts.services")
    level = accounts_log.level
    accounts_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        accounts_log.setLevel(level)
