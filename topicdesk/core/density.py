"""Documents counted per block of the map, for drawing a million points as density.

Drawing every point of a million-document map is slow and shows nothing but overplotting.
Instead the view is cut into blocks a few pixels wide; each block counts its documents per
code (topic, group, period, ...) with one ``np.bincount``, takes the colour of its most
common code and an opacity that grows with the logarithm of its count. The counts are kept
so an edit moves only the documents it changed between codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_OPACITY = 0.4  # a block with one document is still plainly visible on white
BACKGROUND_WEIGHT = 0.5  # documents without a code (unassigned) count half when choosing a colour
FULL_AT_PERCENTILE = 90  # blocks at least this crowded (among non-empty ones) are fully opaque
CHUNK_ENTRIES = 8_000_000  # counts computed at most this many (block, code) cells at a time


@dataclass(frozen=True)
class Grid:
    """Blocks over a rectangle of the map: origin, block size in map units, rows and columns."""

    x0: float
    y0: float
    width: float  # of one block, in map units
    height: float
    rows: int
    columns: int

    @property
    def size(self) -> int:
        return self.rows * self.columns

    def rect(self) -> tuple[float, float, float, float]:
        """Left, bottom, width and height of the whole grid in map units."""
        return self.x0, self.y0, self.columns * self.width, self.rows * self.height

    def block_at(self, x: float, y: float) -> int | None:
        """The block holding a map position, or None outside the grid."""
        column = int(np.floor((x - self.x0) / self.width))
        row = int(np.floor((y - self.y0) / self.height))
        if 0 <= column < self.columns and 0 <= row < self.rows:
            return row * self.columns + column
        return None


def grid_for_view(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    block: tuple[float, float],
    margin: float = 0.0,
) -> Grid:
    """Blocks of ``block`` map units covering the view and ``margin`` of its size around it.

    The origin sits on a multiple of the block size, so panning does not move the blocks'
    edges: documents stay in the same block and the picture does not shimmer.
    """
    bw, bh = (max(float(b), 1e-12) for b in block)
    (x0, x1), (y0, y1) = x_range, y_range
    mx, my = (x1 - x0) * margin, (y1 - y0) * margin
    left, bottom = np.floor((x0 - mx) / bw) * bw, np.floor((y0 - my) / bh) * bh
    columns = int(np.ceil((x1 + mx - left) / bw)) + 1
    rows = int(np.ceil((y1 + my - bottom) / bh)) + 1
    return Grid(float(left), float(bottom), bw, bh, max(rows, 1), max(columns, 1))


def block_index(points: np.ndarray, grid: Grid) -> np.ndarray:
    """Each point's block (row * columns + column), -1 outside the grid or without coordinates."""
    points = np.asarray(points)
    if not len(points):
        return np.full(0, -1, dtype=np.int32)
    with np.errstate(invalid="ignore"):  # NaN is never inside; its cast is discarded
        column = (points[:, 0] - grid.x0) * (1.0 / grid.width)
        row = (points[:, 1] - grid.y0) * (1.0 / grid.height)
        ok = (column >= 0) & (column < grid.columns) & (row >= 0) & (row < grid.rows)
        flat = row.astype(np.int32) * np.int32(grid.columns) + column.astype(np.int32)
    return np.where(ok, flat, np.int32(-1))


def count_blocks(blocks: np.ndarray, codes: np.ndarray, n_blocks: int) -> np.ndarray:
    """Documents per block and code column: column 0 holds code -1, column c + 1 code c.

    Counted in slices of codes so the temporary array of ``np.bincount`` stays small when a
    corpus has hundreds of topics.
    """
    codes = np.asarray(codes)
    columns = int(codes.max(initial=-1)) + 2
    step = max(1, CHUNK_ENTRIES // max(n_blocks, 1))
    if step >= columns:  # one pass; a block of -1 gives a negative key
        keys = blocks.astype(np.int64) * columns + (codes + 1)
        keys = keys[keys >= 0] if len(keys) and keys.min() < 0 else keys
        counts = np.bincount(keys, minlength=n_blocks * columns)
        return counts.astype(np.int32).reshape(n_blocks, columns)
    counts = np.zeros((n_blocks, columns), dtype=np.int32)
    inside = blocks >= 0
    b, c = blocks[inside].astype(np.int64), codes[inside].astype(np.int64) + 1
    for first in range(0, columns, step):
        width = min(step, columns - first)
        take = (c >= first) & (c < first + width)
        keys = b[take] * width + (c[take] - first)
        part = np.bincount(keys, minlength=n_blocks * width).reshape(n_blocks, width)
        counts[:, first : first + width] = part
    return counts


def move_counts(
    counts: np.ndarray, blocks: np.ndarray, old: np.ndarray, new: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Move the documents whose code changed from ``old`` to ``new`` in ``counts``.

    Returns the counts (widened when a new code appeared) and the blocks that changed.
    """
    changed = np.flatnonzero((old != new) & (blocks >= 0))
    columns = max(counts.shape[1], int(new.max(initial=-1)) + 2)
    if columns > counts.shape[1]:
        counts = np.pad(counts, ((0, 0), (0, columns - counts.shape[1])))
    if len(changed):
        where = blocks[changed].astype(np.int64)
        np.subtract.at(counts, (where, old[changed] + 1), 1)
        np.add.at(counts, (where, new[changed] + 1), 1)
    return counts, np.unique(blocks[changed])


def opacity(totals: np.ndarray) -> np.ndarray:
    """Opacity per block from its count: 0 when empty, then rising with the logarithm of the
    count from ``MIN_OPACITY`` to 1 at the crowded blocks of this view."""
    out = np.zeros(len(totals), dtype=np.float32)
    filled = totals > 0
    if not filled.any():
        return out
    full = max(float(np.percentile(totals[filled], FULL_AT_PERCENTILE)), 2.0)
    share = np.log1p(totals[filled]) / np.log1p(full)
    out[filled] = np.clip(MIN_OPACITY + (1 - MIN_OPACITY) * share, 0, 1)
    return out


def dominant(counts: np.ndarray) -> np.ndarray:
    """Each block's most common code column; documents without a code count half."""
    if counts.shape[1] < 2:
        return np.zeros(len(counts), dtype=np.int64)
    best = np.argmax(counts[:, 1:], axis=1) + 1
    top = counts[np.arange(len(counts)), best]
    background = counts[:, 0] * BACKGROUND_WEIGHT > top
    best[background] = 0
    return best


def rgba(counts: np.ndarray, colours: np.ndarray, grid: Grid) -> np.ndarray:
    """The density picture, rows from the grid's bottom up: ``colours`` holds an RGBA row
    (uint8) per code column, whose alpha scales the block's opacity (faded topics)."""
    colours = np.asarray(colours, dtype=np.uint8)
    if len(colours) < counts.shape[1]:
        grey = np.tile(np.array([[68, 68, 68, 255]], np.uint8), (counts.shape[1] - len(colours), 1))
        colours = np.vstack([colours, grey])
    image = np.zeros((grid.size, 4), dtype=np.uint8)
    totals = counts.sum(axis=1)
    filled = np.flatnonzero(totals)  # most blocks of a map are empty: colour only the others
    image[filled] = colours[dominant(counts[filled])]
    alpha = opacity(totals[filled]) * (image[filled, 3] / 255.0)
    image[filled, 3] = np.round(alpha * 255).astype(np.uint8)
    return image.reshape(grid.rows, grid.columns, 4)


def top_codes(counts_row: np.ndarray, n: int = 3) -> list[tuple[int, int]]:
    """The ``n`` most common codes in one block as (code, documents), code -1 for none."""
    order = np.argsort(-counts_row, kind="stable")[:n]
    return [(int(c) - 1, int(counts_row[c])) for c in order if counts_row[c] > 0]


def hex_to_rgba(colour: str, alpha: float = 1.0) -> tuple[int, int, int, int]:
    """``#rrggbb`` as an RGBA row for :func:`rgba`."""
    return (
        int(colour[1:3], 16),
        int(colour[3:5], 16),
        int(colour[5:7], 16),
        round(255 * alpha),
    )
