"""A pyqtgraph scatter item whose points all look alike, for the 100,000-point map.

pyqtgraph looks up every point's symbol, size, pen and brush in its symbol atlas one by
one in Python, which made setting or recolouring 100,000 points take 0.2-0.5 s. Here
all points of an item share one style, so the atlas is consulted once and the result is
copied to every point with numpy; drawing is pyqtgraph's own.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

STYLE = ["symbol", "size", "pen", "brush"]


class UniformScatter(pg.ScatterPlotItem):
    """A ScatterPlotItem used only with item-wide styles (no per-point pens or brushes)."""

    def updateSpots(self, dataSet=None) -> None:
        data = self.data if dataSet is None else dataSet
        if not (self.opts["pxMode"] and self.opts["useCache"]) or not len(data):
            super().updateSpots(dataSet)
            return
        stale = data["sourceRect"]["w"] == 0
        if stale.any():
            first = np.flatnonzero(stale)[:1]
            style = [column[0] for column in self._style(STYLE, data=data, idx=first)]
            data["sourceRect"][stale] = self.fragmentAtlas[[tuple(style)]][0]
            self._maybeRebuildAtlas()
        self._updateMaxSpotSizes(data=data)
        self.invalidate()

    def set_points(self, x: np.ndarray, y: np.ndarray, size: float, brush, pen) -> None:
        """Replace all points; every point takes the item's size, pen and brush."""
        self.setData(x=x, y=y, size=size, brush=brush, pen=pen)

    def set_brush(self, brush) -> None:
        """Recolour every point at once."""
        self.setBrush(brush, update=False)
        self.data["sourceRect"] = 0
        self.updateSpots()
