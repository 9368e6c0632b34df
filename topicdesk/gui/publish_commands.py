"""Publishing and validation from the main window: report, QDA export, intrusion tests
and blind coding.

Validation work is saved in the project's records as it is given (it is not an undoable
edit), so each dialog's ``changed`` marks the project as having unsaved changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from topicdesk.application import publishing

if TYPE_CHECKING:
    from topicdesk.gui.main_window import MainWindow

QDA_FILTER = "REFI-QDA project (*.qdpx);;REFI-QDA codebook (*.qdc)"


class PublishCommands(QObject):
    """File › Export report / for QDA software, and the Validate menu."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _ask_path(self, title: str, suffix: str, filters: str) -> str | None:
        project = self.window.session.project
        stem = Path(project.corpus.source_name or "topics").stem
        folder = self.window.files.folder()
        path, chosen = QFileDialog.getSaveFileName(
            self.window, title, str(Path(folder) / f"{stem}{suffix}"), filters
        )
        if not path:
            return None
        if not Path(path).suffix:
            path += ".qdc" if "qdc" in chosen else suffix
        return path

    def _export(self, path: str | None) -> None:
        if path and self.window.exported(publishing.export_any, path):
            self.window.statusBar().showMessage(f"Exported {Path(path).name}", 5000)

    def export_report(self) -> None:
        self._export(self._ask_path("Export methods report", ".html", "Web page (*.html)"))

    def export_qda(self) -> None:
        self._export(self._ask_path("Export for QDA software", ".qdpx", QDA_FILTER))

    # ----- validation ------------------------------------------------------------------
    def _researcher(self) -> str:
        return str(self.window.settings.value("researcher", ""))

    def _run(self, dialog) -> None:
        dialog.changed.connect(self.window.session.records_changed)
        dialog.exec()
        name = getattr(dialog, "name", None)
        if name is not None and name.text().strip():
            self.window.settings.setValue("researcher", name.text().strip())

    def intrusion_test(self) -> None:
        from topicdesk.gui.dialogs.intrusion_dialog import IntrusionDialog

        project = self.window.session.project
        self._run(IntrusionDialog(project, self._researcher(), self.window))

    def blind_coding(self) -> None:
        from topicdesk.gui.dialogs.coding_dialog import BlindCodingDialog

        project = self.window.session.project
        self._run(BlindCodingDialog(project, self._researcher(), self.window))

    def validation_results(self) -> None:
        from topicdesk.gui.dialogs.validation_results import ValidationResultsDialog

        self._run(ValidationResultsDialog(self.window.session.project, self.window))
