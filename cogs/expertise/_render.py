"""Embeds and messages for /expertise. Mentions appear in embeds, which never ping anyone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import discord

from cogs.expertise._areas import AreaCount
from cogs.expertise._ranking import AffiliateGroup, RankedPerson
from cogs.expertise._search import WhoAnswer
from cogs.expertise._terms import short_label
from core.text import pack_lines, shorten
from core.vocabulary import Stage
from db.areas import Area
from db.expertise import Declaration, ExpertiseLevel, PeopleFilter
from db.partnerships import Partnership
from db.profiles import Profile

COLOUR = discord.Colour.teal()
FIELD_LIMIT = 1024
DESCRIPTION_LIMIT = 4096
LEVEL_LABELS = {
    ExpertiseLevel.EXPERT: "Expert",
    ExpertiseLevel.PRACTITIONER: "Practitioner",
    ExpertiseLevel.LEARNING: "Learning",
}
PINGS_ON = "🔔 open to clinic pings"
NO_PING_FOOTER = "Mentions in this answer never ping anyone."
# /expertise show groups partnerships in this order; earlier stages share one group.
STAGE_GROUPS: tuple[tuple[str, frozenset[Stage]], ...] = (
    ("Active", frozenset({Stage.ACTIVE})),
    ("Concluded", frozenset({Stage.CONCLUDED})),
    ("In progress", frozenset({Stage.PROSPECT, Stage.CONTACTING, Stage.NEGOTIATING})),
    ("On hold", frozenset({Stage.ON_HOLD})),
)


def area_name(area: str, taxonomy: Mapping[str, Area]) -> str:
    """A taxonomy area's short label, or a free area as the member wrote it."""
    return short_label(taxonomy[area]) if area in taxonomy else area


def filters_line(filters: PeopleFilter) -> str:
    parts = []
    if filters.region:
        parts.append(f"region “{filters.region}”")
    if filters.language:
        parts.append(f"language “{filters.language}”")
    return " · ".join(parts)


def shared_details(affiliation: str | None, region: str | None, languages: Sequence[str]) -> str:
    parts = []
    if affiliation:
        parts.append(f"🏛 {affiliation}")
    if region:
        parts.append(f"📍 {region}")
    if languages:
        parts.append(f"🗣 {', '.join(languages)}")
    return " · ".join(parts)


def person_value(person: RankedPerson) -> str:
    candidate = person.candidate
    lines = [f"<@{candidate.user_id}>" + (f" · {PINGS_ON}" if candidate.available else "")]
    lines.append(" · ".join(person.why) or "matching words in their notes")
    if person.examples:
        lines.append("e.g. " + "; ".join(person.examples))
    details = shared_details(candidate.affiliation, candidate.region, candidate.languages)
    if details:
        lines.append(details)
    return shorten("\n".join(lines), FIELD_LIMIT)


def affiliate_value(group: AffiliateGroup) -> str:
    members = len(group.people)
    lines = [f"{members} member{'s' if members != 1 else ''} with matching evidence"]
    if group.partnerships:
        count = len(group.partnerships)
        noun = "partnership" if count == 1 else "partnerships"
        lines.append(f"{count} matching {noun} ({group.stage_counts()})")
        names = list(dict.fromkeys(record.name for record in group.partnerships.values()))[:3]
        lines.append("e.g. " + "; ".join(names))
    people = [f"<@{person.user_id}>" for person in group.people[:5]]
    lines.append("People: " + ", ".join(people))
    return shorten("\n".join(lines), FIELD_LIMIT)


def who_embed(
    answer: WhoAnswer, filters: PeopleFilter, names: Mapping[int, str], taxonomy: Mapping[str, Area]
) -> discord.Embed:
    looking = [area_name(slug, taxonomy) for slug in answer.understood.area_slugs]
    description = [
        f"Areas: {', '.join(looking)}" if looking else "Matched on the words of notes and partnerships."
    ]
    if filters_line(filters):
        description.append(f"Only members who share {filters_line(filters)}.")
    by_affiliation = bool(answer.affiliates)
    title = "Which affiliates know" if by_affiliation else "Who knows"
    embed = discord.Embed(
        title=shorten(f"{title} “{answer.text}”", 256), description="\n".join(description), colour=COLOUR
    )
    if by_affiliation:
        for group in answer.affiliates:
            embed.add_field(name=shorten(group.name, 256), value=affiliate_value(group), inline=False)
    else:
        for place, person in enumerate(answer.people, start=1):
            name = names.get(person.user_id, "member")
            embed.add_field(name=shorten(f"{place}. {name}", 256), value=person_value(person), inline=False)
    embed.set_footer(
        text="Ranked by declared level, matching partnerships (active and concluded, recent ones more) "
        "and clinic credits. " + NO_PING_FOOTER
    )
    return embed


def nothing_found(answer: WhoAnswer, filters: PeopleFilter, taxonomy: Mapping[str, Area]) -> str:
    scope = f" among members who share {filters_line(filters)}" if filters_line(filters) else ""
    lines = [f"Nobody matches “{shorten(answer.text, 100)}”{scope} yet."]
    if answer.nearest:
        suggestions = ", ".join(f"`{short_label(area)}`" for area in answer.nearest)
        lines.append(f"Nearest areas: {suggestions}. Try `/expertise who` with one of them.")
    lines.append("Stuck with a partnership on this? Ask peers in a clinic: `/clinic open`.")
    lines.append("Know about this yourself? List it with `/expertise add` so others can find you.")
    return "\n".join(lines)


def declaration_line(declaration: Declaration, taxonomy: Mapping[str, Area]) -> str:
    line = f"**{LEVEL_LABELS[declaration.level]}** · {area_name(declaration.area, taxonomy)}"
    return line + (f" — {declaration.note}" if declaration.note else "")


def evidence_lines(records: Sequence[Partnership]) -> list[str]:
    lines = []
    for label, stages in STAGE_GROUPS:
        group = [record for record in records if record.stage in stages]
        if group:
            names = ", ".join(f"{record.name} (#{record.id})" for record in group)
            lines.append(f"**{label}** ({len(group)}): {names}")
    return lines


@dataclass(frozen=True)
class ShownProfile:
    """The profile fields this viewer may see; ``hidden`` names the ones only the member sees."""

    affiliation: str | None
    region: str | None
    languages: tuple[str, ...]
    hidden: tuple[str, ...] = ()


def shown_profile(profile: Profile | None, *, own: bool) -> ShownProfile:
    if profile is None:
        return ShownProfile(None, None, ())
    if own:
        hidden = tuple(
            name
            for name, shared in (
                ("affiliation", profile.share_affiliation),
                ("region", profile.share_region),
                ("languages", profile.share_languages),
            )
            if not shared
        )
        return ShownProfile(profile.affiliation, profile.region, profile.languages, hidden)
    public = profile.public_view()
    return ShownProfile(public.affiliation, public.region, public.languages)


def show_embed(
    name: str,
    declarations: Sequence[Declaration],
    records: Sequence[Partnership],
    profile: ShownProfile,
    *,
    available: bool,
    own: bool,
    taxonomy: Mapping[str, Area],
) -> discord.Embed:
    if declarations:
        description = "\n".join(declaration_line(item, taxonomy) for item in declarations)
    elif own:
        description = "You haven't listed any areas yet. Add one with `/expertise add`."
    else:
        description = "No areas listed yet."
    embed = discord.Embed(
        title=shorten(f"{name}'s expertise", 256),
        description=shorten(description, DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    lines = evidence_lines(records)
    for index, chunk in enumerate(pack_lines(lines, FIELD_LIMIT)):
        embed.add_field(
            name="Partnerships" if index == 0 else "Partnerships (more)", value=chunk, inline=False
        )
    if not lines:
        embed.add_field(name="Partnerships", value="None that you can see.", inline=False)
    details = shared_details(profile.affiliation, profile.region, profile.languages)
    if details:
        if profile.hidden:
            details += f"\nHidden from others: {', '.join(profile.hidden)}"
        embed.add_field(name="Profile", value=shorten(details, FIELD_LIMIT), inline=False)
    embed.set_footer(text=PINGS_ON if available else "Not open to clinic pings")
    return embed


def areas_embeds(counts: Sequence[AreaCount]) -> list[discord.Embed]:
    lines = [
        f"**{short_label(count.area)}** — {count.members} member{'s' if count.members != 1 else ''}"
        f" · {count.partnerships} partnership{'s' if count.partnerships != 1 else ''}"
        f" · {count.open_clinics} open clinic{'s' if count.open_clinics != 1 else ''}"
        for count in counts
    ]
    chunks = list(pack_lines(lines, DESCRIPTION_LIMIT))[:10] or ["The area list is empty."]
    embeds = [discord.Embed(description=chunk, colour=COLOUR) for chunk in chunks]
    embeds[0].title = "Partnership areas"
    embeds[-1].set_footer(
        text="Members who listed the area · partnerships tagged with it that you can see · open clinics. "
        "Find people with /expertise who."
    )
    return embeds
