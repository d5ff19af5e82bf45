"""``beatbridge generate_city``: a synthetic city of any size, for tests and benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from beatbridge.demo.management.quiet import quiet_account_logs
from beatbridge.demo.services import generate_city
from beatbridge.errors import DomainError


class Command(BaseCommand):
    help = (
        "Make a police service over a synthetic city of N neighbourhoods, with sectors, "
        "officers and teams; the same seed always gives the same city."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--neighbourhoods", type=int, required=True, help="How many neighbourhoods (≥ 1)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (≥ 0; default 1).")
        parser.add_argument(
            "--force",
            default=None,
            help="Id of the new force (default synthetic-N-S); it must not exist yet.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        neighbourhoods, seed = options["neighbourhoods"], options["seed"]
        force_slug = options["force"] or f"synthetic-{neighbourhoods}-{seed}"
        try:
            with quiet_account_logs():
                result = generate_city(
                    neighbourhoods=neighbourhoods, seed=seed, force_slug=force_slug
                )
        except DomainError as error:
            raise CommandError(f"--{error.field}: {error.message}") from error
        self.stdout.write(
            _(
                "Created %(force)s (id “%(id)s”): %(neighbourhoods)d neighbourhoods, "
                "%(officers)d officers and %(assignments)d team assignments."
            )
            % {
                "force": result.force.name,
                "id": result.force.slug,
                "neighbourhoods": result.neighbourhoods_created,
                "officers": result.officers_created,
                "assignments": result.assignments_created,
            },
            self.style.SUCCESS,
        )
