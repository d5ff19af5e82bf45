"""Beatbridge's own settings, with a URLconf that adds one minimal view for bench/http.py.

Only the benchmark selects this module (DJANGO_SETTINGS_MODULE); the product's
URLs never contain the minimal view.
"""

from beatbridge.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_site.urls"
