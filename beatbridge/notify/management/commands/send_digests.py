"""``beatbridge send_digests``: send the daily alert digests that are due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from beatbridge.notify.alerts import send_digests


class Command(BaseCommand):
    help = (
        "Send each person who chose a daily digest the information and advice alerts held "
        "for it, once NOTIFY_DIGEST_HOUR has passed. Safe to run often (cron, make run)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_digests()
        self.stdout.write(_("Sent %(count)d digest(s).") % {"count": count})
