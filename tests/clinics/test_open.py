"""/clinic open through Discord: forum posts and text-channel threads, the pinned intake, tags,
the partnership summary, and everything that must refuse cleanly and leave nothing behind."""

from __future__ import annotations

from db import clinics
from tests.clinics.helpers import (
    INTAKE,
    applied_tag_names,
    clinic_count,
    clinics_forum,
    clinics_text_channel,
    deny_bot,
    expert,
    forum_tag_names,
    only_clinic,
    open_clinic,
    reply_text,
    set_forum_tags,
    stored_message,
    thread_of,
)
from tests.conftest import Community, acknowledge_errors
from tests.partnerships.test_register_show import register


async def test_forum_post_with_pinned_intake_created_tag_and_suggestions(community: Community) -> None:
    forum = await clinics_forum(community)
    mina, omar, pita = community.members
    await expert(community, omar, pings=True)
    await expert(community, pita, pings=False)

    result = await open_clinic(community, mina)

    clinic = await only_clinic(community)
    assert result.ephemeral
    assert (
        reply_text(result)
        == f"Your clinic is open: <#{clinic.thread_id}>. I suggested 2 member(s) and pinged 1."
    )
    assert (clinic.guild_id, clinic.channel_id, clinic.asker_id) == (community.guild.id, forum.id, mina.id)
    assert clinic.topic == "Museum hesitates about the licence"
    assert clinic.area == "glam"
    assert clinic.status is clinics.ClinicStatus.OPEN
    assert (clinic.situation, clinic.tried, clinic.help_needed) == (
        INTAKE["situation"],
        INTAKE["tried"],
        INTAKE["help_needed"],
    )

    thread = thread_of(community, forum, clinic.thread_id)
    assert thread.name == "Museum hesitates about the licence"
    assert forum_tag_names(community, forum) == ["GLAM"]
    assert applied_tag_names(community, forum, thread.id) == ["GLAM"]
    history = thread.history()
    intake = history[0]
    assert intake.id == clinic.intake_message_id
    assert intake.pinned
    assert [message.id for message in thread.pinned_messages()] == [intake.id]
    assert intake.content.startswith(f"<@{mina.id}> asks the community for help.")
    embed = intake.embeds[0]
    assert embed.title == "Museum hesitates about the licence"
    fields = {field.name: field.value for field in embed.fields}
    assert fields["The situation"] == INTAKE["situation"]
    assert fields["What has been tried"] == INTAKE["tried"]
    assert fields["Help needed"] == INTAKE["help_needed"]
    assert fields["Area"] == "GLAM (galleries, libraries, archives, museums)"
    assert fields["Asked by"] == f"<@{mina.id}>"
    assert "Partnership" not in fields
    assert stored_message(community, intake).ping_user_ids == []

    suggestions = history[-1]
    assert suggestions.content.splitlines()[1:3] == [f"1. <@{omar.id}>", "2. **pita**"]
    assert stored_message(community, suggestions).ping_user_ids == [omar.id]
    pings = await community.bot.database.fetch_all("SELECT clinic_id, user_id FROM clinic_pings")
    assert [(row["clinic_id"], row["user_id"]) for row in pings] == [(clinic.id, omar.id)]
    # The asker follows their own thread, so replies reach them.
    assert mina.id in community.env.backend.get_channel(thread.id).thread_members


async def test_an_existing_tag_for_the_area_is_used(community: Community) -> None:
    forum = await clinics_forum(community)
    await set_forum_tags(community, forum, ["Funding", "Museums"])  # "museums" is a GLAM synonym

    await open_clinic(community, community.member)

    clinic = await only_clinic(community)
    assert applied_tag_names(community, forum, clinic.thread_id) == ["Museums"]
    assert forum_tag_names(community, forum) == ["Funding", "Museums"]


async def test_without_manage_channels_the_post_has_no_tag_and_the_asker_is_told(
    community: Community,
) -> None:
    forum = await clinics_forum(community)
    await deny_bot(community, forum, manage_channels=True)

    result = await open_clinic(community, community.member)

    clinic = await only_clinic(community)
    assert applied_tag_names(community, forum, clinic.thread_id) == []
    assert forum_tag_names(community, forum) == []
    assert (
        f"No “GLAM” tag: I need the Manage Channels permission in <#{forum.id}> to create it."
        in reply_text(result)
    )


async def test_a_forum_with_twenty_tags_gets_no_new_one(community: Community) -> None:
    forum = await clinics_forum(community)
    await set_forum_tags(community, forum, [f"Topic {number}" for number in range(1, 21)])

    result = await open_clinic(community, community.member)

    clinic = await only_clinic(community)
    assert applied_tag_names(community, forum, clinic.thread_id) == []
    assert len(forum_tag_names(community, forum)) == 20
    assert f"No “GLAM” tag: <#{forum.id}> already has the 20 tags Discord allows." in reply_text(result)


async def test_text_channel_mode_opens_a_public_thread_with_the_intake_first_and_pinned(
    community: Community,
) -> None:
    desk = await clinics_text_channel(community)
    mina = community.member

    result = await open_clinic(
        community, mina, topic="Library wants a contract first", area="Agreements and MoUs"
    )

    clinic = await only_clinic(community)
    assert reply_text(result) == (
        f"Your clinic is open: <#{clinic.thread_id}>. "
        "Nobody has listed matching expertise yet; the thread is open for anyone to help."
    )
    thread = thread_of(community, desk, clinic.thread_id)
    assert thread.name == "Library wants a contract first"
    history = thread.history()
    assert history[0].id == clinic.intake_message_id and history[0].pinned
    assert history[0].embeds[0].title == "Library wants a contract first"
    assert history[-1].content == (
        "Members who may know about this: nobody has listed expertise in **Agreements and MoUs** yet. "
        "Anyone who can help, please reply here (and list what you know with `/expertise add`)."
    )
    assert clinic.area == "agreements"


async def test_member_text_never_pings_anyone(community: Community) -> None:
    forum = await clinics_forum(community)
    mina, omar, pita = community.members
    await expert(community, omar, pings=True)
    loud = f"@everyone @here <@&{community.coordinator_role.id}> <@{pita.id}>"

    await open_clinic(
        community,
        mina,
        topic=f"Help {loud}",
        form={"situation": f"Situation {loud}", "tried": f"Tried {loud}", "help_needed": f"Need {loud}"},
    )

    clinic = await only_clinic(community)
    thread = thread_of(community, forum, clinic.thread_id)
    stored = [stored_message(community, message) for message in thread.history()]
    assert [message.ping_user_ids for message in stored] == [[], [], [omar.id]]
    assert all(message.ping_role_ids == [] and not message.mention_everyone for message in stored)
    assert stored[-1].allowed_mentions.users == frozenset({omar.id})
    assert stored[-1].allowed_mentions.roles == frozenset()
    assert stored[-1].allowed_mentions.everyone is False


async def test_a_public_partnership_is_summarised_and_a_confidential_one_is_not_named(
    community: Community,
) -> None:
    forum = await clinics_forum(community)
    mina = community.member
    await register(community, mina, partner="City Museum", form={"description": "Photo donation to Commons"})
    await register(community, mina, partner="Secret Archive", visibility="confidential")

    await open_clinic(community, mina, topic="Public one", partnership="1")
    await open_clinic(community, mina, topic="Hidden one", partnership="2")

    rows = await community.bot.database.fetch_all("SELECT thread_id, partnership_id FROM clinics ORDER BY id")
    assert [row["partnership_id"] for row in rows] == [1, 2]
    public, hidden = (thread_of(community, forum, row["thread_id"]).history()[0] for row in rows)
    public_fields = {field.name: field.value for field in public.embeds[0].fields}
    assert public_fields["Partnership"] == (
        "**City Museum** with City Museum · GLAM: museum · Active\nPhoto donation to Commons"
    )
    hidden_fields = {field.name: field.value for field in hidden.embeds[0].fields}
    assert hidden_fields["Partnership"] == "a confidential partnership"
    assert "Secret Archive" not in str(hidden.embeds[0].to_dict()) + hidden.content


async def test_a_member_cannot_pick_a_confidential_partnership_of_someone_else(community: Community) -> None:
    await clinics_forum(community)
    mina, omar, _ = community.members
    await register(community, mina, partner="Secret Archive", visibility="confidential")

    offered = await omar.autocomplete(community.general, "clinic open", "partnership", "Secret")
    result = await omar.slash(
        community.general, "clinic open", topic="Borrowed", area="GLAM", partnership="1"
    )

    assert offered == []
    assert result.modal is None
    assert result.response.content.startswith("I can't find a partnership “1” that you can see.")
    assert await clinic_count(community) == 0


async def test_area_autocomplete_offers_the_taxonomy(community: Community) -> None:
    offered = await community.member.autocomplete(community.general, "clinic open", "area", "museum")
    assert [choice["value"] for choice in offered] == ["GLAM (galleries, libraries, archives, museums)"]


async def test_not_configured_names_the_setup_command_and_writes_nothing(community: Community) -> None:
    result = await community.member.slash(community.general, "clinic open", topic="Stuck", area="GLAM")

    assert result.modal is None
    assert result.response.ephemeral
    assert result.response.content == (
        "Clinics aren't set up on this server yet. An admin can choose a forum or text channel for them "
        "with `/setup channel purpose:clinics`."
    )
    assert await clinic_count(community) == 0


async def test_a_missing_permission_is_named_and_nothing_is_created(community: Community) -> None:
    forum = await clinics_forum(community)
    await deny_bot(community, forum, send_messages=True)

    result = await community.member.slash(community.general, "clinic open", topic="Stuck", area="GLAM")

    assert result.modal is None
    assert result.response.content == (
        # Discord takes Embed Links away implicitly with Send Messages.
        f"I can't open clinics in <#{forum.id}>: I'm missing Send Messages, Embed Links there. "
        "An admin can fix this (`/setup show` lists what I need)."
    )
    assert forum.threads == []
    assert await clinic_count(community) == 0


async def test_bad_input_is_refused_before_anything_is_created(community: Community) -> None:
    forum = await clinics_forum(community)
    mina = community.member
    cases = [
        (
            {"topic": "x" * 101, "area": "GLAM"},
            "The topic is 101 characters; the limit is 100. Please shorten it.",
        ),
        ({"topic": "   ", "area": "GLAM"}, "The topic can't be empty."),
        ({"topic": "Stuck", "area": "underwater basket weaving"}, "“underwater basket weaving” isn't one of"),
    ]
    for options, expected in cases:
        result = await mina.slash(community.general, "clinic open", **options)
        assert result.modal is None
        assert result.response.content.startswith(expected), result.response.content

    shown = await mina.slash(community.general, "clinic open", topic="Stuck", area="GLAM")
    result = await mina.submit_modal(shown, {"situation": "   ", "help_needed": "Anything"})
    assert result.response.content == "The situation can't be empty."
    assert forum.threads == []
    assert await clinic_count(community) == 0


async def test_a_failed_pin_removes_the_new_thread(community: Community) -> None:
    forum = await clinics_forum(community)
    community.env.inject_error(
        "PUT", "/channels/*/messages/pins/*", status=403, code=50013, message="Missing"
    )

    result = await open_clinic(community, community.member)

    assert "Discord refused me permission" in reply_text(result)
    assert forum.threads == []
    assert await clinic_count(community) == 0


async def test_a_failed_database_write_removes_the_new_thread(community: Community) -> None:
    forum = await clinics_forum(community)
    await community.bot.database.run_script(
        "CREATE TRIGGER refuse_clinics BEFORE INSERT ON clinics BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
    )

    result = await open_clinic(community, community.member)

    assert "Something went wrong on my side" in reply_text(result)
    assert forum.threads == []
    assert await clinic_count(community) == 0
    assert acknowledge_errors(community.env)  # the bug-level error was reported to the member
