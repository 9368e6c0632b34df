"""Table model of the topics: swatch, label, size and keywords, with "Unassigned" kept last."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap

from topicdesk.core.palette import UNASSIGNED_COLOUR
from topicdesk.core.state import UNASSIGNED, Topic

HEADERS = ("#", "Topic", "Size", "Keywords")
ID, LABEL, SIZE, KEYWORDS = range(4)
TOPIC_ID_ROLE = Qt.UserRole
MUTED = QColor("#777777")
ROOT = QModelIndex()  # the invisible parent of every row


def swatch(colour: str, size: int = 12) -> QIcon:
    """A small square of the topic's colour, as used next to its name everywhere."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class TopicListModel(QAbstractTableModel):
    """One row per topic in the chosen order, then one "Unassigned" row if any document is."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int, str, int, str, str, QIcon]] = []
        self._sort: tuple[int, Qt.SortOrder] = (ID, Qt.AscendingOrder)

    def set_topics(self, topics: list[Topic], sizes: dict[int, int]) -> None:
        """Replace every row; the current sort order is kept."""
        self.beginResetModel()
        self._rows = [
            (
                t.id,
                t.label,
                sizes.get(t.id, 0),
                ", ".join(t.keywords[:5]),
                ", ".join(t.keywords),
                swatch(t.colour),
            )
            for t in topics
        ]
        unassigned = sizes.get(UNASSIGNED, 0)
        if topics or unassigned:
            self._rows.append(
                (
                    UNASSIGNED,
                    "Unassigned",
                    unassigned,
                    "documents in no topic",
                    "",
                    swatch(UNASSIGNED_COLOUR),
                )
            )
        self._order_rows()
        self.endResetModel()

    def topic_id(self, row: int) -> int:
        return self._rows[row][0]

    def row_of_topic(self, topic_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r[0] == topic_id), None)

    def _order_rows(self) -> None:
        column, order = self._sort
        topics = [r for r in self._rows if r[0] != UNASSIGNED]
        rest = [r for r in self._rows if r[0] == UNASSIGNED]
        key = {
            ID: lambda r: r[0],
            LABEL: lambda r: r[1].lower(),
            SIZE: lambda r: r[2],
            KEYWORDS: lambda r: r[3],
        }[column]
        topics.sort(key=key, reverse=order == Qt.DescendingOrder)
        self._rows = topics + rest

    # ----- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Horizontal and role == Qt.TextAlignmentRole and section == SIZE:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        tid, label, size, keywords, all_keywords, icon = self._rows[index.row()]
        column = index.column()
        if role == Qt.DisplayRole:
            return ("–" if tid == UNASSIGNED else str(tid), label, f"{size:,}", keywords)[column]
        if role == Qt.DecorationRole and column == LABEL:
            return icon
        if role == Qt.TextAlignmentRole and column in (ID, SIZE):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole and tid == UNASSIGNED:
            return MUTED
        if role == Qt.ToolTipRole:
            return {LABEL: label, KEYWORDS: all_keywords or None}.get(column)
        if role == TOPIC_ID_ROLE:
            return tid
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Sort the topics by a column; the chosen rows stay chosen."""
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[i.row()][0] for i in before]
        self._sort = (column, order)
        self._order_rows()
        after = [self.index(self.row_of_topic(t), i.column()) for t, i in zip(ids, before)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
