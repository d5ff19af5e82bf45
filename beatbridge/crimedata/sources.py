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


@dataclass(frozen=True)
class Source:
    """One CSV file to import, wherever it lies."""

    # As the operator will recognise it: "archive.zip:2017-07/2017-07-btp-street.csv".
    name: str
    size: int
    opener: Callable[[], BinaryIO]

    @property
    def base_name(self) -> str:
        return self.name.rsplit("/", 1)[-1].rsplit(":", 1)[-1]

    def police_uk_parts(self) -> tuple[str, str, str] | None:
        """(month, force id, kind) from a police.uk file name; None for any other name."""
        found = _POLICE_UK_NAME.match(self.base_name)
        return (found["month"], found["force"], found["kind"]) if found else None

    @contextmanager
    def open_counted(self, counter: list[int]) -> Iterator[io.TextIOWrapper]:
        """The file as text; ``counter[0]`` grows by the bytes read, for a progress bar.

        police.uk's files are UTF-8, some with a byte-order mark, which is dropped.
        """
        with self.opener() as raw:
            counting = _CountingReader(raw, counter)
            with io.TextIOWrapper(
                io.BufferedReader(counting, buffer_size=1 << 20),
                encoding="utf-8-sig",
                newline="",
            ) as text:
                yield text


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO, counter: list[int]):
        self._raw = raw
        self._counter = counter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._counter[0] += len(data)
        return len(data)


def sources_in(paths: list[Path]) -> list[Source]:
    """Every CSV file the paths name, folders searched and zip archives opened, in name order.

    Raises a DomainError on ``paths`` naming a path that does not exist or is neither
    a CSV file, a folder nor a zip archive.
    """
    found: list[Source] = []
    for path in paths:
        if path.is_dir():
            found.extend(_file_source(file, path.parent) for file in sorted(path.rglob("*.csv")))
        elif not path.exists():
            raise DomainError(_("%(path)s does not exist.") % {"path": path}, field="paths")
        elif zipfile.is_zipfile(path):
            found.extend(_zip_sources(path))
        elif path.suffix.lower() == ".csv":
            found.append(_file_source(path, path.parent))
        else:
            raise DomainError(
                _("%(path)s is not a CSV file, a folder or a zip archive.") % {"path": path},
                field="paths",
            )
    return found


def _file_source(path: Path, root: Path) -> Source:
    return Source(
        name=str(path.relative_to(root)) if path.is_relative_to(root) else str(path),
        size=path.stat().st_size,
        opener=lambda: path.open("rb"),
    )


def _zip_sources(path: Path) -> list[Source]:
    with zipfile.ZipFile(path) as archive:
        members = sorted(
            (info for info in archive.infolist() if info.filename.lower().endswith(".csv")),
            key=lambda info: info.filename,
        )

    def opener(member: str) -> Callable[[], BinaryIO]:
        @contextmanager
        def open_member() -> Iterator[BinaryIO]:
            with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
                yield stream  # type: ignore[misc]

        return open_member  # type: ignore[return-value]

    return [
        Source(
            name=f"{path.name}:{info.filename}", size=info.file_size, opener=opener(info.filename)
        )
        for info in members
    ]
