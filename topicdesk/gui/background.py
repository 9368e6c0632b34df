"""Short computations off the window's thread (a split preview): a thread, then a callback.

Fits and stability checks go to the fitting process (gui/worker.py); this is for work of
seconds on what the window already holds, where a process would cost more than it saves.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from topicdesk.application.fit_process import describe_failure


class _Task(QThread):
    succeeded = Signal(object)
    failed = Signal(str, str)

    def __init__(self, func: Callable[[], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._func = func

    def run(self) -> None:
        try:
            result = self._func()
        except Exception as exc:  # noqa: BLE001 - every failure reaches the user as a dialog
            message, details = describe_failure(exc)
            self.failed.emit(message, details or traceback.format_exc())
        else:
            self.succeeded.emit(result)


def run_in_background(
    parent: QObject,
    func: Callable[[], Any],
    done: Callable[[Any], None],
    failed: Callable[[str, str], None],
) -> QThread:
    """Run ``func`` on a thread; ``done(result)`` or ``failed(message, details)`` follow in
    the window's thread. The thread deletes itself when it has finished."""
    task = _Task(func, parent)
    task.succeeded.connect(done)
    task.failed.connect(failed)
    task.finished.connect(task.deleteLater)
    task.start()
    return task
