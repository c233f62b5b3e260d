"""Online backup through SQLite's backup API: consistent, and safe while the bot is writing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


class BackupError(Exception):
    """The backup could not be made; the message says why."""


def backup(source: Path, destination: Path) -> int:
    """Copy the database at ``source`` to a new file ``destination``; return its page count.

    The copy is taken in one step under a read transaction: in WAL mode that never blocks the
    bot's writers, and the result is a consistent snapshot. It is written to a temporary file
    and renamed, so a failed backup never leaves a half-written file behind.
    """
    if not source.exists():
        raise BackupError(f"there is no database at {source} (check [database] path)")
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.execute("PRAGMA busy_timeout=5000")
            src.backup(dst)
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            pages = dst.execute("PRAGMA page_count").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
        partial.replace(destination)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite refused the backup: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return pages
