"""One error path: a member always gets a clear ephemeral message; bugs are logged with ids."""

from __future__ import annotations

import logging

import discord
import pytest
from discord import app_commands

from core.bot import PartnershipsBot, create_bot
from core.config import Config
from core.ui import BaseView
from tests.conftest import Community, SimClock, acknowledge_errors


class Boom(RuntimeError):
    pass


@pytest.fixture
def simcord_bot(bot_config: Config, clock: SimClock) -> PartnershipsBot:
    """The production bot plus two deliberately broken commands, to drive the shared error path."""
    bot = create_bot(bot_config, clock=clock)

    @app_commands.command(name="explode", description="Raise before answering")
    async def explode(interaction: discord.Interaction) -> None:
        raise Boom("internal detail: table partnerships is locked")

    @app_commands.command(name="explode-late", description="Defer, then raise")
    async def explode_late(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        raise Boom("internal detail after defer")

    class BrokenView(BaseView):
        @discord.ui.button(label="Break")
        async def break_it(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
            raise Boom("view internals")

    @app_commands.command(name="broken-button", description="Show a button that raises")
    async def broken_button(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Press it", view=BrokenView())

    for command in (explode, explode_late, broken_button):
        bot.tree.add_command(command)
    return bot


def acknowledge_bugs(community: Community) -> list[BaseException]:
    """These tests raise on purpose; mark the recorded errors as seen so teardown doesn't fail."""
    return acknowledge_errors(community.env)


async def test_error_before_answer(community: Community, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="core.replies"):
        result = await community.member.slash(community.general, "explode")
    assert result.ephemeral
    content = result.response.content
    assert content.startswith("Something went wrong on my side")
    assert "table partnerships" not in content
    record = next(record for record in caplog.records if "unhandled error" in record.getMessage())
    message = record.getMessage()
    assert f"guild={community.guild.id}" in message
    assert f"user={community.member.id}" in message
    assert "command=explode" in message
    reference = message.split("ref=")[1].split()[0]
    assert f"`{reference}`" in content
    assert record.exc_info is not None
    errors = acknowledge_bugs(community)
    assert any(isinstance(getattr(error, "original", error), Boom) for error in errors)


async def test_error_after_defer_uses_a_followup(community: Community) -> None:
    result = await community.member.slash(community.general, "explode-late")
    # After a "thinking" defer, Discord shows the first follow-up in place of the loading message.
    followups = [
        request
        for request in community.env.http_requests
        if request.method == "POST" and request.path.startswith("/webhooks/")
    ]
    assert len(followups) == 1
    assert result.ephemeral
    assert result.response.content.startswith("Something went wrong on my side")
    acknowledge_bugs(community)


async def test_error_in_a_view_reaches_the_member(community: Community) -> None:
    shown = await community.member.slash(community.general, "broken-button")
    clicked = await community.member.click(shown.response.message, label="Break")
    assert clicked.ephemeral
    assert clicked.response.content.startswith("Something went wrong on my side")
    acknowledge_bugs(community)


async def test_database_failure_is_reported_not_leaked(community: Community) -> None:
    await community.bot.database.close()  # the disk went away, say
    result = await community.admin.slash(community.general, "setup show")
    assert result.ephemeral
    assert result.response.content.startswith("Something went wrong on my side")
    assert "database" not in result.response.content
    acknowledge_bugs(community)
