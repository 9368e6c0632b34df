"""Arrays too large for one SQLite value, stored as several rows of the arrays table.

SQLite refuses a value over 1,000,000,000 bytes, and a million documents' 384-d
embeddings are 1.5 GB; an array over ``ARRAY_PART_BYTES`` is stored in row blocks named
"embeddings", "embeddings#1", "embeddings#2", ... (file format 3 and later). On opening,
the parts are read into one buffer per array, so a large array is held once, not as
its parts and their join.
"""

from __future__ import annotations

import json
import math
import mmap
from collections.abc import Iterable, Iterator

import numpy as np

ARRAY_PART_BYTES = 256 * 2**20
PART = "#"


def split(name: str, array: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """The parts of ``array`` to store, with their names (one part when it is small)."""
    step = max(1, ARRAY_PART_BYTES // max(1, array.strides[0]))
    for i, start in enumerate(range(0, max(len(array), 1), step)):
        yield (name if i == 0 else f"{name}{PART}{i}"), array[start : start + step]


def gather(name: str, blocks: Iterable[np.ndarray]) -> Iterator[tuple[str, np.ndarray]]:
    """The parts to store of a one-dimensional array made block by block, each put
    together once it reaches ``ARRAY_PART_BYTES``, so the whole array is never held."""
    pending: list[np.ndarray] = []
    size = index = 0
    for block in blocks:
        pending.append(block)
        size += block.nbytes
        if size >= ARRAY_PART_BYTES:
            yield (name if index == 0 else f"{name}{PART}{index}"), np.concatenate(pending)
            pending, size, index = [], 0, index + 1
    if pending or index == 0:
        yield (
            (name if index == 0 else f"{name}{PART}{index}"),
            np.concatenate(pending or [np.empty(0, np.uint8)]),
        )


def _buffer(size: int) -> np.ndarray:
    """Room for an array, every byte of which is then read in: above a megabyte anonymous
    memory, not numpy's, which asks the kernel for huge pages, and on a machine whose
    memory is fragmented the kernel compacts memory to make each one (1.5 GB of
    embeddings took 2.3 s of system time that way, against 0.7 s)."""
    if size < 2**20:
        return np.empty(size, dtype=np.uint8)
    return np.frombuffer(mmap.mmap(-1, size), dtype=np.uint8)


def _part_of(name: str) -> tuple[str, int]:
    base, _, index = str(name).partition(PART)
    return base, int(index or 0)


class Joiner:
    """Gathers the rows of the arrays table as they are read, joining the parts of large arrays.

    Made from the rows' names, types and shapes (read first, without their bytes), so each
    part is read straight into its place in the array's buffer.
    """

    def __init__(self, headers: list[tuple]) -> None:
        parts: dict[str, list[tuple[int, tuple]]] = {}
        for row in headers:
            base, index = _part_of(row[0])
            parts.setdefault(base, []).append((index, row))
        self._rows: dict[str, tuple] = {}
        self._places: dict[str, tuple[str, int, int]] = {}  # part name: array, offset, size
        self._buffers: dict[str, np.ndarray] = {}
        for base, found in parts.items():
            found.sort(key=lambda item: item[0])
            first = found[0][1]
            if len(found) == 1 and found[0][0] == 0:
                self._rows[base] = tuple(first[:4])
                continue
            shapes = [json.loads(row[3]) for _, row in found]
            if (
                [i for i, _ in found] != list(range(len(found)))
                or any(row[2] != first[2] for _, row in found)
                or any(len(shape) < 1 or shape[1:] != shapes[0][1:] for shape in shapes)
            ):
                raise ValueError(f"the parts of array {base} do not fit together")
            itemsize = np.dtype(first[2]).itemsize
            offset = 0
            for (_, row), shape in zip(found, shapes):
                size = math.prod(int(s) for s in shape) * itemsize
                self._places[row[0]] = (base, offset, size)
                offset += size
            shape = [sum(int(s[0]) for s in shapes), *shapes[0][1:]]
            self._rows[base] = (base, first[1], first[2], json.dumps(shape))
            self._buffers[base] = _buffer(offset)

    def destination(self, name: str, size: int) -> np.ndarray | None:
        """Where the ``size`` bytes of the row ``name`` are to be read: a buffer of its own
        for a whole array, its place in the array's buffer for a part."""
        place = self._places.pop(name, None)
        if place is None:
            base = _part_of(name)[0]
            if base not in self._rows or len(self._rows[base]) != 4:
                return None
            buffer = _buffer(size)
            self._rows[base] = (*self._rows[base], buffer)
            return buffer
        base, offset, expected = place
        if size != expected:
            raise ValueError(f"the parts of array {base} do not fit together")
        return self._buffers[base][offset : offset + size]

    def arrays(self) -> dict[str, tuple]:
        """The rows (name, key, dtype, shape, data) of each whole array, by name."""
        if self._places:
            missing = sorted({base for base, _, _ in self._places.values()})
            raise ValueError(f"the parts of array {missing[0]} do not fit together")
        out = {}
        for base, row in self._rows.items():
            if base in self._buffers:
                row = (*row, self._buffers.pop(base))
            if len(row) == 5:
                out[base] = row
        return out
