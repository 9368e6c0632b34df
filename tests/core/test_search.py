"""Word search shared by the map and the table: whole words, prefixes, phrases, case."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topicdesk.core.search import Query, Search, SearchIndex, find_rows

TEXTS = [
    "The EU and the European Union met.",
    "Europe is large; EU-wide rules apply.",
    "eu rules!",
    "Health-care reform now.",
    "health care, they said",
    "nothing here",
    "",
]


def test_whole_words_any_case_by_default():
    assert find_rows(TEXTS, "EU").tolist() == [0, 1, 2]  # "European" and "Europe" do not count
    assert find_rows(TEXTS, "europ").tolist() == []


def test_prefix_phrase_and_case_options():
    assert find_rows(TEXTS, Query("europ", mode="prefix")).tolist() == [0, 1]
    assert find_rows(TEXTS, Query("EU", case_sensitive=True)).tolist() == [0, 1]
    assert find_rows(TEXTS, Query("health care", mode="phrase")).tolist() == [3, 4]
    assert find_rows(TEXTS, '"care reform"').tolist() == [3]


def test_every_word_must_occur():
    assert find_rows(TEXTS, "rules eu").tolist() == [1, 2]
    assert find_rows(TEXTS, "rules nothing").tolist() == []


def test_empty_and_odd_queries():
    assert find_rows(TEXTS, "   ").tolist() == []
    assert find_rows(TEXTS, '""').tolist() == []
    assert find_rows(TEXTS, "(*").tolist() == []  # regex characters are taken literally
    assert find_rows([], "EU").tolist() == []
    with pytest.raises(ValueError):
        Query("x", mode="fuzzy")


def test_no_match_crosses_two_documents():
    assert find_rows(["ends with health", "care starts here"], '"health care"').tolist() == []


words = st.sampled_from(["tax", "taxes", "Tax", "EU", "eu", "union", "a", "é", "ünion"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(words, max_size=6).map(" ".join), max_size=12), words)
def test_matches_a_plain_regular_expression(texts, word):
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    expected = [i for i, t in enumerate(texts) if pattern.search(t)]
    assert SearchIndex(texts).find(Query(word)).tolist() == expected


def test_search_model_notifies_and_keeps_options():
    search = Search()
    seen = []
    search.changed.connect(
        lambda q, rows: seen.append((q.text, None if rows is None else rows.tolist()))
    )
    search.set_texts(TEXTS)
    search.set_text("EU")
    search.set_query(Query("EU", "words", True))
    search.set_text("eu")  # keeps case sensitivity
    search.set_text("eu")  # no change, no notice
    search.set_text("")
    assert seen == [("", None), ("EU", [0, 1, 2]), ("EU", [0, 1]), ("eu", [2]), ("", None)]
    assert search.rows is None


def test_search_is_fast_on_a_large_corpus():
    import time

    texts = [f"paragraph {i} about taxes and the budget of year {i % 300}" for i in range(100_000)]
    index = SearchIndex(texts)
    start = time.perf_counter()
    rows = index.find(Query("budget year"))
    assert len(rows) == 100_000 and np.all(np.diff(rows) > 0)
    assert time.perf_counter() - start < 1.0
