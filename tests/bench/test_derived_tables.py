"""What migration 0007 derives stays in step with the records through every write the bot makes.

The tallies (partnerships per server, area, type, stage and visibility; clinics per status and
area; clinic credits per helper and area; members per declared area) and the trigram name index
are kept by triggers, so no write path had to change. Here real commands change records in every
way those depend on, and each derived table must equal a fresh count of the records.
"""

from __future__ import annotations

from typing import Any

from simcord.actors import MemberActor

from db import partnerships
from tests.clinics.helpers import clinics_forum, open_clinic, thread_of
from tests.conftest import Community
from tests.partnerships.test_register_show import register

RECOUNTS = {
    "partnership_tallies": (
        "SELECT guild_id, area, partner_type, stage, visibility, total FROM partnership_tallies"
        " WHERE total != 0",
        "SELECT guild_id, '', partner_type, stage, visibility, count(*) FROM partnerships"
        " GROUP BY guild_id, partner_type, stage, visibility"
        " UNION ALL SELECT p.guild_id, a.area, p.partner_type, p.stage, p.visibility, count(*)"
        " FROM partnership_areas a JOIN partnerships p ON p.id = a.partnership_id"
        " GROUP BY p.guild_id, a.area, p.partner_type, p.stage, p.visibility",
    ),
    "clinic_tallies": (
        "SELECT guild_id, status, area, total FROM clinic_tallies WHERE total != 0",
        "SELECT guild_id, status, area, count(*) FROM clinics GROUP BY guild_id, status, area",
    ),
    "expertise_tallies": (
        "SELECT guild_id, area, members FROM expertise_tallies",
        "SELECT guild_id, area, count(*) FROM member_expertise GROUP BY guild_id, area",
    ),
    "clinic_credit_tallies": (
        "SELECT guild_id, helper_id, area, credits FROM clinic_credit_tallies",
        "SELECT cc.guild_id, cc.helper_id, c.area, count(*) FROM clinic_credits cc"
        " JOIN clinics c ON c.id = cc.clinic_id GROUP BY cc.guild_id, cc.helper_id, c.area",
    ),
}


async def assert_in_step(community: Community) -> None:
    database = community.bot.database
    for table, (kept, counted) in RECOUNTS.items():
        assert sorted(map(tuple, await database.fetch_all(kept))) == sorted(
            map(tuple, await database.fetch_all(counted))
        ), table
    # The external-content trigram index holds exactly the records' current names and regions.
    await database.run_script(
        "INSERT INTO partnership_names (partnership_names, rank) VALUES ('integrity-check', 1);"
    )


async def run(community: Community, actor: MemberActor, command: str, **options: Any) -> Any:
    result = await actor.slash(community.general, f"partnership {command}", **options)
    assert result.response is not None and result.response.embeds, result.response and result.response.content
    return result


async def test_partnership_tallies_and_names_follow_every_change(community: Community) -> None:
    mina, omar, pita = community.members
    await register(community, mina, partner="Museo de Arte", areas="GLAM, Wikidata", region="Lima")
    await register(community, mina, partner="City Archive", type="archive", stage="prospect", areas="GLAM")
    await register(community, omar, partner="Secret Library", type="library", visibility="confidential")
    await assert_in_step(community)

    await run(community, mina, "edit", partnership="1", areas="Wikidata, oral history", region="Cusco")
    await run(community, mina, "edit", partnership="2", type="library", visibility="confidential")
    await run(community, mina, "stage", partnership="2", stage="active")
    await run(community, omar, "edit", partnership="3", visibility="public", partner="Open Library")
    await run(community, mina, "transfer", partnership="1", to=pita)
    shown = await mina.slash(community.general, "partnership close", partnership="2")
    await mina.submit_modal(
        shown, {"outcome": "Digitised the maps.", "lessons": "Start small.", "end": "2026-11-20"}
    )
    changed = await community.bot.database.fetch_all(
        "SELECT id, partner_name, partner_type, stage, visibility, owner_id FROM partnerships ORDER BY id"
    )
    assert [tuple(row) for row in changed] == [
        (1, "Museo de Arte", "museum", "active", "public", pita.id),
        (2, "City Archive", "library", "concluded", "confidential", mina.id),
        (3, "Open Library", "library", "active", "public", omar.id),
    ]
    await assert_in_step(community)

    for actor, area in ((omar, "GLAM"), (omar, "Wikidata"), (mina, "GLAM"), (mina, "copyright")):
        added = await actor.slash(community.general, "expertise add", area=area, level="expert")
        assert added.response.content.startswith("Added"), added.response.content
    removed = await mina.slash(community.general, "expertise remove", area="copyright")
    assert removed.response.content.startswith("Removed"), removed.response.content
    await assert_in_step(community)

    forget = await omar.slash(community.general, "profile forget")
    await omar.click(forget.response, label="Forget me")
    await assert_in_step(community)
    glam = await community.bot.database.fetch_value(
        "SELECT members FROM expertise_tallies WHERE area = 'glam'"
    )
    assert glam == 1  # mina's; omar's went with him
    found = await partnerships.autocomplete(
        community.bot.database, community.guild.id, partnerships.Viewer(pita.id, False), "open lib"
    )
    assert [record.partner_name for record in found] == ["Open Library"]


async def test_clinic_tallies_follow_opening_crediting_resolving_and_reopening(community: Community) -> None:
    mina, omar, pita = community.members
    forum = await clinics_forum(community)
    await open_clinic(community, mina)
    await open_clinic(community, omar, topic="Licensing archive scans", area="Copyright and licensing")
    await assert_in_step(community)

    rows = await community.bot.database.fetch_all("SELECT thread_id, asker_id FROM clinics ORDER BY id")
    first = thread_of(community, forum, rows[0]["thread_id"])
    await mina.slash(first, "clinic helpful", member=omar)
    await mina.slash(first, "clinic helpful", member=pita)
    shown = await mina.slash(first, "clinic resolve")
    await mina.submit_modal(shown, {"lesson": "A pilot of 50 images convinced them.", "tags": "pilot"})
    await assert_in_step(community)

    await mina.slash(first, "clinic reopen")
    forget = await omar.slash(community.general, "profile forget")
    await omar.click(forget.response, label="Forget me")
    await assert_in_step(community)
    assert (
        await community.bot.database.fetch_value(
            "SELECT count(*) FROM clinic_credit_tallies WHERE helper_id = ?", (omar.id,)
        )
        == 0
    )  # forgotten: nothing of them is left in the derived table either
