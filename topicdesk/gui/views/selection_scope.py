""" "Only the selected documents" for the charts: the selection at the moment it is ticked.

The basis is taken when the box is ticked, so clicking a point in the chart (which
selects that point's documents) does not shrink the chart to them; tick again to take a
new selection.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox

from topicdesk.core.selection import Selection

IDLE = "Selected documents only"


class SelectionScope(QCheckBox):
    """A check box whose ``rows`` are the documents a chart counts (None: all of them)."""

    scopeChanged = Signal()

    def __init__(self) -> None:
        super().__init__(IDLE)
        self.setToolTip(
            "Count only the documents selected on the map or in the table when this is ticked "
            "(lasso a region of the map, then tick this to see its topics by date or group)"
        )
        self._selection: Selection | None = None
        self._rows: np.ndarray | None = None
        self.toggled.connect(self._toggled)

    def bind(self, selection: Selection) -> None:
        self._selection = selection

    @property
    def rows(self) -> np.ndarray | None:
        return self._rows if self.isChecked() else None

    def _toggled(self, on: bool) -> None:
        rows = self._selection.rows if self._selection is not None else np.empty(0, np.int64)
        if on and not len(rows):
            self.blockSignals(True)
            self.setChecked(False)
            self.blockSignals(False)
            self.setText(IDLE + " (select documents first)")
            return
        self._rows = rows.copy() if on else None
        self.setText(f"Only the {len(rows):,} documents selected" if on else IDLE)
        self.scopeChanged.emit()

    def reset(self) -> None:
        """A new project or fit: count every document again."""
        self.blockSignals(True)
        self.setChecked(False)
        self.blockSignals(False)
        self._rows = None
        self.setText(IDLE)
