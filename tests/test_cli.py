"""The command line, run as a person would run it: exit codes and messages."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_cli(
    *args: str, cwd: Path, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DISCORD_TOKEN"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, str(REPO / "bot.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_token_exits_2_and_says_what_to_set(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "[discord]" in result.stderr
    assert "README.md" in result.stderr


def test_config_error_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[scheduler]\ntimezone = 'Nowhere/Land'\n")
    result = run_cli(cwd=tmp_path, env_extra={"DISCORD_TOKEN": "x"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "[scheduler] timezone" in lines[0]


def test_token_never_printed_on_config_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[scheduler]\ntick_seconds = -1\n")
    result = run_cli(cwd=tmp_path, env_extra={"DISCORD_TOKEN": "very-secret-token-value"})
    assert result.returncode == 2
    assert "very-secret-token-value" not in result.stderr + result.stdout


def test_backup_command_copies_the_database(tmp_path: Path) -> None:
    database = tmp_path / "data" / "partnerships.sqlite3"
    database.parent.mkdir()
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (42)")
    result = run_cli("backup", str(tmp_path / "copy.sqlite3"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT x FROM t").fetchall() == [(42,)]


def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    database = tmp_path / "data" / "partnerships.sqlite3"
    database.parent.mkdir()
    sqlite3.connect(database).close()
    (tmp_path / "copy.sqlite3").write_text("precious")
    result = run_cli("backup", str(tmp_path / "copy.sqlite3"), cwd=tmp_path)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (tmp_path / "copy.sqlite3").read_text() == "precious"
