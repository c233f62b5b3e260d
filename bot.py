#!/usr/bin/env python3
"""Partnerships Bot: parse arguments, load config, set up logging, build the bot, run.

python bot.py [--config PATH]              run the bot
python bot.py [--config PATH] backup FILE  copy the database safely, even while the bot runs
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

import discord

from core.bot import create_bot
from core.config import (
    DEFAULT_CONFIG_PATH,
    TOKEN_ENV,
    Config,
    ConfigError,
    load_config,
    missing_token_message,
)
from core.logs import setup_logging
from db.backup import BackupError, backup
from db.migrate import MigrationError

log = logging.getLogger("partnerships")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bot.py", description="Partnerships Bot for Discord")
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help=f"TOML configuration file (default: ./{DEFAULT_CONFIG_PATH}; missing = defaults + environment)",
    )
    commands = parser.add_subparsers(dest="command")
    backup_parser = commands.add_parser("backup", help="write an online backup of the database to FILE")
    backup_parser.add_argument("file", type=Path, help="where to write the backup (must not exist)")
    return parser.parse_args(argv)


async def run_bot(config: Config) -> None:
    """Run until Discord disconnects us for good or SIGINT/SIGTERM asks us to stop."""
    bot = create_bot(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with bot:
        runner = asyncio.create_task(bot.start(config.token))
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("stop requested; closing scheduler, gateway and database")
            await bot.close()
            await runner
        else:
            stopper.cancel()
            runner.result()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(secrets=[config.token])

    if args.command == "backup":
        try:
            pages = backup(config.database_path, args.file)
        except BackupError as error:
            print(f"Backup failed: {error}", file=sys.stderr)
            return EXIT_FAILED
        print(f"Backed up {config.database_path} to {args.file} ({pages} pages).")
        return EXIT_OK

    if not config.token:
        print(missing_token_message(args.config or DEFAULT_CONFIG_PATH), file=sys.stderr)
        return EXIT_USAGE
    try:
        asyncio.run(run_bot(config))
    except discord.LoginFailure:
        print(f"Discord rejected the token. Check {TOKEN_ENV} or [discord] token.", file=sys.stderr)
        return EXIT_FAILED
    except discord.PrivilegedIntentsRequired:
        print(
            "Discord refused the Server Members intent. Switch on 'Server Members Intent' under Bot in the "
            "Developer Portal (see README.md, 'Creating the Discord application').",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except MigrationError as error:
        print(f"Database migration failed; nothing was changed. {error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
