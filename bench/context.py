"""What scenarios work with: the running server, realistic actors, and records to act on.

The records come from the generated database before the bot starts (plain reads of the copy), so
picking an owner and one of their partnerships costs nothing while the bot is being measured.
Scenarios that change records keep these lists in step (a transferred partnership has a new owner).
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, RoleHandle

from bench.community import MAIN_GUILD_ID
from bench.server import Server
from core.bot import PartnershipsBot

SAMPLE = 5_000  # records of each kind kept to act on


@dataclass
class Owned:
    partnership_id: int
    owner_id: int
    stage: str


@dataclass
class Clinic:
    asker: MemberActor
    thread: ChannelHandle
    credited: set[int] = field(default_factory=set)


@dataclass
class Bench:
    server: Server
    owned: list[Owned]  # open partnerships whose owner is in the server
    public_ids: list[int]
    names: list[str]  # partnership and partner names, for typing into autocomplete
    declared: list[tuple[int, str]]  # (member id, area) of present members
    spare_role: RoleHandle
    announcements: ChannelHandle  # where /announce post scenarios post
    open_clinics: list[Clinic] = field(default_factory=list)  # opened by the benchmark itself
    resolved_clinics: list[Clinic] = field(default_factory=list)
    counter: int = 0

    @property
    def bot(self) -> PartnershipsBot:
        return self.server.bot

    @property
    def general(self) -> ChannelHandle:
        return self.server.general

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    def member(self, rng: random.Random) -> MemberActor:
        return rng.choice(self.server.members)

    def coordinator(self, rng: random.Random) -> MemberActor:
        return rng.choice(self.server.coordinators + self.server.admins)

    def admin(self, rng: random.Random) -> MemberActor:
        return rng.choice(self.server.admins)

    def owned_record(self, rng: random.Random) -> tuple[MemberActor, Owned]:
        """An owner and one of their open partnerships."""
        while True:
            record = rng.choice(self.owned)
            actor = self.server.by_id.get(record.owner_id)
            if actor is not None:
                return actor, record


def load(server: Server, database: Path, rng: random.Random) -> Bench:
    """Sample the records scenarios act on from the generated database (before the bot opens it)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        present = server.by_id
        rows = connection.execute(
            "SELECT id, owner_id, stage FROM partnerships"
            " WHERE guild_id = ? AND owner_id IS NOT NULL AND stage != 'concluded'",
            (MAIN_GUILD_ID,),
        ).fetchall()
        owned = [Owned(pid, owner, stage) for pid, owner, stage in rows if owner in present]
        public = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM partnerships WHERE guild_id = ? AND visibility = 'public'", (MAIN_GUILD_ID,)
            )
        ]
        names = [
            text
            for row in connection.execute(
                "SELECT name, partner_name FROM partnerships WHERE guild_id = ?", (MAIN_GUILD_ID,)
            )
            for text in row
        ]
        declared = [
            (user, area)
            for user, area in connection.execute(
                "SELECT user_id, area FROM member_expertise WHERE guild_id = ?", (MAIN_GUILD_ID,)
            )
            if user in present
        ]
    finally:
        connection.close()

    def sample(items: list, count: int = SAMPLE) -> list:  # type: ignore[type-arg]
        return rng.sample(items, min(count, len(items)))

    return Bench(
        server=server,
        owned=sample(owned),
        public_ids=sample(public),
        names=sample(names),
        declared=sample(declared),
        spare_role=server.guild.create_role("Events team"),
        announcements=server.guild.create_text_channel("announcements"),
    )
