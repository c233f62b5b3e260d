"""Every command, autocomplete, button and due work the benchmark measures: one small function each.

A scenario's ``step`` does one iteration as a member would; the **last** interaction it makes is the
one measured (earlier ones, such as opening a form before submitting it, set the scene). A
``prepare`` function, when given, runs unmeasured before each step and hands it what it made. Due
work makes no interaction: its whole step is timed.

To add a command: write ``async def step(bench, rng)`` that makes the interaction, and decorate it
with ``@scenario("/group command")``. To add due work: ``@scenario("name", kind="due_work")``.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bench.community import NOW
from bench.context import Bench, Clinic
from bench.names import CLINIC_TOPICS, PLACES, TOPICS
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


# ---------------------------------------------------------------------------------- last: the memory-heavy
# The whole registry as a file: run last, so each scenario's "peak_rss_mb" shows the peak before them.
@scenario("/partnership export", iterations=10)
async def partnership_export(bench: Bench, rng: random.Random, _: Any) -> Any:
    return await bench.coordinator(rng).slash(bench.general, "partnership export", format="csv")
