"""Autosave to a recovery file while there are unsaved changes, and recovery after a crash."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError
from topicdesk.gui.session import ProjectSession
from topicdesk.project.store import save_project

AUTOSAVE_MS = 60_000


def recovery_file() -> Path:
    """Where unsaved work is kept; one file per user."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)) / "recovery"
    return folder / "unsaved.topicdesk"


def _origin_file(recovery: Path) -> Path:
    """Beside the recovery file: the project file the unsaved work belongs to, if any."""
    return recovery.with_name(recovery.name + ".origin")


class Autosaver(QObject):
    """Saves the session's project to the recovery file every ``interval_ms`` while dirty.

    The window only takes a snapshot (:meth:`Project.snapshot`); a thread writes it, so
    the researcher's work is not paused while the file is written (0.14-0.18 s a minute
    on a mid-sized project, growing with the corpus). One write at a time; a write that
    a save or a clean close has overtaken (see :meth:`discard`) writes nothing.
    """

    def __init__(self, session: ProjectSession, interval_ms: int = AUTOSAVE_MS) -> None:
        super().__init__(session)
        self.session = session
        self.path = recovery_file()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        self.last_error = ""
        self._lock = threading.Lock()  # held while the recovery files are written or removed
        self._generation = 0  # raised by discard: older snapshots are stale
        self._writer: threading.Thread | None = None

    def save_now(self) -> None:
        if not self.session.dirty or self.session.project is None:
            return
        if self._writer is not None and self._writer.is_alive():
            return  # the last snapshot is still being written; the next tick takes a new one
        snapshot = self.session.project.snapshot()
        origin = self.session.path.resolve() if self.session.path is not None else None
        self._writer = threading.Thread(
            target=self._write,
            args=(snapshot, origin, self._generation),
            name="topicdesk-autosave",
            daemon=True,
        )
        self._writer.start()

    def _write(self, snapshot: Project, origin: Path | None, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # saved or closed since the snapshot: nothing to recover
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                origin_file = _origin_file(self.path)  # first, so a found file has its origin
                if origin is not None:
                    origin_file.write_text(str(origin), encoding="utf-8")
                else:
                    origin_file.unlink(missing_ok=True)
                save_project(snapshot, self.path)
                self.last_error = ""
            except (TopicDeskError, OSError) as exc:  # autosave must never interrupt work
                self.last_error = str(exc)

    def wait(self, timeout: float | None = None) -> None:
        """Until the write under way (if any) has finished."""
        if self._writer is not None:
            self._writer.join(timeout)

    def discard(self) -> None:
        """Forget the recovery file (after a save or a clean close), and any write under way."""
        with self._lock:
            self._generation += 1
            for path in (self.path, _origin_file(self.path)):
                try:
                    path.unlink(missing_ok=True)
                except OSError:  # a locked or read-only file: offered again at the next start
                    pass

    def pending(self) -> Path | None:
        """A recovery file left by a session that did not close cleanly."""
        return self.path if self.path.is_file() else None

    def origin(self) -> Path | None:
        """The project file the pending work was autosaved from (None for a new project)."""
        try:
            text = _origin_file(self.path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return Path(text) if text else None

    def describe(self) -> str:
        """What the pending work is, for the question whether to recover it: which project
        and when it was last autosaved, so the researcher knows what "No" throws away."""
        origin = self.origin()
        what = f"on {origin.name}" if origin is not None else "on a new project that was never saved"
        try:
            saved = datetime.fromtimestamp(self.path.stat().st_mtime)
        except OSError:
            return f"TopicDesk closed unexpectedly while you were working {what}."
        day = "today" if saved.date() == datetime.now().date() else saved.strftime("%d %B %Y")
        return (
            f"TopicDesk closed unexpectedly while you were working {what}. "
            f"Its changes were last autosaved {day} at {saved:%H:%M}."
        )
