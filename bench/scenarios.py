"""Every command, autocomplete, button and due work the benchmark measures: one small function each.

A scenario's ``step`` does one iteration as a member would; the **last** interaction it makes is the
one measured (earlier ones, such as opening a form before submitting it, set the scene). A
``prepare`` function, when given, runs unmeasured before each step and hands it what it made. Due
work makes no interaction: its whole step is timed.

To add a command: write ``async def step(bench, rng)`` that makes the interaction, and decorate it
with ``@scenario("/group command")``. To add due work: ``@scenario("name", kind="due_work")``.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import discord

from bench.community import MAIN_GUILD_ID, NOW
from bench.context import Bench, Clinic
from bench.names import CLINIC_TOPICS, PLACES, TOPICS
from core.clock import to_storage
from db import clinics

Step = Callable[[Bench, random.Random, Any], Awaitable[Any]]
Prepare = Callable[[Bench, random.Random], Awaitable[Any]]


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: str  # command, autocomplete, button, form, due_work
    step: Step
    prepare: Prepare | None = None
    iterations: int | None = None  # None: the run's default


@dataclass(frozen=True)
class Measured:
    """What a due-work step returns when it times the part that counts itself (not its clean-up),
    with numbers to report beside the timing."""

    seconds: float
    report: dict[str, Any] = field(default_factory=dict)


SCENARIOS: list[Scenario] = []


def scenario(
    name: str, kind: str = "command", *, prepare: Prepare | None = None, iterations: int | None = None
) -> Callable[[Step], Step]:
    def register(step: Step) -> Step:
        SCENARIOS.append(Scenario(name, kind, step, prepare, iterations))
        return step

    return register


# ---------------------------------------------------------------------------------- what people type
WHO_QUERIES = (
    "museums", "Wikidata", "UNESCO", "copyright", "education", "funding", "GLAM", "open access",
    "museum digitisation", "open access research papers", "freedom of panorama",
    "Wikipedian in Residence at a library", "licensing photos of artworks", "university course assignments",
    "Amharic", "Swahili", "oral history", "Biblioteca Nacional", "events volunteers", "government open data",
    "someone who has done partnerships with museums", "MoU with a national library", "grant reports",
)  # fmt: skip
SEARCH_QUERIES = (
    "museum", "digitisation", "Wikidata", "university", "photographs", "licence", "edit-a-thon", "UNESCO",
    "Biblioteca", "women in science", "oral history recordings", "Museo de Arte", "glass-plate negatives",
    "grant report", "MoU exit clause", "museum licence negotiation", "Universität", "東京", "xyzzy",
)  # fmt: skip
LESSON_QUERIES = ("licence", "pilot", "metrics funder", "museum", "MoU exit strategy", "training curators")
AREA_TYPING = ("", "mu", "wiki", "glam", "edu", "open", "fund", "copy", "lang", "even", "uni")
TIMEZONE_TYPING = ("", "Europe/", "ber", "new y", "Africa/Na", "tokyo", "America/S", "lagos")
PARTNERSHIP_WORDS = ("museum", "univ", "Biblio", "Wiki", "Archiv", "UNESCO", "Foundation", "Museo", "library")
AREAS = ("glam", "wikidata", "education", "copyright", "digitisation", "funding", "open-science", "igo")


def _typed_partnership(bench: Bench, rng: random.Random) -> str:
    """What a member has typed so far into a partnership option."""
    roll = rng.random()
    if roll < 0.5:
        name = rng.choice(bench.names)
        return name[: rng.randint(1, min(12, len(name)))]
    if roll < 0.8:
        word = rng.choice(PARTNERSHIP_WORDS)
        return word[: rng.randint(2, len(word))]
    if roll < 0.9:
        return f"#{rng.choice(bench.public_ids)}"
    return ""


def _future_date(rng: random.Random) -> str:
    return (NOW + timedelta(days=rng.randint(1, 60))).date().isoformat()


# ---------------------------------------------------------------------------------- foundation
@scenario("/help")
async def help_command(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor = rng.choice((bench.member(rng), bench.coordinator(rng)))
    return await actor.slash(bench.general, "help")


@scenario("/setup show")
async def setup_show(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.admin(rng).slash(bench.general, "setup show")


@scenario("/setup channel")
async def setup_channel(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.admin(rng).slash(
        bench.general, "setup channel", purpose="clinics", channel=bench.server.forum
    )


@scenario("/setup coordinator-role")
async def setup_coordinator_role(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.admin(rng).slash(
        bench.general, "setup coordinator-role", role=bench.spare_role, remove=bench.next_number() % 2 == 0
    )


# ---------------------------------------------------------------------------------- partnerships: reading
@scenario("/partnership show")
async def partnership_show(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(
        bench.general, "partnership show", partnership=str(rng.choice(bench.public_ids))
    )


@scenario("/partnership list")
async def partnership_list(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(bench.general, "partnership list")


def _list_filters(bench: Bench, rng: random.Random) -> dict[str, Any]:
    choice = rng.randrange(6)
    if choice == 0:
        return {"type": rng.choice(("museum", "library", "university", "funder"))}
    if choice == 1:
        return {"stage": rng.choice(("active", "prospect", "concluded", "on_hold"))}
    if choice == 2:
        return {"area": rng.choice(("GLAM", "Wikidata", "education", "copyright"))}
    if choice == 3:
        return {"region": rng.choice(PLACES).country}
    if choice == 4:
        return {"mine": True}
    return {"type": "museum", "stage": "active", "area": "GLAM"}


@scenario("/partnership list (filtered)")
async def partnership_list_filtered(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, _record = bench.owned_record(rng)
    return await actor.slash(bench.general, "partnership list", **_list_filters(bench, rng))


async def _list_shown(bench: Bench, rng: random.Random) -> Any:
    actor = bench.member(rng)
    return actor, await actor.slash(bench.general, "partnership list", **_list_filters(bench, rng))


@scenario("/partnership list · Next ▶", kind="button", prepare=_list_shown)
async def partnership_list_next(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, result = shown
    if not result.response.components:  # a single page: show the unfiltered list instead
        result = await actor.slash(bench.general, "partnership list")
    return await actor.click(result.response, label="Next ▶")


@scenario("/partnership search")
async def partnership_search(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(
        bench.general, "partnership search", query=rng.choice(SEARCH_QUERIES)
    )


async def _search_shown(bench: Bench, rng: random.Random) -> Any:
    actor = bench.member(rng)
    return actor, await actor.slash(
        bench.general, "partnership search", query=rng.choice(("museum", "Wikidata", "university", "licence"))
    )


@scenario("/partnership search · Next ▶", kind="button", prepare=_search_shown)
async def partnership_search_next(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, result = shown
    return await actor.click(result.response, label="Next ▶")


@scenario("partnership option", kind="autocomplete")
async def partnership_autocomplete(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor = bench.member(rng) if rng.random() < 0.5 else bench.owned_record(rng)[0]
    command = rng.choice(("partnership show", "partnership log", "partnership stage"))
    return await actor.autocomplete(bench.general, command, "partnership", _typed_partnership(bench, rng))


@scenario("/partnership list · area", kind="autocomplete")
async def list_area_autocomplete(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).autocomplete(
        bench.general, "partnership list", "area", rng.choice(AREA_TYPING)
    )


@scenario("/partnership target · metric", kind="autocomplete")
async def target_metric_autocomplete(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    return await actor.autocomplete(
        bench.general,
        "partnership target",
        "metric",
        rng.choice(("", "fil", "art", "part")),
        partnership=str(record.partnership_id),
    )


# ---------------------------------------------------------------------------------- partnerships: writing
def _register_options(bench: Bench, rng: random.Random) -> dict[str, Any]:
    place = rng.choice(PLACES)
    return {
        "partner": f"{place.city} Community Archive {bench.next_number()}",
        "type": rng.choice(("archive", "museum", "library", "university")),
        "stage": rng.choice(("prospect", "active", "negotiating")),
        "goals": "content, advocacy",
        "areas": "GLAM, Wikidata",
        "region": place.country,
    }


@scenario("/partnership register")
async def partnership_register(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(
        bench.general, "partnership register", **_register_options(bench, rng)
    )


async def _register_form(bench: Bench, rng: random.Random) -> Any:
    actor = bench.member(rng)
    return actor, await actor.slash(bench.general, "partnership register", **_register_options(bench, rng))


@scenario("/partnership register · form", kind="form", prepare=_register_form)
async def partnership_register_form(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, result = shown
    return await actor.submit_modal(
        result, {"description": f"Scanning {rng.choice(TOPICS)} material with volunteers.", "name": ""}
    )


@scenario("/partnership edit")
async def partnership_edit(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    place = rng.choice(PLACES)
    return await actor.slash(
        bench.general, "partnership edit", partnership=str(record.partnership_id), region=place.country
    )


@scenario("/partnership stage")
async def partnership_stage(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    new = rng.choice(
        [stage for stage in ("contacting", "negotiating", "active", "on_hold") if stage != record.stage]
    )
    result = await actor.slash(
        bench.general, "partnership stage", partnership=str(record.partnership_id), stage=new
    )
    record.stage = new
    return result


@scenario("/partnership log")
async def partnership_log(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    options: dict[str, Any] = {"note": f"Call with the partner about {rng.choice(TOPICS)}."}
    if rng.random() < 0.5:
        options["follow_up"] = _future_date(rng)
    return await actor.slash(
        bench.general, "partnership log", partnership=str(record.partnership_id), **options
    )


@scenario("/partnership target")
async def partnership_target(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    return await actor.slash(
        bench.general,
        "partnership target",
        partnership=str(record.partnership_id),
        metric=rng.choice(("files uploaded", "articles created", "participants")),
        target=500.0,
        current=float(rng.randint(0, 500)),
    )


@scenario("/partnership agreement")
async def partnership_agreement(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    return await actor.slash(
        bench.general,
        "partnership agreement",
        partnership=str(record.partnership_id),
        item=rng.choice(("roles", "decisions", "communication", "money", "ip", "exit")),
        done=rng.random() < 0.7,
    )


@scenario("/partnership co-owner")
async def partnership_co_owner(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    member = bench.member(rng)
    while member.id == record.owner_id:
        member = bench.member(rng)
    # Adding someone who co-owns it already is refused; remove them instead (both are changes).
    detail = await bench.bot.database.fetch_value(
        "SELECT 1 FROM partnership_co_owners WHERE partnership_id = ? AND user_id = ?",
        (record.partnership_id, member.id),
    )
    return await actor.slash(
        bench.general,
        "partnership co-owner",
        partnership=str(record.partnership_id),
        member=member,
        remove=detail is not None,
    )


@scenario("/partnership transfer")
async def partnership_transfer(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    to = bench.member(rng)
    while to.id == record.owner_id:
        to = bench.member(rng)
    result = await actor.slash(
        bench.general, "partnership transfer", partnership=str(record.partnership_id), to=to, keep_me=True
    )
    record.owner_id = to.id
    return result


@scenario("/partnership close")
async def partnership_close(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    return await actor.slash(bench.general, "partnership close", partnership=str(record.partnership_id))


# ---------------------------------------------------------------------------------- expertise
@scenario("/expertise add")
async def expertise_add(bench: Bench, rng: random.Random, _: Any) -> Any:
    area = rng.choice(AREAS) if rng.random() < 0.9 else rng.choice(("oral history", "3d scanning", "maps"))
    return await bench.member(rng).slash(
        bench.general, "expertise add", area=area, level=rng.choice(("expert", "practitioner", "learning"))
    )


async def _declared(bench: Bench, rng: random.Random) -> Any:
    user_id, area = rng.choice(bench.declared)
    actor = bench.server.by_id[user_id]
    # Remove it and put it back: the directory stays the size it was.
    await actor.slash(bench.general, "expertise add", area=area, level="practitioner")
    return actor, area


@scenario("/expertise remove", prepare=_declared)
async def expertise_remove(bench: Bench, rng: random.Random, declared: Any) -> Any:
    actor, area = declared
    return await actor.slash(bench.general, "expertise remove", area=area)


@scenario("/expertise show")
async def expertise_show(bench: Bench, rng: random.Random, _: Any) -> Any:
    user_id, _area = rng.choice(bench.declared)
    return await bench.member(rng).slash(bench.general, "expertise show", member=bench.server.by_id[user_id])


@scenario("/expertise areas")
async def expertise_areas(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(bench.general, "expertise areas")


@scenario("/expertise available")
async def expertise_available(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(
        bench.general, "expertise available", pings=rng.choice(("on", "off"))
    )


@scenario("/expertise who")
async def expertise_who(bench: Bench, rng: random.Random, _: Any) -> Any:
    options: dict[str, Any] = {"query": rng.choice(WHO_QUERIES)}
    roll = rng.random()
    if roll < 0.15:
        options["region"] = rng.choice(PLACES).country
    elif roll < 0.3:
        options["language"] = rng.choice(("French", "Spanish", "Arabic", "Swahili", "German"))
    return await bench.member(rng).slash(bench.general, "expertise who", **options)


@scenario("/expertise who by:affiliates")
async def expertise_who_affiliates(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(
        bench.general, "expertise who", query=rng.choice(WHO_QUERIES), by="affiliates"
    )


@scenario("/expertise add · area", kind="autocomplete")
async def expertise_add_autocomplete(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).autocomplete(
        bench.general, "expertise add", "area", rng.choice(AREA_TYPING)
    )


@scenario("/expertise remove · area", kind="autocomplete")
async def expertise_remove_autocomplete(bench: Bench, rng: random.Random, _: Any) -> Any:
    user_id, area = rng.choice(bench.declared)
    return await bench.server.by_id[user_id].autocomplete(
        bench.general, "expertise remove", "area", area[: rng.randint(0, 3)]
    )


# ---------------------------------------------------------------------------------- clinics
def _clinic_options(rng: random.Random) -> dict[str, Any]:
    return {
        "topic": rng.choice(CLINIC_TOPICS),
        "area": rng.choice(("GLAM", "Wikidata", "copyright", "education")),
    }


INTAKE = {
    "situation": "The city museum agreed to release 3,000 photographs but now hesitates about the licence.",
    "tried": "We sent them the Commons licensing guide.",
    "help_needed": "Someone who has negotiated an open licence with a museum.",
}


@scenario("/clinic open")
async def clinic_open(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(bench.general, "clinic open", **_clinic_options(rng))


async def _clinic_form(bench: Bench, rng: random.Random) -> Any:
    actor = bench.member(rng)
    return actor, await actor.slash(bench.general, "clinic open", **_clinic_options(rng))


@scenario("/clinic open · form", kind="form", prepare=_clinic_form)
async def clinic_open_form(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, result = shown
    submitted = await actor.submit_modal(result, INTAKE)
    thread = max(bench.server.forum.threads, key=lambda handle: handle.id)
    bench.open_clinics.append(Clinic(actor, thread))
    return submitted


def _open_clinic(bench: Bench, rng: random.Random) -> Clinic:
    return rng.choice(bench.open_clinics)


@scenario("/clinic helpful")
async def clinic_helpful(bench: Bench, rng: random.Random, _: Any) -> Any:
    clinic = _open_clinic(bench, rng)
    helper = bench.member(rng)
    while helper.id in clinic.credited or helper.id == clinic.asker.id:
        helper = bench.member(rng)
    clinic.credited.add(helper.id)
    return await clinic.asker.slash(clinic.thread, "clinic helpful", member=helper)


@scenario("/clinic resolve")
async def clinic_resolve(bench: Bench, rng: random.Random, _: Any) -> Any:
    clinic = _open_clinic(bench, rng)
    return await clinic.asker.slash(clinic.thread, "clinic resolve")


async def _resolve_form(bench: Bench, rng: random.Random) -> Any:
    clinic = bench.open_clinics.pop(rng.randrange(len(bench.open_clinics)))
    return clinic, await clinic.asker.slash(clinic.thread, "clinic resolve")


@scenario("/clinic resolve · form", kind="form", prepare=_resolve_form)
async def clinic_resolve_form(bench: Bench, rng: random.Random, shown: Any) -> Any:
    clinic, result = shown
    submitted = await clinic.asker.submit_modal(
        result,
        {
            "lesson": "A small pilot and a one-page licence summary convinced them.",
            "tags": "licensing, pilot",
        },
    )
    bench.resolved_clinics.append(clinic)
    return submitted


@scenario("/clinic reopen")
async def clinic_reopen(bench: Bench, rng: random.Random, _: Any) -> Any:
    clinic = bench.resolved_clinics.pop(rng.randrange(len(bench.resolved_clinics)))
    result = await clinic.asker.slash(clinic.thread, "clinic reopen")
    bench.open_clinics.append(clinic)
    return result


@scenario("/clinic list")
async def clinic_list(bench: Bench, rng: random.Random, _: Any) -> Any:
    options: dict[str, Any] = {}
    if rng.random() < 0.5:
        options["status"] = rng.choice(("open", "resolved", "dormant"))
    if rng.random() < 0.5:
        options["area"] = rng.choice(("GLAM", "Wikidata", "copyright", "education"))
    return await bench.member(rng).slash(bench.general, "clinic list", **options)


async def _clinic_list_shown(bench: Bench, rng: random.Random) -> Any:
    actor = bench.member(rng)
    return actor, await actor.slash(bench.general, "clinic list")


@scenario("/clinic list · Next ▶", kind="button", prepare=_clinic_list_shown)
async def clinic_list_next(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, result = shown
    return await actor.click(result.response, label="Next ▶")


@scenario("/clinic lessons")
async def clinic_lessons(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(bench.general, "clinic lessons", query=rng.choice(LESSON_QUERIES))


@scenario("/clinic open · area", kind="autocomplete")
async def clinic_area_autocomplete(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).autocomplete(bench.general, "clinic open", "area", rng.choice(AREA_TYPING))


async def _due_clinics(bench: Bench, rng: random.Random) -> Any:
    """Give the clinics due at the measured moment real threads, as they have live."""
    bot = bench.bot
    now = bot.clock() + timedelta(minutes=bench.next_number())
    due = clinics.due_for_idle_steps(
        bot.database,
        quiet_before=now - timedelta(days=7),
        dormant_before=now - timedelta(days=14),
        helpers_quiet_before=now - timedelta(days=2),
    )
    forum = bot.get_channel(bench.server.forum.id)
    for clinic in await due:
        if bot.get_channel(clinic.thread_id) is not None:
            continue
        made = await forum.create_thread(name=clinic.topic, content="(the clinic's intake)")  # type: ignore[union-attr]
        async with bot.database.transaction() as tx:
            await tx.execute(
                "UPDATE clinics SET thread_id = ?, channel_id = ? WHERE id = ?",
                (made.thread.id, forum.id, clinic.id),  # type: ignore[union-attr]
            )
    return now


@scenario("clinics idle steps (one tick)", kind="due_work", prepare=_due_clinics, iterations=20)
async def clinics_idle_tick(bench: Bench, rng: random.Random, now: Any) -> Any:
    await bench.bot.get_cog("ClinicsCog").idle_work(now)  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------- profiles
@scenario("/profile set")
async def profile_set(bench: Bench, rng: random.Random, _: Any) -> Any:
    place = rng.choice(PLACES)
    options = rng.choice(
        (
            {"timezone": place.timezone},
            {"region": place.country, "languages": ", ".join(place.languages)},
            {"affiliation": "Wikimedia Community User Group", "show_affiliation": True},
            {"checkin_hour": rng.randint(7, 18)},
        )
    )
    return await bench.member(rng).slash(bench.general, "profile set", **options)


@scenario("/profile show")
async def profile_show(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    options = {"member": bench.server.by_id[record.owner_id]} if rng.random() < 0.5 else {}
    return (
        await bench.member(rng).slash(bench.general, "profile show", **options)
        if options
        else (await actor.slash(bench.general, "profile show"))
    )


@scenario("/profile export")
async def profile_export(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, _record = bench.owned_record(rng)
    return await actor.slash(bench.general, "profile export")


@scenario("/profile forget")
async def profile_forget(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, _record = bench.owned_record(rng)
    return await actor.slash(bench.general, "profile forget")  # the confirmation; nobody confirms


@scenario("/profile set · timezone", kind="autocomplete")
async def timezone_autocomplete(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).autocomplete(
        bench.general, "profile set", "timezone", rng.choice(TIMEZONE_TYPING)
    )


@scenario("/partnership import")
async def partnership_import(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor = bench.coordinator(rng)
    number = bench.next_number()
    rows = "".join(
        f"Imported Museum {number}-{row},museum,content,active,public,{actor.id}\n" for row in range(3)
    )
    csv = ("partner_name,partner_type,goals,stage,visibility,owner_id\n" + rows).encode()
    return await actor.slash(bench.general, "partnership import", file=("partners.csv", csv))


# ---------------------------------------------------------------------------------- check-ins
# Prompts come from the bot's own due work at the clock's "now" (unmeasured). The community's own
# open and claimed prompts, and its partnerships due by then, are put aside first, so the sender
# has exactly what a scenario made: under SimCord, settling waits for everything it sends.
CLAIM_AT_ONCE = 10_000  # the target: a tick with 10,000 check-ins due
SENDING_PROMPTS = 150  # enough to show the sender's pace, few enough to keep the run short


def _checkins_cog(bench: Bench) -> Any:
    return bench.bot.get_cog("CheckinsCog")


async def _put_checkins_aside(bench: Bench, now: datetime) -> None:
    stamp = to_storage(now)
    async with bench.bot.database.transaction() as tx:
        await tx.execute(
            "UPDATE checkins SET state = 'dismissed', closed_at = ? WHERE state IN ('claimed', 'sent')",
            (stamp,),
        )
        await tx.execute(
            "UPDATE partnerships SET next_checkin_at = ? WHERE next_checkin_at <= ?",
            (to_storage(now + timedelta(days=7)), stamp),
        )


async def _make_due(bench: Bench, partnership_ids: list[int], now: datetime) -> None:
    await _put_checkins_aside(bench, now)
    async with bench.bot.database.transaction() as tx:
        await tx.execute(
            "UPDATE partnerships SET next_checkin_at = ?, next_checkin_reason = 'cadence'"
            " WHERE id IN (SELECT value FROM json_each(?))",
            (to_storage(now), json.dumps(partnership_ids)),
        )


async def _prompt(bench: Bench, rng: random.Random) -> Any:
    """A check-in prompt in an owner's DMs, sent by the bot's own tick and sender."""
    actor, record = bench.owned_record(rng)
    now = bench.bot.clock()
    await _make_due(bench, [record.partnership_id], now)
    await _checkins_cog(bench).due_work(now)
    await bench.server.env.settle()
    channel = actor.user.dm_channel
    prompt = next(
        message for message in reversed(channel.history()) if message.author.id == bench.bot.user.id
    )
    return actor, prompt


@scenario("/checkin now")
async def checkin_now(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    return await actor.slash(
        bench.general, "checkin now", partnership=str(record.partnership_id), status="on_track"
    )


async def _checkin_form(bench: Bench, rng: random.Random) -> Any:
    actor, record = bench.owned_record(rng)
    status = rng.choice(("on_track", "needs_attention", "stalled"))
    return actor, await actor.slash(
        bench.general, "checkin now", partnership=str(record.partnership_id), status=status
    )


CHECKIN_ANSWER = {"note": "Met the archive team; the scans are on Commons.", "next_step": "Draft the report"}


@scenario("/checkin now · form", kind="form", prepare=_checkin_form)
async def checkin_now_form(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, result = shown
    return await actor.submit_modal(result, CHECKIN_ANSWER)


@scenario("/checkin cadence")
async def checkin_cadence(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, record = bench.owned_record(rng)
    current = await bench.bot.database.fetch_value(
        "SELECT cadence FROM partnerships WHERE id = ?", (record.partnership_id,)
    )
    cadence = rng.choice([value for value in ("weekly", "monthly", "quarterly") if value != current])
    return await actor.slash(
        bench.general, "checkin cadence", partnership=str(record.partnership_id), cadence=cadence
    )


def _pause_end(bench: Bench, rng: random.Random) -> str:
    return (bench.bot.clock() + timedelta(days=rng.randint(2, 60))).date().isoformat()


@scenario("/checkin pause")
async def checkin_pause(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, _record = bench.owned_record(rng)
    return await actor.slash(bench.general, "checkin pause", until=_pause_end(bench, rng))


async def _paused(bench: Bench, rng: random.Random) -> Any:
    actor, _record = bench.owned_record(rng)
    await actor.slash(bench.general, "checkin pause", until=_pause_end(bench, rng))
    return actor


@scenario("/checkin resume", prepare=_paused)
async def checkin_resume(bench: Bench, rng: random.Random, actor: Any) -> Any:
    return await actor.slash(bench.general, "checkin resume")


@scenario("/checkin history")
async def checkin_history(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.member(rng).slash(
        bench.general, "checkin history", partnership=str(rng.choice(bench.public_ids))
    )


@scenario("/checkin now · partnership", kind="autocomplete")
async def checkin_partnership_autocomplete(bench: Bench, rng: random.Random, _: Any) -> Any:
    actor, _record = bench.owned_record(rng)
    return await actor.autocomplete(
        bench.general, "checkin now", "partnership", _typed_partnership(bench, rng)
    )


@scenario("check-in prompt · On track", kind="button", prepare=_prompt)
async def prompt_on_track(bench: Bench, rng: random.Random, prompted: Any) -> Any:
    actor, prompt = prompted
    return await actor.user.click(prompt, label="On track")


async def _prompt_form(bench: Bench, rng: random.Random) -> Any:
    actor, prompt = await _prompt(bench, rng)
    return actor, await actor.user.click(prompt, label=rng.choice(("On track", "Needs attention", "Stalled")))


@scenario("check-in prompt · form", kind="form", prepare=_prompt_form)
async def prompt_form(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, result = shown
    return await actor.user.submit_modal(result, CHECKIN_ANSWER)


@scenario("check-in prompt · Snooze a week", kind="button", prepare=_prompt)
async def prompt_snooze(bench: Bench, rng: random.Random, prompted: Any) -> Any:
    actor, prompt = prompted
    return await actor.user.click(prompt, label="Snooze a week")


@scenario("check-in prompt · Not now", kind="button", prepare=_prompt)
async def prompt_dismiss(bench: Bench, rng: random.Random, prompted: Any) -> Any:
    actor, prompt = prompted
    return await actor.user.click(prompt, label="Not now")


async def _due_partnerships(bench: Bench, rng: random.Random, count: int) -> list[int]:
    """``count`` open partnerships whose owners are in the server, due now and nothing else."""
    rows = await bench.bot.database.fetch_all(
        "SELECT id, owner_id FROM partnerships WHERE guild_id = ? AND owner_id IS NOT NULL"
        " AND stage != 'concluded'",
        (MAIN_GUILD_ID,),
    )
    present = [row["id"] for row in rows if row["owner_id"] in bench.server.by_id]
    chosen = rng.sample(present, min(count, len(present)))
    now = bench.bot.clock()
    await _make_due(bench, chosen, now)
    return chosen


async def _many_due(bench: Bench, rng: random.Random) -> Any:
    return len(await _due_partnerships(bench, rng, CLAIM_AT_ONCE))


@scenario("check-ins: tick with 10,000 due", kind="due_work", prepare=_many_due, iterations=10)
async def checkins_claim_tick(bench: Bench, rng: random.Random, due: Any) -> Any:
    """The tick claims every due prompt and hands them to the sender; that much is timed."""
    now = bench.bot.clock()
    started = time.perf_counter()
    await _checkins_cog(bench).due_work(now)
    elapsed = time.perf_counter() - started
    claimed = await bench.bot.database.fetch_value(
        "SELECT count(*) FROM checkins WHERE claimed_at = ? AND reason = 'cadence'", (to_storage(now),)
    )
    await _put_checkins_aside(bench, now)  # the sender finds nothing left to send
    await bench.server.env.settle()
    return Measured(elapsed, {"due": due, "claimed": claimed})


@contextmanager
def _discord_requests(bench: Bench) -> Iterator[list[tuple[float, int]]]:
    """Record when the bot made each Discord request, and its status (429: rate limited)."""
    http = bench.bot.http
    made: list[tuple[float, int]] = []
    request = http.request

    async def recorded(route: Any, **kwargs: Any) -> Any:
        try:
            answer = await request(route, **kwargs)
        except discord.HTTPException as error:
            made.append((time.perf_counter(), error.status))
            raise
        made.append((time.perf_counter(), 200))
        return answer

    http.request = recorded  # type: ignore[method-assign]
    try:
        yield made
    finally:
        del http.request  # back to the class's own


def _busiest_second(moments: list[float]) -> int:
    busiest, first = 0, 0
    for last, moment in enumerate(moments):
        while moment - moments[first] >= 1.0:
            first += 1
        busiest = max(busiest, last - first + 1)
    return busiest


async def _some_due(bench: Bench, rng: random.Random) -> Any:
    count = min(SENDING_PROMPTS, len(bench.server.members) // 10)
    return len(await _due_partnerships(bench, rng, count))


@scenario("check-ins: sending the claimed prompts", kind="due_work", prepare=_some_due, iterations=2)
async def checkins_sending(bench: Bench, rng: random.Random, due: Any) -> Any:
    """From the tick to the last prompt sent, paced by ``[checkins] prompts_per_second``."""
    now = bench.bot.clock()
    with _discord_requests(bench) as made:
        started = time.perf_counter()
        await _checkins_cog(bench).due_work(now)
        await bench.server.env.settle()  # until the sender is idle again
        elapsed = time.perf_counter() - started
    sent = await bench.bot.database.fetch_value(
        "SELECT count(*) FROM checkins WHERE claimed_at = ? AND state = 'sent'", (to_storage(now),)
    )
    configured = bench.bot.config.checkin_prompts_per_second
    return Measured(
        elapsed,
        {
            "prompts": due,
            "sent": sent,
            "prompts_per_second_configured": configured,
            "prompts_per_second_achieved": round(sent / elapsed, 2),
            "discord_requests": len(made),
            "discord_requests_busiest_second": _busiest_second([moment for moment, _status in made]),
            "rate_limited_429": sum(1 for _moment, status in made if status == 429),
        },
    )


# ---------------------------------------------------------------------------------- announcements
ANNOUNCEMENT = {
    "title": "GLAM partnerships call",
    "body": "Join us on Monday to share what worked this year.",
}


def _announce_options(bench: Bench, rng: random.Random, *, scheduled: bool) -> dict[str, Any]:
    options: dict[str, Any] = {"channel": bench.announcements}
    if scheduled:
        moment = bench.bot.clock() + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 12))
        options["when"] = moment.strftime("%Y-%m-%d %H:00")
    return options


@scenario("/announce post")
async def announce_post(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.coordinator(rng).slash(
        bench.general, "announce post", **_announce_options(bench, rng, scheduled=rng.random() < 0.5)
    )


async def _announce_form(bench: Bench, rng: random.Random, *, scheduled: bool) -> Any:
    actor = bench.coordinator(rng)
    return actor, await actor.slash(
        bench.general, "announce post", **_announce_options(bench, rng, scheduled=scheduled)
    )


async def _announce_form_any(bench: Bench, rng: random.Random) -> Any:
    return await _announce_form(bench, rng, scheduled=rng.random() < 0.5)


@scenario("/announce post · form", kind="form", prepare=_announce_form_any)
async def announce_post_form(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, result = shown
    return await actor.submit_modal(result, ANNOUNCEMENT)  # the preview


async def _announce_preview(bench: Bench, rng: random.Random, *, scheduled: bool) -> Any:
    actor, result = await _announce_form(bench, rng, scheduled=scheduled)
    return actor, await actor.submit_modal(result, ANNOUNCEMENT)


async def _scheduled_preview(bench: Bench, rng: random.Random) -> Any:
    return await _announce_preview(bench, rng, scheduled=True)


async def _immediate_preview(bench: Bench, rng: random.Random) -> Any:
    return await _announce_preview(bench, rng, scheduled=False)


@scenario("/announce post · Post (scheduled)", kind="button", prepare=_scheduled_preview)
async def announce_post_scheduled(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, preview = shown
    return await actor.click(preview.response, label="Post")


@scenario("/announce post · Post (now)", kind="button", prepare=_immediate_preview)
async def announce_post_now(bench: Bench, rng: random.Random, shown: Any) -> Any:
    actor, preview = shown
    return await actor.click(preview.response, label="Post")


async def _scheduled(bench: Bench, rng: random.Random) -> Any:
    """A scheduled announcement, made through the bot (the generated community has none)."""
    actor, preview = await _scheduled_preview(bench, rng)
    await actor.click(preview.response, label="Post")
    return await bench.bot.database.fetch_value(
        "SELECT max(id) FROM announcements WHERE guild_id = ? AND state = 'scheduled'", (MAIN_GUILD_ID,)
    )


@scenario("/announce list", prepare=_scheduled)
async def announce_list(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.coordinator(rng).slash(bench.general, "announce list")


@scenario("/announce cancel", prepare=_scheduled)
async def announce_cancel(bench: Bench, rng: random.Random, announcement_id: Any) -> Any:
    return await bench.coordinator(rng).slash(bench.general, "announce cancel", id=announcement_id)


@scenario("/announce cancel · id", kind="autocomplete", prepare=_scheduled)
async def announce_cancel_autocomplete(bench: Bench, rng: random.Random, announcement_id: Any) -> Any:
    typed = rng.choice(("", str(announcement_id)[:1], "GLAM", "#"))
    return await bench.coordinator(rng).autocomplete(bench.general, "announce cancel", "id", typed)


# ---------------------------------------------------------------------------------- last: the memory-heavy
# The whole registry as a file: run last, so each scenario's "peak_rss_mb" shows the peak before them.
@scenario("/partnership export", iterations=10)
async def partnership_export(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.coordinator(rng).slash(bench.general, "partnership export", format="csv")
