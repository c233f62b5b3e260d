"""Turning what a member typed into words, candidate phrases, and safe FTS5 expressions.

Member text never reaches FTS5 as syntax: it is cut into letter-and-digit words (so ``"``, ``*``,
``:``, ``^``, parentheses and column filters cannot survive), and every word or phrase we pass on
is wrapped in double quotes, which FTS5 reads as a literal string. Operators such as AND, OR, NOT
and NEAR typed by a member therefore become plain (quoted) words.

Discord-free and database-free: the database decides which phrases name an area (it stems them);
this module only proposes the phrases and then picks the longest ones that matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from db.fts import quote

# Letters and digits, as FTS5's unicode61 tokenizer cuts words ("cc by-sa" → cc, by, sa).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

MAX_WORDS = 12  # longer questions are cut: the rest rarely adds meaning, and each word costs a lookup
MAX_PHRASE = 4  # the longest area or type name we try to recognise ("memorandum of understanding")

# Words that carry no topic: function words, and the way members phrase a question
# ("someone who has done partnerships with museums"). They still count inside a phrase
# ("freedom of panorama", "in kind"), but never alone. Written in upper case ("WHO") a word is
# an acronym and kept.
STOPWORDS = frozenset(
    """
    a about after all also am an and any anyone anybody are as at be been before being between both
    but by can could did do does done during each else for from get gets getting got had has have
    he her him his how i if in into is it its just like made make many may me might more most much
    must my no not of off on onto or other our out over own people person please same she should so
    some someone somebody such than that the their them then there these they this those through to
    under until up us use used using very via want was we were what when where which while who whom
    why will with would yet you your
    experience experienced expert experts expertise help helped helping know knows knew looking need
    needs worked working work
    partner partners partnership partnerships project projects
    """.split()  # noqa: SIM905 (a word list reads better as words)
)


@dataclass(frozen=True)
class Word:
    text: str  # casefolded
    stop: bool


@dataclass(frozen=True)
class Span:
    """Consecutive words of the query, ``start`` and ``length`` counted in words."""

    start: int
    length: int
    text: str

    @property
    def end(self) -> int:
        return self.start + self.length


def words(text: str) -> list[Word]:
    """The query's words in order (at most ``MAX_WORDS``), each marked as a stopword or not."""
    found = _WORD.findall(text)[:MAX_WORDS]
    return [
        Word(word.casefold(), word.casefold() in STOPWORDS and not (word.isupper() and len(word) > 1))
        for word in found
    ]


def word_count(text: str) -> int:
    """How many words FTS5 sees in ``text``; used to tell a whole-term match from a prefix match."""
    return len(_WORD.findall(text))


def has_topic(query: Sequence[Word]) -> bool:
    return any(not word.stop for word in query)


def phrases(query: Sequence[Word]) -> list[Span]:
    """Every run of up to ``MAX_PHRASE`` words that could name an area; a single stopword can't."""
    spans = []
    for length in range(min(MAX_PHRASE, len(query)), 0, -1):
        for start in range(len(query) - length + 1):
            run = query[start : start + length]
            if length == 1 and run[0].stop:
                continue
            spans.append(Span(start, length, " ".join(word.text for word in run)))
    return spans


def cover(matched: Iterable[Span]) -> list[Span]:
    """Pick the longest matched phrases that don't overlap, so "open access" wins over "open"."""
    taken: set[int] = set()
    chosen = []
    for span in sorted(set(matched), key=lambda span: (-span.length, span.start)):
        positions = set(range(span.start, span.end))
        if positions & taken:
            continue
        taken |= positions
        chosen.append(span)
    return sorted(chosen, key=lambda span: span.start)


def leftover(query: Sequence[Word], named: Sequence[Span]) -> list[str]:
    """The topic words outside every recognised phrase, in order, once each."""
    inside = {position for span in named for position in range(span.start, span.end)}
    return list(
        dict.fromkeys(word.text for index, word in enumerate(query) if index not in inside and not word.stop)
    )


def any_of(parts: Iterable[str], *, columns: Sequence[str] = ()) -> str | None:
    """An FTS5 expression matching any of ``parts``, optionally only in ``columns``."""
    quoted = [quote(part) for part in parts if part]
    if not quoted:
        return None
    expression = " OR ".join(quoted)
    if columns:
        return "{" + " ".join(columns) + "} : (" + expression + ")"
    return expression


def starts_with(text: str) -> str:
    """An FTS5 expression for a column that begins with the phrase ``text``."""
    return "^" + quote(text)
