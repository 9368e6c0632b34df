"""Charts saved as PNG or SVG, painted by Qt itself.

pyqtgraph's own SVG exporter writes broken paths under Qt 6, so an SVG is painted with
``QSvgGenerator`` as the document map's is; plot items are put in pyqtgraph's export mode
first, so markers are drawn as shapes rather than copied from a pixel cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from topicdesk.errors import TopicDeskError

PNG_SCALE = 2.0  # twice the screen's size: sharp when printed


@contextmanager
def _export_mode(widget: QWidget, scale: float) -> Iterator[None]:
    """Plot items drawn as shapes; ``scale`` enlarges markers (1.0 when the painter scales)."""
    items = []
    for view in [widget, *widget.findChildren(pg.GraphicsView)]:
        if isinstance(view, pg.GraphicsView):
            items += [i for i in view.scene().items() if hasattr(i, "setExportMode")]
    options = {"antialias": True, "background": QColor("white"), "resolutionScale": scale}
    for item in items:
        item.setExportMode(True, options)
    try:
        yield
    finally:
        for item in items:
            item.setExportMode(False)


def save_widget_image(widget: QWidget, path: str | Path, title: str) -> None:
    """Paint ``widget`` as it is laid out into a PNG (at twice its size) or an SVG."""
    path = str(path)
    size = widget.size()
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        image = QImage(
            QSize(round(size.width() * PNG_SCALE), round(size.height() * PNG_SCALE)),
            QImage.Format_ARGB32,
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        painter.scale(PNG_SCALE, PNG_SCALE)
        try:
            with _export_mode(widget, 1.0):  # the painter is scaled already
                QWidget.render(widget, painter, QPoint(0, 0))
        finally:
            painter.end()
        if not image.save(path, "PNG"):
            raise TopicDeskError(f"Could not write {Path(path).name}; choose another folder.")
    elif suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(title)
        painter = QPainter()
        if not painter.begin(generator):
            raise TopicDeskError(f"Could not write {Path(path).name}; choose another folder.")
        try:
            with _export_mode(widget, 1.0):
                QWidget.render(widget, painter, QPoint(0, 0))
        finally:
            painter.end()
    else:
        raise TopicDeskError("A chart can be saved as .png or .svg; choose one of those names.")
