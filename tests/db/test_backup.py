"""Online backup: consistent while another connection keeps writing."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from db.backup import BackupError, backup


def test_backup_while_writing(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    with sqlite3.connect(source) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        connection.executemany("INSERT INTO entries (payload) VALUES (?)", [("x" * 200,)] * 5000)

    stop = threading.Event()
    written = []

    def writer() -> None:
        connection = sqlite3.connect(source, timeout=5)
        while not stop.is_set():
            with connection:  # one transaction per row: the backup must see whole rows only
                cursor = connection.execute("INSERT INTO entries (payload) VALUES ('y')")
                written.append(cursor.lastrowid)
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 50:  # the writer is demonstrably running before and during the copy
            threading.Event().wait(0.001)
        copies = [backup(source, tmp_path / f"copy{index}.sqlite3") for index in range(3)]
    finally:
        stop.set()
        thread.join()

    assert all(pages > 0 for pages in copies)
    for index in range(3):
        with sqlite3.connect(tmp_path / f"copy{index}.sqlite3") as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count, top = copy.execute("SELECT COUNT(*), MAX(id) FROM entries").fetchone()
            assert count == top  # no gaps: a consistent snapshot of committed rows
            assert count >= 5000
    assert not list(tmp_path.glob("*.partial"))


def test_backup_of_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no database"):
        backup(tmp_path / "absent.sqlite3", tmp_path / "copy.sqlite3")
