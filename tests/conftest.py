"""Shared fixtures: the real bot (built as bot.py builds it) on a simulated Discord and a real SQLite file."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from simcord import Env
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle, RoleHandle

from core.bot import PartnershipsBot, create_bot
from core.config import Config
from core.replies import message_for

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class SimClock:
    """The bot's clock in tests: it moves only when a test says so."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def bot_config(tmp_path: Path) -> Config:
    # A long tick: scheduled work runs when a test calls run_due(now), never by surprise.
    return Config(token="test-token", database_path=tmp_path / "partnerships.sqlite3", tick_seconds=3600)


@pytest.fixture
def simcord_bot(bot_config: Config, clock: SimClock) -> PartnershipsBot:
    return create_bot(bot_config, clock=clock)


_acknowledged: dict[int, int] = {}


def acknowledge_errors(env: Env) -> list[BaseException]:
    """Return the errors recorded so far and accept them: for tests that raise on purpose."""
    cursor = _acknowledged.get(id(env), 0)
    _acknowledged[id(env)] = env.error_cursor
    return list(env.errors_since(cursor))


async def release(bot: PartnershipsBot) -> None:
    """Free what a process exit would free (SimCord detaches a bot without closing it)."""
    bot.scheduler.shutdown()
    await bot.database.close()
    gc.unfreeze()  # the bot froze what was alive when it was ready; let the collector have it back


def unexpected(errors: list[BaseException]) -> list[BaseException]:
    """Errors that are bugs. A refusal with a member-facing message (bad input, no permission)
    reaches the tree's error handler by design; SimCord records those too, so we drop them."""
    bugs = []
    for error in errors:
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if message_for(original) is None:
            bugs.append(error)
    return bugs


@pytest_asyncio.fixture
async def simcord_env(simcord_bot: PartnershipsBot, request: pytest.FixtureRequest) -> AsyncIterator[Env]:
    """SimCord's own fixture, except that expected refusals don't fail the test; bugs still do."""
    marker = request.node.get_closest_marker("simcord")
    env = Env(simcord_bot, **(marker.kwargs if marker else {}))
    await env.start()
    try:
        yield env
    finally:
        await env.shutdown()
        await release(env.bot)  # type: ignore[arg-type]
        bugs = unexpected(list(env.errors_since(_acknowledged.pop(id(env), 0))))
        if bugs:
            raise ExceptionGroup("the bot raised unexpected errors during the test", bugs)


@dataclass
class Community:
    """A configured guild: an admin, a coordinator, plain members, and a general channel."""

    env: Env
    guild: GuildHandle
    general: ChannelHandle
    admin: MemberActor
    coordinator: MemberActor
    members: list[MemberActor]
    coordinator_role: RoleHandle
    bot_config: Config
    clock: SimClock
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def bot(self) -> PartnershipsBot:
        return self.env.bot  # type: ignore[return-value]

    @property
    def member(self) -> MemberActor:
        return self.members[0]

    def add_member(self, name: str, *, roles: list[RoleHandle] | None = None) -> MemberActor:
        actor = self.guild.add_member(self.env.create_user(name), roles=roles or [])
        self.members.append(actor)
        return actor

    async def open_command_to_everyone(self, name: str) -> None:
        """Do what a server admin can do in Server Settings > Integrations: override a command's
        default permissions so everyone sees it. Run-time checks must still hold."""
        synced = await self.bot.tree.fetch_commands()
        command = next(command for command in synced if command.name == name)
        self.guild.set_command_permissions(command, {self.guild.default_role: True})

    async def restart(self) -> PartnershipsBot:
        """Stop the bot and start a new one on the same database, as after a crash or deploy."""
        old = self.bot
        await self.env.restart_bot(create_bot(self.bot_config, clock=self.clock))
        await release(old)
        return self.bot


@pytest.fixture
async def community(simcord_env: Env, bot_config: Config, clock: SimClock) -> Community:
    from db import settings

    guild = simcord_env.create_guild(name="Wikimedia Partnerships")
    general = guild.create_text_channel("general")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    coordinators = guild.create_role("Partnership coordinators")
    admin = guild.add_member(simcord_env.create_user("ada_admin"), roles=[admins])
    coordinator = guild.add_member(simcord_env.create_user("cora_coordinator"), roles=[coordinators])
    members = [guild.add_member(simcord_env.create_user(name)) for name in ("mina", "omar", "pita")]
    bot: PartnershipsBot = simcord_env.bot  # type: ignore[assignment]
    await settings.add_coordinator_role(bot.database, guild.id, coordinators.id, by=admin.id, at=clock())
    return Community(
        env=simcord_env,
        guild=guild,
        general=general,
        admin=admin,
        coordinator=coordinator,
        members=members,
        coordinator_role=coordinators,
        bot_config=bot_config,
        clock=clock,
    )


async def tick(community: Community, at: datetime) -> None:
    """Move the clock to ``at`` and run the scheduler's due work as of then, as the tick would."""
    community.clock.now = at
    await community.bot.scheduler.run_due(at)
    await community.env.settle()
