"""Refuse migrations with auto-generated names: a migration's name says what it does."""

from __future__ import annotations

import re
import sys
from pathlib import Path

AUTO_NAME = re.compile(r"^\d{4}_(auto_\d{8}_\d{4}|initial)\.py$")

offenders = [
    path for path in Path("beatbridge").glob("*/migrations/*.py") if AUTO_NAME.match(path.name)
]
for path in offenders:
    print(f"{path}: give this migration a name that says what it does (makemigrations --name).")
sys.exit(1 if offenders else 0)
