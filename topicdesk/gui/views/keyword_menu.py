"""Right-click on a keyword: "Ignore this word everywhere", as a request the window handles.

The inspector shows keywords in a rich-text QLabel; :func:`keyword_html` writes each
keyword as a link (styled as plain text) so the label reports which keyword the pointer
is on, and :class:`KeywordMenu` turns a right-click there into ``ignoreRequested(word)``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import quote, unquote

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QLabel, QMenu

PREFIX = "keyword:"


def keyword_html(keywords: list[str], weights: list[float] | None = None, n: int = 10) -> str:
    """Keywords with their weights, each a link naming the keyword (for the context menu)."""
    weights = weights or [0.0] * len(keywords)
    return " · ".join(
        f"<a href='{PREFIX}{quote(word)}' style='color:#222;text-decoration:none'>"
        f"{html.escape(word)}</a><span style='color:#999;font-size:10px'> {weight:.3f}</span>"
        for word, weight in zip(keywords[:n], weights)
    )


class KeywordMenu(QObject):
    """Context menu of a keyword label; emits the word or phrase to ignore everywhere.

    ``keywords`` gives the keywords shown now (for a right-click between keywords, the
    menu lists them all under one entry).
    """

    ignoreRequested = Signal(str)

    def __init__(self, label: QLabel, keywords: Callable[[], list[str]]) -> None:
        super().__init__(label)
        self._label = label
        self._keywords = keywords
        self._hovered = ""
        label.setContextMenuPolicy(Qt.CustomContextMenu)
        label.customContextMenuRequested.connect(self._show)
        label.linkHovered.connect(self._on_hover)

    def _on_hover(self, link: str) -> None:
        self._hovered = unquote(link[len(PREFIX) :]) if link.startswith(PREFIX) else ""

    def build_menu(self) -> QMenu | None:
        """The menu for the keyword under the pointer, or for all keywords; None if none."""
        menu = QMenu(self._label)
        if self._hovered:
            action = menu.addAction(f"Ignore “{self._hovered}” everywhere")
            action.setToolTip("Leave it out of every topic's keywords (undo brings it back)")
            word = self._hovered
            action.triggered.connect(lambda: self.ignoreRequested.emit(word))
            return menu
        words = self._keywords()
        if not words:
            return None
        sub = menu.addMenu("Ignore a keyword everywhere")
        for word in words:
            sub.addAction(word).triggered.connect(
                lambda _=False, w=word: self.ignoreRequested.emit(w)
            )
        return menu

    def _show(self, position: QPoint) -> None:
        menu = self.build_menu()
        if menu is not None:
            menu.popup(self._label.mapToGlobal(position))
