"""Turning what a member typed into a safe SQLite FTS5 query.

Member text never reaches FTS5 as syntax: every word is quoted (so AND, NEAR, ``*``, ``"`` and
column filters are just words) and gets a prefix star, so "digitis" still finds "digitisation".
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


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
