"""/announce post through Discord: the form, the preview, Post · Edit · Cancel, pings, publishing."""

from __future__ import annotations

import pytest
from simcord.backend.errors import SetupError

from cogs.announcements import _forms as forms
from core.errors import UserError
from db.announcements import State
from tests.announcements.helpers import (
    WORDING,
    announcements_channel,
    compose,
    count,
    form_fields,
    only_row,
    posts,
    press_post,
    published,
    stored,
)
from tests.clinics.helpers import deny_bot
from tests.conftest import Community


async def test_preview_shows_the_announcement_exactly_as_it_is_then_posted(community: Community) -> None:
    channel = await announcements_channel(community)
    glam = community.guild.create_role("GLAM folks", mentionable=True)

    preview = await compose(community, role=glam)

    assert preview.ephemeral
    shown, notes = preview.response.embeds
    assert preview.response.content == glam.mention
    assert shown.title == WORDING["title"]
    assert shown.description == WORDING["body"]
    assert shown.footer.text == "Posted by cora_coordinator"
    assert notes.title == "Preview: only you can see this"
    assert notes.description == (
        f"**Where:** {channel.mention}\n"
        "**When:** right away, when you press **Post**\n"
        f"**Pings:** {glam.mention} and nobody else"
    )
    assert posts(channel) == []
    assert await count(community) == 0  # nothing is written before Post

    told = await press_post(community, preview)

    [post] = posts(channel)
    assert post.content == glam.mention
    assert [embed.to_dict() for embed in post.embeds] == [shown.to_dict()]
    assert told == f"Posted in {channel.mention}: {post.jump_url}"
    row = await only_row(community)
    assert (row.state, row.message_id, row.author_id) == (State.POSTED, post.id, community.coordinator.id)
    assert (row.channel_id, row.role_id, row.post_count) == (channel.id, glam.id, 1)


async def test_only_the_chosen_role_is_pinged_never_what_the_text_mentions(community: Community) -> None:
    channel = await announcements_channel(community)
    mina = community.member
    # Not mentionable: the bot pings it with its Mention Everyone permission.
    glam = community.guild.create_role("GLAM folks")
    other = community.guild.create_role("Education folks", mentionable=True)
    body = f"Hello @everyone and @here! Ask <@&{other.id}> or <@{mina.id}>."

    preview = await compose(community, wording={"title": "Ping test", "body": body}, role=glam)
    await press_post(community, preview)

    [post] = posts(channel)
    record = stored(community, post)
    assert post.content == glam.mention  # the text stays in the embed, which never pings
    assert post.embeds[0].description == body
    assert record.ping_role_ids == [glam.id]
    assert record.ping_user_ids == []
    assert record.mention_everyone is False
    allowed = record.allowed_mentions
    assert (allowed.everyone, allowed.users, allowed.roles) == (False, frozenset(), frozenset({glam.id}))


async def test_without_a_role_nobody_is_pinged(community: Community) -> None:
    channel = await announcements_channel(community)
    body = f"@everyone look: <@{community.member.id}>"
    await press_post(community, await compose(community, wording={"title": "Quiet", "body": body}))

    [post] = posts(channel)
    record = stored(community, post)
    assert post.content == ""
    assert (record.ping_role_ids, record.ping_user_ids, record.mention_everyone) == ([], [], False)
    allowed = record.allowed_mentions
    assert (allowed.everyone, allowed.users, allowed.roles) == (False, frozenset(), frozenset())


async def test_edit_reopens_the_form_filled_in_and_updates_the_preview(community: Community) -> None:
    channel = await announcements_channel(community)
    coordinator = community.coordinator
    preview = await compose(community)

    opened = await coordinator.click(preview.response, label="Edit")
    fields = form_fields(opened)
    assert fields["title"]["value"] == WORDING["title"]
    assert fields["body"]["value"] == WORDING["body"]
    edited = await coordinator.submit_modal(
        opened, {"title": "GLAM call moved", "body": "Same call, **Tuesday** instead."}
    )

    assert edited.response.id == preview.response.id  # the same preview, updated
    assert edited.response.embeds[0].title == "GLAM call moved"
    assert edited.response.embeds[0].description == "Same call, **Tuesday** instead."
    await press_post(community, edited)
    [post] = posts(channel)
    assert (post.embeds[0].title, post.embeds[0].description) == (
        "GLAM call moved",
        "Same call, **Tuesday** instead.",
    )


async def test_cancel_posts_and_writes_nothing(community: Community) -> None:
    channel = await announcements_channel(community)
    preview = await compose(community)

    result = await community.coordinator.click(preview.response, label="Cancel")

    assert result.response.content == "Cancelled: nothing was posted or scheduled."
    assert result.response.embeds == []
    assert result.response.components == []
    assert posts(channel) == []
    assert await count(community) == 0


async def test_a_chosen_channel_overrides_the_configured_one(community: Community) -> None:
    configured = await announcements_channel(community)
    events = community.guild.create_text_channel("events")
    await press_post(community, await compose(community, channel=events))
    assert len(posts(events)) == 1
    assert posts(configured) == []


async def test_members_are_refused_even_when_the_command_is_opened_to_them(community: Community) -> None:
    await announcements_channel(community)
    await community.open_command_to_everyone("announce")
    mina = community.member
    assert "announce post" in mina.available_commands(community.general)
    for command, options in [("announce post", {}), ("announce list", {}), ("announce cancel", {"id": 1})]:
        result = await mina.slash(community.general, command, **options)
        assert result.modal is None
        assert result.ephemeral
        assert result.response.content.startswith("Only coordinators can do this."), command
    assert await mina.autocomplete(community.general, "announce cancel", "id", "") == []
    assert await count(community) == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"when": "someday soon"}, "I couldn't read “someday soon” as a time."),
        ({"when": "yesterday 9:00"}, "“yesterday 9:00” reads as Thu 19 Nov 2026, 09:00 (UTC), which is not"),
        ({"when": "next monday"}, "“next monday” reads as Mon 23 Nov 2026 but gives no time of day."),
        ({"repeat": "weekly"}, "A weekly announcement needs its first time: add “when”"),
    ],
)
async def test_bad_times_are_refused_before_the_form(
    community: Community, options: dict[str, str], message: str
) -> None:
    await announcements_channel(community)
    result = await community.coordinator.slash(community.general, "announce post", **options)
    assert result.modal is None
    assert result.ephemeral
    assert message in result.response.content, result.response.content
    assert await count(community) == 0


async def test_no_channel_configured_or_given_is_refused(community: Community) -> None:
    result = await community.coordinator.slash(community.general, "announce post")
    assert result.modal is None
    assert result.response.content == (
        "No announcements channel is set up. Choose a channel, or ask an admin to set the announcements "
        "channel with `/setup channel purpose:announcements`."
    )


async def test_everyone_is_not_a_role_to_ping(community: Community) -> None:
    await announcements_channel(community)
    result = await community.coordinator.slash(
        community.general, "announce post", role=community.guild.default_role
    )
    assert result.modal is None
    assert result.response.content.startswith("I don't ping @everyone.")


async def test_missing_permissions_are_named_before_the_form(community: Community) -> None:
    channel = await announcements_channel(community)
    await deny_bot(community, channel, send_messages=True)
    result = await community.coordinator.slash(community.general, "announce post")
    assert result.modal is None
    # Discord also withholds Embed Links where Send Messages is denied.
    assert result.response.content == (
        f"I can't post in {channel.mention}: I'm missing Send Messages, Embed Links there."
    )
    assert await count(community) == 0


async def test_an_unmentionable_role_needs_mention_everyone(community: Community) -> None:
    channel = await announcements_channel(community)
    quiet = community.guild.create_role("Quiet role")
    await deny_bot(community, channel, mention_everyone=True)
    result = await community.coordinator.slash(community.general, "announce post", role=quiet)
    assert result.modal is None
    assert result.response.content == (
        f"I can't ping {quiet.mention} in {channel.mention}: the role isn't mentionable and I'm missing "
        "Mention Everyone there. Make the role mentionable (Server Settings → Roles) or give me that "
        "permission."
    )
    assert await count(community) == 0


async def test_permission_lost_before_post_writes_nothing_until_fixed(community: Community) -> None:
    channel = await announcements_channel(community)
    preview = await compose(community)
    await deny_bot(community, channel, view_channel=True)

    told = await press_post(community, preview)

    assert told.startswith(f"I can't post in {channel.mention}: I'm missing View Channel")
    assert posts(channel) == []
    assert await count(community) == 0

    await deny_bot(community, channel)  # an admin gives the permission back; Post works again
    assert (await press_post(community, preview)).startswith(f"Posted in {channel.mention}")
    assert len(posts(channel)) == 1


async def test_a_time_that_passed_during_the_preview_is_refused(community: Community) -> None:
    await announcements_channel(community)
    preview = await compose(community, when="in 1 hour")
    community.clock.advance(hours=2)

    told = await press_post(community, preview)

    assert told == "That time passed while you were previewing. Run `/announce post` again with a later time."
    assert await count(community) == 0


async def test_discord_refusing_the_post_leaves_nothing_behind(community: Community) -> None:
    channel = await announcements_channel(community)
    preview = await compose(community)
    community.env.inject_error("POST", f"/channels/{channel.id}/messages", status=403, code=50013)

    told = await press_post(community, preview)

    assert told.startswith(f"Discord refused to let me post in {channel.mention}")
    assert posts(channel) == []
    assert await count(community) == 0


async def test_the_form_shows_and_enforces_the_limits(community: Community) -> None:
    await announcements_channel(community)
    shown = await community.coordinator.slash(community.general, "announce post")
    fields = form_fields(shown)
    assert (fields["title"]["label"], fields["title"]["max_length"]) == ("Title (≤256 characters)", 256)
    assert (fields["body"]["label"], fields["body"]["max_length"]) == (
        "Text: Discord markdown, ≤4,000 characters",
        4000,
    )
    with pytest.raises(SetupError, match="exceeds max_length=256"):  # Discord refuses it in the form
        await community.coordinator.submit_modal(shown, {"title": "x" * 257, "body": "Text"})

    blank = await community.coordinator.submit_modal(shown, {"title": "   ", "body": "Text"})
    assert blank.response.content == "The title can't be empty."
    assert await count(community) == 0


def test_the_form_values_are_checked_again_on_our_side() -> None:
    assert forms.wording({"title": " Call ", "body": " Text\n"}) == forms.Wording("Call", "Text")
    with pytest.raises(UserError, match="The title is 257 characters; the limit is 256"):
        forms.wording({"title": "x" * 257, "body": "Text"})
    with pytest.raises(UserError, match="The text is 4001 characters; the limit is 4000"):
        forms.wording({"title": "Call", "body": "b" * 4001})


async def test_a_post_in_an_announcement_channel_is_published(community: Community) -> None:
    news = await announcements_channel(community, news=True)
    preview = await compose(community)
    assert "I'll publish the post to following servers." in preview.response.embeds[1].description

    told = await press_post(community, preview)

    [post] = posts(news)
    assert published(community, post)
    assert told == f"Posted in {news.mention}: {post.jump_url}\n📣 Published to following servers."


async def test_a_refused_publication_still_posts_and_says_so(community: Community) -> None:
    news = await announcements_channel(community, news=True)
    preview = await compose(community)
    community.env.inject_error(
        "POST", f"/channels/{news.id}/messages/*/crosspost", status=403, code=50013, message="Missing"
    )

    told = await press_post(community, preview)

    [post] = posts(news)
    assert not published(community, post)
    assert told.endswith("📣 Not published to following servers: Discord refused (403 Missing).")
    row = await only_row(community)
    assert row.state is State.POSTED
    assert row.note == "not published to following servers: Discord refused (403 Missing)"
