"""``beatbridge mark_dormant_schemes``: mark quiet watch schemes dormant (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from beatbridge.watch.services import WATCH_DORMANT_AFTER_DAYS, mark_dormant_schemes


class Command(BaseCommand):
    help = (
        f"Mark dormant every active watch scheme with no message, membership change or rota "
        f"sign-up for {WATCH_DORMANT_AFTER_DAYS} days. Safe to run as often as you like."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = mark_dormant_schemes()
        self.stdout.write(_("Marked %(count)d scheme(s) dormant.") % {"count": count})
