"""Member text becomes a safe FTS5 query: words only, quoted, with a prefix star."""

from __future__ import annotations

import sqlite3

import pytest

from db import fts


def test_words_are_quoted_and_joined() -> None:
    assert fts.match_expression("Museum digitisation") == '"museum"* AND "digitisation"*'
    assert fts.match_expression("museum museum, MUSEUM") == '"museum"*'
    assert fts.match_expression("a b", require_all=False) == '"a"* OR "b"*'


def test_text_without_words_gives_no_query() -> None:
    assert fts.match_expression(" ?! -- ") is None


def test_terms_are_capped() -> None:
    assert len(fts.terms(" ".join(f"w{i}" for i in range(40)))) == fts.MAX_TERMS


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ('"unbalanced', 0),
        ("NEAR(a b)", 1),  # the word "near"
        ("a AND OR *", 0),
        ("name:secret", 1),  # not a column filter: the words "name" and "secret"
        ("^start", 1),
        ("x) OR (y", 0),
        ("naïve café", 1),
    ],
)
def test_syntax_in_member_text_is_just_words(typed: str, matches: int) -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5 (name, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO t (name) VALUES ('naive cafe near secret start')")
    expression = fts.match_expression(typed, require_all=False)
    assert expression is not None
    rows = connection.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
    assert rows[0] == matches


def test_words_the_index_holds_whole_are_matched_as_typed() -> None:
    assert fts.word_forms("Museum digitis", {"museum"}) == ['"museum"', '"digitis"*']
    assert fts.match_expression("museum digitis", whole_words={"museum"}) == '"museum" AND "digitis"*'
    assert fts.match_expression("a b", require_all=False, whole_words={"a", "b"}) == '"a" OR "b"'
