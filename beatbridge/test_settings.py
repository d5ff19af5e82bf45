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

from beatbridge.settings import *  # noqa: F403
from beatbridge.settings import STORAGES

# Argon2 is what production uses (a test checks it); MD5 keeps the suite fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Nothing runs collectstatic before the tests; production's manifest storage would refuse.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise warns about a missing STATIC_ROOT at start-up; tests serve through the finders.
WHITENOISE_USE_FINDERS = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
