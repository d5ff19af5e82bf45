"""Where crime files come from: single files, folders in police.uk's archive layout, or
the zip archive as downloaded, each opened as a stream with its size for the progress bar.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from beatbridge.errors import DomainError

# "2017-07-west-yorkshire-street.csv": police.uk's name for one force's month of one kind.
_POLICE_UK_NAME = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)"
    r"\.csv$"
)

# What parts a file's name from its folders and archive: "police.zip:2017-07/….csv".
_FOLDER_PARTS = re.compile(r"[/\\:]")


class NotText(ValueError):
    """The file holds a NUL byte, which no CSV text has (and PostgreSQL cannot store)."""


@dataclass(frozen=True)
class Source:
    """One CSV file to import, wherever it lies."""

    # As the operator will recognise it: "archive.zip:2017-07/2017-07-btp-street.csv".
    name: str
    size: int
    opener: Callable[[], BinaryIO]

    @property
    def base_name(self) -> str:
        # Zips made on Windows may part their folders with backslashes.
        return _FOLDER_PARTS.split(self.name)[-1]

    def police_uk_parts(self) -> tuple[str, str, str] | None:
        """(month, force id, kind) from a police.uk file name; None for any other name."""
        found = _POLICE_UK_NAME.match(self.base_name)
        return (found["month"], found["force"], found["kind"]) if found else None

    @contextmanager
    def open_counted(
        self, counter: list[int], report: Callable[[], None] | None = None
    ) -> Iterator[io.TextIOWrapper]:
        """The file as text; ``counter[0]`` grows by the bytes read, and ``report`` is
        called after each block of them, for a progress bar.

        police.uk's files are UTF-8, some with a byte-order mark, which is dropped.
        Reading raises UnicodeDecodeError on bytes that are not UTF-8 and NotText on a
        NUL byte.
        """
        with self.opener() as raw:
            counting = _CountingReader(raw, counter, report)
            with io.TextIOWrapper(
                io.BufferedReader(counting, buffer_size=1 << 20),
                encoding="utf-8-sig",
                newline="",
            ) as text:
                yield text


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO, counter: list[int], report: Callable[[], None] | None):
        self._raw = raw
        self._counter = counter
        self._report = report

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        # One scan of each block read, at memchr's speed: cheaper than a look per row.
        if b"\x00" in data:
            raise NotText
        buffer[: len(data)] = data
        self._counter[0] += len(data)
        if self._report is not None:
            self._report()
        return len(data)


def sources_in(paths: list[Path]) -> list[Source]:
    """Every CSV file the paths name, folders searched and zip archives opened, in name order.

    A file named twice (a folder and a file in it, say) is read once. The ``._`` files
    and ``__MACOSX`` folder a Mac adds to what it copies or zips are passed over. Raises
    a DomainError on ``paths`` naming a path that does not exist or is neither a CSV
    file, a folder nor a zip archive.
    """
    found: dict[tuple[Path, str], Source] = {}
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.suffix.lower() == ".csv" and file.is_file() and not _is_mac_litter(file):
                    found.setdefault((file.resolve(), ""), _file_source(file, path.parent))
        elif not path.exists():
            raise DomainError(_("%(path)s does not exist.") % {"path": path}, field="paths")
        elif zipfile.is_zipfile(path):
            for member, source in _zip_sources(path):
                found.setdefault((path.resolve(), member), source)
        elif path.suffix.lower() == ".csv":
            found.setdefault((path.resolve(), ""), _file_source(path, path.parent))
        else:
            raise DomainError(
                _("%(path)s is not a CSV file, a folder or a zip archive.") % {"path": path},
                field="paths",
            )
    return list(found.values())


def _is_mac_litter(path: Path) -> bool:
    return path.name.startswith("._") or "__MACOSX" in path.parts


def _file_source(path: Path, root: Path) -> Source:
    return Source(
        name=str(path.relative_to(root)) if path.is_relative_to(root) else str(path),
        size=path.stat().st_size,
        opener=lambda: path.open("rb"),
    )


def _zip_sources(path: Path) -> list[tuple[str, Source]]:
    with zipfile.ZipFile(path) as archive:
        members = sorted(
            (
                info
                for info in archive.infolist()
                if info.filename.lower().endswith(".csv")
                and not info.is_dir()
                and not _is_mac_litter(Path(info.filename))
            ),
            key=lambda info: info.filename,
        )

    def opener(member: str) -> Callable[[], BinaryIO]:
        @contextmanager
        def open_member() -> Iterator[BinaryIO]:
            with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
                yield stream  # type: ignore[misc]

        return open_member  # type: ignore[return-value]

    return [
        (
            info.filename,
            Source(
                name=f"{path.name}:{info.filename}",
                size=info.file_size,
                opener=opener(info.filename),
            ),
        )
        for info in members
    ]
