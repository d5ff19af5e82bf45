"""Fixtures every test shares."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Sign-in counters live in the cache: each test starts with an empty one."""
    cache.clear()
    yield
    cache.clear()
