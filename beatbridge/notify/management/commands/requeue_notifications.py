"""``beatbridge requeue_notifications``: queue again reporter e-mails whose task was lost."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from beatbridge.reports.notifications import requeue_stale


class Command(BaseCommand):
    help = (
        "Queue again every reporter notification still waiting after --minutes minutes "
        "(a worker that crashed between saving and queueing it). Safe to run from cron: "
        "a notification already sent is never sent twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--minutes", type=int, default=15)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["minutes"] < 1:
            raise CommandError(_("--minutes must be at least 1."))
        count = requeue_stale(older_than=datetime.timedelta(minutes=options["minutes"]))
        self.stdout.write(_("Queued %(count)d notification(s) again.") % {"count": count})
