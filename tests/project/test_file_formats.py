"""File format 4 stores the per-document data as arrays; files of format 3, written by
the TopicDesk before it (kept in tests/data), open exactly as they were saved and are
saved again in the current format (5, which added a topic column)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.factories import curated_project, tamper
from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import SetDocumentNote
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError
from topicdesk.project import store
from topicdesk.project.store import open_project, save_project

FORMAT_3 = Path(__file__).resolve().parents[1] / "data" / "project_format3.topicdesk"


def format3_project(sotu: pd.DataFrame) -> Project:
    """The project saved in tests/data/project_format3.topicdesk: a repeated and an empty
    text, a note on a document, documents a person moved, and stability per document."""
    table = sotu.head(50).copy()
    table.loc[7, "text"] = table.loc[3, "text"]
    table.loc[9, "text"] = "   "
    project = curated_project(table)
    project.history.do(SetDocumentNote(rows=[6, 11], note="see the 1822 address ✓"))
    n = len(project.corpus)
    project.state.doc_stability[:] = np.where(np.arange(n) % 5 == 0, np.nan, np.arange(n) / n)
    return project


def _same(back: Project, project: Project) -> None:
    assert back.state.equals(project.state)
    pd.testing.assert_frame_equal(back.corpus.table, project.corpus.table)
    assert back.corpus.unique_texts()[0] == project.corpus.unique_texts()[0]
    assert [n for n, _ in back.cache.items()] == [n for n, _ in project.cache.items()]
    for name, entry in project.cache.items():
        np.testing.assert_array_equal(back.cache.array(name), entry.array)
        assert back.cache.key(name) == entry.key
    assert back.settings == project.settings and back.provenance == project.provenance
    assert [(e.kind, e.params) for e in back.history.log] == [
        (e.kind, e.params) for e in project.history.log
    ]


def test_a_format_3_file_opens_as_it_was_saved_and_is_saved_in_the_current_format(sotu, tmp_path):
    project = format3_project(sotu)
    assert project.state.doc_notes and "human" in project.state.assigned_by
    _same(open_project(FORMAT_3), project)
    path = tmp_path / "again.topicdesk"
    save_project(open_project(FORMAT_3), path)
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 5
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "documents" not in tables and "notes" in tables
    finally:
        db.close()
    _same(open_project(path), project)


def test_format_4_keeps_every_kind_of_column_exactly(tmp_path):
    """Texts with empty cells, numbers, dates and durations are arrays; anything else
    (mixed types, a NUL inside a text) stays the tagged JSON list."""
    table = pd.DataFrame(
        {
            "text": ["emoji 🎉", None, "مرحبا", float("nan"), "", "lone \udcff surrogate"],
            "n": np.arange(6, dtype=np.int64),
            "x": [0.5, np.nan, np.inf, -0.0, 1e300, 2.0],
            "flag": [True, False, True, True, False, False],
            "when": pd.to_datetime(
                ["2024-05-01", None, "1999-01-02", "2000-01-01", None, "2020-02-29"]
            ),
            "took": pd.to_timedelta([1, 2, 3, 4, 5, 6], unit="s"),
            "mixed": [1, "a", 2.5, None, True, dt.date(2020, 1, 1)],
            "nul": ["a\x00b", "c", "d", "e", "f", "g"],
            "said": pd.Series(["a", None, "b", np.nan, "", "d"], dtype=object),
            "party": pd.array(["a", None, "b", "c", "d", "e"], dtype="string"),
        }
    )
    project = Project(Corpus(table, "text"))
    project.state.doc_notes = {1: "a note", 4: "another"}
    path = tmp_path / "kinds.topicdesk"
    save_project(project, path)
    db = sqlite3.connect(path)
    layout = {name: data for name, data in db.execute("SELECT name, data FROM columns")}
    db.close()
    stored = {name for name, data in layout.items() if data.startswith("{")}
    assert stored == {"text", "n", "x", "flag", "when", "took", "said", "party"}
    back = open_project(path)
    pd.testing.assert_frame_equal(back.corpus.table, project.corpus.table)
    said = back.corpus.table["said"]
    assert said.dtype == object and said[1] is None and np.isnan(said[3])
    assert back.state.equals(project.state)
    assert back.corpus.texts == project.corpus.texts


@pytest.mark.parametrize(
    "statement, words",
    [
        (
            "UPDATE arrays SET data = substr(data, 1, 80) WHERE name = 'document topic'",
            "assignments",
        ),
        (
            (  # the first document's code names no one
                "UPDATE arrays SET data = CAST(x'07000000' || substr(data, 5) AS BLOB)"
                " WHERE name = 'document assigned_by'"
            ),
            "the topic assignments do not match the documents",
        ),
        ("DELETE FROM arrays WHERE name = 'document confidence'", "assignments do not match"),
        (
            "UPDATE arrays SET data = CAST(data || x'00' AS BLOB) WHERE name = 'column 6'",
            "column 'text' does not",
        ),
        ("UPDATE arrays SET dtype = 'object' WHERE name = 'column 6'", "column 'text' does not"),
        ("UPDATE columns SET data = '{\"as\": \"pickle\"}' WHERE name = 'party'", "'party' does"),
    ],
)
def test_damaged_per_document_arrays_are_refused(sotu, tmp_path, statement, words):
    path = tmp_path / "p.topicdesk"
    save_project(curated_project(sotu.head(40)), path)
    tamper(path, statement)
    with pytest.raises(TopicDeskError, match=words):
        open_project(path)


def test_notes_on_documents_that_are_not_there_are_dropped(sotu, tmp_path):
    path = tmp_path / "p.topicdesk"
    project = curated_project(sotu.head(40))
    project.state.doc_notes = {3: "kept"}
    save_project(project, path)
    tamper(
        path, "INSERT INTO notes VALUES (40, 'past the end')", "INSERT INTO notes VALUES (-1, 'x')"
    )
    assert open_project(path).state.doc_notes == {3: "kept"}


def test_texts_and_distinct_texts_are_taken_from_the_file_as_the_corpus_finds_them(tmp_path):
    texts = ["a", "  padded  ", "\u00a0nbsp\u00a0", "ends ü", "a", " \t", None, "x\n", "b", "Über"]
    table = pd.DataFrame({"text": pd.Series(texts, dtype=object), "n": range(len(texts))})
    path = tmp_path / "texts.topicdesk"
    save_project(Project(Corpus(table, "text")), path)
    back = open_project(path).corpus
    fresh = Corpus(back.table.copy(), "text")
    assert back.texts == fresh.texts
    assert (
        back.unique_texts()[0]
        == fresh.unique_texts()[0]
        == ["a", "padded", "nbsp", "ends ü", "x", "b", "Über"]
    )
    np.testing.assert_array_equal(back.unique_texts()[1], fresh.unique_texts()[1])
    assert not back.unique_texts()[1].flags.writeable
    tamper(  # the second document's text numbered 2, before 1 was seen
        path,
        "UPDATE arrays SET data = CAST(substr(data, 1, 8) || x'0200000000000000' || substr(data, 17)"
        " AS BLOB) WHERE name = 'document text index'",
    )
    with pytest.raises(TopicDeskError, match="the distinct texts do not match the documents"):
        open_project(path)


def test_columns_of_repeated_texts_store_each_text_once(tmp_path):
    rng = np.random.default_rng(1)
    n = 2_000
    parties = np.array(["Whig", "Democratic", "Republican", "ü — Ω"], dtype=object)[
        rng.integers(0, 4, n)
    ]
    parties[[3, 9]] = None
    parties[11] = np.nan
    table = pd.DataFrame(
        {
            "text": pd.Series([f" speech {i % 400} " for i in range(n)], dtype="str"),
            "party": pd.Series(parties, dtype=object),
            "date": pd.Series([f"19{i % 90:02d}-01-01" for i in range(n)], dtype="str"),
            "said": pd.Series([f"unique {i}" for i in range(n)], dtype=object),
        }
    )
    project = Project(Corpus(table, "text"))
    path = tmp_path / "repeated.topicdesk"
    save_project(project, path)
    db = sqlite3.connect(path)
    layouts = {name: data for name, data in db.execute("SELECT name, data FROM columns")}
    db.close()
    assert [name for name, data in layouts.items() if "repeated texts" in data] == [
        "text",
        "party",
        "date",
    ]
    back = open_project(path)
    pd.testing.assert_frame_equal(back.corpus.table, table)
    assert back.corpus.table["party"][3] is None and np.isnan(back.corpus.table["party"][11])
    assert back.corpus.texts == project.corpus.texts
    assert back.corpus.unique_texts()[0] == project.corpus.unique_texts()[0]
    tamper(
        path,
        "UPDATE arrays SET data = CAST(x'09000000' || substr(data, 5) AS BLOB) WHERE name = 'column 1 numbers'",
    )
    with pytest.raises(TopicDeskError, match="the column 'party' does not match the table"):
        open_project(path)
