"""beatbridge import_boundaries FILE.geojson --force SLUG: a force's neighbourhoods from a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from beatbridge.errors import DomainError
from beatbridge.places import selectors, services

# Files smaller than this import in a blink; a bar would only flicker.
_PROGRESS_FROM_FEATURES = 500
_BAR_WIDTH = 40


class Command(BaseCommand):
    help = (
        "Create or update a force's neighbourhoods from a GeoJSON FeatureCollection. "
        "Every feature is checked first; nothing is written unless all are good "
        "(or --skip-invalid is given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A GeoJSON FeatureCollection.")
        parser.add_argument("--force", required=True, help="The force's identifier (slug).")
        parser.add_argument(
            "--name-property", default="name", help="Feature property holding the name."
        )
        parser.add_argument(
            "--id-property",
            default=None,
            help="Feature property holding the neighbourhood id (default: made from the name).",
        )
        parser.add_argument(
            "--sector-property", default=None, help="Feature property holding the sector name."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the good features and report the bad ones instead of stopping.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        collection = _read_collection(options["file"])
        try:
            force = selectors.get_force(options["force"])
        except DomainError:
            raise CommandError(
                _("There is no force with the identifier “%(slug)s”.") % {"slug": options["force"]}
            ) from None
        features = collection.get("features")
        show_progress = isinstance(features, list) and len(features) >= _PROGRESS_FROM_FEATURES
        try:
            result = services.import_boundaries(
                force=force,
                collection=collection,
                name_property=options["name_property"],
                id_property=options["id_property"],
                sector_property=options["sector_property"],
                skip_invalid=options["skip_invalid"],
                progress=self._draw_progress if show_progress else None,
            )
        except services.BoundaryImportError as error:
            self._report_problems(error.problems)
            raise CommandError(error.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self._report_problems(result.skipped)
        self.stdout.write(
            _("%(created)d created, %(updated)d updated, %(skipped)d skipped.")
            % {
                "created": result.created,
                "updated": result.updated,
                "skipped": len(result.skipped),
            }
        )

    def _report_problems(self, problems: list[services.FeatureProblem]) -> None:
        for problem in problems:
            self.stderr.write(
                _("feature %(index)d: %(reason)s")
                % {"index": problem.index, "reason": problem.reason}
            )

    def _draw_progress(self, done: int, total: int) -> None:
        filled = done * _BAR_WIDTH // total
        if done != total and filled == (done - 1) * _BAR_WIDTH // total:
            return
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        ending = "\n" if done == total else ""
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending=ending)
        self.stderr.flush()


def _read_collection(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(_("The file %(path)s does not exist.") % {"path": path}) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            _("The file %(path)s cannot be read: %(error)s") % {"path": path, "error": error}
        ) from None
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            _("The file %(path)s is not valid JSON: %(error)s") % {"path": path, "error": error}
        ) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise CommandError(
            _("The file %(path)s is not a GeoJSON FeatureCollection.") % {"path": path}
        )
    return collection
