from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.members._cog import MembersCog

if TYPE_CHECKING:
    from core.bot import PartnershipsBot


async def setup(bot: PartnershipsBot) -> None:
    await bot.add_cog(MembersCog(bot))
