"""The one selection of documents that the map, the table and the inspector share."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal


class SelectionModel(QObject):
    """Rows of the selected documents; views ask to change it and redraw when it changes."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = np.empty(0, dtype=np.int64)

    @property
    def rows(self) -> np.ndarray:
        return self._rows

    def select(self, rows, mode: str = "replace") -> None:
        """Combine with the current selection: replace, add or subtract."""
        rows = np.unique(np.asarray(rows, dtype=np.int64))
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
