"""Test-wide settings: fast, isolated, no network."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault(
    "BEATBRIDGE_DATA_DIR", str(Path(tempfile.gettempdir()) / "beatbridge-test-var")
)
