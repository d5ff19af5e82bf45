"""``beatbridge send_reminders``: remind registrants of what starts soon (run it from cron)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from beatbridge.voice.notifications import requeue_stale
from beatbridge.voice.services.registrations import send_due_reminders


class Command(BaseCommand):
    help = (
        "Remind everyone registered for a meeting or an event that starts within --hours "
        "hours, and queue again registrant messages whose task was lost. Safe to run as "
        "often as you like (every 15 minutes, say): nobody is reminded twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] < 1:
            raise CommandError(_("--hours must be at least 1."))
        count = send_due_reminders(ahead=datetime.timedelta(hours=options["hours"]))
        requeued = requeue_stale()
        self.stdout.write(
            _("Queued %(count)d reminder(s); queued %(requeued)d message(s) again.")
            % {"count": count, "requeued": requeued}
        )
