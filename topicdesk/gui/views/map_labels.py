"""Topic names on the document map: placed at each topic's median, kept from overlapping.

Larger topics claim their place first; a label that would cover one already placed
moves up or down by up to two lines, or waits hidden until zooming in frees room.
Only topics whose documents moved are re-measured after an edit.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from topicdesk.gui.views.short_names import short

MAX_LABELS = 40
MAX_CHARS = 32


def short_name(name: str) -> str:
    """A name of at most ``MAX_CHARS`` characters, whole keywords kept (see :func:`short`)."""
    return short(name, MAX_CHARS)


class MapLabels:
    """The labels of the largest topics on one view box."""

    def __init__(self, view: pg.ViewBox) -> None:
        self._view = view
        self._items: dict[int, pg.TextItem] = {}
        self._anchors: dict[int, tuple[float, float]] = {}

    def shown_rects(self) -> list[QRectF]:
        """Where the visible labels are, in scene coordinates."""
        return [item.sceneBoundingRect() for item in self._items.values() if item.isVisible()]

    def place(
        self,
        groups: dict[int, np.ndarray],
        coords: np.ndarray,
        names: dict[int, str],
        moved: set[int],
    ) -> None:
        """Label the largest topics at their medians; only ``moved`` topics are re-measured."""
        biggest = sorted((t for t in groups if t >= 0), key=lambda t: -len(groups[t]))[:MAX_LABELS]
        for tid in set(self._items) - set(biggest):
            self._view.removeItem(self._items.pop(tid))
            self._anchors.pop(tid, None)
        for tid in biggest:
            text = short_name(names.get(tid, str(tid)))
            item = self._items.get(tid)
            if item is None:
                item = pg.TextItem(
                    text, color="#1a1a1a", anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 190)
                )
                item.setZValue(30)
                self._view.addItem(item)
                self._items[tid] = item
                moved = moved | {tid}
            elif item.toPlainText() != text:
                item.setText(text)
            if tid in moved:
                x, y = np.median(coords[groups[tid]], axis=0)
                self._anchors[tid] = (float(x), float(y))
        # the dict keeps the order of size, which is the order labels claim their place in
        self._items = {tid: self._items[tid] for tid in biggest}
        self.declutter()

    def declutter(self) -> None:
        """Keep labels from covering each other at the current zoom."""
        _, pixel_height = self._view.viewPixelSize()
        taken: list[QRectF] = []
        for tid, item in self._items.items():
            x, y = self._anchors.get(tid, (0.0, 0.0))
            item.setPos(x, y)
            item.updateTransform(force=True)
            rect = item.sceneBoundingRect().adjusted(-2, -1, 2, 1)
            place = None
            for step in (0, -1, 1, -2, 2):  # in line heights; negative is up on screen
                candidate = rect.translated(0, step * rect.height())
                if not any(candidate.intersects(other) for other in taken):
                    place = (step, candidate)
                    break
            item.setVisible(place is not None)
            if place is None:
                continue
            step, candidate = place
            if step:
                item.setPos(x, y - step * rect.height() * pixel_height)
            taken.append(candidate)

    def make_room(self) -> None:
        """Widen the view until no label shown is cut off by the edge of the plot."""
        margin = 6.0  # px
        for _ in range(3):  # widening shrinks the map, which may free or move a label
            shown = self.shown_rects()
            if not shown:
                return
            labels = shown[0]
            for rect in shown[1:]:
                labels = labels.united(rect)
            area = self._view.sceneBoundingRect()
            left, right = area.left() - labels.left(), labels.right() - area.right()
            top, bottom = area.top() - labels.top(), labels.bottom() - area.bottom()
            if max(left, right, top, bottom) <= 0:
                return
            (x0, x1), (y0, y1) = self._view.viewRange()
            px, py = self._view.viewPixelSize()

            def grow(overflow: float) -> float:
                return overflow + margin if overflow > 0 else 0.0

            self._view.setRange(
                xRange=(x0 - grow(left) * px, x1 + grow(right) * px),
                yRange=(y0 - grow(bottom) * py, y1 + grow(top) * py),
                padding=0,
            )
            self.declutter()

    def clear(self) -> None:
        for item in self._items.values():
            self._view.removeItem(item)
        self._items, self._anchors = {}, {}

    def items(self) -> dict[int, pg.TextItem]:
        return dict(self._items)
