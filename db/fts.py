"""Turning what a member typed into a safe SQLite FTS5 query.

Member text never reaches FTS5 as syntax: every word is quoted (so AND, NEAR, ``*``, ``"`` and
column filters are just words) and gets a prefix star, so "digitis" still finds "digitisation".
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
R = TypeVar("R")


def terms(text: str) -> list[str]:
    """The distinct words of ``text``, lowercased, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(word.casefold() for word in _WORD.findall(text)))[:MAX_TERMS]


def match_expression(text: str, *, require_all: bool = True) -> str | None:
    """An FTS5 MATCH expression for ``text`` (None when it has no words)."""
    words = terms(text)
    if not words:
        return None
    joiner = " AND " if require_all else " OR "
    return joiner.join(f'"{word}"*' for word in words)


async def every_word_then_any(
    text: str, run: Callable[[str], Awaitable[tuple[int, R]]]
) -> tuple[int, R, bool] | None:
    """Run ``run(match)`` with every word required; if nothing has them all, with any of them.

    Returns (total, rows, broadened), or None when ``text`` has no words.
    """
    strict = match_expression(text, require_all=True)
    if strict is None:
        return None
    total, rows = await run(strict)
    if total == 0 and len(terms(text)) > 1:
        loose = match_expression(text, require_all=False)
        assert loose is not None
        total, rows = await run(loose)
        return total, rows, total > 0
    return total, rows, False
