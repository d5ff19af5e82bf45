"""An alert fanned out and delivered by two RQ workers, end to end.

Runs real processes: ``beatbridge migrate``, a script that seeds followers and sends an
alert (enqueued on Redis), two ``beatbridge worker --burst`` side by side, and a script
that reads back the delivery rows, against a SQLite file and Redis database 15 (flushed
before and after). Skipped when no Redis answers on 127.0.0.1:6379.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("NOTIFY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PROJECT = Path(__file__).resolve().parents[3]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_answers(), reason="no Redis on 127.0.0.1:6379 (the RQ path needs one)"
)

SEED = """
import json
from beatbridge.accounts.models import Role, User, OfficerProfile, TeamAssignment
from beatbridge.notify import services
from beatbridge.places import services as places_services
from beatbridge.places.models import Force, Neighbourhood
import datetime

force = Force.objects.create(slug="rq", name="RQ Police", telephone="101")
ring = [[-122.35, 47.65], [-122.34, 47.65], [-122.34, 47.66], [-122.35, 47.66], [-122.35, 47.65]]
fremont = Neighbourhood.objects.create(
    force=force, code="N-RQ", name="Fremont",
    boundary={"type": "Polygon", "coordinates": [ring]},
    centre_latitude=47.655, centre_longitude=-122.345,
)
places_services.mark_boundaries_changed()
officer = User.objects.create_user(email="officer@example.org", password=None, role=Role.OFFICER)
profile = OfficerProfile.objects.create(user=officer, force=force, display_name="Ana")
TeamAssignment.objects.create(
    officer=profile, neighbourhood=fremont, starts_on=datetime.date(2024, 1, 1)
)
for n in range(12):
    user = User.objects.create_user(
        email=f"follower{n}@example.org", password=None,
        preferred_language="es" if n % 3 == 0 else "en",
    )
    services.follow_neighbourhood(user=user, neighbourhood=fremont)
    if n % 4 == 0:
        services.update_preferences(user=user, sms_enabled=True, phone_number=f"+4477009001{n:02d}")
alert = services.send_alert(
    author=officer, severity="urgent", category="public_safety", title="Gas leak",
    message="Stay indoors", audience="neighbourhoods", neighbourhoods=[fremont],
    translations={"es": {"title": "Fuga de gas", "message": "Quédense dentro"}},
)
print(json.dumps({"alert": alert.pk}))
"""

READ_BACK = """
import json
from beatbridge.notify.models import Alert, AlertDelivery
alert = Alert.objects.get()
rows = list(AlertDelivery.objects.values_list(
    "recipient__email", "channel", "status", "attempts", "language"
))
print(json.dumps({
    "fanned_out": alert.fanned_out_at is not None,
    "recipients": alert.recipient_count,
    "rows": rows,
}))
"""


def _flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def environment(tmp_path):
    _flush()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "beatbridge.settings",
        "BEATBRIDGE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/rq.sqlite3",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "rq-test-secret-key-0123456789-0123456789-0123456789",
        "DEBUG": "0",
        "HTTPS": "0",
        "SITE_URL": "https://beatbridge.example",
        "SMS_BACKEND": "beatbridge.notify.sms.FileBackend",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("EMAIL_HOST", None)
    (tmp_path / "static").mkdir()
    yield env
    _flush()


def _run(env, *args, timeout=120) -> str:
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage commands)
        args, env=env, cwd=PROJECT, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_an_alert_is_fanned_out_and_delivered_once_by_two_rq_workers(environment, tmp_path):
    beatbridge = [sys.executable, "-m", "django"]
    _run(environment, *beatbridge, "migrate", "--verbosity", "0")
    seeded = json.loads(
        _run(environment, sys.executable, "-c", "import django; django.setup()\n" + SEED)
    )
    assert seeded["alert"]

    workers = [
        subprocess.Popen(  # noqa: S603
            [*beatbridge, "worker", "--burst"],
            env=environment,
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in workers:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
    # A worker that found the queue empty at first may have left early; one more burst
    # runs anything the fan-out queued after it looked.
    _run(environment, *beatbridge, "worker", "--burst")

    state = json.loads(
        _run(environment, sys.executable, "-c", "import django; django.setup()\n" + READ_BACK)
    )
    assert state["fanned_out"]
    assert state["recipients"] == 12
    rows = state["rows"]
    by_channel: dict[str, list] = {}
    for email, channel, status, attempts, language in rows:
        by_channel.setdefault(channel, []).append((email, status, attempts, language))
    assert len(by_channel["inbox"]) == 12
    assert {status for _e, status, _a, _l in by_channel["email"]} == {"sent"}
    assert len(by_channel["email"]) == 12
    assert {status for _e, status, _a, _l in by_channel["sms"]} == {"sent"}
    assert len(by_channel["sms"]) == 3
    assert {attempts for _e, _s, attempts, _l in by_channel["email"] + by_channel["sms"]} == {1}

    texts = [
        json.loads(line)
        for day in (tmp_path / "sms").iterdir()
        for line in day.read_text().splitlines()
    ]
    assert sorted(text["to"] for text in texts) == [
        "+447700900100",
        "+447700900104",
        "+447700900108",
    ]
    spanish = next(text for text in texts if text["to"] == "+447700900100")
    assert "Fuga de gas" in spanish["body"]
    mailed = "".join(path.read_text() for path in (tmp_path / "mail").iterdir())
    assert mailed.count("List-Unsubscribe-Post: List-Unsubscribe=One-Click") == 12
