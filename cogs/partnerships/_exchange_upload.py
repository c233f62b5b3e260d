"""Fitting an export file into Discord's upload limit: as it is, zipped, or not at all (Discord-free)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from core.errors import UserError


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


def fit_upload(path: Path, limit: int) -> Path:
    """The file to upload: ``path`` if it fits within ``limit`` bytes, else a zip beside it holding
    it under its own name. Raises UserError, naming both sizes and the limit, if even that is too big."""
    size = path.stat().st_size
    if size <= limit:
        return path
    zipped = path.with_suffix(".zip")
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, arcname=path.name)
    zipped_size = zipped.stat().st_size
    if zipped_size <= limit:
        return zipped
    raise UserError(
        f"The export is too big for Discord: {file_size(zipped_size)} zipped ({file_size(size)} "
        f"unzipped), and I can upload at most {file_size(limit)} in this server. Nothing was sent. "
        "An admin can copy the whole database with `bot.py backup` instead."
    )
