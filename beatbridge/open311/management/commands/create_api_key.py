"""beatbridge create_api_key NAME: issue an Open311 API key and print it, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from beatbridge.errors import DomainError
from beatbridge.open311 import services


class Command(BaseCommand):
    help = (
        "Issue an API key for an Open311 client application and print it. The key is shown "
        "only now: Beatbridge keeps only its hash."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The application or organisation the key is for.")
        parser.add_argument("--email", default="", help="Who to tell when the key must change.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            issued = services.issue_api_key(name=options["name"], contact_email=options["email"])
        except DomainError as error:
            raise CommandError(error.message) from None
        # The key alone on stdout, so a script can capture it; the advice goes to stderr.
        self.stdout.write(issued.key)
        self.stderr.write(
            _("Key for “%(name)s” (starts %(prefix)s). It will not be shown again.")
            % {"name": issued.client.name, "prefix": issued.client.key_prefix}
        )
