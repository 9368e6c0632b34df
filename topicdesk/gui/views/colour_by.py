"""What the map's colours show: topics, a group column, periods of the date column, or
how stable each document's topic is; with a legend over the map when it is not topics."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from topicdesk.core.palette import UNASSIGNED_COLOUR
from topicdesk.gui.views.map_image import LegendEntry

MAX_ENTRIES = 14


def legend_entries(
    rows: np.ndarray, codes: np.ndarray, colouring, labels: dict[int, str], colours: dict[int, str]
) -> list[LegendEntry]:
    """Legend of the documents on the map (``rows``, whose ``codes`` are shown): topics with their colours and
    counts, largest first, unassigned last; or a variable's values in their own order, then
    those without one. ``colouring`` is an application.variables.Colouring or None."""
    codes = codes[rows]
    if colouring is not None:
        shown = colouring.legend(rows)
        entries = [LegendEntry(c, name, n) for c, name, n in shown if n]
        missing = int((codes < 0).sum())
        none = LegendEntry(colouring.none_colour, colouring.none_name, missing)
        return entries + ([none] if missing else [])
    sizes = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(0, np.int64)
    entries = [
        LegendEntry(colours[t], labels.get(t, str(t)), int(n))
        for t, n in enumerate(sizes.tolist())
        if n and t in colours
    ]
    entries.sort(key=lambda e: -e.size)
    unassigned = int((codes < 0).sum())
    if unassigned:
        entries.append(LegendEntry(UNASSIGNED_COLOUR, "Unassigned", unassigned))
    return entries


class ColourBy(QWidget):
    """A "Colour by" choice; ``changed`` gives the key of the chosen colouring."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.combo = QComboBox()
        self.combo.setToolTip(
            "Colour the documents by topic, or by one of the data's variables to see where "
            "groups and periods lie on the map"
        )
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit(self.current()))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Colour by:"))
        row.addWidget(self.combo)
        self.set_options([("topic", "Topic")])

    def set_options(self, options: list[tuple[str, str]]) -> None:
        """Offer these (key, name) colourings, keeping the current one if it is still there."""
        current = self.current() if self.combo.count() else "topic"
        self.combo.blockSignals(True)
        self.combo.clear()
        for key, name in options:
            self.combo.addItem(name, key)
        index = self.combo.findData(current)
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)
        self.setVisible(len(options) > 1)
        if index < 0:
            self.changed.emit(self.current())

    def current(self) -> str:
        return str(self.combo.currentData() or "topic")


class MapLegend(QLabel):
    """Colour swatches with names and counts, over the corner of the map."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.RichText)
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setStyleSheet(
            "background: rgba(255,255,255,225); border: 1px solid #ccc; padding: 6px;"
        )
        self.hide()

    def show_entries(self, title: str, entries: list[LegendEntry]) -> None:
        if not entries:
            self.hide()
            return
        rows = [
            f"<tr><td><span style='color:{e.colour}'>●</span></td>"
            f"<td>{html.escape(e.label)}</td><td align='right' style='color:#666'>{e.size:,}</td></tr>"
            for e in entries[:MAX_ENTRIES]
        ]
        more = len(entries) - MAX_ENTRIES
        if more > 0:
            rows.append(
                f"<tr><td></td><td colspan='2' style='color:#666'>… and {more} more</td></tr>"
            )
        self.setText(f"<b>{html.escape(title)}</b><table cellspacing='2'>{''.join(rows)}</table>")
        self.adjustSize()
        self.move(10, 10)
        self.show()
        self.raise_()
