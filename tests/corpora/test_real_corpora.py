"""The licensed corpora read exactly: row counts, columns, workbook against CSV, previews."""

from __future__ import annotations

import pandas as pd
import pytest

from topicdesk.errors import TopicDeskError
from topicdesk.io.readers import list_sheets, load_corpus, read_table

pytestmark = pytest.mark.corpora

SHARED = [
    ("bbc_news.csv", 2225, ["doc_id", "category", "title", "text"]),
    ("bbc_news.xlsx", 2225, ["doc_id", "category", "title", "text"]),
    (
        "sotu_paragraphs.csv",
        24575,
        [
            "para_id",
            "doc_id",
            "president",
            "president_full",
            "party",
            "year",
            "date",
            "sotu_type",
            "paragraph_no",
            "text",
        ],
    ),
    (
        "sotu_addresses.csv",
        237,
        [
            "doc_id",
            "president",
            "president_full",
            "party",
            "year",
            "date",
            "sotu_type",
            "word_count",
            "text",
        ],
    ),
    (
        "bundestag_speeches_sample_de.csv",
        1000,
        [
            "speech_id",
            "date",
            "speaker",
            "party",
            "chair",
            "agenda",
            "speechnumber",
            "n_terms",
            "text",
        ],
    ),
    ("gnad10k_test_de.csv", 1028, ["doc_id", "category", "text"]),
]


@pytest.mark.parametrize("name, rows, columns", SHARED)
def test_real_corpora(corpus_path, name, rows, columns):
    corpus = load_corpus(corpus_path(name))
    assert len(corpus) == rows
    assert list(corpus.table.columns) == columns
    assert corpus.text_column == "text"
    assert corpus.source_name == name
    assert len(corpus.source_hash) == 64
    assert corpus.has_text.all()


def test_bbc_workbook_matches_its_csv(corpus_path, bbc):
    corpus = load_corpus(corpus_path("bbc_news.xlsx"))
    assert list_sheets(corpus_path("bbc_news.xlsx")) == ["bbc_news"]
    assert corpus.sheet == "bbc_news"
    assert corpus.table.values.tolist() == bbc.values.tolist()


def test_csv_cells_come_back_exactly_as_written(corpus_path):
    path = corpus_path("bundestag_speeches_sample_de.csv")
    ours = read_table(path)
    theirs = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert ours.values.tolist() == theirs.values.tolist()
    assert ours["speechnumber"][0] == theirs["speechnumber"][0]
    assert ours["party"].eq("").sum() == 193  # empty cells stay "", not NaN


@pytest.mark.parametrize(
    "name, nrows",
    [
        ("sotu_paragraphs.csv", 50),
        ("sotu_paragraphs.csv", 5000),
        ("sotu_addresses.csv", 40),
        ("bbc_news.xlsx", 50),
    ],
)
def test_preview_rows_are_the_first_rows(corpus_path, name, nrows):
    preview = read_table(corpus_path(name), nrows=nrows)
    full = read_table(corpus_path(name))
    assert preview.values.tolist() == full.head(nrows).values.tolist()


def test_unknown_columns_and_sheets_are_named(corpus_path):
    with pytest.raises(TopicDeskError, match="no text column named 'body'.*doc_id, category"):
        load_corpus(corpus_path("bbc_news.csv"), text_column="body")
    with pytest.raises(TopicDeskError, match="no date column named 'Datum'"):
        load_corpus(corpus_path("gnad10k_test_de.csv"), date_column="Datum")
    with pytest.raises(TopicDeskError, match="without sheets"):
        read_table(corpus_path("gnad10k_test_de.csv"), sheet="Sheet1")
