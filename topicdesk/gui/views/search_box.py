"""A word-search field bound to the app's shared :class:`~topicdesk.core.search.Search`.

The map and the table each show one; typing in either searches both, and the options
menu (whole words, word beginnings, exact phrase; match case) belongs to the shared query.
"""

from __future__ import annotations

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMenu, QToolButton, QWidget

from topicdesk.core.search import MODE_NAMES, Query, Search


class SearchBox(QWidget):
    """Line edit, options button and (optionally) a count of the documents found."""

    def __init__(self, placeholder: str, tip: str, show_count: bool = True) -> None:
        super().__init__()
        self._search = Search()
        self._search.changed.connect(self._show)
        self.edit = QLineEdit(placeholderText=placeholder, clearButtonEnabled=True)
        self.edit.setToolTip(tip)
        self.edit.setMinimumWidth(180)
        self.edit.textChanged.connect(lambda text: self._search.set_text(text))
        self.options = QToolButton(text="Options")
        self.options.setPopupMode(QToolButton.InstantPopup)
        self.options.setToolTip("How the words you type are matched")
        menu = QMenu(self.options)
        self._modes = QActionGroup(menu)
        for mode, name in MODE_NAMES.items():
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(mode == "words")
            action.setData(mode)
            self._modes.addAction(action)
        menu.addSeparator()
        self._case = menu.addAction("Match case")
        self._case.setCheckable(True)
        self._modes.triggered.connect(self._options_changed)
        self._case.toggled.connect(self._options_changed)
        self.options.setMenu(menu)
        self.count = QLabel("")
        self.count.setStyleSheet("color: #555;")
        self.count.setVisible(show_count)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.options)
        row.addWidget(self.count)

    @property
    def search(self) -> Search:
        return self._search

    def bind(self, search: Search) -> None:
        """Edit and show the shared search instead of this box's own."""
        self._search.changed.disconnect(self._show)
        self._search = search
        search.changed.connect(self._show)
        self._show(search.query, search.rows)

    def _options_changed(self, *_args) -> None:
        mode = self._modes.checkedAction().data()
        self._search.set_query(Query(self.edit.text(), mode, self._case.isChecked()))

    def _show(self, query: Query, rows) -> None:
        """Show the shared query (typed here or in the other box) and how many it found."""
        if self.edit.text() != query.text:
            self.edit.blockSignals(True)
            self.edit.setText(query.text)
            self.edit.blockSignals(False)
        for action in self._modes.actions():
            action.setChecked(action.data() == query.mode)
        self._case.blockSignals(True)
        self._case.setChecked(query.case_sensitive)
        self._case.blockSignals(False)
        if rows is None:
            self.count.setText("")
        else:
            n = len(rows)
            self.count.setText(
                f"{n:,} document{'s' if n != 1 else ''} contain “{query.text.strip()}”"
            )
