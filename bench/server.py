"""The Discord side of a generated community, in SimCord: the server, its members, roles and channels.

Members get the ids the generator gave them (``bench.community.member_id``), so the bot finds the
people its database talks about. SimCord hands out ids itself; while the members are created, its
id source is pointed at ours (``Backend.reserve_id`` keeps its own ids clear of them).
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import discord
from simcord import Env
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle

from bench.community import MAIN_GUILD_ID, Size, has_left, is_admin, is_coordinator, member_id, member_name
from core.bot import PartnershipsBot
from db import settings
from db.settings import ChannelPurpose

# Long enough for the heaviest command at ten times the movement (the CSV export of every record).
SETTLE_TIMEOUT_SECONDS = 600


@contextmanager
def ids_from(backend: Any, ids: Iterator[int]) -> Iterator[None]:
    """Make SimCord give the next new objects these ids."""
    backend.snowflake = lambda: backend.reserve_id(next(ids))
    try:
        yield
    finally:
        del backend.snowflake  # back to the class's own allocator


@dataclass
class Server:
    env: Env
    guild: GuildHandle
    general: ChannelHandle
    forum: ChannelHandle
    members: list[MemberActor]  # present members, in member-number order
    by_id: dict[int, MemberActor]
    admins: list[MemberActor]
    coordinators: list[MemberActor]
    start_up: dict[str, float] = field(default_factory=dict)

    @property
    def bot(self) -> PartnershipsBot:
        return self.env.bot  # type: ignore[return-value]


async def open_server(bot: PartnershipsBot, size: Size) -> Server:
    """Build the server around ``bot``, start it, and time the start-up."""
    env = Env(bot, check_errors=False, settle_timeout=SETTLE_TIMEOUT_SECONDS)
    guild = env.create_guild(name="Wikimedia Partnerships", id=MAIN_GUILD_ID)
    general = guild.create_text_channel("general")
    forum = guild.create_forum_channel("clinics")
    admin_role = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    coordinator_role = guild.create_role("Partnership coordinators")
    present = [number for number in range(size.members) if not has_left(number)]
    with ids_from(env.backend, (member_id(number) for number in present)):
        users = [env.create_user(member_name(number)) for number in present]
    members, admins, coordinators = [], [], []
    for number, user in zip(present, users, strict=True):
        roles = [admin_role] if is_admin(number) else [coordinator_role] if is_coordinator(number) else []
        actor = guild.add_member(user, roles=roles)
        members.append(actor)
        if is_admin(number):
            admins.append(actor)
        elif is_coordinator(number):
            coordinators.append(actor)

    timings: dict[str, float] = {}
    setup_hook = bot.setup_hook

    async def timed_setup_hook() -> None:
        started = time.perf_counter()
        await setup_hook()
        timings["setup_hook_s"] = time.perf_counter() - started

    bot.setup_hook = timed_setup_hook  # type: ignore[method-assign]
    started = time.perf_counter()
    await env.start()
    timings["ready_s"] = time.perf_counter() - started
    cached = bot.get_guild(guild.id)
    assert cached is not None
    started = time.perf_counter()
    await cached.chunk()  # discord.py chunks at start-up on the real gateway; SimCord needs asking
    timings["member_chunk_s"] = time.perf_counter() - started
    # Who left while the bot was away, recorded as production's first tick does (cogs/members).
    await bot.get_cog("MembersCog").reconcile_work(bot.clock())  # type: ignore[union-attr]
    # On the gateway discord.py has the members before on_ready, so the bot's start-up freeze
    # (PartnershipsBot.on_ready) covers them; SimCord sends them after, so freeze once more.
    gc.freeze()

    now = bot.clock()
    await settings.add_coordinator_role(bot.database, guild.id, coordinator_role.id, by=admins[0].id, at=now)
    await settings.set_channel(
        bot.database, guild.id, ChannelPurpose.CLINICS, forum.id, by=admins[0].id, at=now
    )
    return Server(
        env=env,
        guild=guild,
        general=general,
        forum=forum,
        members=members,
        by_id={actor.id: actor for actor in members},
        admins=admins,
        coordinators=coordinators,
        start_up={name: round(value, 3) for name, value in timings.items()},
    )


def forget_history(server: Server) -> None:
    """Drop what SimCord keeps of finished scenarios: its logs of requests and events, past
    interactions, the answers in the channel the commands run in, the files the bot uploaded (kept
    as Discord's CDN would). They grow with every interaction and would count as the bot's memory
    and time. Clinic threads stay: later scenarios work in them."""
    backend = server.env.backend
    backend.transcript.clear()
    backend.http_requests.clear()
    backend.cdn._blobs.clear()
    backend.interactions.clear()
    backend.interaction_tokens.clear()
    backend.messages.get(server.general.id, {}).clear()


def close_views(bot: PartnershipsBot) -> None:
    """Stop the views and forms a step left open (pagers, confirmations, unsent forms).

    Live, they wait quietly for their timeout. Under SimCord each is a task its settling inspects
    on every turn, so hundreds of them would count against the bot's measured time.
    """
    store = bot._connection._view_store
    views = {
        id(item.view): item.view
        for items in list(store._views.values())
        for item in items.values()
        if item.view is not None and not item.view.is_persistent()
    }
    views |= {id(form): form for form in store._modals.values()}
    # A view made only of dynamic items (an "Open a clinic" button) is not kept in the store, but
    # discord.py gives one on an ephemeral message a 15-minute timeout task all the same.
    for task in asyncio.all_tasks():
        frame = getattr(task.get_coro(), "cr_frame", None)
        owner = frame.f_locals.get("self") if frame is not None else None
        if isinstance(owner, discord.ui.View) and task.get_coro().__qualname__.endswith(
            "__timeout_task_impl"
        ):
            views[id(owner)] = owner
    for view in views.values():
        view.stop()
        store.remove_view(view)
