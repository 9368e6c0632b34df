"""Tree model of the topics: swatch, label, size, stability and keywords.

Sub-topics (made by splitting a topic) sit under their parent, which can be expanded;
"Unassigned" is kept last. Each level is sorted by the chosen column.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap

from topicdesk.core.palette import UNASSIGNED_COLOUR
from topicdesk.core.state import UNASSIGNED, Topic

HEADERS = ("#", "Topic", "Size", "Found", "Keywords")
ID, LABEL, SIZE, FOUND, KEYWORDS = range(5)
TOPIC_ID_ROLE = Qt.UserRole
MUTED = QColor("#777777")
ROOT = QModelIndex()  # the invisible parent of the top-level rows


def swatch(colour: str, size: int = 12) -> QIcon:
    """A small square of the topic's colour, as used next to its name everywhere."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


@dataclass
class _Node:
    topic_id: int
    label: str
    own: int  # documents in the topic itself
    size: int  # with its sub-topics
    keywords: str
    all_keywords: str
    found: str
    found_tip: str
    runs: tuple[float, float]  # for sorting: stability, then with documents left out; -1: none
    icon: QIcon
    parent: int | None


def _token(topic_id: int) -> int:
    return topic_id + 2  # "Unassigned" (-1) becomes 1; 0 stays free for "no topic"


class TopicListModel(QAbstractItemModel):
    """Topics as a tree (sub-topics under their parent), then one "Unassigned" row."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._nodes: dict[int, _Node] = {}
        self._children: dict[int | None, list[int]] = {None: []}
        self._sort: tuple[int, Qt.SortOrder] = (ID, Qt.AscendingOrder)

    def set_topics(self, topics: list[Topic], sizes: dict[int, int]) -> None:
        """Replace every row; the current sort order is kept."""
        self.beginResetModel()
        ids = {t.id for t in topics}
        parent_of = {
            t.id: t.parent if t.parent in ids and t.parent != t.id else None for t in topics
        }
        totals = {t.id: sizes.get(t.id, 0) for t in topics}
        for tid in ids:  # add each topic's documents to every topic above it
            above, seen = parent_of[tid], {tid}
            while above is not None and above not in seen:
                totals[above] += sizes.get(tid, 0)
                seen.add(above)
                above = parent_of[above]
        self._nodes = {}
        for t in topics:
            self._nodes[t.id] = _Node(
                t.id,
                t.label,
                sizes.get(t.id, 0),
                totals[t.id],
                ", ".join(t.keywords[:5]),
                ", ".join(t.keywords),
                t.found_short() or "–",
                "\n".join(t.stability_lines()) or "Not checked: Topics › Check stability",
                (
                    t.stability if t.stability is not None else -1.0,
                    t.left_out.stability if t.left_out is not None else -1.0,
                ),
                swatch(t.colour),
                parent_of[t.id],
            )
        unassigned = sizes.get(UNASSIGNED, 0)
        if topics or unassigned:
            self._nodes[UNASSIGNED] = _Node(
                UNASSIGNED,
                "Unassigned",
                unassigned,
                unassigned,
                "documents in no topic",
                "",
                "",
                "",
                (-2.0, -2.0),
                swatch(UNASSIGNED_COLOUR),
                None,
            )
        self._order()
        self.endResetModel()

    def _order(self) -> None:
        column, order = self._sort
        key = {
            ID: lambda n: n.topic_id,
            LABEL: lambda n: n.label.lower(),
            SIZE: lambda n: n.size,
            FOUND: lambda n: n.runs,
            KEYWORDS: lambda n: n.keywords,
        }[column]
        children: dict[int | None, list[int]] = {None: []}
        for node in self._nodes.values():
            if node.topic_id != UNASSIGNED:
                children.setdefault(node.parent, []).append(node.topic_id)
        for siblings in children.values():
            siblings.sort(key=lambda t: key(self._nodes[t]), reverse=order == Qt.DescendingOrder)
        if UNASSIGNED in self._nodes:
            children[None].append(UNASSIGNED)
        self._children = children

    # ----- look-ups -----------------------------------------------------------------------
    def topic_id(self, index: QModelIndex) -> int:
        return int(index.internalId()) - 2

    def index_of_topic(self, topic_id: int, column: int = 0) -> QModelIndex:
        """Where a topic is in the tree (invalid if it is not shown)."""
        node = self._nodes.get(topic_id)
        if node is None:
            return QModelIndex()
        row = self._children[node.parent].index(topic_id)
        return self.createIndex(row, column, _token(topic_id))

    def has_children(self, topic_id: int) -> bool:
        return bool(self._children.get(topic_id))

    def topic_ids(self) -> list[int]:
        """Every topic shown, parents before their sub-topics, "Unassigned" last."""
        out: list[int] = []

        def walk(parent: int | None) -> None:
            for tid in self._children.get(parent, []):
                out.append(tid)
                walk(tid)

        walk(None)
        return out

    # ----- Qt model interface -------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = ROOT) -> QModelIndex:
        siblings = self._children.get(self.topic_id(parent) if parent.isValid() else None, [])
        if not (0 <= row < len(siblings) and 0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, _token(siblings[row]))

    def parent(self, index: QModelIndex = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._nodes.get(self.topic_id(index))
        if node is None or node.parent is None:
            return QModelIndex()
        return self.index_of_topic(node.parent)

    def rowCount(self, parent: QModelIndex = ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(self.topic_id(parent) if parent.isValid() else None, []))

    def columnCount(self, parent: QModelIndex = ROOT) -> int:
        return len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and section == FOUND:
            return (
                "In how many re-runs with other seeds, on the same documents, the topic was "
                "found again; after the dot, in how many it was found when each re-run also "
                "left out a part of the documents (Topics › Check stability)"
            )
        if orientation == Qt.Horizontal and role == Qt.TextAlignmentRole and section == SIZE:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        node = self._nodes.get(self.topic_id(index))
        if node is None:
            return None
        column, tid = index.column(), node.topic_id
        if role == Qt.DisplayRole:
            shown = ("–" if tid == UNASSIGNED else str(tid), node.label, f"{node.size:,}")
            return (*shown, node.found, node.keywords)[column]
        if role == Qt.DecorationRole and column == LABEL:
            return node.icon
        if role == Qt.TextAlignmentRole and column in (ID, SIZE, FOUND):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole and (tid == UNASSIGNED or column == FOUND):
            return MUTED
        if role == Qt.ToolTipRole:
            size = (
                f"{node.size:,} documents, {node.own:,} of them in the topic itself"
                if node.size != node.own
                else None
            )
            tips = {
                LABEL: node.label,
                SIZE: size,
                FOUND: node.found_tip or None,
                KEYWORDS: node.all_keywords or None,
            }
            return tips.get(column)
        if role == TOPIC_ID_ROLE:
            return tid
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Sort each level by a column; the chosen rows stay chosen."""
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self.topic_id(i) for i in before]
        self._sort = (column, order)
        self._order()
        after = [self.index_of_topic(t, i.column()) for t, i in zip(ids, before)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
