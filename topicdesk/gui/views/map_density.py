"""The map's two levels for large corpora: density when many documents are in view, points
when few are.

Above ``DENSITY_ABOVE`` documents the map no longer holds every point. While more than
``POINT_LIMIT`` documents are in view it draws one image of blocks ``BLOCK_PX`` pixels
wide, each in the colour of its most common topic (or group, period, ...) and as opaque
as it is crowded (core.density). Zoomed in further, the documents in and around the view
are drawn as points, exactly as on a small map. During a pan or zoom the image moves with
the view; the blocks are counted again once the view rests. Large selections and search
hits get images of their own on top, so they stay visible at full view.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from topicdesk.core import density
from topicdesk.core.palette import UNASSIGNED_COLOUR

DENSITY_ABOVE = 100_000  # maps with at most this many documents always draw every point
POINT_LIMIT = 40_000  # in view at most this many: points; more: density
BLOCK_PX = 3
EXPORT_BLOCK_PX = 2  # an exported picture is at least twice the screen's size: finer blocks
WINDOW_MARGIN = 0.5  # at point level, documents up to half a view beyond each edge are loaded
OVERLAY_POINTS = 20_000  # larger selections and search hits are drawn as density on top
SAMPLE = 100_000  # topic names are placed at the medians of this many documents
RECOUNT_SHARE = 0.2  # when more codes than this changed (a new colouring), count afresh
FADED = 0.15  # opacity of topics not chosen, as points and as blocks


def column_colours(codes: np.ndarray, colours: dict[int, str], chosen: set[int]) -> np.ndarray:
    """An RGBA row per code column of the density (column 0: no code); when some topics
    are chosen the others are nearly transparent, as their points are."""
    n = max(int(codes.max(initial=-1)), max(colours, default=-1)) + 2
    table = np.empty((n, 4), dtype=np.uint8)
    table[0] = density.hex_to_rgba(UNASSIGNED_COLOUR, FADED if chosen else 1.0)
    for code in range(n - 1):
        alpha = FADED if chosen and code not in chosen else 1.0
        table[code + 1] = density.hex_to_rgba(colours.get(code, "#444444"), alpha)
    return table


def _image(z: float) -> pg.ImageItem:
    item = pg.ImageItem(axisOrder="row-major")
    item.setZValue(z)
    item.setVisible(False)
    return item


class MapDensity:
    """Which level the map shows, the documents drawn as points, and the density images."""

    def __init__(self, view: pg.ViewBox) -> None:
        self._view = view
        self.base, self.selected, self.found = _image(0.5), _image(19), _image(14)
        for item in (self.base, self.selected, self.found):
            view.addItem(item, ignoreBounds=True)
        self.block_px = BLOCK_PX
        self.set_coords(np.empty((0, 2), np.float32), np.zeros(0, bool))

    def set_coords(self, coords: np.ndarray, valid: np.ndarray) -> None:
        """A new map: large or not, and a fixed sample of documents for placing names."""
        self._coords = coords
        self.large = int(valid.sum()) > DENSITY_ABOVE
        rows = np.flatnonzero(valid)
        step = max(1, len(rows) // SAMPLE)
        self.sample = rows[::step]
        self.at_density = False
        self.window: tuple[float, float, float, float] | None = None
        self.window_rows = np.empty(0, np.int64)
        self.in_window = np.zeros(len(coords), bool)
        self.grid: density.Grid | None = None
        self._counted: tuple[density.Grid, np.ndarray] | None = None  # grid, codes counted
        self._blocks = np.empty(0, np.int32)
        self.counts = np.zeros((0, 1), np.int32)
        for item in (self.base, self.selected, self.found):
            item.setVisible(False)

    # ----- level -----------------------------------------------------------------------
    def choose(self) -> bool:
        """Decide the level for the current view; True when what is drawn must change."""
        if not self.large:
            return False
        (x0, x1), (y0, y1) = self._view.viewRange()
        x, y = self._coords[:, 0], self._coords[:, 1]
        with np.errstate(invalid="ignore"):
            in_view = int(np.count_nonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)))
        if in_view > POINT_LIMIT:
            px, py = self._view.viewPixelSize()
            block = (px * self.block_px, py * self.block_px)
            grid = density.grid_for_view((x0, x1), (y0, y1), block)
            changed = not self.at_density or grid != self.grid
            self.at_density, self.grid, self.window = True, grid, None
            self.window_rows, self.in_window = np.empty(0, np.int64), np.zeros(len(x), bool)
            return changed
        was_density = self.at_density
        self.at_density = False
        for item in (self.base, self.selected, self.found):
            item.setVisible(False)
        if not was_density and self.window is not None:
            wx0, wx1, wy0, wy1 = self.window
            if wx0 <= x0 and x1 <= wx1 and wy0 <= y0 and y1 <= wy1:
                return False  # the loaded documents still cover the view
        mx, my = (x1 - x0) * WINDOW_MARGIN, (y1 - y0) * WINDOW_MARGIN
        self.window = (x0 - mx, x1 + mx, y0 - my, y1 + my)
        with np.errstate(invalid="ignore"):
            self.in_window = (x >= x0 - mx) & (x <= x1 + mx) & (y >= y0 - my) & (y <= y1 + my)
        self.window_rows = np.flatnonzero(self.in_window)
        return True

    def point_rows(self, valid: np.ndarray) -> np.ndarray:
        """The documents drawn as points: all on a small map, those around the view otherwise."""
        if not self.large:
            return np.flatnonzero(valid)
        return self.window_rows

    # ----- density -----------------------------------------------------------------------
    def draw(self, codes: np.ndarray, colours: np.ndarray) -> None:
        """Count (or move) documents per block for ``codes`` and paint the density image."""
        if not (self.large and self.at_density and self.grid is not None):
            self.base.setVisible(False)
            return
        grid = self.grid
        if self._counted is not None and self._counted[0] == grid:
            old = self._counted[1]
            if np.count_nonzero(old != codes) <= RECOUNT_SHARE * len(codes):
                self.counts, _ = density.move_counts(self.counts, self._blocks, old, codes)
            else:
                self.counts = density.count_blocks(self._blocks, codes, grid.size)
        else:
            self._blocks = density.block_index(self._coords, grid)
            self.counts = density.count_blocks(self._blocks, codes, grid.size)
        self._counted = (grid, codes.copy())
        self._paint(self.base, self.counts, colours)

    def _paint(self, item: pg.ImageItem, counts: np.ndarray, colours: np.ndarray) -> None:
        assert self.grid is not None
        item.setImage(density.rgba(counts, colours, self.grid), autoLevels=False)
        item.setRect(QRectF(*self.grid.rect()))
        item.setVisible(True)

    def overlay(self, item: pg.ImageItem, rows: np.ndarray, codes: np.ndarray, colours) -> bool:
        """Draw ``rows`` as their own density on ``item``; False (and hidden) when they are
        few enough to be drawn as points, or the map shows points."""
        if not (self.at_density and len(rows) > OVERLAY_POINTS and self.grid is not None):
            item.setVisible(False)
            return False
        if self._counted is None or self._counted[0] != self.grid:
            self._blocks = density.block_index(self._coords, self.grid)
        blocks = self._blocks[rows]
        counts = density.count_blocks(blocks, codes[rows], self.grid.size)
        full = np.array(colours, copy=True)
        full[:, 3] = 255  # the selection shows in full colour whatever is faded
        self._paint(item, counts, full)
        return True

    def block_at(self, x: float, y: float) -> np.ndarray | None:
        """Documents per code column in the block under a map position, or None if empty."""
        if not self.at_density or self.grid is None or self._counted is None:
            return None
        block = self.grid.block_at(x, y)
        if block is None or not self.counts[block].any():
            return None
        return self.counts[block]
