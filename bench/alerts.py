"""Queueing and delivering one alert to many followers, through real task workers.

Run: .venv/bin/python bench/alerts.py [--subscribers 100000] [--backend db|redis]
                                      [--workers 2] [--batch-size 500]

Uses its own throwaway data folder (a temporary directory): a fresh SQLite database
there unless ``DATABASE_URL`` is set (it must then name an empty, throwaway database:
the script refuses one that holds any account), e-mail written to files under it
(Django's file backend, as when no EMAIL_HOST is set), and text messages through the
console adapter into a log file beside it. With ``--backend redis`` the tasks go to
Redis (``--redis-url``, database 14 of 127.0.0.1 by default, flushed before and after; the
test suite uses 15).

It makes one neighbourhood, its officer and ``--subscribers`` followers: every one gets
the inbox copy, nine in ten e-mail, one in ten text messages, and a third read Spanish
(the alert carries a Spanish translation). It starts ``--workers`` ``beatbridge worker``
processes, then the officer sends an urgent alert through ``notify.services.send_alert``
as the page or the API would. A worker fans it out (``notify.alerts.fan_out``) and the
workers send the batches it queues. Printed: the time until the fan-out had written and
queued every row, the time until the last message went, delivery rows and messages per
second, and the peak memory (RSS) of the busiest worker process (the fan-out and its
sends included) beside an idle worker's. Record them in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The script's own folder goes first on sys.path, where bench/http.py would hide the
# standard library's http: put the project there instead.
PROJECT = Path(__file__).resolve().parent.parent
sys.path[0] = str(PROJECT)

WEST, SOUTH, SIZE = -122.35, 47.65, 0.01
POLL_SECONDS = 0.05


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--backend", choices=["db", "redis"], default="db")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=500, help="NOTIFY_BATCH_SIZE")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--timeout", type=int, default=1800, help="give up after this many s")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    return parser.parse_args()


OPTIONS = arguments()
DATA_DIR = tempfile.mkdtemp(prefix="beatbridge-bench-alerts-")
os.environ.update(
    BEATBRIDGE_DATA_DIR=DATA_DIR,
    DJANGO_SETTINGS_MODULE="beatbridge.settings",
    SECRET_KEY="bench-only-secret-key-0123456789-0123456789-0123456789",  # noqa: S106
    DEBUG="0",
    HTTPS="0",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="WARNING",
    SITE_URL="https://beatbridge.example",
    SMS_BACKEND="beatbridge.notify.sms.ConsoleBackend",
    NOTIFY_BATCH_SIZE=str(OPTIONS.batch_size),
)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA_DIR}/bench.sqlite3")
os.environ.pop("EMAIL_HOST", None)  # e-mail to files, never to a real server
if OPTIONS.backend == "redis":
    os.environ["REDIS_URL"] = OPTIONS.redis_url
else:
    os.environ.pop("REDIS_URL", None)
Path(DATA_DIR, "static").mkdir()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Max  # noqa: E402

from beatbridge.accounts.models import OfficerProfile, Role, TeamAssignment, User  # noqa: E402
from beatbridge.notify import services as notify_services  # noqa: E402
from beatbridge.notify.models import (  # noqa: E402
    Alert,
    AlertDelivery,
    DeliveryStatus,
    Follow,
    Preferences,
)
from beatbridge.places import services as places_services  # noqa: E402
from beatbridge.places.models import Force, Neighbourhood  # noqa: E402

CHUNK = 5000


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(OPTIONS.redis_url).flushdb()


def setup(subscribers: int) -> tuple[Neighbourhood, User]:
    call_command("migrate", verbosity=0, interactive=False)
    if User.objects.exists():
        sys.exit("DATABASE_URL names a database with accounts in it; give a throwaway one.")
    force = Force.objects.create(slug="bench", name="Bench Police", telephone="101")
    ring = [
        [WEST, SOUTH],
        [WEST + SIZE, SOUTH],
        [WEST + SIZE, SOUTH + SIZE],
        [WEST, SOUTH + SIZE],
        [WEST, SOUTH],
    ]
    neighbourhood = Neighbourhood.objects.create(
        force=force,
        code="N-BENCH",
        name="Benchley",
        boundary={"type": "Polygon", "coordinates": [ring]},
        centre_latitude=SOUTH + SIZE / 2,
        centre_longitude=WEST + SIZE / 2,
    )
    places_services.mark_boundaries_changed()
    officer = User.objects.create_user("officer@bench.example", "bench", role=Role.OFFICER)
    profile = OfficerProfile.objects.create(user=officer, force=force, display_name="Officer")
    TeamAssignment.objects.create(
        officer=profile,
        neighbourhood=neighbourhood,
        role="neighbourhood_officer",
        starts_on=datetime.date(2024, 1, 1),
    )
    for start in range(0, subscribers, CHUNK):
        numbers = range(start, min(start + CHUNK, subscribers))
        users = User.objects.bulk_create(
            User(
                email=f"follower{n}@bench.example",
                password="!",  # noqa: S106 (unusable: nobody signs in as them)
                preferred_language="es" if n % 3 == 0 else "en",
            )
            for n in numbers
        )
        Follow.objects.bulk_create(Follow(user=u, neighbourhood=neighbourhood) for u in users)
        Preferences.objects.bulk_create(
            Preferences(
                user=u,
                email_enabled=n % 10 != 9,
                sms_enabled=n % 10 == 0,
                phone_number=f"+1206555{n % 10_000:04d}" if n % 10 == 0 else "",
            )
            for n, u in zip(numbers, users, strict=True)
        )
    return neighbourhood, officer


def rss_kib(pid: int, field: str) -> int:
    """VmRSS or VmHWM (peak) of a running process, in KiB (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """The process and everything it forked (RQ runs each job in a child), Linux only."""
    found = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in children:
        found += descendants(int(child))
    return found


class PeakMemory:
    """The highest peak RSS (VmHWM) seen in the workers and their children while polled."""

    def __init__(self, workers: list[subprocess.Popen]):
        self.workers = workers
        self.peak = 0

    def sample(self) -> None:
        for worker in self.workers:
            for pid in descendants(worker.pid):
                self.peak = max(self.peak, rss_kib(pid, "VmHWM"))


def start_workers(count: int, log: Path) -> list[subprocess.Popen]:
    out = log.open("w")
    return [
        subprocess.Popen(
            [sys.executable, "-m", "django", "worker"],
            cwd=PROJECT,
            env=os.environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        for _ in range(count)
    ]


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    database = connection.vendor
    if database == "sqlite":
        database += " " + connection.Database.sqlite_version
    return (
        f"{os.cpu_count()} CPUs ({model or platform.machine()}), Python "
        f"{platform.python_version()}, {database}"
    )


def wait_until(done, deadline: float, memory: PeakMemory) -> float:
    while not done():
        memory.sample()
        if time.monotonic() > deadline:
            raise SystemExit("Timed out; see the worker log in " + DATA_DIR)
        time.sleep(POLL_SECONDS)
    return time.monotonic()


def main() -> None:
    if OPTIONS.backend == "redis":
        flush_redis()
    print(f"Setting up {OPTIONS.subscribers:,} followers in {DATA_DIR} ...", flush=True)
    started = time.monotonic()
    neighbourhood, officer = setup(OPTIONS.subscribers)
    print(f"  set up in {time.monotonic() - started:.1f} s", flush=True)
    connection.close()

    log = Path(DATA_DIR, "workers.log")
    workers = start_workers(OPTIONS.workers, log)
    time.sleep(3)  # let each worker import Django and start polling
    idle_rss = max(rss_kib(w.pid, "VmRSS") for w in workers)
    memory = PeakMemory(workers)
    try:
        sent_at = time.monotonic()
        alert = notify_services.send_alert(
            author=officer,
            severity="urgent",
            category="public_safety",
            title="Gas leak on Elm Road",
            message="Stay indoors and keep windows shut until we tell you it is safe.",
            audience="neighbourhoods",
            neighbourhoods=[neighbourhood],
            translations={
                "es": {
                    "title": "Fuga de gas en Elm Road",
                    "message": "Quédense dentro con las ventanas cerradas hasta nuevo aviso.",
                }
            },
        )
        deadline = sent_at + OPTIONS.timeout
        fanned = wait_until(
            lambda: Alert.objects.filter(pk=alert.pk, fanned_out_at__isnull=False).exists(),
            deadline,
            memory,
        )
        pending = AlertDelivery.objects.filter(
            alert=alert, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
        )
        delivered = wait_until(lambda: not pending.exists(), deadline, memory)
        memory.sample()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    counts = dict(
        AlertDelivery.objects.filter(alert=alert)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    by_status = dict(
        AlertDelivery.objects.filter(alert=alert)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    last_sent = AlertDelivery.objects.filter(alert=alert).aggregate(last=Max("sent_at"))["last"]
    rows = sum(counts.values())
    messages = counts.get("email", 0) + counts.get("sms", 0)
    fan_out_s = fanned - sent_at
    delivered_s = delivered - sent_at
    mail_files = list(Path(DATA_DIR, "mail").glob("*")) if Path(DATA_DIR, "mail").exists() else []

    print()
    print(f"machine:        {machine()}")
    backend = "Redis/RQ" if OPTIONS.backend == "redis" else "database"
    print(
        f"task backend:   {backend}, {OPTIONS.workers} worker(s), batches of {OPTIONS.batch_size}"
    )
    recipients = Alert.objects.get(pk=alert.pk).recipient_count
    print(f"followers:      {OPTIONS.subscribers:,} (recipients {recipients:,})")
    print(
        "rows:           "
        + ", ".join(f"{channel} {n:,}" for channel, n in sorted(counts.items()))
        + f" = {rows:,}"
    )
    print("statuses:       " + ", ".join(f"{s} {n:,}" for s, n in sorted(by_status.items())))
    print(f"fan-out:        {fan_out_s:.1f} s (send_alert to every row written and queued)")
    print(f"all delivered:  {delivered_s:.1f} s (send_alert to nothing queued or sending)")
    if last_sent and alert.created_at:
        print(
            "  last sent_at: "
            f"{(last_sent - alert.created_at).total_seconds():.1f} s after the alert"
        )
    print(f"rows/s:         {rows / delivered_s:,.0f} (all rows, inbox included)")
    print(f"messages/s:     {messages / delivered_s:,.0f} (e-mails and texts sent)")
    print(
        f"memory:         peak RSS of a worker process {memory.peak / 1024:.0f} MiB "
        f"(an idle worker: {idle_rss / 1024:.0f} MiB)"
    )
    print(f"e-mail files:   {len(mail_files)} in {DATA_DIR}/mail")
    failed = by_status.get(DeliveryStatus.FAILED, 0) + by_status.get(DeliveryStatus.QUEUED, 0)
    if failed:
        print(f"WARNING: {failed} rows not sent; see {log}")


if __name__ == "__main__":
    try:
        main()
    finally:
        if OPTIONS.backend == "redis":
            flush_redis()
        if not OPTIONS.keep:
            shutil.rmtree(DATA_DIR, ignore_errors=True)
