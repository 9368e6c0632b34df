"""The topic inspector: the list of topics and the details and actions of the chosen one."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from topicdesk.core.selection import TopicChoice
from topicdesk.core.state import UNASSIGNED, Topic
from topicdesk.gui.models.topic_list_model import ID, KEYWORDS, LABEL, SIZE, TopicListModel
from topicdesk.gui.views.keyword_menu import KeywordMenu, keyword_html
from topicdesk.gui.views.name_delegate import WholeKeywordDelegate

ACTION_BUTTONS = (
    ("move_here", 0, 0, 1, 2),
    ("new_topic", 1, 0, 1, 1),
    ("merge", 1, 1, 1, 1),
    ("delete", 2, 0, 1, 1),
    ("recompute", 2, 1, 1, 1),
)


STABILITY_TIP = (
    "How reliably the topic comes back when the clustering is run again (Topics › Check "
    "stability): with other seeds, and with other seeds while a part of the documents is left "
    "out. Found: a re-run has a topic sharing at least half of its documents."
)


def stability_html(topic: Topic) -> str:
    """The topic's stability in short words, coloured by how often re-runs found it (with
    documents left out as well, where measured: the stricter of the two)."""
    if not topic.runs_total:
        return "<span style='color:#888'>stability not checked</span>"
    shares = [(topic.runs_found or 0) / topic.runs_total]
    words = topic.stability_words()
    out = topic.left_out
    if out is not None and out.runs:
        shares.append(out.found / out.runs)
        words = (
            f"found in {topic.runs_found} of {topic.runs_total} runs · "
            f"{out.found} of {out.runs} with {out.share:.0%} left out"
        )
    share = min(shares)
    colour = "#2e7d32" if share == 1 else "#b26a00" if share >= 0.5 else "#b00020"
    return f"<span style='color:{colour}'>{html.escape(words)}</span>"


def stability_tip(topic: Topic) -> str:
    """The general explanation, then the topic's own figures in full."""
    mine = "\n".join(topic.stability_lines())
    return f"{STABILITY_TIP}\n\nThis topic: {mine}." if mine else STABILITY_TIP


class TopicInspector(QWidget):
    """Topic list with colour, label, size and keywords; details and actions below.

    The chosen topics live in a :class:`TopicChoice` (the app's shared one after
    :meth:`bind`); the command buttons are the window's own actions (:meth:`set_actions`),
    so they follow the same rules as the menus and shortcuts.
    """

    topicsChosen = Signal(list)
    renameRequested = Signal(int, str)
    noteRequested = Signal(int, str)
    ignoreWordRequested = Signal(str)
    documentActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._topics: dict[int, Topic] = {}
        self._sizes: dict[int, int] = {}
        self._texts: Sequence[str] = []
        self._updating = False
        self._choice = TopicChoice()
        self._choice.changed.connect(self._show_choice)
        self.buttons: dict[str, QToolButton] = {}

        self.model = TopicListModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        names = WholeKeywordDelegate(self.tree)
        self.tree.setItemDelegateForColumn(LABEL, names)
        self.tree.setItemDelegateForColumn(KEYWORDS, names)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(ID, Qt.AscendingOrder)
        self.tree.setMinimumHeight(120)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(ID, QHeaderView.ResizeToContents)
        header.resizeSection(LABEL, 190)
        header.setSectionResizeMode(SIZE, QHeaderView.ResizeToContents)
        self.tree.selectionModel().selectionChanged.connect(self._on_choice)
        self.tree.setToolTip(
            "Click a topic to show its documents; Ctrl-click to choose several (for merging)"
        )

        self.title = QLabel("Choose a topic")
        self.title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.stability = QLabel("")
        self.stability.setToolTip(STABILITY_TIP)
        self.label_edit = QLineEdit(placeholderText="Name this topic, then press Enter…")
        self.label_edit.returnPressed.connect(self._rename)
        self.rename_button = QPushButton("Apply name")
        self.rename_button.setToolTip(
            "Give the topic the name typed on the left (Enter does the same)"
        )
        self.rename_button.clicked.connect(self._rename)
        self.keywords = QLabel("")
        self.keywords.setWordWrap(True)
        self.keywords.setTextFormat(Qt.RichText)
        self.keywords.setToolTip("Right-click a keyword to leave it out of every topic's keywords")
        self.keyword_menu = KeywordMenu(
            self.keywords, lambda: self._current().keywords if self._current() else []
        )
        self.keyword_menu.ignoreRequested.connect(self.ignoreWordRequested)
        self.examples = QLabel("")
        self.examples.setWordWrap(True)
        self.examples.setTextFormat(Qt.RichText)
        self.examples.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.examples.linkActivated.connect(lambda link: self.documentActivated.emit(int(link)))
        self.note_edit = QPlainTextEdit(
            placeholderText="Notes on this topic: what it is about, doubts, quotes…"
        )
        self.note_edit.setMaximumHeight(80)
        self.note_button = QPushButton("Save note")
        self.note_button.clicked.connect(
            lambda: self._emit_for_current(self.noteRequested, self.note_edit.toPlainText().strip())
        )

        details = QGroupBox()
        grid = QGridLayout(details)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.stability, 0, 1, Qt.AlignRight)
        name_row = QHBoxLayout()
        name_row.addWidget(self.label_edit, 1)
        name_row.addWidget(self.rename_button)
        grid.addLayout(name_row, 1, 0, 1, 2)
        grid.addWidget(self._caption("Keywords"), 2, 0, 1, 2)
        grid.addWidget(self.keywords, 3, 0, 1, 2)
        grid.addWidget(self._caption("Typical documents (click to read)"), 4, 0, 1, 2)
        grid.addWidget(self.examples, 5, 0, 1, 2)
        grid.addWidget(self._caption("Note"), 6, 0, 1, 2)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button, 0, Qt.AlignBottom)
        grid.addLayout(note_row, 7, 0, 1, 2)
        grid.setRowStretch(8, 1)

        self._actions_grid = QGridLayout()
        self._actions_grid.setContentsMargins(8, 4, 8, 6)
        scroll = QScrollArea()
        scroll.setWidget(details)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.setSpacing(0)
        lower_layout.addWidget(scroll, 1)
        lower_layout.addLayout(self._actions_grid)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.setObjectName("inspector_splitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._show_details()

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text.upper())
        label.setStyleSheet("color: #777; font-size: 10px; letter-spacing: 1px; margin-top: 6px;")
        return label

    # ----- wiring ---------------------------------------------------------------------
    def bind(self, choice: TopicChoice) -> None:
        """Share the app's topic choice: the list shows it and changes it."""
        self._choice.changed.disconnect(self._show_choice)
        self._choice = choice
        choice.changed.connect(self._show_choice)
        self._show_choice(choice.ids)

    def set_actions(self, actions) -> None:
        """Buttons for the window's topic commands (move, new, merge, delete, keywords)."""
        for name, row, column, rows, columns in ACTION_BUTTONS:
            button = QToolButton()
            button.setDefaultAction(actions[name])
            button.setToolButtonStyle(Qt.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            self._actions_grid.addWidget(button, row, column, rows, columns)
            self.buttons[name] = button

    # ----- data in ------------------------------------------------------------------
    def set_topics(self, topics: list[Topic], sizes: dict[int, int], texts: Sequence[str]) -> None:
        """Fill the list, keeping the current choice where those topics still exist."""
        self._topics = {t.id: t for t in topics}
        self._sizes = dict(sizes)
        self._texts = texts
        self._updating = True
        self.model.set_topics(topics, sizes)
        self._updating = False
        alive = [t for t in self._choice.ids if self.model.index_of_topic(t).isValid()]
        self.tree.setRootIsDecorated(any(t.parent is not None for t in topics))
        self.tree.expandAll()
        if alive != self._choice.ids:
            self._choice.set(alive)
        else:
            self._show_choice(alive)

    def chosen_topics(self) -> list[int]:
        """The chosen topics in the order they were chosen (-1 is the "Unassigned" row)."""
        return self._choice.ids

    def choose_topics(self, ids: list[int]) -> None:
        """Choose topics from outside the list (it emits no topicsChosen)."""
        self._choice.set(ids)

    # ----- internals ---------------------------------------------------------------------
    def _select_ids(self, ids: list[int]) -> None:
        indexes = [i for i in map(self.model.index_of_topic, ids) if i.isValid()]
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for index in indexes:
            selection.select(index, index.siblingAtColumn(last))
        selection_model = self.tree.selectionModel()
        selection_model.select(selection, QItemSelectionModel.ClearAndSelect)
        if indexes:
            selection_model.setCurrentIndex(indexes[0], QItemSelectionModel.NoUpdate)
            self.tree.scrollTo(indexes[0])

    def _tree_ids(self) -> list[int]:
        order = {tid: i for i, tid in enumerate(self.model.topic_ids())}
        ids = [self.model.topic_id(i) for i in self.tree.selectionModel().selectedRows()]
        return sorted(ids, key=lambda t: order.get(t, len(order)))

    def _on_choice(self, *_args) -> None:
        """The researcher changed the list's selection: tell the shared choice."""
        if self._updating:
            return
        self._updating = True
        try:
            self._choice.set(self._tree_ids())
        finally:
            self._updating = False
        self._show_details()
        self.topicsChosen.emit(self.chosen_topics())

    def _show_choice(self, ids: list[int]) -> None:
        """The shared choice changed: select those rows, quietly, and show the details."""
        if not self._updating and sorted(self._tree_ids()) != sorted(ids):
            self._updating = True
            try:
                self._select_ids(ids)
            finally:
                self._updating = False
        self._show_details()

    def _current(self) -> Topic | None:
        chosen = self.chosen_topics()
        return self._topics.get(chosen[0]) if len(chosen) == 1 else None

    def _emit_for_current(self, signal, *args) -> None:
        topic = self._current()
        if topic is not None:
            signal.emit(topic.id, *args)

    def _rename(self) -> None:
        topic = self._current()
        if (
            topic is not None
            and self.label_edit.text().strip()
            and self.label_edit.text().strip() != topic.label
        ):
            self.renameRequested.emit(topic.id, self.label_edit.text().strip())

    def _show_details(self) -> None:
        topic = self._current()
        chosen = self.chosen_topics()
        if topic is None:
            self.keywords.setText("")
            if len(chosen) > 1:
                self.title.setText(f"{len(chosen)} topics chosen")
                self.keywords.setText(self._several(chosen))
            elif chosen == [UNASSIGNED]:
                self.title.setText("Unassigned documents")
            else:
                self.title.setText("Choose a topic in the list")
            self.label_edit.clear()
            self.stability.setText("")
            self.stability.setToolTip(STABILITY_TIP)
            self.examples.setText("")
            self.note_edit.clear()
        else:
            parent = f" · in topic {topic.parent}" if topic.parent is not None else ""
            self.title.setText(f"Topic {topic.id}{parent}")
            self.stability.setText(stability_html(topic))
            self.stability.setToolTip(stability_tip(topic))
            self.label_edit.setText(topic.label)
            self.keywords.setText(
                keyword_html(topic.keywords, topic.weights)
                or "<i>no keywords yet: use Recompute keywords</i>"
            )
            examples = []
            for row in topic.representatives[:3]:
                text = " ".join(str(self._texts[row]).split()) if row < len(self._texts) else ""
                short = html.escape(text[:220] + ("…" if len(text) > 220 else ""))
                examples.append(
                    f"<p style='margin:0 0 6px 0'><a href='{row}' style='color:#1f5fa8;text-decoration:none'>"
                    f"#{row + 1}</a> {short}</p>"
                )
            self.examples.setText("".join(examples))
            self.note_edit.setPlainText(topic.note)
        self._update_buttons()

    def _several(self, chosen: list[int]) -> str:
        """The chosen topics in the order chosen, and what merging them would do."""
        lines = []
        for tid in chosen:
            topic = self._topics.get(tid)
            name = html.escape(topic.label) if topic else "Unassigned"
            lines.append(f"{'#' + str(tid) if topic else ''} {name} · {self._sizes.get(tid, 0):,}")
        real = [t for t in chosen if t in self._topics]
        merge = (
            f"<p style='color:#555'>Merging puts them all into topic {real[0]}, chosen first; "
            "it keeps its name and note.</p>"
            if len(real) >= 2
            else ""
        )
        return "<br>".join(lines) + merge

    def _update_buttons(self) -> None:
        single = self._current() is not None
        for widget in (self.label_edit, self.rename_button, self.note_edit, self.note_button):
            widget.setEnabled(single)
