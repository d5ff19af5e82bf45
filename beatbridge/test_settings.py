"""Settings for the test suite: the real settings, made fast and isolated.

pytest loads this module before any conftest runs, so the environment defaults
below take effect before beatbridge.settings reads them.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("BEATBRIDGE_DATA_DIR", str(Path(tempfile.gettempdir()) / "beatbridge-test"))
# Each pytest-xdist worker keeps its uploads, SMS files and static files in a folder of its own
# ("gw0", "gw1", ...), so no test sees or removes another worker's files. The workers inherit
# the variable above from the controller, which set it first.
os.environ["BEATBRIDGE_DATA_DIR"] = str(
    Path(os.environ["BEATBRIDGE_DATA_DIR"]) / os.getenv("PYTEST_XDIST_WORKER", "")
)

from beatbridge.settings import *  # noqa: F403
from beatbridge.settings import STORAGES, TASKS

# Argon2 is what production uses (a test checks it); MD5 keeps the suite fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Nothing runs collectstatic before the tests; production's manifest storage would refuse.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline, inside .enqueue(), on the same queues as production. Three things follow:
# - every test runs inside a transaction that is rolled back, so a task enqueued from
#   transaction.on_commit() runs only under django_capture_on_commit_callbacks(execute=True);
# - a task that raises does not fail the test: the result says FAILED, so assert the effect
#   (or result.status);
# - the immediate backend refuses run_after: a test of a delayed task sets TASKS to
#   django_tasks.backends.dummy.DummyBackend with the settings fixture and inspects its results.
TASKS = {
    "default": {**TASKS["default"], "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
}
# WhiteNoise warns about a missing STATIC_ROOT at start-up; tests serve through the finders.
WHITENOISE_USE_FINDERS = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
