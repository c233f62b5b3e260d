"""Turning typed text into words, phrases and safe FTS5 expressions; area terms and suggestions."""

from __future__ import annotations

import sqlite3

import pytest

from cogs.expertise import _query as query
from cogs.expertise._terms import area_terms, nearest_areas, short_label, term_rows
from db.areas import Area, read_taxonomy


def texts(words: list[query.Word]) -> list[tuple[str, bool]]:
    return [(word.text, word.stop) for word in words]


def test_words_are_casefolded_and_stopwords_marked() -> None:
    assert texts(query.words("Someone who knows Museums & Digitisation?")) == [
        ("someone", True),
        ("who", True),
        ("knows", True),
        ("museums", False),
        ("digitisation", False),
    ]


def test_an_acronym_in_capitals_is_never_a_stopword() -> None:
    assert texts(query.words("WHO health")) == [("who", False), ("health", False)]
    assert not query.has_topic(query.words("who is it"))
    assert query.has_topic(query.words("WHO"))


def test_words_are_cut_like_the_fts_tokenizer_and_capped() -> None:
    assert [word.text for word in query.words("cc by-sa_4.0 edit-a-thon")] == [
        "cc", "by", "sa", "4", "0", "edit", "a", "thon",
    ]  # fmt: skip
    assert len(query.words(" ".join(f"w{index}" for index in range(30)))) == query.MAX_WORDS
    assert query.word_count("GLAM (galleries, libraries)") == 3


def test_phrases_run_longest_first_and_skip_lone_stopwords() -> None:
    spans = query.phrases(query.words("freedom of panorama"))
    assert [(span.start, span.length, span.text) for span in spans] == [
        (0, 3, "freedom of panorama"),
        (0, 2, "freedom of"),
        (1, 2, "of panorama"),
        (0, 1, "freedom"),
        (2, 1, "panorama"),
    ]


def test_cover_prefers_the_longest_phrases_without_overlap() -> None:
    open_access = query.Span(0, 2, "open access")
    chosen = query.cover([query.Span(0, 1, "open"), open_access, query.Span(2, 1, "papers")])
    assert chosen == [open_access, query.Span(2, 1, "papers")]


def test_leftover_keeps_topic_words_outside_the_named_phrases() -> None:
    words = query.words("licensing photos under CC BY-SA")
    named = [query.Span(0, 1, "licensing"), query.Span(3, 3, "cc by sa")]
    assert query.leftover(words, named) == ["photos"]


@pytest.mark.parametrize(
    "typed",
    ['museum" OR *', "NEAR(a b)", "{note}: x", "^glam", 'a"b', "NOT AND OR"],
)
def test_fts_expressions_from_member_text_are_always_valid_and_literal(typed: str) -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5 (name, note, tokenize = 'porter unicode61')")
    connection.execute("INSERT INTO t VALUES ('museum near glam', 'not and or a b x')")
    parts = [word.text for word in query.words(typed)] + [typed]
    for expression in (
        query.any_of(parts),
        query.any_of(parts, columns=("name", "note")),
        query.starts_with(typed),
    ):
        assert expression is not None
        connection.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_quote_and_any_of() -> None:
    assert query.quote('say "hi"') == '"say ""hi"""'
    assert query.any_of(["open access", "papers"]) == '"open access" OR "papers"'
    assert query.any_of(["x"], columns=("name", "note")) == '{name note} : ("x")'
    assert query.any_of([]) is None
    assert query.starts_with("open access") == '^"open access"'


def test_area_terms_include_slug_label_short_label_and_synonyms() -> None:
    area = Area("in-kind", "In-kind donations (venues)", ("venue", "pro bono"))
    assert short_label(area) == "In-kind donations"
    assert area_terms(area) == [
        "in kind",
        "In-kind donations (venues)",
        "In-kind donations",
        "venue",
        "pro bono",
    ]


def test_term_rows_cover_every_area_and_partner_type() -> None:
    taxonomy = read_taxonomy()
    rows = term_rows(taxonomy)
    assert {row.key for row in rows if row.kind == "area"} == {area.slug for area in taxonomy}
    assert ("type", "museum", "museums") in {(row.kind, row.key, row.term) for row in rows}


def test_nearest_areas_forgive_typos_and_ignore_unrelated_words() -> None:
    taxonomy = read_taxonomy()
    assert [area.slug for area in nearest_areas("musem digitalisation", taxonomy)] == ["digitisation", "glam"]
    assert [area.slug for area in nearest_areas("wikidta", taxonomy)] == ["wikidata"]
    assert nearest_areas("basket weaving", taxonomy) == []
