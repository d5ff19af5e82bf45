"""``beatbridge worker``: run queued background work with whichever backend is configured.

The database backend (the default) runs ``db_worker``; with ``REDIS_URL`` set it runs an
RQ worker, with its scheduler, for the task backend's job class. Start as many as the
load needs, on as many machines: each task is taken by one worker only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def uses_redis() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"


class Command(BaseCommand):
    help = (
        "Run background tasks: a database worker by default, an RQ worker when REDIS_URL "
        "is set. --burst stops once nothing is queued (for benchmarks and batch jobs)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="Stop once nothing is left to run."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if uses_redis():
            arguments = ["default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
            if options["burst"]:
                arguments.append("--burst")
            call_command("rqworker", *arguments)
            return
        arguments = ["--no-startup-delay"]
        if options["burst"]:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
