"""Fitting on a worker thread, so the window stays responsive and Cancel works.

The worker runs the Qt-free pipeline; its progress callback is called on the worker
thread and crosses to the GUI thread as a queued signal.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline.progress import Progress, ProgressEvent


class FitWorker(QObject):
    """Runs one fit; lives on its own QThread."""

    progress = Signal(object)
    finished = Signal(object, object)
    failed = Signal(str, str)
    cancelled = Signal()

    def __init__(self, project: Project, settings: FitSettings) -> None:
        super().__init__()
        self.project = project
        self.settings = settings
        self.handle = Progress(self._report)

    def _report(self, event: ProgressEvent) -> None:
        self.progress.emit(event)

    @Slot()
    def run(self) -> None:
        from topicdesk.pipeline.runner import fit_project

        try:
            result = fit_project(self.project, self.settings, self.handle)
        except Cancelled:
            self.cancelled.emit()
        except TopicDeskError as exc:
            self.failed.emit(str(exc), "")
        except MemoryError:
            self.failed.emit(
                "There is not enough memory for this corpus; close other programs or use fewer documents.",
                "",
            )
        except Exception as exc:  # noqa: BLE001 - any failure must reach the user as a dialog
            self.failed.emit(
                f"The fit stopped because of an unexpected problem: {exc}", traceback.format_exc()
            )
        else:
            self.finished.emit(result, self.settings)


class FitController(QObject):
    """Starts fits on a fresh thread, forwards their signals, and shuts them down cleanly."""

    started = Signal()
    progress = Signal(object)
    finished = Signal(object, object)
    failed = Signal(str, str)
    cancelled = Signal()
    stopped = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: FitWorker | None = None
        self._busy = False

    @property
    def running(self) -> bool:
        """True from start until the worker reports a result, an error or a cancel."""
        return self._busy

    def _done(self, *_args) -> None:
        self._busy = False

    def start(self, project: Project, settings: FitSettings) -> None:
        if self.running:
            raise TopicDeskError("A fit is already running; wait for it or cancel it first.")
        if self._thread is not None:  # the last fit reported but its thread is still ending
            previous, previous_worker = self._thread, self._worker
            previous.quit()
            if not previous.wait(10_000):
                raise TopicDeskError(
                    "The previous fit is still shutting down; try again in a moment."
                )
            self._cleanup(previous, previous_worker)
        thread = QThread(self)
        worker = FitWorker(project, settings)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        for signal in (worker.finished, worker.failed, worker.cancelled):
            signal.connect(self._done)  # before the forwarding below, so it is seen first
        worker.progress.connect(self.progress)
        worker.finished.connect(self.finished)
        worker.failed.connect(self.failed)
        worker.cancelled.connect(self.cancelled)
        for signal in (worker.finished, worker.failed, worker.cancelled):
            # Direct: the worker's thread asks its own loop to stop, without waiting for the GUI.
            signal.connect(thread.quit, Qt.DirectConnection)
        thread.finished.connect(lambda: self._cleanup(thread, worker))
        self._thread, self._worker = thread, worker
        self._busy = True
        thread.start()
        self.started.emit()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.handle.cancel()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel a running fit and wait for its thread; True if it ended in time."""
        if self._thread is None:
            return True
        self.cancel()
        thread, worker = self._thread, self._worker
        thread.quit()
        ended = thread.wait(timeout_ms)
        if ended:
            self._cleanup(thread, worker)
        return ended

    def _cleanup(self, thread: QThread, worker: FitWorker | None) -> None:
        """Forget a finished fit's thread; a newer fit may already be running."""
        if self._thread is not thread:
            return
        self._busy = False
        thread.deleteLater()
        if worker is not None:
            worker.deleteLater()
        self._thread, self._worker = None, None
        self.stopped.emit()
