"""The corpus table: sorting and filtering by permutation agree with pandas; links to the selection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from topicdesk.core.search import find_rows
from topicdesk.gui.models.corpus_model import CorpusTableModel
from topicdesk.gui.views.corpus_table import CorpusTable

LABELS = {0: "Education", 1: "Farming", 2: "Health", 3: "Public finance", 4: "Terrorism"}
COLOURS = {0: "#1f77b4", 1: "#ff7f0e", 2: "#2ca02c", 3: "#d62728", 4: "#9467bd"}


@pytest.fixture
def corpus(sotu_slice):
    table = sotu_slice.head(120)[["para_id", "subject", "party", "text"]].copy()
    table["words"] = table["text"].str.split().str.len()
    table.loc[3, "party"] = None
    topics = table["subject"].map(
        {"education": 0, "farming": 1, "health": 2, "public finance": 3, "terrorism": 4}
    )
    topics = topics.to_numpy(dtype=np.int64, copy=True)
    topics[::9] = -1
    return table, topics


def test_columns_cells_and_roles(corpus):
    table, topics = corpus
    model = CorpusTableModel()
    model.set_corpus(table, "text", table["text"].tolist())
    model.set_topics(topics, LABELS, COLOURS)
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Topic", "Text", "para_id", "subject", "party", "words"]
    assert model.rowCount() == 120
    assert model.data(model.index(1, 0)) == LABELS[topics[1]]
    assert model.data(model.index(0, 0)) == "Unassigned"
    assert model.data(model.index(1, 0), Qt.DecorationRole).name() == COLOURS[topics[1]]
    snippet = model.data(model.index(1, 1))
    assert "\n" not in snippet and len(snippet) <= 161
    assert model.data(model.index(1, 1), Qt.ToolTipRole).startswith(table["text"][1][:100])
    assert model.data(model.index(3, 4)) == ""
    assert model.data(model.index(2, 5)) == str(table["words"][2])


def test_sort_matches_pandas(corpus):
    table, topics = corpus
    model = CorpusTableModel()
    model.set_corpus(table, "text", table["text"].tolist())
    model.set_topics(topics, LABELS, COLOURS)
    model.sort(5, Qt.AscendingOrder)  # numbers sort as numbers, not as text
    expected = table["words"].sort_values(kind="stable").index.to_numpy()
    np.testing.assert_array_equal(model.visible_rows(), expected)
    model.sort(4, Qt.DescendingOrder)
    parties = [model.data(model.index(r, 4)).lower() for r in range(model.rowCount())]
    assert parties == sorted(parties, reverse=True)
    model.sort(0, Qt.AscendingOrder)
    labels = [model.data(model.index(r, 0)).lower() for r in range(model.rowCount())]
    assert labels == sorted(labels)
    for model_row in (0, 17, 119):
        assert model.model_row_of(model.row_of(model_row)) == model_row


def test_filter_by_text_and_topic_matches_pandas(corpus):
    table, topics = corpus
    model = CorpusTableModel()
    model.set_corpus(table, "text", table["text"].tolist())
    model.set_topics(topics, LABELS, COLOURS)
    found = find_rows(table["text"].tolist(), "ElecTion")
    model.set_filter(found)
    expected = np.flatnonzero(table["text"].str.contains(r"(?<!\w)election(?!\w)", case=False))
    np.testing.assert_array_equal(model.visible_rows(), expected)
    model.set_filter(found, topics=[2])
    np.testing.assert_array_equal(model.visible_rows(), expected[topics[expected] == 2])
    model.set_filter(None, topics=[-1])
    np.testing.assert_array_equal(model.visible_rows(), np.flatnonzero(topics == -1))
    assert model.model_row_of(1) is None
    model.sort(5, Qt.DescendingOrder)
    words = table["words"].to_numpy()[model.visible_rows()]
    assert (np.diff(words) <= 0).all()
    # An edit that moves documents out of the filtered topic updates the visible rows.
    moved = topics.copy()
    moved[0] = 3
    model.set_topics(moved, LABELS, COLOURS)
    assert 0 not in model.visible_rows()


def test_widget_filters_count_and_emits_selection(qtbot, corpus):
    table, topics = corpus
    widget = CorpusTable()
    qtbot.addWidget(widget)
    widget.set_corpus(table, "text", table["text"].tolist())
    widget.set_topics(topics, LABELS, COLOURS)
    assert widget.count_label.text() == "120 documents"
    assert [widget.topic_combo.itemText(i) for i in (0, widget.topic_combo.count() - 1)] == [
        "All topics",
        "Unassigned",
    ]
    widget.show_topics([3])
    assert widget.count_label.text() == f"{(topics == 3).sum()} of 120 documents (topic 3)"
    widget.show_topics([])
    widget.filter_edit.setText("film")  # the word, not "films" or "filming"
    assert widget.model.rowCount() == table["text"].str.contains(r"(?<!\w)film(?!\w)", case=False).sum()
    widget.filter_edit.clear()

    received = []
    widget.selectionRequested.connect(lambda rows, mode: received.append((rows.tolist(), mode)))
    widget.set_selection(np.array([5, 7, 8]))
    assert received == []
    chosen = sorted(
        widget.model.row_of(i.row()) for i in widget.view.selectionModel().selectedRows()
    )
    assert chosen == [5, 7, 8]
    assert table["text"][5][:40] in widget.reader.toPlainText()

    model_row = widget.model.model_row_of(10)
    widget.view.selectionModel().select(
        widget.model.index(model_row, 0),
        QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows,
    )
    assert received[-1] == ([10], "replace")


def test_reader_note_round_trip(qtbot, corpus):
    table, topics = corpus
    widget = CorpusTable()
    qtbot.addWidget(widget)
    widget.set_corpus(table, "text", table["text"].tolist())
    widget.set_topics(topics, LABELS, COLOURS)
    widget.set_notes({4: "check the date"})
    assert not widget.note_button.isEnabled()
    widget.set_selection(np.array([4]))
    assert widget.note_edit.toPlainText() == "check the date"
    assert LABELS[topics[4]] in widget.reader.toPlainText()
    edited = []
    widget.noteEdited.connect(lambda row, note: edited.append((row, note)))
    widget.note_edit.setPlainText("  quoted in chapter 2 ")
    qtbot.mouseClick(widget.note_button, Qt.LeftButton)
    assert edited == [(4, "quoted in chapter 2")]


def test_model_handles_missing_values():
    table = pd.DataFrame({"text": ["a b", "c"], "year": [2001.0, np.nan], "who": [None, "x"]})
    model = CorpusTableModel()
    model.set_corpus(table, "text", table["text"].tolist())
    assert [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())] == [
        "Topic",
        "Text",
        "year",
        "who",
    ]
    assert [model.data(model.index(1, c)) for c in (2, 3)] == ["", "x"]
    assert model.data(model.index(0, 3)) == ""
    model.sort(2, Qt.AscendingOrder)
    assert model.visible_rows().tolist() == [0, 1]
