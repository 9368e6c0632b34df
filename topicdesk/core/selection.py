"""The shared state of what the researcher is looking at: selected documents, chosen topics.

One :class:`Selection` of documents is shared by the map, the table and the inspector;
one :class:`TopicChoice` holds the topics chosen in the topic list, in the order they
were chosen (merging goes into the first one). Both are Qt-free and notify on change.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from topicdesk.core.observable import Event
from topicdesk.core.state import UNASSIGNED

MODES = ("replace", "add", "subtract")


class Selection:
    """Row positions of the selected documents, always sorted and unique."""

    def __init__(self) -> None:
        self._rows = np.empty(0, dtype=np.int64)
        self.changed = Event()  # called with the new rows

    @property
    def rows(self) -> np.ndarray:
        return self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def select(self, rows: Iterable[int] | np.ndarray, mode: str = "replace") -> None:
        """Combine ``rows`` with the selection: replace it, add to it or subtract from it."""
        if mode not in MODES:
            raise ValueError(f"unknown selection mode {mode!r}")
        rows = np.unique(
            np.asarray(list(rows) if not isinstance(rows, np.ndarray) else rows, dtype=np.int64)
        )
        if mode == "add":
            new = np.union1d(self._rows, rows)
        elif mode == "subtract":
            new = np.setdiff1d(self._rows, rows, assume_unique=True)
        else:
            new = rows
        if not np.array_equal(new, self._rows):
            self._rows = new
            self.changed.emit(new)

    def clear(self) -> None:
        self.select(np.empty(0, dtype=np.int64))


class TopicChoice:
    """Topics chosen in the list, in the order the researcher chose them.

    ``UNASSIGNED`` stands for the "Unassigned" row; ``real`` leaves it out.
    """

    def __init__(self) -> None:
        self._ids: list[int] = []
        self.changed = Event()  # called with the new ids

    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    @property
    def real(self) -> list[int]:
        """Chosen topics that are topics (not the "Unassigned" row)."""
        return [t for t in self._ids if t != UNASSIGNED]

    @property
    def single(self) -> int | None:
        """The one real topic chosen, or None if there are none or several."""
        real = self.real
        return real[0] if len(real) == 1 and len(self._ids) == 1 else None

    def set(self, ids: Iterable[int]) -> None:
        """Choose these topics; those chosen before keep their place at the front."""
        wanted = list(dict.fromkeys(int(t) for t in ids))
        kept = [t for t in self._ids if t in wanted]
        new = kept + [t for t in wanted if t not in kept]
        if new != self._ids:
            self._ids = new
            self.changed.emit(self.ids)

    def keep_only(self, existing: Iterable[int]) -> None:
        """Forget chosen topics that no longer exist (after a merge, delete or refit)."""
        alive = set(existing) | {UNASSIGNED}
        self.set([t for t in self._ids if t in alive])

    def clear(self) -> None:
        self.set([])
