"""Keeping a record current: edit, stage, log, target, agreement, transfer, co-owner, close.

Each command: resolve a record the asker may see, check they may change it, validate, then one
recorded change (``db.partnership_changes.change``: the write, its timeline entry and the search
document in one transaction), then show the record as it now is.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import date

import discord
from discord import app_commands

from cogs.partnerships import _validate as validate
from cogs.partnerships._access import VisiblePartnership, ensure_can_change, parse_reference, viewer_for
from cogs.partnerships._base import PartnershipCommands, guild_of, project_choices
from cogs.partnerships._choices import (
    AGREEMENT_CHOICES,
    CADENCE_CHOICES,
    METRIC_SUGGESTIONS,
    OPEN_STAGE_CHOICES,
    SCOPE_CHOICES,
    STRUCTURE_CHOICES,
    TYPE_CHOICES,
    VISIBILITY_CHOICES,
    goal_choices,
)
from cogs.partnerships._forms import close_fields, edit_fields
from cogs.partnerships._group import group
from cogs.partnerships._render import partnership_embed
from core.errors import UserError
from core.permissions import Level
from core.replies import respond
from core.text import shorten
from core.ui import FormModal
from core.vocabulary import (
    AGREEMENT_LABELS,
    STAGE_LABELS,
    AgreementItem,
    Cadence,
    PartnerType,
    Scope,
    Stage,
    Structure,
    Visibility,
    scope_for,
)
from db import partnership_changes as changes
from db import partnerships
from db.database import Transaction
from db.partnerships import DuplicatePartnership, Partnership

# How each editable column is named to people, in the order edits are reported.
FIELD_LABELS = {
    "partner_name": "partner",
    "name": "name",
    "partner_type": "type",
    "goals": "goals",
    "structure": "structure",
    "scope": "internal/external",
    "visibility": "visibility",
    "areas": "areas",
    "region": "region",
    "projects": "projects",
    "description": "description",
    "meta_url": "Meta-Wiki page",
    "agreement_url": "agreement document",
    "start_date": "start date",
    "end_date": "end date",
    "cadence": "check-in cadence",
}


def _changed(record: Partnership, proposed: dict[str, object]) -> dict[str, object]:
    """Only the values that differ from the record."""
    return {column: value for column, value in proposed.items() if getattr(record, column) != value}


class UpdateCommands(PartnershipCommands):
    def _today(self) -> date:
        return self.bot.clock().date()

    async def _current(self, interaction: discord.Interaction, partnership_id: int) -> Partnership:
        """Re-read a record after a form: it may have changed (or been hidden) since it was opened."""
        viewer = await viewer_for(interaction)
        record = await partnerships.get_visible(
            self.bot.database, guild_of(interaction), partnership_id, viewer
        )
        if record is None:
            raise UserError("That partnership is no longer available to you.")
        await ensure_can_change(interaction, record)
        return record

    async def _show(self, interaction: discord.Interaction, partnership_id: int, message: str) -> None:
        """Confirm a change with the record as the asker may now see it."""
        viewer = await viewer_for(interaction)
        record = await partnerships.get_visible(
            self.bot.database, guild_of(interaction), partnership_id, viewer
        )
        if record is None:  # e.g. a confidential record handed to someone else
            await respond(interaction, message)
            return
        detail = await partnerships.detail(self.bot.database, record)
        await respond(interaction, message, embed=partnership_embed(detail, await self.taxonomy()))

    async def _record(
        self,
        interaction: discord.Interaction,
        record: Partnership,
        *,
        kind: str,
        summary: str,
        note: str | None = None,
        columns: dict[str, object] | None = None,
        areas: tuple[str, ...] | None = None,
    ) -> None:
        """Write columns (and areas) as one recorded change."""
        async with self._change(interaction, record, kind, summary, note) as tx:
            await changes.set_columns(tx, record.id, columns or {})
            if areas is not None:
                await changes.set_areas(tx, record.id, areas)

    # ---------------------------------------------------------------------- edit
    @group.command(name="edit", description="Change a partnership's details; with no options, a form opens")
    @app_commands.describe(
        partnership="The partnership (start typing its name)",
        partner=f"New partner name (≤{validate.PARTNER_NAME_MAX})",
        type="What kind of organisation the partner is",
        goals="content, funding, advocacy (comma-separated)",
        visibility="Public, or confidential (owners and coordinators only)",
        areas="Areas, comma-separated; replaces the list (`none` clears it)",
        region=f"Region or country (≤{validate.REGION_MAX}; `none` clears it)",
        projects="Wikimedia projects, comma-separated (`none` clears them)",
        start="Start date, YYYY-MM-DD (`none` clears it)",
        end="End date, YYYY-MM-DD (`none` clears it)",
        cadence="How often check-ins come",
        structure="Simple or complex",
        scope="Internal or external (normally follows the type)",
    )
    @app_commands.choices(
        type=TYPE_CHOICES,
        visibility=VISIBILITY_CHOICES,
        cadence=CADENCE_CHOICES,
        structure=STRUCTURE_CHOICES,
        scope=SCOPE_CHOICES,
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        partnership: VisiblePartnership,
        partner: str | None = None,
        type: app_commands.Choice[str] | None = None,
        goals: str | None = None,
        visibility: app_commands.Choice[str] | None = None,
        areas: str | None = None,
        region: str | None = None,
        projects: str | None = None,
        start: str | None = None,
        end: str | None = None,
        cadence: app_commands.Choice[str] | None = None,
        structure: app_commands.Choice[str] | None = None,
        scope: app_commands.Choice[str] | None = None,
    ) -> None:
        record = partnership
        await ensure_can_change(interaction, record)
        proposed: dict[str, object] = {}
        if partner is not None:
            proposed["partner_name"] = validate.required_text(
                partner, field="Partner name", limit=validate.PARTNER_NAME_MAX
            )
        if type is not None:
            proposed["partner_type"] = PartnerType(type.value)
            proposed["scope"] = scope_for(PartnerType(type.value))
        if scope is not None:
            proposed["scope"] = Scope(scope.value)
        if goals is not None:
            proposed["goals"] = validate.parse_goals(goals)
        if visibility is not None:
            proposed["visibility"] = Visibility(visibility.value)
        if structure is not None:
            proposed["structure"] = Structure(structure.value)
        if cadence is not None:
            proposed["cadence"] = Cadence(cadence.value)
        if region is not None:
            proposed["region"] = (
                None
                if validate.clears(region)
                else validate.text(region, field="Region", limit=validate.REGION_MAX)
            )
        if projects is not None:
            proposed["projects"] = () if validate.clears(projects) else validate.parse_projects(projects)
        if areas is not None:
            taxonomy = (await self.taxonomy()).values()
            proposed["areas"] = () if validate.clears(areas) else validate.parse_areas(areas, taxonomy)
        for column, value, label in (("start_date", start, "Start date"), ("end_date", end, "End date")):
            if value is not None:
                proposed[column] = None if validate.clears(value) else validate.parse_date(value, field=label)
        if not proposed:
            await self._open_edit_form(interaction, record)
            return
        validate.date_order(
            proposed.get("start_date", record.start_date),  # type: ignore[arg-type]
            proposed.get("end_date", record.end_date),  # type: ignore[arg-type]
        )
        await self._apply_edit(interaction, record, proposed)

    async def _open_edit_form(self, interaction: discord.Interaction, record: Partnership) -> None:
        async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
            current = await self._current(submitted, record.id)
            proposed = {
                "name": validate.text(form.get("name"), field="Partnership name", limit=validate.NAME_MAX)
                or current.partner_name,
                "description": validate.text(
                    form.get("description"), field="Description", limit=validate.DESCRIPTION_MAX
                )
                or "",
                "meta_url": validate.parse_url(form.get("meta_url"), field="Meta-Wiki page"),
                "agreement_url": validate.parse_url(form.get("agreement_url"), field="Agreement document"),
            }
            await self._apply_edit(submitted, current, proposed)

        title = shorten(f"Edit {record.name}", 45)
        await interaction.response.send_modal(
            FormModal(title=title, fields=edit_fields(record), finish=finish)
        )

    async def _apply_edit(
        self, interaction: discord.Interaction, record: Partnership, proposed: dict[str, object]
    ) -> None:
        changed = _changed(record, proposed)
        if not changed:
            await respond(interaction, f"Nothing to change: **{record.name}** already says that.")
            return
        areas = changed.pop("areas", None)
        labels = [
            label
            for column, label in FIELD_LABELS.items()
            if column in changed or (column == "areas" and areas is not None)
        ]
        try:
            await self._record(
                interaction,
                record,
                kind="edited",
                summary="Edited " + ", ".join(labels),
                columns=changed,
                areas=areas,  # type: ignore[arg-type]
            )
        except DuplicatePartnership:
            raise UserError(
                f"The owner already has a partnership with “{changed.get('partner_name')}”; "
                "one owner can't have the same partner twice."
            ) from None
        await self._show(interaction, record.id, f"Updated {', '.join(labels)} of **{record.name}**.")

    @edit.autocomplete("areas")
    async def edit_areas_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.area_choices(current)

    @edit.autocomplete("goals")
    async def edit_goals_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return goal_choices(current)

    @edit.autocomplete("projects")
    async def edit_projects_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return project_choices(current)

    # --------------------------------------------------------------------- stage
    @group.command(name="stage", description="Move a partnership to another stage (to conclude, use close)")
    @app_commands.describe(
        partnership="The partnership (start typing its name)",
        stage="The new stage",
        note=f"Why, or what happened (optional, ≤{validate.NOTE_MAX})",
    )
    @app_commands.choices(stage=OPEN_STAGE_CHOICES)
    async def stage(
        self,
        interaction: discord.Interaction,
        partnership: VisiblePartnership,
        stage: app_commands.Choice[str],
        note: str | None = None,
    ) -> None:
        await ensure_can_change(interaction, partnership)
        new = Stage(stage.value)
        if new is partnership.stage:
            raise UserError(f"**{partnership.name}** is already at the stage {STAGE_LABELS[new]}.")
        cleaned = validate.text(note, field="Note", limit=validate.NOTE_MAX)
        columns: dict[str, object] = {"stage": new}
        message = f"**{partnership.name}** moved to {STAGE_LABELS[new]}."
        if new is Stage.ACTIVE and partnership.cadence is Cadence.OFF:
            # Active partnerships are checked on monthly unless the owners choose otherwise.
            columns["cadence"] = Cadence.MONTHLY
            message += " Check-ins are now monthly (change with `/partnership edit cadence`)."
        await self._record(
            interaction,
            partnership,
            kind="stage",
            summary=f"Stage: {STAGE_LABELS[partnership.stage]} → {STAGE_LABELS[new]}",
            note=cleaned,
            columns=columns,
        )
        await self._show(interaction, partnership.id, message)

    # ----------------------------------------------------------------------- log
    @group.command(name="log", description="Log an interaction with the partner, and the next follow-up")
    @app_commands.describe(
        partnership="The partnership (start typing its name)",
        note=f"What happened: a meeting, an email, an event (≤{validate.NOTE_MAX})",
        follow_up="Next follow-up date, YYYY-MM-DD (optional)",
    )
    async def log(
        self,
        interaction: discord.Interaction,
        partnership: VisiblePartnership,
        note: str,
        follow_up: str | None = None,
    ) -> None:
        await ensure_can_change(interaction, partnership)
        cleaned = validate.required_text(note, field="Note", limit=validate.NOTE_MAX)
        next_date = validate.follow_up_date(follow_up, today=self._today())
        summary = "Interaction logged" + (f" · next follow-up {next_date.isoformat()}" if next_date else "")
        await self._record(
            interaction,
            partnership,
            kind="interaction",
            summary=summary,
            note=cleaned,
            columns={"next_follow_up": next_date} if next_date else {},
        )
        await self._show(interaction, partnership.id, f"Logged on **{partnership.name}**.")

    # -------------------------------------------------------------------- target
    @group.command(name="target", description="Set a target (e.g. 500 files uploaded) or update its progress")
    @app_commands.describe(
        partnership="The partnership (start typing its name)",
        metric=f"What you count, e.g. files uploaded to Commons (≤{validate.METRIC_MAX})",
        target="The figure you aim for (needed for a new metric)",
        current="Where it stands now",
        unit=f"Unit, e.g. files (optional, ≤{validate.UNIT_MAX})",
        remove="Remove this target",
    )
    async def target(
        self,
        interaction: discord.Interaction,
        partnership: VisiblePartnership,
        metric: str,
        target: float | None = None,
        current: float | None = None,
        unit: str | None = None,
        remove: bool = False,
    ) -> None:
        await ensure_can_change(interaction, partnership)
        name = validate.required_text(metric, field="Metric", limit=validate.METRIC_MAX)
        goal = validate.amount(target, field="Target", positive=True)
        now = validate.amount(current, field="Current figure")
        unit_text = validate.text(unit, field="Unit", limit=validate.UNIT_MAX)
        existing = {
            item.metric.casefold(): item
            for item in (await partnerships.detail(self.bot.database, partnership, timeline_limit=0)).targets
        }
        found = existing.get(name.casefold())
        if remove:
            if found is None:
                raise UserError(f"**{partnership.name}** has no target “{name}”.")
            async with self._change(
                interaction, partnership, "target", f"Target removed: {found.metric}"
            ) as tx:
                await changes.remove_target(tx, partnership.id, found.metric)
            await self._show(interaction, partnership.id, f"Removed the target “{found.metric}”.")
            return
        if found is None:
            if goal is None:
                raise UserError(f"“{name}” is a new target: give the figure you aim for in `target`.")
            if len(existing) >= validate.TARGETS_MAX:
                raise UserError(
                    f"A partnership can have at most {validate.TARGETS_MAX} targets; remove one first."
                )
        elif goal is None and now is None and unit_text is None:
            raise UserError("Give a new `target`, a `current` figure or a `unit` to change.")
        metric_name = found.metric if found else name
        final_goal = goal if goal is not None else found.target  # type: ignore[union-attr]
        final_now = now if now is not None else (found.current if found else 0.0)
        final_unit = unit_text if unit_text is not None else (found.unit if found else "")
        summary = f"Target {metric_name}: {final_now:g}/{final_goal:g}" + (
            f" {final_unit}" if final_unit else ""
        )
        async with self._change(interaction, partnership, "target", summary) as tx:
            await changes.save_target(
                tx,
                partnership.id,
                metric_name,
                target=final_goal,
                current=final_now,
                unit=final_unit,
                at=self.bot.clock(),
            )
        await self._show(interaction, partnership.id, f"Saved. {summary}.")

    @target.autocomplete("metric")
    async def metric_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The chosen partnership's own metrics first, then common ones."""
        names: list[str] = []
        chosen = parse_reference(str(getattr(interaction.namespace, "partnership", "") or ""))
        if chosen is not None and interaction.guild_id is not None:
            viewer = await viewer_for(interaction)
            record = await partnerships.get_visible(self.bot.database, interaction.guild_id, chosen, viewer)
            if record is not None:
                detail = await partnerships.detail(self.bot.database, record, timeline_limit=0)
                names.extend(item.metric for item in detail.targets)
        names.extend(METRIC_SUGGESTIONS)
        word = current.strip().casefold()
        unique = dict.fromkeys(name for name in names if word in name.casefold())
        return [app_commands.Choice(name=name, value=name) for name in unique][:25]

    def _change(
        self,
        interaction: discord.Interaction,
        record: Partnership,
        kind: str,
        summary: str,
        note: str | None = None,
    ) -> AbstractAsyncContextManager[Transaction]:
        """One recorded change by the asker, now (see ``db.partnership_changes.change``)."""
        return changes.change(
            self.bot.database,
            record.id,
            at=self.bot.clock(),
            author_id=interaction.user.id,
            kind=kind,
            summary=summary,
            note=note,
        )

    # ----------------------------------------------------------------- agreement
    @group.command(name="agreement", description="Tick (or untick) an item of the agreement checklist")
    @app_commands.describe(
        partnership="The partnership (start typing its name)",
        item="The checklist item",
        done="Agreed with the partner?",
        note=f"Optional note, e.g. where it is written down (≤{validate.NOTE_MAX})",
    )
    @app_commands.choices(item=AGREEMENT_CHOICES)
    async def agreement(
        self,
        interaction: discord.Interaction,
        partnership: VisiblePartnership,
        item: app_commands.Choice[str],
        done: bool,
        note: str | None = None,
    ) -> None:
        await ensure_can_change(interaction, partnership)
        chosen = AgreementItem(item.value)
        cleaned = validate.text(note, field="Note", limit=validate.NOTE_MAX)
        state = "agreed" if done else "not agreed yet"
        summary = f"Agreement: {AGREEMENT_LABELS[chosen]} {state}"
        async with self._change(interaction, partnership, "agreement", summary) as tx:
            await changes.save_agreement_item(
                tx,
                partnership.id,
                chosen,
                done=done,
                note=cleaned,
                author_id=interaction.user.id,
                at=self.bot.clock(),
            )
        await self._show(interaction, partnership.id, f"Checklist: {AGREEMENT_LABELS[chosen]} — {state}.")

    # ------------------------------------------------------------------ transfer
    @group.command(name="transfer", description="Hand a partnership to another member (owner or coordinator)")
    @app_commands.describe(
        partnership="The partnership (start typing its name)",
        to="The new owner",
        keep_me="Stay on as a co-owner (when you are the owner)",
    )
    async def transfer(
        self,
        interaction: discord.Interaction,
        partnership: VisiblePartnership,
        to: discord.Member,
        keep_me: bool = False,
    ) -> None:
        level = await ensure_can_change(interaction, partnership)
        is_owner = partnership.owner_id == interaction.user.id
        if not is_owner and level < Level.COORDINATOR:
            # Orphaned records never get here: only coordinators may change them.
            raise UserError(
                "Only the owner or a coordinator can transfer a partnership; co-owners can't. "
                f"Ask <@{partnership.owner_id}>."
            )
        if to.bot:
            raise UserError("A bot can't own a partnership; choose a member.")
        if to.id == partnership.owner_id:
            raise UserError(f"{to.display_name} already owns **{partnership.name}**.")
        if await partnerships.owner_has_partner(
            self.bot.database, guild_of(interaction), to.id, partnership.partner_name
        ):
            raise UserError(
                f"{to.display_name} already owns a partnership with “{partnership.partner_name}”; "
                "one owner can't have the same partner twice."
            )
        keep = partnership.owner_id if keep_me and is_owner else None
        summary = "Ownership transferred" if partnership.owner_id else "Orphaned partnership reassigned"
        try:
            async with self._change(interaction, partnership, "ownership", summary) as tx:
                await changes.transfer(tx, partnership.id, to.id, keep_previous=keep)
        except DuplicatePartnership:
            raise UserError(f"{to.display_name} already owns a partnership with that partner.") from None
        await self._show(interaction, partnership.id, f"**{partnership.name}** now belongs to {to.mention}.")

    # ------------------------------------------------------------------ co-owner
    @group.command(name="co-owner", description="Add or remove a co-owner of a partnership")
    @app_commands.describe(
        partnership="The partnership (start typing its name)",
        member="The member",
        remove="Remove them instead of adding them",
    )
    async def co_owner(
        self,
        interaction: discord.Interaction,
        partnership: VisiblePartnership,
        member: discord.Member,
        remove: bool = False,
    ) -> None:
        await ensure_can_change(interaction, partnership)
        if remove:
            if member.id not in partnership.co_owner_ids:
                raise UserError(f"{member.display_name} isn't a co-owner of **{partnership.name}**.")
            async with self._change(interaction, partnership, "co_owner", "Co-owner removed") as tx:
                await changes.remove_co_owner(tx, partnership.id, member.id)
            await self._show(interaction, partnership.id, f"{member.mention} is no longer a co-owner.")
            return
        if member.bot:
            raise UserError("A bot can't co-own a partnership; choose a member.")
        if member.id in partnership.owner_ids:
            raise UserError(f"{member.display_name} already owns or co-owns **{partnership.name}**.")
        if len(partnership.co_owner_ids) >= validate.CO_OWNERS_MAX:
            raise UserError(f"A partnership can have at most {validate.CO_OWNERS_MAX} co-owners.")
        async with self._change(interaction, partnership, "co_owner", "Co-owner added") as tx:
            await changes.add_co_owner(tx, partnership.id, member.id)
        await self._show(interaction, partnership.id, f"{member.mention} now co-owns **{partnership.name}**.")

    # --------------------------------------------------------------------- close
    @group.command(name="close", description="Conclude a partnership: record the outcome and the lessons")
    @app_commands.describe(partnership="The partnership (start typing its name)")
    async def close(self, interaction: discord.Interaction, partnership: VisiblePartnership) -> None:
        await ensure_can_change(interaction, partnership)
        if partnership.stage is Stage.CONCLUDED:
            raise UserError(
                f"**{partnership.name}** is already concluded. To reopen it, use `/partnership stage`."
            )

        async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
            current = await self._current(submitted, partnership.id)
            if current.stage is Stage.CONCLUDED:
                raise UserError(f"**{current.name}** was concluded in the meantime; nothing changed.")
            outcome = validate.required_text(form.get("outcome"), field="Outcome", limit=validate.OUTCOME_MAX)
            lessons = validate.required_text(form.get("lessons"), field="Lessons", limit=validate.LESSONS_MAX)
            end = validate.parse_date(form.get("end"), field="End date")
            if end is None:
                raise UserError("End date can't be empty.")
            validate.date_order(current.start_date, end)
            await self._record(
                submitted,
                current,
                kind="closed",
                summary=f"Concluded ({STAGE_LABELS[current.stage]} → Concluded)",
                note=outcome,
                columns=changes.conclude_columns(outcome, lessons, end),
            )
            await self._show(
                submitted,
                current.id,
                f"**{current.name}** is concluded. Thank you: its lessons are now searchable with "
                "`/partnership search`.",
            )

        title = shorten(f"Conclude {partnership.name}", 45)
        form = FormModal(title=title, fields=close_fields(partnership, self._today()), finish=finish)
        await interaction.response.send_modal(form)
