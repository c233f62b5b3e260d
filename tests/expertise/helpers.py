"""Filling a guild with members, profiles, expertise and partnerships, fast, through the repositories."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from simcord.actors import MemberActor

from cogs.expertise import _validate as validate
from core.vocabulary import Goal, PartnerType, Stage, Visibility, default_cadence
from db import areas, expertise, partnership_changes, partnerships, profiles
from db.expertise import ExpertiseLevel
from db.partnerships import PartnershipDraft
from tests.conftest import Community
from tests.expertise.relevance_community import Person, Record


async def add_people(community: Community, people: Iterable[Person]) -> dict[str, MemberActor]:
    """Members of the guild, each with a profile, declared areas and availability."""
    database = community.bot.database
    guild_id = community.guild.id
    now = community.clock()
    taxonomy = await areas.all_areas(database)
    actors: dict[str, MemberActor] = {}
    for person in people:
        actor = community.add_member(person.handle)
        actors[person.handle] = actor
        await profiles.update(
            database,
            guild_id,
            actor.id,
            at=now,
            affiliation=person.affiliation,
            region=person.region,
            languages=person.languages,
            share_affiliation=person.share_affiliation,
            share_region=person.share_region,
        )
        for area, level, note in person.expertise:
            await expertise.declare(
                database,
                guild_id,
                actor.id,
                validate.parse_area(area, taxonomy),
                ExpertiseLevel(level),
                note,
                at=now,
                max_areas=validate.AREAS_MAX,
            )
        if person.available:
            await expertise.set_available(database, guild_id, actor.id, True, at=now)
    return actors


async def add_records(
    community: Community, records: Iterable[Record], actors: dict[str, MemberActor]
) -> None:
    database = community.bot.database
    for record in records:
        draft = PartnershipDraft(
            guild_id=community.guild.id,
            partner_name=record.partner,
            name=record.name,
            partner_type=record.type,
            goals=(Goal.CONTENT,),
            stage=record.stage,
            visibility=Visibility.CONFIDENTIAL if record.confidential else Visibility.PUBLIC,
            owner_id=actors[record.owner].id,
            cadence=default_cadence(record.stage),
            areas=record.areas,
            description=record.description,
        )
        created = await partnerships.create(
            database, draft, at=community.clock() - timedelta(days=record.days_ago)
        )
        if record.co_owners:
            async with database.transaction() as tx:
                for handle in record.co_owners:
                    await partnership_changes.add_co_owner(tx, created.id, actors[handle].id)


async def declare(
    community: Community, actor: MemberActor, area: str, level: str = "expert", note: str = ""
) -> None:
    """Declare an area as the member would (a taxonomy name, or free words)."""
    database = community.bot.database
    await expertise.declare(
        database,
        community.guild.id,
        actor.id,
        validate.parse_area(area, await areas.all_areas(database)),
        ExpertiseLevel(level),
        note,
        at=community.clock(),
        max_areas=validate.AREAS_MAX,
    )


async def record(
    community: Community,
    owner: MemberActor,
    partner: str,
    *,
    type: PartnerType = PartnerType.MUSEUM,
    stage: Stage = Stage.ACTIVE,
    areas: tuple[str, ...] = ("glam",),
    description: str = "",
    confidential: bool = False,
    co_owners: tuple[MemberActor, ...] = (),
    days_ago: int = 10,
) -> int:
    """Register a partnership directly (fast); returns its id."""
    actors = {owner.name: owner, **{actor.name: actor for actor in co_owners}}
    await add_records(
        community,
        [
            Record(
                owner.name,
                partner,
                type,
                stage,
                areas,
                description,
                days_ago,
                co_owners=tuple(actor.name for actor in co_owners),
                confidential=confidential,
            )
        ],
        actors,
    )
    return await community.bot.database.fetch_value("SELECT max(id) FROM partnerships")
