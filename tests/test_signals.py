"""SIGINT and SIGTERM stop the bot cleanly: `python bot.py` closes the scheduler, the gateway and the
database, and exits 0.

The bot runs in a child process, as `bot.py` runs it (`main`, `run_bot`); only discord.py's network
edges are replaced there (logging in, syncing commands, the gateway connection), since this machine
has no Discord to talk to. Everything of ours runs for real: set-up, migrations, cogs, the scheduler.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]

# discord.py's network edges, replaced in the child: a login that just runs our set-up, a command
# sync Discord accepts, and a gateway connection that stays up until the client closes it.
CHILD = textwrap.dedent(
    """
    import asyncio, sys
    import discord
    import discord.http

    async def login(self, token):
        self._connection.application_id = 1
        await self.setup_hook()

    async def bulk_upsert_global_commands(self, application_id, payload):
        return []

    async def connect(self, *, reconnect=True):
        self.gateway_closed = asyncio.Event()
        print("gateway connected", flush=True)
        await self.gateway_closed.wait()

    close_client = discord.Client.close

    async def close(self):
        await close_client(self)
        self.gateway_closed.set()  # as Discord's socket closing ends connect()

    discord.Client.login = login
    discord.Client.connect = connect
    discord.Client.close = close
    discord.http.HTTPClient.bulk_upsert_global_commands = bulk_upsert_global_commands

    import bot
    sys.exit(bot.main(["--config", sys.argv[1]]))
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_closes_everything_and_exits_cleanly(tmp_path: Path, signum: int) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(f'[discord]\ntoken = "not-a-real-token"\n\n[database]\npath = "{database}"\n')
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(config)],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "gateway connected"  # set-up has finished
        child.send_signal(signum)
        _, log = child.communicate(timeout=30)
    finally:
        child.kill()  # a no-op once it has exited
    assert child.returncode == 0, log
    assert "stop requested; closing scheduler, gateway and database" in log
    assert "scheduler stopped" in log
    assert f"database closed path={database}" in log
    assert "not-a-real-token" not in log  # the token is never logged
    with sqlite3.connect(database) as connection:  # migrated, and left whole
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM schema_version").fetchone()[0] >= 8
