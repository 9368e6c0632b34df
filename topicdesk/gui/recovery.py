"""Autosave to a recovery file while there are unsaved changes, and recovery after a crash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from topicdesk.errors import TopicDeskError
from topicdesk.gui.session import ProjectSession
from topicdesk.project.store import save_project

AUTOSAVE_MS = 60_000


def recovery_file() -> Path:
    """Where unsaved work is kept; one file per user."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)) / "recovery"
    return folder / "unsaved.topicdesk"


class Autosaver(QObject):
    """Saves the session's project to the recovery file every ``interval_ms`` while dirty."""

    def __init__(self, session: ProjectSession, interval_ms: int = AUTOSAVE_MS) -> None:
        super().__init__(session)
        self.session = session
        self.path = recovery_file()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        self.last_error = ""

    def save_now(self) -> None:
        if not self.session.dirty or self.session.project is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            save_project(self.session.project, self.path)
            self.last_error = ""
        except (TopicDeskError, OSError) as exc:  # autosave must never interrupt work
            self.last_error = str(exc)

    def discard(self) -> None:
        """Forget the recovery file (after a save or a clean close)."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError:  # a locked or read-only file: it is offered again at the next start
            pass

    def pending(self) -> Path | None:
        """A recovery file left by a session that did not close cleanly."""
        return self.path if self.path.is_file() else None
