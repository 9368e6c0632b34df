"""The corpus table with filters, and a reader pane for the full text of a document."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from topicdesk.core.search import Query, Search
from topicdesk.core.selection import Selection, TopicChoice
from topicdesk.gui.models.corpus_model import CorpusTableModel
from topicdesk.gui.views.name_delegate import WholeKeywordDelegate
from topicdesk.gui.views.search_box import SearchBox
from topicdesk.gui.views.table_filters import VariableFilters

ALL_TOPICS = None
UNASSIGNED_ITEM = -1


class CorpusTable(QWidget):
    """Filterable, sortable table of documents linked to the shared selection."""

    selectionRequested = Signal(object, str)
    noteEdited = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CorpusTableModel(self)
        self._table: pd.DataFrame | None = None
        self._text_column = ""
        self._notes: dict[int, str] = {}
        self._branches: dict[int, list[int]] = {}
        self._current: int | None = None
        self._updating = False
        self._owns_search = True
        self.search_box = SearchBox(
            "Find words…",
            "Show only documents containing all these words (whole words, any case); "
            "the map highlights the same documents",
            show_count=False,
        )
        self.search_box.search.changed.connect(self._show_search)
        self.filter_edit = self.search_box.edit
        self.topic_combo = QComboBox()
        self.topic_combo.setMinimumContentsLength(18)
        self.topic_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.count_label = QLabel("")
        self.count_label.setStyleSheet("color: #555;")
        self.topic_combo.currentIndexChanged.connect(self._apply_filter)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(0, WholeKeywordDelegate(self.view))
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show(cur.row())
        )

        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)
        self.reader.setPlaceholderText("Select a document to read it here.")
        self.note_edit = QPlainTextEdit(placeholderText="Note on this document…")
        self.note_edit.setMaximumHeight(70)
        self.note_button = QPushButton("Save note")
        self.note_button.setToolTip(
            "Keep this note with the document (it is saved in the project and exported)"
        )
        self.note_button.clicked.connect(self._save_note)
        self.note_button.setEnabled(False)

        filters = QHBoxLayout()
        filters.setContentsMargins(6, 4, 6, 0)
        filters.addWidget(self.search_box, 2)
        filters.addWidget(self.topic_combo, 1)
        self.variable_filters = VariableFilters()
        self.variable_filters.changed.connect(self._apply_filter)
        filters.addWidget(self.variable_filters)
        filters.addWidget(self.count_label)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.view)

        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button, 0, Qt.AlignBottom)
        reader = QWidget()
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(6, 0, 6, 4)
        reader_layout.addWidget(self.reader, 1)
        reader_layout.addLayout(note_row)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("table_splitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(reader)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # ----- shared models ---------------------------------------------------------------
    def bind(self, selection: Selection, choice: TopicChoice, search: Search) -> None:
        """Follow the app's shared selection, topic choice and search, and feed them."""
        self.search_box.search.changed.disconnect(self._show_search)
        self.search_box.bind(search)
        self._owns_search = False
        search.changed.connect(self._show_search)
        selection.changed.connect(self.set_selection)
        self.selectionRequested.connect(selection.select)
        choice.changed.connect(self.show_topics)

    # ----- data in ---------------------------------------------------------------------
    def set_corpus(self, table: pd.DataFrame, text_column: str, texts: list[str]) -> None:
        self._table, self._text_column = table, text_column
        self.model.set_corpus(table, text_column, texts)
        if self._owns_search:
            self.search_box.search.set_texts(texts)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.resizeSection(0, 170)
        header.resizeSection(1, 420)
        for column in range(2, self.model.columnCount()):
            header.resizeSection(column, 110)
        self._current = None
        self.reader.clear()
        self._update_count()

    def set_topics(
        self,
        topic_ids: np.ndarray,
        labels: dict[int, str],
        colours: dict[int, str],
        branches: dict[int, list[int]] | None = None,
    ) -> None:
        """The documents' topics; ``branches`` gives a topic with sub-topics its whole branch,
        so filtering by it shows every document its size counts."""
        self._branches = dict(branches or {})
        self.model.set_topics(topic_ids, labels, colours)
        chosen = self.topic_combo.currentData()
        self.topic_combo.blockSignals(True)
        self.topic_combo.clear()
        self.topic_combo.addItem("All topics", ALL_TOPICS)
        for tid in sorted(labels):
            self.topic_combo.addItem(f"{tid}: {labels[tid]}", tid)
        self.topic_combo.addItem("Unassigned", UNASSIGNED_ITEM)
        index = self.topic_combo.findData(chosen)
        self.topic_combo.setCurrentIndex(max(0, index))
        self.topic_combo.blockSignals(False)
        self._apply_filter()
        if self._current is not None:
            self._show_document(self._current)

    def set_notes(self, notes: dict[int, str]) -> None:
        self._notes = dict(notes)
        if self._current is not None:
            self.note_edit.setPlainText(self._notes.get(self._current, ""))

    def show_topics(self, topic_ids: list[int]) -> None:
        """Filter the table to one topic (several chosen topics show all)."""
        index = self.topic_combo.findData(topic_ids[0]) if len(topic_ids) == 1 else 0
        self.topic_combo.setCurrentIndex(max(0, index))

    # ----- selection -----------------------------------------------------------------------
    def set_selection(self, rows: np.ndarray) -> None:
        """Select documents (without emitting) and scroll to the first one shown."""
        self._updating = True
        try:
            selection = QItemSelection()
            positions = self.model.model_rows_of(rows)
            last_col = self.model.columnCount() - 1
            if len(positions):
                breaks = np.flatnonzero(np.diff(positions) != 1)
                starts = np.r_[positions[0], positions[breaks + 1]]
                ends = np.r_[positions[breaks], positions[-1]]
                for a, b in zip(starts.tolist(), ends.tolist()):
                    selection.select(self.model.index(a, 0), self.model.index(b, last_col))
            sm = self.view.selectionModel()
            sm.select(selection, QItemSelectionModel.ClearAndSelect)
            if len(positions):
                first = self.model.index(int(positions[0]), 0)
                sm.setCurrentIndex(first, QItemSelectionModel.NoUpdate)
                self.view.scrollTo(first)
                self._show(int(positions[0]))
        finally:
            self._updating = False

    def _on_selection(self, *_args) -> None:
        if self._updating:
            return
        rows = sorted(
            {self.model.row_of(i.row()) for i in self.view.selectionModel().selectedRows()}
        )
        self.selectionRequested.emit(np.array(rows, dtype=np.int64), "replace")

    # ----- reader pane ------------------------------------------------------------------------
    def _show(self, model_row: int) -> None:
        if 0 <= model_row < self.model.rowCount():
            self._show_document(self.model.row_of(model_row))

    def _show_document(self, row: int) -> None:
        if self._table is None:
            return
        self._current = row
        label, colour, full_text, cells = self.model.document(row)
        text = html.escape(full_text).replace("\n", "<br>")
        names = [c for c in self._table.columns if c != self._text_column]
        meta = "".join(
            f"<tr><td style='color:#666;padding-right:10px'>{html.escape(str(name))}</td>"
            f"<td>{html.escape(cell[:200])}</td></tr>"
            for name, cell in zip(names, cells)
        )
        self.reader.setHtml(
            f"<p><span style='color:{colour};font-size:16px'>■</span> <b>{html.escape(label)}</b>"
            f" <span style='color:#888'>· document {row + 1}</span></p>"
            f"<p style='line-height:135%'>{text}</p><table style='font-size:small'>{meta}</table>"
        )
        self.note_edit.setPlainText(self._notes.get(row, ""))
        self.note_button.setEnabled(True)

    def _save_note(self) -> None:
        if self._current is not None:
            self.noteEdited.emit(self._current, self.note_edit.toPlainText().strip())

    # ----- filters -----------------------------------------------------------------------------
    def _show_search(self, _query: Query, _rows: np.ndarray | None) -> None:
        self._apply_filter()

    def _apply_filter(self, *_args) -> None:
        tid = self.topic_combo.currentData()
        topics = None if tid is ALL_TOPICS else self._branches.get(int(tid), [int(tid)])
        rows = self.search_box.search.rows
        mask = self.variable_filters.mask()
        if mask is not None:
            allowed = np.flatnonzero(mask)
            rows = allowed if rows is None else np.intersect1d(rows, allowed, assume_unique=True)
        self.model.set_filter(rows, topics)
        self._update_count()

    def _update_count(self) -> None:
        """How many documents show, and which filters are why (both can empty the table)."""
        total = self.model.document_count()
        shown = self.model.rowCount()
        why = []
        tid = self.topic_combo.currentData()
        if tid is not ALL_TOPICS:
            sub = " and its sub-topics" if len(self._branches.get(int(tid), ())) > 1 else ""
            why.append("unassigned" if tid == UNASSIGNED_ITEM else f"topic {tid}{sub}")
        why += self.variable_filters.describe()
        search = self.search_box.search
        if search.rows is not None:
            why.append(f"“{search.query.text.strip()}”")
        label = f"{shown:,} of {total:,} documents" if shown != total else f"{total:,} documents"
        self.count_label.setText(label + (f" ({', '.join(why)})" if why else ""))
        self.count_label.setToolTip(
            "Shown: documents of the chosen topic that contain the words searched for"
        )
