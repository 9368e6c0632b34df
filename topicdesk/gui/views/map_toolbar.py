"""The map's toolbar: lasso or pan, reset view, word search and the "Colour by" choice."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

from topicdesk.gui.views.colour_by import ColourBy
from topicdesk.gui.views.search_box import SearchBox


class MapToolbar(QHBoxLayout):
    """The row of tools above the map; the map connects them to what they do."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__()
        self.setContentsMargins(6, 4, 6, 0)
        self.lasso_button = QToolButton(text="Lasso", checkable=True, checked=True)
        self.lasso_button.setToolTip(
            "Drag to draw around documents. Shift adds to the selection, Alt or Ctrl removes."
        )
        self.pan_button = QToolButton(text="Pan", checkable=True)
        self.pan_button.setToolTip("Drag to move the map. The mouse wheel zooms in either mode.")
        group = QButtonGroup(owner)
        group.setExclusive(True)
        group.addButton(self.lasso_button)
        group.addButton(self.pan_button)
        self.reset = QToolButton(text="Reset view")
        self.reset.setToolTip("Show all documents")
        self.search_box = SearchBox(
            "Find words on the map…",
            "Highlights the documents that contain all these words (whole words, any case; "
            "put a phrase in quotes); the table lists the same documents",
        )
        for widget in (self.lasso_button, self.pan_button, self.reset):
            self.addWidget(widget)
        self.addSpacing(12)
        self.addWidget(self.search_box, 1)
        self.colour_by = ColourBy()
        self.addWidget(self.colour_by)
