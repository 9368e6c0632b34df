"""The map's view box: a left drag draws a lasso while the lasso tool is on.

The lasso's polygon goes out in map coordinates with the selection mode the keys held
at the end of the drag ask for; the hit test itself runs in numpy (core.geometry).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem


def modifier_mode(modifiers: Qt.KeyboardModifier) -> str:
    """Shift adds to the selection, Alt or Ctrl removes from it, nothing replaces it."""
    if modifiers & Qt.ShiftModifier:
        return "add"
    if modifiers & (Qt.AltModifier | Qt.ControlModifier):
        return "subtract"
    return "replace"


class LassoViewBox(pg.ViewBox):
    """A ViewBox whose left drag draws a lasso while the lasso tool is on."""

    lassoFinished = Signal(object, str)

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.lasso_mode = True
        self._path: list[QPointF] = []
        self._item = QGraphicsPathItem()
        pen = QPen(QColor(30, 30, 30, 200), 1.5, Qt.DashLine)
        pen.setCosmetic(True)
        self._item.setPen(pen)
        self._item.setBrush(QColor(60, 120, 220, 30))
        self._item.setZValue(100)
        self._item.setVisible(False)
        self.addItem(self._item, ignoreBounds=True)

    def mouseDragEvent(self, ev, axis=None):
        if not (self.lasso_mode and ev.button() == Qt.LeftButton):
            return super().mouseDragEvent(ev, axis)
        ev.accept()
        point = self.mapSceneToView(ev.scenePos())
        if ev.isStart():
            self._path = [self.mapSceneToView(ev.buttonDownScenePos()), point]
            self._item.setVisible(True)
        else:
            self._path.append(point)
        path = QPainterPath(self._path[0])
        for p in self._path[1:]:
            path.lineTo(p)
        path.closeSubpath()
        self._item.setPath(path)
        if ev.isFinish():
            polygon = np.array([[p.x(), p.y()] for p in self._path])
            self._item.setVisible(False)
            self._path = []
            self.lassoFinished.emit(polygon, modifier_mode(ev.modifiers()))
