from __future__ import annotations

import pytest
from django.db import connection

from beatbridge.crimedata.bulk import cache_room

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the page cache is SQLite's"),
]


def cache_kib() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (size,) = cursor.fetchone()
    # Negative sizes are KiB, positive ones pages of 4 KiB.
    return -size if size < 0 else size * 4


def test_a_big_import_has_a_cache_that_holds_its_rows_then_gives_it_back():
    own = cache_kib()

    with cache_room(1_000_000):
        during = cache_kib()

    assert during > own
    assert cache_kib() == own


def test_a_failed_import_gives_the_cache_back():
    own = cache_kib()

    with pytest.raises(ZeroDivisionError), cache_room(1_000_000):
        _ = 1 / 0

    assert cache_kib() == own


def test_a_small_import_keeps_the_cache_it_has():
    own = cache_kib()

    with cache_room(10):
        assert cache_kib() == own
