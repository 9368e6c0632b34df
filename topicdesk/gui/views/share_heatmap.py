"""The heatmap of topics by group as a table model: shares as text and as colour.

Texts and colours of every cell are made once per redraw (``show``), so Qt's many
``data`` calls while painting only look them up.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from topicdesk.analysis.prevalence import Prevalence
from topicdesk.core.state import UNASSIGNED
from topicdesk.gui.views.short_names import short
from topicdesk.gui.views.topics_over_time import percent

HEAT = np.array([43, 108, 176], dtype=float)  # the darkest cell; white is a share of 0
GREY, WHITE, INK = QColor("#6b6b6b"), QColor("white"), QColor("#1a1a1a")
RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
ROOT = QModelIndex()  # the table's invisible root, Qt's default parent
TOOLTIP = int(Qt.ToolTipRole)


class ShareModel(QAbstractTableModel):
    """Topics (rows) by groups (columns): the share as text, its size as colour."""

    def __init__(self) -> None:
        super().__init__()
        self.table: Prevalence | None = None
        self.topics: list[int] = []
        self.labels: dict[int, str] = {}
        self._columns: list[int] = []
        self._italic = QFont()
        self._italic.setItalic(True)  # cells of small groups
        self._grids: dict[int, list[list]] = {}  # role -> value per cell, made in show()

    def show(self, table: Prevalence | None, topics: list[int], labels: dict[int, str]) -> None:
        """New numbers; texts and colours of every cell are made here, once per redraw."""
        self.beginResetModel()
        self.table, self.topics, self.labels = table, topics, labels
        self._columns = [] if table is None else [table.column(t) for t in topics]
        self._text: list[list[str]] = []
        self._background: list[list[QColor | None]] = []
        self._foreground: list[list[QColor]] = []
        self._grids: dict[int, list[list]] = {}
        if table is not None:
            shares = table.shares[:, self._columns].T  # topics x groups
            real = np.array([t != UNASSIGNED for t in topics])
            big = ~table.small if (~table.small).any() else np.ones(len(table.small), bool)
            # Colour shows, for each topic, which groups speak of it most: a share against
            # the topic's largest share among groups large enough to trust (small ones cap).
            peak = np.nanmax(shares[:, big], axis=1, initial=0.0)[:, None]
            levels = np.minimum(1.0, np.nan_to_num(shares) / np.maximum(peak, 1e-9))
            rgb = (255 - levels[..., None] * (255 - HEAT)).astype(int)
            colours = {}
            for r, is_topic in enumerate(real):
                self._text.append([f"{100 * v:.1f}%" for v in shares[r]])
                if not is_topic:
                    self._background.append([None] * len(table.categories))
                    self._foreground.append([GREY] * len(table.categories))
                    continue
                keys = [tuple(c) for c in rgb[r]]
                self._background.append([colours.setdefault(k, QColor(*k)) for k in keys])
                self._foreground.append([WHITE if v > 0.55 else INK for v in levels[r]])
            fonts = [self._italic if small else None for small in table.small]
            self._grids = {
                int(Qt.DisplayRole): self._text,
                int(Qt.BackgroundRole): self._background,
                int(Qt.ForegroundRole): self._foreground,
                int(Qt.TextAlignmentRole): [[RIGHT] * len(table.categories)] * len(topics),
                int(Qt.FontRole): [fonts] * len(topics),
            }
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.topics)

    def columnCount(self, parent: QModelIndex = ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.categories)

    def cell(self, index: QModelIndex) -> tuple[int, int]:
        """(group row, topic id) of a cell."""
        return index.column(), self.topics[index.row()]

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        """A look-up by role (an int key: comparing Qt's role enums costs more than painting)."""
        grid = self._grids.get(int(role))
        if not index.isValid():
            return None
        if grid is not None:
            return grid[index.row()][index.column()]
        if int(role) == TOOLTIP and self.table is not None:
            r, g = index.row(), index.column()
            table, topic_id, j = self.table, self.topics[r], self._columns[r]
            return (
                f"{self.labels.get(topic_id, topic_id)} in {table.categories[g]}: "
                f"{table.counts[g, j]:,} of {table.totals[g]:,} documents, "
                f"{percent(table.shares[g, j])} "
                f"(95% CI {percent(table.low[g, j])} to {percent(table.high[g, j])})"
            )
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if self.table is None:
            return None
        table = self.table
        if orientation == Qt.Horizontal:
            small = table.small[section]
            if role == Qt.DisplayRole:
                mark = " · small" if small else ""
                return f"{table.categories[section]}\nn={table.totals[section]:,}{mark}"
            if role == Qt.ToolTipRole:  # the full name, where the column cuts it
                name = f"{table.categories[section]}: {table.totals[section]:,} documents"
                if small:
                    return f"{name}. Fewer than {table.min_documents}: its shares move a lot."
                return name
            if role == Qt.ForegroundRole and small:
                return QColor("#b35900")
            return None
        topic_id = self.topics[section]
        if role == Qt.DisplayRole:
            return short(self.labels.get(topic_id, str(topic_id)))
        if role == Qt.ToolTipRole:
            return self.labels.get(topic_id, str(topic_id))
        return None
