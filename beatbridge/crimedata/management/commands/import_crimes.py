"""beatbridge import_crimes PATH... [--force SLUG] [--skip-invalid]: police.uk crime files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from beatbridge.crimedata.importing import FileSummary, ImportResult, import_police_uk
from beatbridge.errors import DomainError

_BAR_WIDTH = 40


class Command(BaseCommand):
    help = (
        "Import data.police.uk street-level and outcomes files: CSV files, folders in the "
        "archive layout (2017-07/2017-07-west-yorkshire-street.csv) or the zip archive. "
        "Re-importing a month replaces it. A file with a bad row is refused, naming file, "
        "line and reason, unless --skip-invalid is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Files, folders or zip archives.")
        parser.add_argument(
            "--force",
            default=None,
            help="The force's id for every file (default: from each police.uk file name). "
            "A force that does not exist is created, named from the file's 'Falls within'.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import a file's good rows and report its bad ones instead of refusing it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._last_drawn = -1
        try:
            result = import_police_uk(
                paths=options["paths"],
                force_slug=options["force"],
                skip_invalid=options["skip_invalid"],
                progress=self._draw_progress if self.stderr.isatty() else None,
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self._report(result)
        if result.refused:
            raise CommandError(
                _("%(count)d file(s) refused; nothing was written from them.")
                % {"count": len(result.refused)}
            )

    def _report(self, result: ImportResult) -> None:
        for refused in result.refused:
            self.stderr.write(_("Refused %(source)s: %(message)s") % vars(refused))
            for problem in refused.problems:
                self.stderr.write(f"  {problem}")
        for name in result.ignored:
            self.stdout.write(_("Passed over %(source)s: it holds no crimes.") % {"source": name})
        for summary in result.imported:
            for problem in summary.skipped:
                self.stderr.write(_("Skipped %(problem)s") % {"problem": problem})
            self.stdout.write(_summary_line(summary))
        if len(result.imported) > 1:
            self.stdout.write(_totals(result.imported))

    def _draw_progress(self, done: int, total: int) -> None:
        filled = done * _BAR_WIDTH // max(total, 1)
        if filled == self._last_drawn:
            return
        self._last_drawn = filled
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        self.stderr.write(
            f"\r[{bar}] {done * 100 // max(total, 1)}%", ending="\n" if done >= total else ""
        )
        self.stderr.flush()


def _summary_line(summary: FileSummary) -> str:
    categories = ", ".join(
        f"{category} {count}" for category, count in sorted(summary.by_category.items())
    )
    return _(
        "%(source)s (%(kind)s, %(force)s, %(months)s): %(rows)d rows, %(skipped)d skipped, "
        "%(without)d without a location, %(outside)d outside every neighbourhood, "
        "%(rate)s rows/s. By category: %(categories)s"
    ) % {
        "source": summary.source,
        "kind": summary.kind,
        "force": summary.force,
        "months": ", ".join(summary.months) or "-",
        "rows": summary.rows,
        "skipped": len(summary.skipped),
        "without": summary.without_location,
        "outside": summary.outside_neighbourhoods,
        "rate": f"{summary.rows / summary.seconds:,.0f}" if summary.seconds else "-",
        "categories": categories or "-",
    }


def _totals(summaries: list[FileSummary]) -> str:
    rows = sum(summary.rows for summary in summaries)
    seconds = sum(summary.seconds for summary in summaries)
    return _(
        "In all: %(files)d files, %(rows)d rows, %(without)d without a location, "
        "%(outside)d outside every neighbourhood, %(rate)s rows/s."
    ) % {
        "files": len(summaries),
        "rows": rows,
        "without": sum(summary.without_location for summary in summaries),
        "outside": sum(summary.outside_neighbourhoods for summary in summaries),
        "rate": f"{rows / seconds:,.0f}" if seconds else "-",
    }
