"""Progress and cancellation handle passed to every pipeline stage.

Stages call ``update`` as they go and ``check`` between batches; the GUI's worker turns
the callback into a Qt signal, the CLI prints it. ``cancel`` may be called from any thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from topicdesk.errors import Cancelled


@dataclass(frozen=True)
class ProgressEvent:
    """Where a fit is: which stage (by name and number) and how far into it."""

    stage: str
    index: int
    total: int
    fraction: float
    message: str = ""


class Progress:
    """Reports progress to a callback and carries the cancel flag."""

    def __init__(self, callback: Callable[[ProgressEvent], None] | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()
        self._stage = ""
        self._index = 0
        self._total = 1

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()

    def begin(self, stage: str, index: int, total: int) -> None:
        self.check()
        self._stage, self._index, self._total = stage, index, total
        self.update(0.0)

    def update(self, fraction: float, message: str = "") -> None:
        if self._callback is not None:
            self._callback(
                ProgressEvent(
                    self._stage, self._index, self._total, min(max(fraction, 0.0), 1.0), message
                )
            )
