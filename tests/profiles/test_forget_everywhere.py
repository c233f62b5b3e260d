"""/profile forget also reaches the expertise directory and clinics: every feature's member data."""

from __future__ import annotations

from tests.clinics.helpers import clinics_forum, expert, only_clinic, open_clinic, thread_of
from tests.conftest import Community


async def test_forget_removes_expertise_and_clinic_traces(community: Community) -> None:
    mina, omar, _ = community.members
    await expert(community, omar, pings=True)
    await expert(community, mina, area="Wikidata", pings=True)
    forum = await clinics_forum(community)
    await open_clinic(community, mina)
    clinic = await only_clinic(community)
    await mina.slash(thread_of(community, forum, clinic.thread_id), "clinic helpful", member=omar)

    asked = await omar.slash(community.general, "profile forget")
    assert "**1** area of expertise: deleted (areas, levels and notes)" in asked.response.content
    assert "**1** clinic credit you received: deleted" in asked.response.content
    await omar.click(asked.response, label="Forget me")

    database = community.bot.database
    for table, column in [
        ("member_expertise", "user_id"),
        ("expertise_availability", "user_id"),
        ("clinic_credits", "helper_id"),
        ("clinic_pings", "user_id"),
    ]:
        remaining = await database.fetch_value(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (omar.id,))
        assert remaining == 0, table
    who = await mina.slash(community.general, "expertise who", query="museums")
    assert who.response.content.startswith("Nobody matches “museums”")  # omar was the only GLAM expert

    # The asker is forgotten too: the clinic stays (its lesson is the community's), without her name.
    asked = await mina.slash(community.general, "profile forget")
    assert "**1** clinic you opened: kept for the lessons, without your name" in asked.response.content
    await mina.click(asked.response, label="Forget me")
    assert await database.fetch_value("SELECT asker_id FROM clinics WHERE id = ?", (clinic.id,)) is None
    assert await database.fetch_value("SELECT COUNT(*) FROM member_expertise") == 0
