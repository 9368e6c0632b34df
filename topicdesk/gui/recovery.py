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


def _origin_file(recovery: Path) -> Path:
    """Beside the recovery file: the project file the unsaved work belongs to, if any."""
    return recovery.with_name(recovery.name + ".origin")


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
            origin = _origin_file(self.path)
            if self.session.path is not None:
                origin.write_text(str(self.session.path.resolve()), encoding="utf-8")
            else:
                origin.unlink(missing_ok=True)
            self.last_error = ""
        except (TopicDeskError, OSError) as exc:  # autosave must never interrupt work
            self.last_error = str(exc)

    def discard(self) -> None:
        """Forget the recovery file (after a save or a clean close)."""
        for path in (self.path, _origin_file(self.path)):
            try:
                path.unlink(missing_ok=True)
            except OSError:  # a locked or read-only file: it is offered again at the next start
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
