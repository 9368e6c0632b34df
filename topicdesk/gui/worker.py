"""Fitting in the background, so the window keeps drawing and Cancel works.

The fit runs in a process of its own (:mod:`topicdesk.application.fit_process`): in a
thread of this process it held Python's global lock for up to a second at a time and the
window froze. A worker thread here sends the job and waits on the pipe, which does not
hold the lock; progress crosses to the GUI thread as a queued signal.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from topicdesk.application.fit_process import TARGET, FitFailed, FitProcess, describe_failure
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline.progress import ProgressEvent
from topicdesk.resources import resources_root

CANCEL_GRACE_MS = 2000  # on closing, how long a running fit may take to stop by itself
QUIT_GRACE_S = 1.0  # and how long the idle process (or one still warming up) may take to quit


class FitWorker(QObject):
    """Runs one fit in the fitting process; lives on its own QThread."""

    progress = Signal(object)
    finished = Signal(object, object)
    failed = Signal(str, str)
    cancelled = Signal()

    def __init__(
        self, process: FitProcess, project: Project, settings: FitSettings, target: str
    ) -> None:
        super().__init__()
        self.process = process
        self.project = project
        self.settings = settings
        self.target = target

    def _report(self, event: ProgressEvent) -> None:
        self.progress.emit(event)

    @Slot()
    def run(self) -> None:
        try:
            result = self.process.fit(self.project, self.settings, self._report, self.target)
        except Cancelled:
            self.cancelled.emit()
        except FitFailed as exc:
            self.failed.emit(exc.message, exc.details)
        except Exception as exc:  # noqa: BLE001 - any failure must reach the user as a dialog
            self.failed.emit(*describe_failure(exc))
        else:
            self.finished.emit(result, self.settings)


class FitController(QObject):
    """Starts fits on a fresh thread, forwards their signals, and shuts them down cleanly.

    ``target`` (module:function) is what the fitting process runs; the default is the
    application's fit, the same as the CLI's.
    """

    started = Signal()
    progress = Signal(object)
    finished = Signal(object, object)
    failed = Signal(str, str)
    cancelled = Signal()
    stopped = Signal()

    def __init__(self, parent: QObject | None = None, target: str = TARGET) -> None:
        super().__init__(parent)
        self.target = target
        self._process = FitProcess()
        self._thread: QThread | None = None
        self._worker: FitWorker | None = None
        self._busy = False

    @property
    def running(self) -> bool:
        """True from start until the worker reports a result, an error or a cancel."""
        return self._busy

    def _done(self, *_args) -> None:
        self._busy = False

    def start(self, project: Project, settings: FitSettings, target: str | None = None) -> None:
        """Run ``target`` (module:function; the controller's own by default) on a project."""
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
        worker = FitWorker(self._process, project, settings, target or self.target)
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

    def warm_up(self) -> None:
        """Start the fitting process and have it load UMAP's compiled code and the model
        while the researcher picks a file (in this process it would stall the window
        instead); the sample corpus calibrates the int8 model it may build afterwards."""
        if not self._busy:
            self._process.warm_up(str(resources_root() / "sample_sotu.csv"))

    def cancel(self) -> None:
        if self._busy:
            self._process.cancel()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Stop a running fit and end the fitting process; True if both ended in time.

        A fit gets ``CANCEL_GRACE_MS`` to stop at its next batch; then its process is
        terminated (nothing of it is kept, so nothing is lost).
        """
        thread, worker = self._thread, self._worker
        ended = True
        if thread is not None:
            self.cancel()
            thread.quit()
            if not thread.wait(min(CANCEL_GRACE_MS, timeout_ms)):
                self._process.terminate()
                ended = thread.wait(timeout_ms)
            if ended:
                self._cleanup(thread, worker)
        if ended:
            self._process.close(timeout=QUIT_GRACE_S)
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
