"""The digest tests run the bot with a non-UTC timezone and a non-default digest slot."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.config import Config


@pytest.fixture
def bot_config(tmp_path: Path) -> Config:
    # Tuesdays at 08:00 in New York: EST (UTC-5) in November, EDT (UTC-4) from 14 March 2027.
    return Config(
        token="test-token",
        database_path=tmp_path / "partnerships.sqlite3",
        tick_seconds=3600,
        timezone=ZoneInfo("America/New_York"),
        digest_weekday=1,
        digest_hour=8,
    )
