"""beatbridge import_311 FILE.csv --force SLUG: historical 311 requests from an open-data export."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from beatbridge.errors import DomainError
from beatbridge.places.selectors import get_force
from beatbridge.reports import importers

# Files smaller than this import in a blink; a progress line would only flicker.
_PROGRESS_FROM_ROWS = 20_000


class Command(BaseCommand):
    help = (
        "Import historical 311 requests from a Boston or NYC open-data CSV export as "
        "reports of a force. Every row is checked first; nothing is written unless all "
        "are good (or --skip-invalid is given). Rows imported before are skipped, so the "
        "same file can be imported again safely."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV export.")
        parser.add_argument("--force", required=True, help="The force's identifier (slug).")
        parser.add_argument(
            "--layout",
            choices=[*importers.LAYOUTS, "auto"],
            default="auto",
            help="The export's layout (default: recognised from the header).",
        )
        parser.add_argument(
            "--time-zone",
            default=None,
            help=(
                "The time zone of the file's dates, e.g. America/New_York "
                "(default: the TIME_ZONE setting)."
            ),
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the good rows and list the bad ones instead of stopping.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count everything, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        time_zone = _time_zone(options["time_zone"] or settings.TIME_ZONE)
        try:
            force = get_force(options["force"])
        except DomainError:
            raise CommandError(
                _("There is no force with the identifier “%(slug)s”.") % {"slug": options["force"]}
            ) from None
        try:
            parsed = importers.read_311_file(
                options["file"], layout=options["layout"], time_zone=time_zone
            )
            result = importers.import_reports(
                force=force,
                parsed=parsed,
                skip_invalid=options["skip_invalid"],
                dry_run=options["dry_run"],
                progress=self._draw_progress if parsed.rows_read >= _PROGRESS_FROM_ROWS else None,
            )
        except importers.ImportRefused as error:
            self._write_problems(error.problems)
            raise CommandError(error.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self._write_report(result, layout=parsed.layout)

    def _write_problems(self, problems: list[importers.RowProblem]) -> None:
        for problem in problems:
            self.stderr.write(
                _("line %(line)d: %(reason)s") % {"line": problem.line, "reason": problem.reason}
            )

    def _write_report(self, result: importers.ImportResult, *, layout: str) -> None:
        lines = []
        if result.dry_run:
            lines.append(_("Dry run: nothing was written."))
        lines += [
            _("Layout: %(layout)s") % {"layout": layout},
            _("Rows read: %(count)d") % {"count": result.rows_read},
            _("Imported: %(count)d") % {"count": result.imported},
            _("Already imported: %(count)d") % {"count": result.already_imported},
            _("Skipped: %(count)d") % {"count": len(result.skipped)},
        ]
        lines += [
            "  " + _("line %(line)d: %(reason)s") % {"line": problem.line, "reason": problem.reason}
            for problem in result.skipped
        ]
        lines.append(
            _("Outside every neighbourhood: %(count)d") % {"count": result.outside_neighbourhoods}
        )
        lines.append(_("Without a place on the map: %(count)d") % {"count": result.without_point})
        if result.by_category:
            lines.append(_("By category:"))
            created = set(result.categories_created)
            width = max(len(name) for name in result.by_category)
            for name, count in sorted(
                result.by_category.items(), key=lambda item: (-item[1], item[0])
            ):
                marker = "  " + _("(new, inactive)") if name in created else ""
                lines.append(f"  {name:<{width}}  {count:>6}{marker}")
        if result.categories_created:
            lines.append(
                _(
                    "%(count)d new inactive categories were made in the group “%(group)s” for "
                    "types the force had no category for: rename, merge or activate them in "
                    "the admin."
                )
                % {"count": len(result.categories_created), "group": importers.IMPORTED_GROUP}
            )
        self.stdout.write("\n".join(lines))

    def _draw_progress(self, done: int, total: int) -> None:
        ending = "\n" if done == total else ""
        self.stderr.write(f"\r{done}/{total}", ending=ending)
        self.stderr.flush()


def _time_zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise CommandError(
            _("“%(name)s” is not a time zone: use an IANA name such as America/New_York.")
            % {"name": name}
        ) from None
