"""Arrays too large for one SQLite value, stored as several rows of the arrays table.

SQLite refuses a value over 1,000,000,000 bytes, and a million documents' 384-d
embeddings are 1.5 GB; an array over ``ARRAY_PART_BYTES`` is stored in row blocks named
"embeddings", "embeddings#1", "embeddings#2", ... (schema version 3).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np

ARRAY_PART_BYTES = 256 * 2**20
PART = "#"


def split(name: str, array: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """The parts of ``array`` to store, with their names (one part when it is small)."""
    step = max(1, ARRAY_PART_BYTES // max(1, array.strides[0]))
    for i, start in enumerate(range(0, max(len(array), 1), step)):
        yield (name if i == 0 else f"{name}{PART}{i}"), array[start : start + step]


def joined(rows: list[tuple]) -> dict[str, tuple]:
    """The arrays table's rows by array name, the parts of a large array joined in order."""
    parts: dict[str, list[tuple[int, tuple]]] = {}
    for row in rows:
        base, _, index = str(row[0]).partition(PART)
        parts.setdefault(base, []).append((int(index or 0), row))
    out = {}
    for base, found in parts.items():
        found.sort(key=lambda item: item[0])
        first = found[0][1]
        if len(found) == 1 and found[0][0] == 0:
            out[base] = first
            continue
        shapes = [json.loads(row[3]) for _, row in found]
        if (
            [i for i, _ in found] != list(range(len(found)))
            or any(row[2] != first[2] for _, row in found)
            or any(len(shape) != 2 or shape[1] != shapes[0][1] for shape in shapes)
        ):
            raise ValueError(f"the parts of array {base} do not fit together")
        shape = [sum(shape[0] for shape in shapes), shapes[0][1]]
        out[base] = (base, first[1], first[2], json.dumps(shape), b"".join(r[4] for _, r in found))
    return out
