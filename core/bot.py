"""The bot class: start-up wiring only. Features live in ``cogs/``."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import pkgutil

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from core.clock import Clock, utcnow
from core.config import Config
from core.replies import report_error
from core.scheduler import Scheduler
from db import app_state, areas
from db.database import Database
from db.migrate import migrate

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Only what features need: guilds; members to notice an owner who left the server; guild
    messages so clinics see who wrote in their threads when (not what: no message content)."""
    return discord.Intents(guilds=True, members=True, guild_messages=True)


class PartnershipsTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


class PartnershipsBot(commands.Bot):
    def __init__(self, config: Config, *, clock: Clock = utcnow) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,  # slash commands only; no message content needed
            intents=intents(),
            tree_cls=PartnershipsTree,
            help_command=None,
            # Nothing the bot sends pings anyone unless a message explicitly allows it.
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.config = config
        self.clock = clock
        self.database = Database(config.database_path)
        self.scheduler = Scheduler(config.tick_seconds, clock=clock)
        self._frozen = False

    async def setup_hook(self) -> None:
        await self.database.connect()
        applied = await migrate(self.database)
        if applied:
            log.info("database migrated to version %d", applied[-1])
        await areas.load_taxonomy(self.database)
        for extension in cog_extensions():
            await self.load_extension(extension)
        self.scheduler.start()
        await self.sync_commands()

    async def on_ready(self) -> None:
        # Once, after start-up (on the real gateway discord.py has fetched the members by now): what
        # is alive then lives as long as the bot, so the collector's full passes need not walk it.
        if not self._frozen:
            self._frozen = True
            gc.freeze()
            log.info("start-up objects frozen=%d guilds=%d", gc.get_freeze_count(), len(self.guilds))

    async def sync_commands(self) -> None:
        """Sync the command tree, but only when it changed: Discord rate-limits syncing hard."""
        guild_objects = [discord.Object(guild_id) for guild_id in self.config.guild_ids]
        payload = {
            "guilds": list(self.config.guild_ids),
            "commands": [command.to_dict(self.tree) for command in self.tree.get_commands()],
        }
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
        if await app_state.get(self.database, "command_tree_digest") == digest:
            log.info("command tree unchanged; not syncing")
            return
        if guild_objects:
            for guild in guild_objects:
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
            log.info("commands synced to guilds=%s", self.config.guild_ids)
        else:
            await self.tree.sync()
            log.info("commands synced globally (may take up to an hour to appear)")
        await app_state.put(self.database, "command_tree_digest", digest)

    async def close(self) -> None:
        self.scheduler.shutdown()
        await super().close()
        await self.database.close()


def cog_extensions() -> list[str]:
    """Every feature package under ``cogs/``, in name order."""
    return [f"cogs.{module.name}" for module in pkgutil.iter_modules(cogs.__path__) if module.ispkg]


def create_bot(config: Config, *, clock: Clock = utcnow) -> PartnershipsBot:
    """Build the bot exactly as production does; tests build it through this too."""
    return PartnershipsBot(config, clock=clock)
