"""Table model over the corpus: columns precomputed once, sorting and filtering by permutation.

No cell is looked up in pandas while the view paints: every column is a list of display
strings, and the visible rows are one numpy array of document rows in display order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from topicdesk.core.palette import UNASSIGNED_COLOUR

SNIPPET = 160
ROOT = QModelIndex()  # the invisible parent of every row
FIXED = ("Topic", "Text")
STABILITY = "Kept in topic"  # the last column once a stability check has measured it


def _display(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


class CorpusTableModel(QAbstractTableModel):
    """Topic, text snippet and the original columns of every visible document."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._headers: list[str] = list(FIXED)
        self._columns: list[list[str]] = []
        self._texts: list[str] = []
        self._lower: list[str] = []
        self._snippets: list[str] = []
        self._topic_ids = np.empty(0, dtype=np.int64)
        self._labels: dict[int, str] = {}
        self._colours: dict[int, QColor] = {}
        self._order = np.empty(0, dtype=np.int64)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._stability: np.ndarray | None = None
        self._filter_rows: np.ndarray | None = None
        self._filter_topics: set[int] | None = None

    # ----- data in --------------------------------------------------------------------
    def set_corpus(self, table: pd.DataFrame, text_column: str, texts: list[str]) -> None:
        self.beginResetModel()
        shown = [c for c in table.columns if c != text_column]  # the Text column already holds it
        self._headers = [*FIXED, *map(str, shown)]
        self._stability = None
        self._columns = [[_display(v) for v in table[c].tolist()] for c in shown]
        self._texts = texts
        self._lower = [t.lower() for t in texts]
        self._snippets = [
            " ".join(t[: SNIPPET * 2].split())[:SNIPPET] + ("…" if len(t) > SNIPPET else "")
            for t in texts
        ]
        self._topic_ids = np.full(len(texts), -1, dtype=np.int64)
        if self._sort is not None and self._sort[0] >= len(self._headers):
            self._sort = None
        self._refilter()
        self.endResetModel()

    def set_topics(
        self, topic_ids: np.ndarray, labels: dict[int, str], colours: dict[int, str]
    ) -> None:
        self._topic_ids = np.asarray(topic_ids, dtype=np.int64)
        self._labels = dict(labels)
        self._colours = {t: QColor(c) for t, c in colours.items()}
        if self._filter_topics is not None or (self._sort and self._sort[0] == 0):
            self.beginResetModel()
            self._refilter()
            self.endResetModel()
        elif self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))

    def set_filter(self, rows: np.ndarray | None = None, topics: list[int] | None = None) -> None:
        """Show only these documents (None: all) of these topics (None: all topics)."""
        self.beginResetModel()
        self._filter_rows = None if rows is None else np.asarray(rows, dtype=np.int64)
        self._filter_topics = None if topics is None else set(topics)
        self._refilter()
        self.endResetModel()

    def _label(self, row: int) -> str:
        tid = int(self._topic_ids[row]) if row < len(self._topic_ids) else -1
        if tid < 0:
            return "Unassigned" if self._texts[row] else ""
        return self._labels.get(tid, str(tid))

    def set_stability(self, shares: np.ndarray | None) -> None:
        """Per document, the share of re-runs that kept it in its topic (None: not measured)."""
        known = shares is not None and not np.isnan(shares).all()
        if not known and self._stability is None:
            return
        self.beginResetModel()
        self._stability = np.asarray(shares, dtype=np.float64) if known else None
        base = self._headers[:-1] if self._headers[-1:] == [STABILITY] else self._headers
        self._headers = [*base, STABILITY] if known else list(base)
        if self._sort is not None and self._sort[0] >= len(self._headers):
            self._sort = None
        self._refilter()
        self.endResetModel()

    def _stability_column(self, column: int) -> bool:
        return self._stability is not None and column == len(self._headers) - 1

    def _sort_key(self, column: int, rows: np.ndarray) -> np.ndarray:
        if self._stability_column(column):
            return np.nan_to_num(self._stability[rows], nan=-1.0)
        if column == 0:
            values = [self._label(r).lower() for r in rows]
        elif column == 1:
            values = [self._lower[r] for r in rows]
        else:
            cells = [self._columns[column - 2][r] for r in rows]
            numbers = pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce")
            if numbers.notna().sum() >= 0.9 * max(1, sum(1 for c in cells if c)):
                return numbers.fillna(np.inf).to_numpy(dtype=np.float64)
            values = [c.lower() for c in cells]
        return np.array(values, dtype=object)

    def _refilter(self) -> None:
        rows = np.arange(len(self._texts), dtype=np.int64)
        if self._filter_topics is not None:
            rows = rows[np.isin(self._topic_ids[rows], list(self._filter_topics))]
        if self._filter_rows is not None:
            rows = rows[np.isin(rows, self._filter_rows, assume_unique=True)]
        if self._sort is not None and len(rows):
            column, order = self._sort
            keys = self._sort_key(column, rows)
            idx = np.argsort(keys, kind="stable")
            if order == Qt.DescendingOrder:
                idx = idx[::-1]
            rows = rows[idx]
        self._order = rows

    def document(self, row: int) -> tuple[str, str, str, list[str]]:
        """Topic label, topic colour, full text and original cells of one document."""
        tid = int(self._topic_ids[row])
        colour = (
            UNASSIGNED_COLOUR
            if tid < 0
            else self._colours.get(tid, QColor(UNASSIGNED_COLOUR)).name()
        )
        return self._label(row), colour, self._texts[row], [column[row] for column in self._columns]

    def document_count(self) -> int:
        return len(self._texts)

    # ----- Qt model interface ------------------------------------------------------------
    def rowCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self._headers[section]
        if role == Qt.DisplayRole and orientation == Qt.Vertical:
            return str(int(self._order[section]) + 1)
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = int(self._order[index.row()])
        column = index.column()
        if role == Qt.DisplayRole:
            if self._stability_column(column):
                share = self._stability[row]
                return "" if np.isnan(share) else f"{share:.0%}"
            if column == 0:
                return self._label(row)
            if column == 1:
                return self._snippets[row]
            return self._columns[column - 2][row]
        if role == Qt.DecorationRole and column == 0:
            tid = int(self._topic_ids[row])
            return QColor(UNASSIGNED_COLOUR) if tid < 0 else self._colours.get(tid)
        if role == Qt.ToolTipRole and column == 0:
            return self._label(row)
        if role == Qt.ToolTipRole and column == 1:
            text = self._texts[row]
            return text[:1500] + ("…" if len(text) > 1500 else "")
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order) if 0 <= column < len(self._headers) else None
        self._refilter()
        self.layoutChanged.emit()

    # ----- row mapping -----------------------------------------------------------------
    def row_of(self, model_row: int) -> int:
        return int(self._order[model_row])

    def model_row_of(self, doc_row: int) -> int | None:
        hits = np.flatnonzero(self._order == doc_row)
        return int(hits[0]) if len(hits) else None

    def visible_rows(self) -> np.ndarray:
        return self._order.copy()

    def model_rows_of(self, doc_rows: Sequence[int]) -> np.ndarray:
        """Display positions of many documents at once (absent ones left out)."""
        position = np.full(len(self._texts), -1, dtype=np.int64)
        position[self._order] = np.arange(len(self._order))
        found = position[np.asarray(doc_rows, dtype=np.int64)]
        return np.sort(found[found >= 0])
