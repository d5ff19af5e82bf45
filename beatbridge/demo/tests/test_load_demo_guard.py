"""load_demo publishes its accounts' password, so it refuses all but the demo's own database."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from beatbridge.accounts.models import User
from beatbridge.demo.services import is_demo_database
from beatbridge.places.models import Force

SQLITE = "django.db.backends.sqlite3"
VAR = settings.BASE_DIR / "var"


@pytest.mark.django_db
def test_load_demo_refuses_another_database_and_writes_nothing():
    # The test database is SQLite in memory or PostgreSQL: never the demo's own.
    with pytest.raises(CommandError, match="--allow-published-passwords"):
        call_command("load_demo")

    assert not User.objects.exists()
    assert not Force.objects.exists()


@pytest.mark.parametrize(
    ("database", "is_demo"),
    [
        ({"ENGINE": SQLITE, "NAME": str(VAR / "beatbridge.sqlite3")}, True),
        ({"ENGINE": SQLITE, "NAME": VAR / "copies" / "demo.sqlite3"}, True),
        ({"ENGINE": SQLITE, "NAME": str(VAR / ".." / "beatbridge.sqlite3")}, False),
        ({"ENGINE": SQLITE, "NAME": "/srv/beatbridge/var/beatbridge.sqlite3"}, False),
        ({"ENGINE": SQLITE, "NAME": ":memory:"}, False),
        ({"ENGINE": SQLITE, "NAME": "file:memorydb_default?mode=memory&cache=shared"}, False),
        ({"ENGINE": SQLITE, "NAME": ""}, False),
        ({"ENGINE": "django.db.backends.postgresql", "NAME": str(VAR / "beatbridge")}, False),
    ],
)
def test_only_an_sqlite_file_under_the_projects_var_is_the_demo_database(database, is_demo):
    assert is_demo_database(database) is is_demo
