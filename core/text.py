"""Small text helpers for Discord's length limits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def pack_lines(lines: Iterable[str], limit: int) -> Iterator[str]:
    """Join lines into chunks of at most ``limit`` characters, never splitting a line (long ones are cut)."""
    chunk: list[str] = []
    size = 0
    for line in lines:
        line = shorten(line, limit)
        extra = len(line) + (1 if chunk else 0)
        if chunk and size + extra > limit:
            yield "\n".join(chunk)
            chunk, size = [], 0
            extra = len(line)
        chunk.append(line)
        size += extra
    if chunk:
        yield "\n".join(chunk)


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"
