"""beatbridge import_city_crimes FILE.csv --force SLUG [--mapping FILE.json]: city incidents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from beatbridge.crimedata.city import import_city_crimes, load_mapping
from beatbridge.crimedata.management.commands.import_crimes import Command as PoliceUkCommand
from beatbridge.errors import DomainError

SEATTLE_MAPPING = Path(__file__).resolve().parents[2] / "data" / "seattle-spd.json"


class Command(PoliceUkCommand):
    help = (
        "Import a city's open-data incident CSV (id, date and time, category, latitude and "
        "longitude or block address) into a force, its columns and categories named by a "
        f"JSON mapping (see {SEATTLE_MAPPING.name} for Seattle's). Checked first, one "
        "transaction; re-importing replaces the months the file holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The city's incident CSV file.")
        parser.add_argument("--force", required=True, help="The force's id.")
        parser.add_argument(
            "--mapping",
            type=Path,
            default=SEATTLE_MAPPING,
            help="The JSON column and category mapping (default: Seattle's).",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the good rows and report the bad ones instead of refusing the file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._last_drawn = -1
        try:
            result = import_city_crimes(
                path=options["file"],
                force_slug=options["force"],
                mapping=load_mapping(options["mapping"]),
                skip_invalid=options["skip_invalid"],
                progress=self._draw_progress if self.stderr.isatty() else None,
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self._finish(result)
