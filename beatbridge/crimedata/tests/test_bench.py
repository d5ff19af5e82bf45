"""bench/crimes.py stays runnable as the schema changes: a tiny run of it, on its own
throwaway SQLite database, gets through every part and prints each figure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_crimes_benchmark_runs_through_every_part():
    # Never the database the suite was given: the bench writes and empties its own.
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    tiny = ["--rows", "2000", "--points", "200", "--incidents", "20000", "--months", "3"]

    finished = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, str(ROOT / "bench" / "crimes.py"), *tiny],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr[-3000:]
    for figure in ("first month, new points", "dashboard ms", "third month", "gi_star: median"):
        assert figure in finished.stdout, finished.stdout[-3000:]
