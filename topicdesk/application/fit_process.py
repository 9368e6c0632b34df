"""Fits in a process of their own, so the window's thread never waits for the fit's code.

In a thread of the app's own process, a fit held Python's global lock for up to a second
at a time (importing torch and transformers, OpenVINO converting the model, SciPy and
numba code inside UMAP), and the window stopped drawing each time: on 3,000 paragraphs
gaps of up to 0.61 s while the model loaded and 0.38 s in the first layouts, 0.95 s on
a computer's first fit, which compiles UMAP (docs/benchmarks.md, "Window during a fit";
here none over 36 ms). Here the app only sends the job, relays progress and receives
the result. The process is started at the first fit and kept for the next ones, so the
language model, OpenVINO's compiled copy and UMAP's compiled code stay loaded; it is
started with "spawn" (a clean interpreter, no copy of the window's state) and switches
the offline mode on itself. Jobs and results travel as JSON and raw arrays
(:mod:`fit_messages`), never pickled; cancelling sets an event both processes share and
takes effect at the next batch, as in a thread.
"""

from __future__ import annotations

import atexit
import importlib
import multiprocessing
import multiprocessing.util
import signal
import threading
import traceback
import weakref
from collections.abc import Callable

from topicdesk.application import fit_messages
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline.progress import Progress, ProgressEvent
from topicdesk.pipeline.runner import FitResult

TARGET = "topicdesk.application.fitting:fit"  # what a job runs: module:function
MEMORY = "There is not enough memory for this corpus; close other programs or use fewer documents."
_open: weakref.WeakSet[FitProcess] = weakref.WeakSet()


class FitFailed(Exception):
    """A fit ended with an error; ``message`` is for the researcher, ``details`` for a report."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """One sentence for the dialog and, for unexpected errors only, the traceback."""
    if isinstance(exc, TopicDeskError):
        return str(exc), ""
    if isinstance(exc, MemoryError):
        return MEMORY, ""
    details = "".join(traceback.format_exception(exc))
    return f"The fit stopped because of an unexpected problem: {exc}", details


def _resolve(target: str) -> Callable[[Project, FitSettings, Progress], FitResult]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _run_job(
    header: dict, arrays: list, report: Callable[[ProgressEvent], None], cancel_flag
) -> tuple[dict, list]:
    """Run one job and return the reply: the result, "cancelled" or "failed"."""
    try:
        project, settings, target = fit_messages.decode_job(header, arrays)
        del header, arrays  # the project holds what is needed of them
        result = _resolve(target)(project, settings, Progress(report, cancel_flag))
        return fit_messages.encode_result(result)
    except Cancelled:
        return {"kind": "cancelled"}, []
    except (BrokenPipeError, EOFError, ConnectionResetError):
        raise  # the app has gone
    except Exception as exc:  # noqa: BLE001 - every failure goes back as a message
        text, details = describe_failure(exc)
        return {"kind": "failed", "message": text, "details": details}, []


def serve(conn, cancel_flag) -> None:
    """The fitting process: run jobs one at a time until told to quit or the app is gone."""
    from topicdesk.pipeline import embed, warmup

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is the app's to handle
    embed.set_offline(True)
    sending = threading.Lock()  # UMAP layouts report from two threads
    between_jobs = threading.Lock()  # held by each job, so the int8 model is swapped in between

    def reply(header: dict, arrays: list | tuple = ()) -> None:
        with sending:
            fit_messages.send(conn, header, arrays)

    def report(event: ProgressEvent) -> None:
        reply(fit_messages.encode_event(event))

    try:
        while True:
            header, arrays = fit_messages.receive(conn)
            if header["op"] == "quit":
                return
            if header["op"] == "warm_up":
                for step in (warmup.warm_up, warmup.load_default_model):
                    try:
                        step()
                    except Exception:  # noqa: BLE001, S110 - the first fit then does it itself
                        pass
                reply({"kind": "ready"})
                if header.get("calibration"):
                    try:
                        warmup.prepare_int8(header["calibration"], between_jobs)
                    except Exception:  # noqa: BLE001, S110 - fits stay on bfloat16
                        pass
                continue
            with between_jobs:
                reply(*_run_job(header, arrays, report, cancel_flag))
    except (BrokenPipeError, EOFError, ConnectionResetError):
        return  # the app has gone: nothing is left to report to


class FitProcess:
    """The app's side of the fitting process: start it, run fits in it, cancel, end it.

    ``fit`` blocks until the fit ends, so it is called from a worker thread; waiting on
    the pipe does not hold Python's lock, so the window keeps drawing. ``cancel``,
    ``terminate`` and ``close`` are called from the window's thread.
    """

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._process = None
        self._conn = None
        self._cancel = None  # an Event shared with the process, made when it starts
        self._busy = False
        self._closing = False
        _open.add(self)

    @property
    def alive(self) -> bool:
        process = self._process
        return process is not None and process.is_alive()

    def _ensure_started(self) -> None:
        if self.alive:
            return
        self._forget()
        ours, theirs = self._context.Pipe(duplex=True)
        cancel = self._context.Event()
        process = self._context.Process(
            target=serve, args=(theirs, cancel), name="topicdesk-fit", daemon=False
        )
        process.start()
        theirs.close()  # only the child holds its end now, so its exit reads as EOF here
        self._process, self._conn, self._cancel, self._closing = process, ours, cancel, False

    def _forget(self) -> int | None:
        """Drop the pipe and the (ended or ending) process; returns its exit code."""
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        process.join(1.0)
        return process.exitcode

    def warm_up(self, calibration: str | None = None) -> None:
        """Start the process and have it load UMAP's compiled code and the model before
        the first fit; with ``calibration`` (a CSV file with a ``text`` column) it also
        builds the model's int8 copy in the background where the CPU can use one."""
        if self._busy:
            return
        self._ensure_started()
        fit_messages.send(self._conn, {"op": "warm_up", "calibration": calibration})

    def fit(
        self,
        project: Project,
        settings: FitSettings,
        on_progress: Callable[[ProgressEvent], None],
        target: str = TARGET,
    ) -> FitResult:
        """Run ``target`` on the project in the process and return its result.

        Raises ``Cancelled`` after ``cancel`` (or ``terminate``), ``FitFailed`` with the
        process's description of anything else that went wrong.
        """
        self._ensure_started()
        self._cancel.clear()
        self._busy = True
        conn = self._conn
        try:
            fit_messages.send(conn, *fit_messages.encode_job(project, settings, target))
            while True:
                header, arrays = fit_messages.receive(conn)
                kind = header["kind"]
                if kind == "progress":
                    on_progress(fit_messages.decode_event(header))
                elif kind == "result":
                    return fit_messages.decode_result(header, arrays)
                elif kind == "cancelled":
                    raise Cancelled()
                elif kind == "failed":
                    raise FitFailed(header["message"], header["details"])
        except (EOFError, OSError) as exc:  # the process ended in the middle of the fit
            code = self._forget()
            if self._closing or self._cancel.is_set():
                raise Cancelled() from exc
            raise FitFailed(
                "The fit stopped because its process ended unexpectedly"
                + (f" (exit code {code})" if code is not None else "")
                + "; this happens when memory runs out. Close other programs or use "
                "fewer documents, then fit again."
            ) from exc
        except (Cancelled, FitFailed):
            raise
        except BaseException:  # a message we could not read: start afresh next time
            self.terminate()
            self._forget()
            raise
        finally:
            self._busy = False

    def cancel(self) -> None:
        """Ask the running fit to stop after its current batch."""
        if self._cancel is not None:
            self._cancel.set()

    def terminate(self) -> None:
        """End the process now, in the middle of whatever it does (a fit then reads as
        cancelled); the next fit starts a new one."""
        self._closing = True
        self.cancel()
        process = self._process
        if process is not None and process.is_alive():
            process.terminate()

    def close(self, timeout: float = 5.0) -> None:
        """End the process: a quiet quit when it is idle, else (or after ``timeout`` s)
        terminated. Call when no fit is waiting on it any more, or after ``terminate``."""
        self._closing = True
        self.cancel()
        process, conn = self._process, self._conn
        if process is None:
            return
        if not self._busy and process.is_alive() and conn is not None:
            try:
                fit_messages.send(conn, {"op": "quit"})
            except OSError:
                pass
            process.join(timeout)
        if process.is_alive():
            process.terminate()
            process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
        if not self._busy:
            self._forget()


@atexit.register
def _close_all() -> None:
    """Never leave a fitting process behind, whatever way the app ends."""
    for process in list(_open):
        process.close(timeout=1.0)
