"""beatbridge import_crimes PATH... [--force SLUG] [--skip-invalid]: police.uk crime files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beatbridge.crimedata.importing import FileSummary, ImportResult, import_police_uk
from beatbridge.crimedata.models import CrimeImport
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
        self._finish(result)

    def _finish(self, result: ImportResult) -> None:
        """Print the summary; fail when any file was refused."""
        self._report(result)
        if result.refused:
            raise CommandError(
                ngettext(
                    "%(count)d file refused; nothing was written from it.",
                    "%(count)d files refused; nothing was written from them.",
                    len(result.refused),
                )
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
            self.stdout.write(_totals(result.imported, result.seconds))

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
        "rate": _rate(summary.rows, summary.seconds),
        "categories": _categories(summary.by_category),
    }


def _totals(summaries: list[FileSummary], seconds: float) -> str:
    rows = sum(summary.rows for summary in summaries)
    # Outcomes files count outcomes, not crimes: they stay out of the categories.
    by_category: Counter[str] = Counter()
    for summary in summaries:
        if summary.kind == CrimeImport.Kind.STREET:
            by_category.update(summary.by_category)
    return _(
        "In all: %(files)d files, %(rows)d rows, %(without)d without a location, "
        "%(outside)d outside every neighbourhood, %(rate)s rows/s. By category: %(categories)s"
    ) % {
        "files": len(summaries),
        "rows": rows,
        "without": sum(summary.without_location for summary in summaries),
        "outside": sum(summary.outside_neighbourhoods for summary in summaries),
        "rate": _rate(rows, seconds),
        "categories": _categories(by_category),
    }


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds else "-"


def _categories(by_category: dict[str, int]) -> str:
    counts = sorted(by_category.items())
    return ", ".join(f"{category} {count}" for category, count in counts) or "-"
