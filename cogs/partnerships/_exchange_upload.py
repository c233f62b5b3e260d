"""Fitting an export file into Discord's upload limit as it is written: as it is, zipped, or not at
all (Discord-free)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from types import TracebackType
from typing import IO, BinaryIO


def file_size(size: int) -> str:
    """A size as Discord states upload limits, in MB of 2**20 bytes: "25 MB", "31.4 MB", "812 bytes"."""
    if size < 2**20:
        return f"{size:,} bytes"
    return f"{size / 2**20:,.1f}".removesuffix(".0") + " MB"


def zipped_note(size: int, limit: int) -> str:
    return (
        f"The file is {file_size(size)}, more than the {file_size(limit)} Discord lets me upload here, "
        "so it is zipped."
    )


class UploadFile:
    """The file an export uploads, written a piece at a time: ``path`` while it fits within ``limit``
    bytes; from the piece that takes it over, a zip beside it holding it under its own name.

    ``write`` says when even the zip has passed the limit, so the export stops there instead of
    writing the rest of a file nobody can be sent. The zip's size is measured as it is written:
    deflate holds back up to one block (16K symbols: a few tens of KB), so the measure can only lag
    behind, never refuse a zip that would have fitted. Plain files that fit are never deflated.
    The files are left to their folder to delete.
    """

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.size = 0  # bytes of the plain file, including those only written into the zip
        self._plain: BinaryIO | None = path.open("wb")
        self._zip_file: BinaryIO | None = None
        self._archive: zipfile.ZipFile | None = None
        self._member: IO[bytes] | None = None

    @property
    def zipped(self) -> Path:
        return self.path.with_suffix(".zip")

    def write(self, data: bytes) -> bool:
        """Add ``data``; False once even the zip is over the limit (nothing can be sent any more)."""
        self.size += len(data)
        if self._plain is not None and self.size <= self.limit:
            self._plain.write(data)
            return True
        if self._member is None:
            self._start_zip()
        assert self._member is not None and self._zip_file is not None
        self._member.write(data)
        return self._zip_file.tell() <= self.limit

    def finish(self) -> Path | None:
        """The file to upload, complete: ``path`` or the zip; None if even the zip is too big."""
        if self._plain is not None:
            self.close()
            return self.path
        self.close()  # writes the zip's directory: the zip is only now its full size
        return self.zipped if self.zipped.stat().st_size <= self.limit else None

    def close(self) -> None:
        for stream in (self._plain, self._member, self._archive, self._zip_file):
            if stream is not None:
                stream.close()
        self._plain = None

    def _start_zip(self) -> None:
        # The plain file can't be sent any more: what it holds goes into the zip, and is deleted.
        assert self._plain is not None
        self._plain.close()
        self._plain = None
        self._zip_file = self.zipped.open("wb")
        self._archive = zipfile.ZipFile(self._zip_file, "w", compression=zipfile.ZIP_DEFLATED)
        # Zip64 from the start: the size of what goes in is unknown until the end.
        self._member = self._archive.open(self.path.name, "w", force_zip64=True)
        with self.path.open("rb") as written:
            shutil.copyfileobj(written, self._member)
        self.path.unlink()

    def __enter__(self) -> UploadFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
