"""Requests per second and latency of Beatbridge's busiest public answers, behind gunicorn.

    .venv/bin/python bench/http.py [--duration 10] [--connections 64] [--postgres URL]

Sets up a throwaway data folder (SQLite database, secret key, static files; with
``--postgres URL``, a throwaway database on that server instead), migrates it,
loads the demo city, and starts gunicorn as ``make run`` does
(``beatbridge.wsgi``, one sync worker per core, persistent database connections,
HTTPS=0) on a free port of 127.0.0.1. Then, for each endpoint, a short warm-up
and a timed run at a fixed number of concurrent connections, with ``wrk`` when
it is installed (Debian package ``wrk``) and otherwise a bounded asyncio client.
The minimal view is a Django view that returns two bytes through the same
middleware (``bench/http_site``, selected only here), so the ratio to it is what
the page itself costs. Traffic goes only to 127.0.0.1 and every run is bounded
in time. Prints a table; record it in docs/performance.md.

(This file is named for what it measures; it imports nothing that needs the
standard library's ``http`` package, which its name shadows when run as a script.)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
MAX_DURATION_S = 60
# The asyncio client stops here even if time remains, so a run is bounded in count too.
MAX_REQUESTS = 500_000


@dataclass(frozen=True)
class Endpoint:
    label: str
    path: str
    # A fragment the answer must contain, so we time real answers, not errors.
    expect: bytes


ENDPOINTS = [
    Endpoint("minimal Django view", "/bench/minimal/", b"ok"),
    Endpoint("neighbourhood page", "/forces/seattle/fremont/", b"Fremont"),
    # A point in Fremont: the police.uk-compatible locate answers {"force", "neighbourhood"}.
    Endpoint("locate-neighbourhood", "/api/locate-neighbourhood?q=47.6505,-122.3500", b"fremont"),
]


@dataclass(frozen=True)
class Result:
    endpoint: Endpoint
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=64, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="gunicorn's")
    parser.add_argument(
        "--client", choices=["auto", "wrk", "python"], default="auto", help="load generator"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="use a throwaway database made on this PostgreSQL server instead of SQLite, "
        "e.g. postgres://postgres@127.0.0.1:5432/postgres",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= MAX_DURATION_S:
        parser.error(f"--duration must be between 1 and {MAX_DURATION_S} seconds")
    if not 1 <= args.connections <= 1024:
        parser.error("--connections must be between 1 and 1024")
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    elif client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk)")

    print(describe_machine())
    print(
        f"Load: {client}, {args.connections} connections, {args.duration} s per endpoint "
        f"after a warm-up; gunicorn with {args.workers} sync workers; "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}.\n"
    )
    with (
        tempfile.TemporaryDirectory(prefix="beatbridge-bench-") as data_dir,
        throwaway_database(args.postgres, Path(data_dir)) as database_url,
    ):
        env = server_environment(Path(data_dir), database_url)
        prepare(env)
        port = free_port()
        with gunicorn(env, port=port, workers=args.workers):
            # Each worker builds its spatial index and compiles templates on first use: get
            # that out of the timed runs.
            for endpoint in ENDPOINTS:
                for _ in range(4 * args.workers):
                    check_answer(port, endpoint)
            results = [
                measure(client, port, endpoint, args.duration, args.connections)
                for endpoint in ENDPOINTS
            ]
            # One request at a time: the work a request takes, without waiting for a worker.
            alone = [measure(client, port, endpoint, 3, 1) for endpoint in ENDPOINTS]
    print(table(results, alone, args.connections))


def describe_machine() -> str:
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{memory_gib:.1f} GiB memory, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}."
    )


@contextlib.contextmanager
def throwaway_database(postgres_url: str | None, data_dir: Path) -> Iterator[str]:
    """The URL of an empty database that is gone afterwards: SQLite in ``data_dir``, or a
    database made for the run on the PostgreSQL server at ``postgres_url``."""
    if postgres_url is None:
        yield f"sqlite:///{data_dir / 'beatbridge.sqlite3'}"
        return
    name = f"beatbridge_bench_{os.getpid()}"
    run_sql(postgres_url, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    finally:
        run_sql(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_sql(url: str, statement: str) -> None:
    # In a child process: psycopg lives in the project's environment, and this script's own
    # folder (which shadows the standard library's http) stays off its path.
    subprocess.run(  # noqa: S603 (fixed statements of this script)
        [sys.executable, "-c", "import psycopg, sys; "
         "psycopg.connect(sys.argv[1], autocommit=True).execute(sys.argv[2])", url, statement],
        cwd=ROOT,
        check=True,
    )  # fmt: skip


def server_environment(data_dir: Path, database_url: str) -> dict[str, str]:
    """Environment for the server and its set-up commands: files under ``data_dir``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(
        BEATBRIDGE_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS=HOST,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare(env: dict[str, str]) -> None:
    started = time.perf_counter()
    for command in (
        ["migrate", "--noinput", "--verbosity", "0"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
        ["load_demo", "--allow-published-passwords"],
    ):
        subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
            [str(BIN / "beatbridge"), *command],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"Prepared a fresh database with the demo city in {time.perf_counter() - started:.1f} s.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, port: int, workers: int) -> Iterator[None]:
    """gunicorn serving Beatbridge plus the minimal view, until the block ends."""
    server_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.http_site.settings"}
    command = [str(BIN / "gunicorn"), "beatbridge.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
            command, env=server_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_serving(server, port, log)
            yield
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_serving(server: subprocess.Popen, port: int, log: object) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            output = log.read().decode(errors="replace")  # type: ignore[attr-defined]
            sys.exit(f"gunicorn stopped with status {server.returncode}:\n{output}")
        with contextlib.suppress(OSError):
            status, _body = get(port, "/bench/minimal/")
            if status == 200:
                return
        time.sleep(0.2)
    sys.exit("gunicorn did not answer within 30 s")


def get(port: int, path: str) -> tuple[int, bytes]:
    """One GET over a fresh connection; the status and the whole answer."""
    with socket.create_connection((HOST, port), timeout=10) as connection:
        connection.sendall(request_bytes(port, path))
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    return int(answer[9:12]), answer


def request_bytes(port: int, path: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept-Language: en\r\n"
        f"Connection: close\r\n\r\n"
    ).encode()


def check_answer(port: int, endpoint: Endpoint) -> None:
    status, answer = get(port, endpoint.path)
    if status != 200 or endpoint.expect not in answer:
        sys.exit(
            f"{endpoint.path} answered {status} without {endpoint.expect!r}:\n{answer[:500]!r}"
        )


def measure(client: str, port: int, endpoint: Endpoint, duration: int, connections: int) -> Result:
    url = f"http://{HOST}:{port}{endpoint.path}"
    if client == "wrk":
        run_wrk(url, endpoint, duration=2, connections=connections)  # warm-up
        return run_wrk(url, endpoint, duration=duration, connections=connections)
    asyncio.run(run_python(port, endpoint, duration=2, connections=connections))
    return asyncio.run(run_python(port, endpoint, duration=duration, connections=connections))


_WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url: str, endpoint: Endpoint, *, duration: int, connections: int) -> Result:
    threads = min(os.cpu_count() or 1, connections)
    wrk = shutil.which("wrk") or "wrk"
    output = subprocess.run(  # noqa: S603 (wrk against our own loopback server)
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout",
         "10s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {pct: float(v) * _UNIT_MS[unit] for pct, v, unit in _WRK_LATENCY.findall(output)}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    if socket_errors := re.search(r"Socket errors: (.*)", output):
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Result(endpoint, rate, latency["50"], latency["99"], errors)


async def run_python(port: int, endpoint: Endpoint, *, duration: int, connections: int) -> Result:
    """``connections`` clients, each sending one request after another until time runs out."""
    request = request_bytes(port, endpoint.path)
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    deadline = started + duration

    async def client() -> None:
        nonlocal errors
        while time.perf_counter() < deadline and len(latencies) < MAX_REQUESTS:
            sent = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection(HOST, port)
                writer.write(request)
                answer = await reader.read()
                writer.close()
            except OSError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - sent)
            if answer[9:12] != b"200":
                errors += 1

    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return Result(endpoint, len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, errors)


def table(results: list[Result], alone: list[Result], connections: int) -> str:
    baseline = results[0].requests_per_second
    lines = [
        f"{'':<24} {f'at {connections} connections':^38} {'1 connection':>13}",
        f"{'endpoint':<24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs minimal':>10} "
        f"{'p50 ms':>13} {'errors':>7}",
    ]
    for result, single in zip(results, alone, strict=True):
        ratio = result.requests_per_second / baseline
        errors = result.errors + single.errors
        lines.append(
            f"{result.endpoint.label:<24} {result.requests_per_second:>9.0f} "
            f"{result.p50_ms:>8.1f} {result.p99_ms:>8.1f} {ratio:>10.2f} "
            f"{single.p50_ms:>13.2f} {errors:>7}"
        )
    lines.append(
        f"\nTargets: at least {TARGET_RATIO:.0%} of the minimal view's rate, "
        f"p99 under {TARGET_P99_MS:.0f} ms."
    )
    for result in results[1:]:
        ratio_ok = result.requests_per_second / baseline >= TARGET_RATIO
        p99_ok = result.p99_ms < TARGET_P99_MS
        verdict = "met" if ratio_ok and p99_ok else "NOT met"
        lines.append(f"  {result.endpoint.label}: {verdict}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
