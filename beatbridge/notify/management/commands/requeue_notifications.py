"""``beatbridge requeue_notifications``: queue again messages whose task was lost."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from beatbridge.notify import alerts
from beatbridge.reports import notifications as reporter_notifications


class Command(BaseCommand):
    help = (
        "Queue again every reporter notification and alert delivery still waiting after "
        "--minutes minutes, and fan out again alerts whose fan-out was cut short (a worker "
        "that crashed). Safe to run from cron: nothing already sent is sent twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--minutes", type=int, default=15)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["minutes"] < 1:
            raise CommandError(_("--minutes must be at least 1."))
        older_than = datetime.timedelta(minutes=options["minutes"])
        count = reporter_notifications.requeue_stale(older_than=older_than)
        count += alerts.requeue_stale(older_than=older_than)
        fan_outs = alerts.requeue_unfinished(older_than=older_than)
        self.stdout.write(
            _("Queued %(count)d notification(s) and %(alerts)d alert fan-out(s) again.")
            % {"count": count, "alerts": fan_outs}
        )
