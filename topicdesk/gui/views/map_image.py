"""The document map as a figure: the plot area and a legend of topic colours and names.

PNG and SVG are painted by one routine. Points are drawn as vector shapes at the export's
scale (pyqtgraph's export mode) rather than copied from the on-screen pixmap atlas, so a
PNG at twice the screen's size stays sharp and an SVG holds no embedded pictures; a map
of more than 100,000 documents is drawn as its density image (map_density), in both.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from topicdesk.errors import TopicDeskError
from topicdesk.gui.views.short_names import short

MIN_PNG_WIDTH = 1600  # px of the plot area: enough for a printed page at 300 dpi, 13 cm wide
LEGEND_ROW = 20.0  # all lengths below are at the screen's scale; a PNG multiplies them
SWATCH = 11.0
PAD = 14.0
LABEL_CHARS = 40
WHITE = QColor("#ffffff")


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a topic's colour, its name and how many documents it holds."""

    colour: str
    label: str
    size: int

    def text(self) -> str:
        return f"{short(self.label, LABEL_CHARS)} ({self.size:,})"


def _items(root: QGraphicsItem) -> Iterator[QGraphicsItem]:
    yield root
    for child in root.childItems():
        yield from _items(child)


class _Legend:
    """Where each entry goes: rows of one column, further columns when the map is short."""

    def __init__(self, entries: Sequence[LegendEntry], height: float, font: QFont) -> None:
        self.entries = list(entries)
        self.font = QFont(font)
        self.title_font = QFont(font)
        self.title_font.setBold(True)
        metrics = QFontMetricsF(self.font)
        widest = max((metrics.horizontalAdvance(e.text()) for e in self.entries), default=0.0)
        self.column_width = SWATCH + 6 + widest + PAD
        self.per_column = max(1, int((height - 2 * PAD - LEGEND_ROW * 1.5) // LEGEND_ROW))
        self.columns = max(1, math.ceil(len(self.entries) / self.per_column))
        self.width = PAD + self.columns * self.column_width if self.entries else 0.0

    def paint(self, painter: QPainter, left: float) -> None:
        if not self.entries:
            return
        painter.setPen(QColor("#1a1a1a"))
        painter.setFont(self.title_font)
        painter.drawText(QRectF(left + PAD, PAD, 400, LEGEND_ROW), Qt.AlignVCenter, "Topics")
        painter.setFont(self.font)
        top = PAD + LEGEND_ROW * 1.5
        for i, entry in enumerate(self.entries):
            column, row = divmod(i, self.per_column)
            x = left + PAD + column * self.column_width
            y = top + row * LEGEND_ROW
            swatch = QRectF(x, y + (LEGEND_ROW - SWATCH) / 2, SWATCH, SWATCH)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(entry.colour))
            painter.drawEllipse(swatch)
            painter.setPen(QColor("#1a1a1a"))
            text = QRectF(x + SWATCH + 6, y, self.column_width, LEGEND_ROW)
            painter.drawText(text, Qt.AlignVCenter | Qt.AlignLeft, entry.text())


def _paint(
    painter: QPainter,
    root: QGraphicsItem,
    source: QRectF,
    legend: _Legend,
    scale: float,
) -> None:
    """The plot area at (0, 0) and the legend to its right, in screen-scale units."""
    size = QSizeF(source.width() + legend.width, source.height())
    painter.fillRect(QRectF(0, 0, size.width(), size.height()), WHITE)
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    options = {"antialias": True, "background": WHITE, "painter": painter, "resolutionScale": scale}
    items = [item for item in _items(root) if hasattr(item, "setExportMode")]
    for item in items:
        item.setExportMode(True, options)
    try:
        root.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        for item in items:
            item.setExportMode(False)
    legend.paint(painter, source.width())


def save_map_image(
    path: str | Path,
    root: QGraphicsItem,
    source: QRectF,
    entries: Sequence[LegendEntry],
    font: QFont,
) -> None:
    """Paint ``source`` (the plot area in scene coordinates) and a legend into a PNG or SVG."""
    path = str(path)
    legend = _Legend(entries, source.height(), font)
    width, height = source.width() + legend.width, source.height()
    if path.lower().endswith(".png"):
        scale = max(2.0, MIN_PNG_WIDTH / max(source.width(), 1.0))
        image = QImage(QSize(round(width * scale), round(height * scale)), QImage.Format_ARGB32)
        image.fill(WHITE)
        painter = QPainter(image)
        try:
            painter.scale(scale, scale)
            _paint(painter, root, source, legend, scale)
        finally:
            painter.end()
        if not image.save(path, "PNG"):
            raise TopicDeskError(f"Could not write {Path(path).name}; choose another folder.")
    elif path.lower().endswith(".svg"):
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QSize(round(width), round(height)))
        generator.setViewBox(QRectF(0, 0, width, height))
        generator.setTitle("TopicDesk document map")
        painter = QPainter()
        if not painter.begin(generator):
            raise TopicDeskError(f"Could not write {Path(path).name}; choose another folder.")
        try:
            _paint(painter, root, source, legend, 1.0)
        finally:
            painter.end()
    else:
        raise ValueError("The map can be saved as .png or .svg")
