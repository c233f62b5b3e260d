"""Reading the registry: show one record, list with filters, search. All through the visibility rule."""

from __future__ import annotations

import discord
from discord import app_commands

from cogs.partnerships import _validate as validate
from cogs.partnerships._access import VisiblePartnership, viewer_for
from cogs.partnerships._base import PartnershipCommands, guild_of
from cogs.partnerships._choices import STAGE_CHOICES, TYPE_CHOICES
from cogs.partnerships._group import group
from cogs.partnerships._render import highlighted, list_line, partnership_embed, results_embed
from core.errors import UserError
from core.paging import Pager, RenderPage
from core.replies import respond
from core.text import shorten
from core.vocabulary import PARTNER_TYPE_LABELS, STAGE_LABELS, PartnerType, Stage
from db import fts, partnerships
from db.paging import Page
from db.partnership_finder import ListFilters, list_page, search

QUERY_MAX = 200


class BrowseCommands(PartnershipCommands):
    @group.command(name="show", description="Show one partnership: stage, owners, health, targets, timeline")
    @app_commands.describe(partnership="The partnership (start typing its name)")
    async def show(self, interaction: discord.Interaction, partnership: VisiblePartnership) -> None:
        detail = await partnerships.detail(self.bot.database, partnership)
        await respond(interaction, embed=partnership_embed(detail, await self.taxonomy()))

    async def _send_pages(self, interaction: discord.Interaction, render: RenderPage) -> None:
        embed, pages = await render(0)
        pager = Pager(render, pages=pages, user_id=interaction.user.id)
        await respond(interaction, embed=embed, view=pager if pager.needed else None)

    # ---------------------------------------------------------------------- list
    @group.command(name="list", description="List partnerships; filters combine")
    @app_commands.describe(
        owner="Owned or co-owned by this member",
        type="Partner type",
        stage="Stage",
        area="Area (from the list, or a free tag)",
        region="Region or country contains…",
        mine="Only partnerships I own or co-own",
    )
    @app_commands.choices(type=TYPE_CHOICES, stage=STAGE_CHOICES)
    async def list(
        self,
        interaction: discord.Interaction,
        owner: discord.Member | None = None,
        type: app_commands.Choice[str] | None = None,
        stage: app_commands.Choice[str] | None = None,
        area: str | None = None,
        region: str | None = None,
        mine: bool = False,
    ) -> None:
        if mine and owner is not None and owner.id != interaction.user.id:
            raise UserError("Choose either `mine` or `owner`, not both.")
        area_slug = None
        if area is not None:
            parsed = validate.parse_areas(area, (await self.taxonomy()).values())
            if len(parsed) != 1:
                raise UserError("Filter by one area at a time.")
            area_slug = parsed[0]
        filters = ListFilters(
            member_id=interaction.user.id if mine else (owner.id if owner else None),
            partner_type=PartnerType(type.value) if type else None,
            stage=Stage(stage.value) if stage else None,
            area=area_slug,
            region=validate.text(region, field="Region", limit=validate.REGION_MAX),
        )
        viewer = await viewer_for(interaction)
        taxonomy = await self.taxonomy()
        described = self._describe_filters(filters, taxonomy, mine=mine)

        async def render(page_number: int) -> tuple[discord.Embed, int]:
            page = await list_page(
                self.bot.database, guild_of(interaction), viewer, filters, page=page_number
            )
            if page.page >= page.pages and page.total:
                page = await list_page(
                    self.bot.database, guild_of(interaction), viewer, filters, page=page.pages - 1
                )
            title = f"Partnerships ({page.total})" + (f" · {described}" if described else "")
            empty = (
                "No partnerships match these filters."
                if filters.active
                else "No partnerships yet. Register one with `/partnership register`."
            )
            embed = results_embed(
                shorten(title, 256), page, [list_line(item, taxonomy) for item in page.items], empty=empty
            )
            return embed, page.pages

        await self._send_pages(interaction, render)

    @staticmethod
    def _describe_filters(filters: ListFilters, taxonomy: dict, *, mine: bool) -> str:
        parts = []
        if filters.member_id is not None:
            parts.append("mine" if mine else "by owner")
        if filters.partner_type:
            parts.append(PARTNER_TYPE_LABELS[filters.partner_type])
        if filters.stage:
            parts.append(STAGE_LABELS[filters.stage])
        if filters.area:
            parts.append(taxonomy[filters.area].label if filters.area in taxonomy else filters.area)
        if filters.region:
            parts.append(f"region “{filters.region}”")
        return ", ".join(parts)

    @list.autocomplete("area")
    async def list_area_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.area_choices(current)

    # -------------------------------------------------------------------- search
    @group.command(
        name="search", description="Search partnerships: names, descriptions, areas, notes, lessons"
    )
    @app_commands.describe(query="Words to look for, e.g. museum digitisation")
    async def search(self, interaction: discord.Interaction, query: str) -> None:
        text = validate.required_text(query, field="Search", limit=QUERY_MAX)
        if not fts.terms(text):
            raise UserError("Search for words, for example `museum digitisation`.")
        viewer = await viewer_for(interaction)
        taxonomy = await self.taxonomy()

        async def render(page_number: int) -> tuple[discord.Embed, int]:
            page: Page = await search(
                self.bot.database, guild_of(interaction), viewer, text, page=page_number
            )
            lines = []
            for item in page.items:
                lines.append(list_line(item, taxonomy))
                snippet = page.snippets.get(item.id, "")
                if snippet.strip():
                    lines.append(f"> {shorten(highlighted(snippet), 300)}")
            footer = "no partnership had every word; showing those with any of them" if page.broadened else ""
            embed = results_embed(
                shorten(f"Search: {text}", 256),
                page,
                lines,
                empty=f"Nothing matches “{shorten(text, 80)}”. Try fewer or different words.",
                footer=footer,
            )
            return embed, page.pages

        await self._send_pages(interaction, render)
