"""Keeping records current through Discord: edit, stage, log, target, agreement, transfer, co-owner, close."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from simcord.actors import MemberActor

from db import partnerships
from tests.conftest import Community
from tests.partnerships.test_register_show import register


async def record(community: Community, partnership_id: int = 1) -> partnerships.Partnership:
    found = await partnerships.get(community.bot.database, community.guild.id, partnership_id)
    assert found is not None
    return found


async def timeline(community: Community, partnership_id: int = 1) -> list[tuple[str, str, int | None]]:
    rows = await community.bot.database.fetch_all(
        "SELECT kind, summary, author_id FROM partnership_timeline WHERE partnership_id = ? ORDER BY id",
        (partnership_id,),
    )
    return [(row["kind"], row["summary"], row["author_id"]) for row in rows]


async def run(community: Community, actor: MemberActor, command: str, **options: Any) -> Any:
    return await actor.slash(community.general, f"partnership {command}", **options)


def fields(result: Any) -> dict[str, str]:
    return {field.name: field.value for field in result.response.embeds[0].fields}


async def test_edit_options_change_only_what_is_given(community: Community) -> None:
    mina = community.member
    await register(community, mina, areas="museums", region="Ghana", start="2026-01-01")
    result = await run(
        community,
        mina,
        "edit",
        partnership="1",
        type="library",
        areas="Wikidata, sculpture parks",
        region="none",
    )
    assert result.ephemeral
    assert result.response.content == "Updated type, areas, region of **National Museum of Ghana**."
    assert fields(result)["Areas"] == "sculpture parks, Wikidata and structured data"
    stored = await record(community)
    assert stored.partner_type.value == "library"
    assert stored.region is None
    assert stored.areas == ("sculpture parks", "wikidata")
    assert stored.start_date.isoformat() == "2026-01-01"  # type: ignore[union-attr]
    assert (await timeline(community))[-1] == (
        "edited",
        "Edited type, areas, region",
        mina.id,
    )


async def test_edit_scope_follows_type_unless_given(community: Community) -> None:
    mina = community.member
    await register(community, mina)
    await run(community, mina, "edit", partnership="1", type="affiliate")
    assert (await record(community)).scope.value == "internal"
    await run(community, mina, "edit", partnership="1", type="affiliate", scope="external")
    assert (await record(community)).scope.value == "external"


async def test_edit_without_options_opens_the_filled_form(community: Community) -> None:
    mina = community.member
    await register(community, mina, form={"description": "Old words"})
    shown = await run(community, mina, "edit", partnership="1")
    assert shown.modal is not None
    submitted = await mina.submit_modal(
        shown,
        {
            "name": "Residency at the museum",
            "description": "New words about uploads",
            "meta_url": "https://meta.wikimedia.org/wiki/Residency",
            "agreement_url": "",
        },
    )
    assert submitted.response.content.startswith("Updated name, description, Meta-Wiki page of")
    stored = await record(community)
    assert (stored.name, stored.description, stored.meta_url) == (
        "Residency at the museum",
        "New words about uploads",
        "https://meta.wikimedia.org/wiki/Residency",
    )


async def test_edit_that_changes_nothing_writes_nothing(community: Community) -> None:
    mina = community.member
    await register(community, mina, region="Ghana")
    result = await run(community, mina, "edit", partnership="1", region="Ghana")
    assert result.response.content.startswith("Nothing to change")
    assert [kind for kind, _, _ in await timeline(community)] == ["created"]


async def test_edit_bad_input_and_strangers_write_nothing(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await register(community, mina, start="2026-03-01")
    await register(community, mina, partner="City Archive", type="archive")
    before = await record(community)
    cases = [
        (mina, {"end": "2026-02-01"}, "is before the start date"),
        (mina, {"start": "2026-02-31"}, "doesn't exist in the calendar"),
        (mina, {"projects": "Wikipedia, Facebook"}, "“Facebook” isn't a Wikimedia project"),
        (mina, {"goals": "glory"}, "“glory” isn't a goal"),
        (mina, {"partner": "city archive"}, "already has a partnership with “city archive”"),
        (mina, {"region": "x" * 61}, "the limit is 60"),
        (omar, {"region": "Togo"}, "Only the owners of “National Museum of Ghana” and coordinators"),
    ]
    for actor, options, message in cases:
        result = await run(community, actor, "edit", partnership="1", **options)
        assert result.ephemeral and result.modal is None
        assert message in result.response.content, (options, result.response.content)
    assert await record(community) == before
    assert [kind for kind, _, _ in await timeline(community)] == ["created"]


async def test_coordinator_may_edit_anyones_record(community: Community) -> None:
    await register(community, community.member)
    result = await run(community, community.coordinator, "edit", partnership="1", region="Accra")
    assert result.response.content.startswith("Updated region")
    assert (await timeline(community))[-1][2] == community.coordinator.id


async def test_stage_moves_and_records_the_step(community: Community) -> None:
    mina = community.member
    await register(community, mina, stage="negotiating")
    assert (await record(community)).cadence.value == "off"
    result = await run(community, mina, "stage", partnership="1", stage="active", note="MoU signed")
    assert "moved to Active" in result.response.content
    assert "Check-ins are now monthly" in result.response.content
    stored = await record(community)
    assert (stored.stage.value, stored.cadence.value) == ("active", "monthly")
    assert (await timeline(community))[-1] == ("stage", "Stage: Negotiating → Active", mina.id)
    again = await run(community, mina, "stage", partnership="1", stage="active")
    assert again.response.content == "**National Museum of Ghana** is already at the stage Active."


async def test_log_records_the_note_and_follow_up(community: Community) -> None:
    mina = community.member
    await register(community, mina)
    result = await run(
        community, mina, "log", partnership="1", note="Met the curator about scans", follow_up="2026-12-01"
    )
    assert result.response.content == "Logged on **National Museum of Ghana**."
    assert "Met the curator about scans" in fields(result)["Recent timeline"]
    nine_am = int(datetime(2026, 12, 1, 9, tzinfo=UTC).timestamp())
    assert f"<t:{nine_am}:D>" in fields(result)["Next follow-up"]
    assert (await record(community)).next_follow_up.isoformat() == "2026-12-01"  # type: ignore[union-attr]
    for options, message in [
        ({"follow_up": "2026-11-19"}, "is in the past; today is 2026-11-20"),
        ({"note": "n" * 1001}, "the limit is 1000"),
        ({"note": "  "}, "Note can't be empty"),
    ]:
        refused = await run(community, mina, "log", partnership="1", **{"note": "ok", **options})
        assert message in refused.response.content
    assert [kind for kind, _, _ in await timeline(community)] == ["created", "interaction"]


async def test_targets_are_set_updated_and_removed(community: Community) -> None:
    mina = community.member
    await register(community, mina)
    missing = await run(community, mina, "target", partnership="1", metric="files uploaded")
    assert "is a new target: give the figure" in missing.response.content
    await run(community, mina, "target", partnership="1", metric="files uploaded", target=500, unit="files")
    result = await run(community, mina, "target", partnership="1", metric="Files uploaded", current=125)
    assert result.response.content == "Saved. Target files uploaded: 125/500 files."
    assert fields(result)["Targets"] == "**files uploaded**: 125/500 files ██░░░░░░░░ 25%"
    bad = await run(community, mina, "target", partnership="1", metric="files uploaded", current=-1)
    assert "Current figure must be a number 0 or more" in bad.response.content
    choices = await mina.autocomplete(community.general, "partnership target", "metric", "", partnership="1")
    assert choices[0]["value"] == "files uploaded"
    removed = await run(community, mina, "target", partnership="1", metric="files uploaded", remove=True)
    assert removed.response.content == "Removed the target “files uploaded”."
    assert await community.bot.database.fetch_value("SELECT COUNT(*) FROM partnership_targets") == 0
    assert [summary for _, summary, _ in await timeline(community)][1:] == [
        "Target files uploaded: 0/500 files",
        "Target files uploaded: 125/500 files",
        "Target removed: files uploaded",
    ]


async def test_agreement_checklist_ticks(community: Community) -> None:
    mina = community.member
    await register(community, mina)
    result = await run(
        community, mina, "agreement", partnership="1", item="ip", done=True, note="CC BY-SA 4.0"
    )
    assert result.response.content == "Checklist: Intellectual property / licensing — agreed."
    assert "✅ Intellectual property / licensing" in fields(result)["Agreement checklist"]
    assert "⬜ Exit strategy" in fields(result)["Agreement checklist"]
    row = await community.bot.database.fetch_one("SELECT done, note, updated_by FROM partnership_agreement")
    assert tuple(row) == (1, "CC BY-SA 4.0", mina.id)


async def test_transfer_by_owner_and_its_limits(community: Community) -> None:
    mina, omar, pita = community.members
    await register(community, mina)
    await run(community, mina, "co-owner", partnership="1", member=pita)
    denied = await run(community, pita, "transfer", partnership="1", to=omar)
    assert "co-owners can't" in denied.response.content
    await register(community, omar)  # omar has his own partnership with the same partner
    duplicate = await run(community, mina, "transfer", partnership="1", to=omar)
    assert "omar already owns a partnership with “National Museum of Ghana”" in duplicate.response.content
    assert (await record(community)).owner_id == mina.id

    result = await run(community, mina, "transfer", partnership="1", to=community.coordinator, keep_me=True)
    assert (
        result.response.content
        == f"**National Museum of Ghana** now belongs to {community.coordinator.mention}."
    )
    stored = await record(community)
    assert stored.owner_id == community.coordinator.id
    assert set(stored.co_owner_ids) == {mina.id, pita.id}
    assert (await timeline(community))[-1] == ("ownership", "Ownership transferred", mina.id)


async def test_coordinator_reassigns_an_orphaned_partnership(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await register(community, mina, visibility="confidential")
    await community.bot.database.fetch_value("UPDATE partnerships SET owner_id = NULL RETURNING id")
    refused = await run(community, omar, "transfer", partnership="1", to=omar)
    assert refused.response.content.startswith("I can't find a partnership")  # confidential: hidden
    result = await run(community, community.coordinator, "transfer", partnership="1", to=omar)
    assert result.response.content.endswith(f"now belongs to {omar.mention}.")
    assert (await record(community)).owner_id == omar.id
    assert (await timeline(community))[-1][1] == "Orphaned partnership reassigned"


async def test_co_owners_can_change_and_see_the_record(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await register(community, mina, visibility="confidential")
    hidden = await run(community, omar, "show", partnership="1")
    assert hidden.response.content.startswith("I can't find a partnership")
    added = await run(community, mina, "co-owner", partnership="1", member=omar)
    assert added.response.content == f"{omar.mention} now co-owns **National Museum of Ghana**."
    assert (
        "National Museum of Ghana"
        in (await run(community, omar, "show", partnership="1")).response.embeds[0].title
    )
    logged = await run(community, omar, "log", partnership="1", note="Called the director")
    assert logged.response.content.startswith("Logged")
    twice = await run(community, mina, "co-owner", partnership="1", member=omar)
    assert "already owns or co-owns" in twice.response.content
    owner = await run(community, omar, "co-owner", partnership="1", member=mina)
    assert "already owns or co-owns" in owner.response.content
    removed = await run(community, mina, "co-owner", partnership="1", member=omar, remove=True)
    assert removed.response.content == f"{omar.mention} is no longer a co-owner."
    assert (await run(community, omar, "show", partnership="1")).response.content.startswith("I can't find")
    assert [kind for kind, _, _ in await timeline(community)] == [
        "created",
        "co_owner",
        "interaction",
        "co_owner",
    ]


async def test_close_records_outcome_and_lessons(community: Community) -> None:
    mina = community.member
    await register(community, mina, start="2026-01-01")
    shown = await run(community, mina, "close", partnership="1")
    assert shown.modal is not None
    early = await mina.submit_modal(shown, {"outcome": "Done", "lessons": "Start small", "end": "2025-12-31"})
    assert "is before the start date" in early.response.content
    assert (await record(community)).stage.value == "active"

    shown = await run(community, mina, "close", partnership="1")
    closed = await mina.submit_modal(
        shown,
        {
            "outcome": "1,200 photographs on Commons",
            "lessons": "Agree the licence before the first scan",
            "end": "2026-11-20",
        },
    )
    assert closed.response.content.startswith("**National Museum of Ghana** is concluded.")
    assert "Agree the licence before the first scan" in fields(closed)["Outcome and lessons"]
    stored = await record(community)
    assert (stored.stage.value, stored.outcome, stored.end_date.isoformat()) == (  # type: ignore[union-attr]
        "concluded",
        "1,200 photographs on Commons",
        "2026-11-20",
    )
    again = await run(community, mina, "close", partnership="1")
    assert again.modal is None
    assert "is already concluded" in again.response.content


async def test_strangers_cannot_use_any_update_command(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await register(community, mina)
    before = await record(community)
    for command, options in [
        ("stage", {"stage": "on_hold"}),
        ("log", {"note": "hi"}),
        ("target", {"metric": "articles", "target": 10}),
        ("agreement", {"item": "roles", "done": True}),
        ("transfer", {"to": omar}),
        ("co-owner", {"member": omar}),
        ("close", {}),
    ]:
        result = await run(community, omar, command, partnership="1", **options)
        assert result.ephemeral and result.modal is None, command
        assert result.response.content.startswith("Only the owners of “National Museum of Ghana”"), command
    assert await record(community) == before
    assert len(await timeline(community)) == 1
