"""File commands of the main window: open, import, save, export, recent files.

The decisions (what kind of file, how to read it, where a project's suffix goes) are
the application layer's; this module asks the researcher for names and shows results.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from topicdesk.application.files import (
    PROJECT_SUFFIX,
    SPREADSHEET_SUFFIXES,
    FileKind,
    file_kind,
    with_project_suffix,
)
from topicdesk.application.projects import open_project, start_project
from topicdesk.errors import TopicDeskError
from topicdesk.gui.dialogs.import_dialog import ImportDialog
from topicdesk.gui.start_screen import sample_corpus

if TYPE_CHECKING:
    from topicdesk.gui.main_window import MainWindow

PROJECT_FILTER = f"TopicDesk projects (*{PROJECT_SUFFIX})"
SPREADSHEET_FILTER = (
    "Spreadsheets (" + " ".join(f"*{s}" for s in sorted(SPREADSHEET_SUFFIXES)) + ")"
)
MAX_RECENT = 8


class FileCommands(QObject):
    """Opening, saving and exporting for one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    @property
    def session(self):
        return self.window.session

    def folder(self) -> str:
        return str(self.window.settings.value("last_folder", str(Path.home())))

    def ask_to_keep_changes(self) -> bool:
        """True if it is fine to drop the current project (saved, discarded or clean)."""
        if not self.session.dirty:
            return True
        answer = QMessageBox.question(
            self.window,
            "Unsaved changes",
            "The project has unsaved changes. Save them first?",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel,
            QMessageBox.Save,
        )
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    # ----- opening -------------------------------------------------------------------
    def import_spreadsheet(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self.window, "Open a spreadsheet", self.folder(), SPREADSHEET_FILTER
            )
            if not path:
                return
        if not self.ask_to_keep_changes():
            return
        dialog = ImportDialog(path, self.window)
        if dialog.exec() and dialog.corpus is not None:
            self.window.settings.setValue("last_folder", str(Path(path).parent))
            self.window.fitting.offer_first_fit(start_project(dialog.corpus, dialog.language))

    def open_sample(self) -> None:
        from topicdesk.io.readers import load_corpus

        path = sample_corpus()
        if path is None or not self.ask_to_keep_changes():
            return
        corpus = self.window.guard(load_corpus, path, None, "text", "date", "party")
        if corpus is not None:
            self.window.fitting.offer_first_fit(start_project(corpus))

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open a project", self.folder(), PROJECT_FILTER
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Open a project, or import a spreadsheet, by its file name."""
        kind = self.window.guard(file_kind, path)
        if kind is FileKind.SPREADSHEET:
            self.import_spreadsheet(path)
        elif kind is FileKind.PROJECT and self.ask_to_keep_changes():
            project = self.window.guard(open_project, path)
            if project is not None:
                self.session.replace(project, Path(path))
                self.remember(path)

    # ----- saving --------------------------------------------------------------------
    def save(self) -> bool:
        if self.session.path is None:
            return self.save_as()
        return self._save_to(self.session.path)

    def save_as(self) -> bool:
        if self.session.project is None:
            return False
        stem = Path(self.session.project.corpus.source_name or "project").stem
        suggested = str(Path(self.folder()) / f"{stem}{PROJECT_SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save project", suggested, PROJECT_FILTER
        )
        if not path:
            return False
        return self._save_to(with_project_suffix(path))

    def _save_to(self, path: Path) -> bool:
        from topicdesk.project.store import save_project

        try:
            save_project(self.session.project, path)
        except TopicDeskError as exc:
            self.window.show_error(str(exc))
            return False
        self.session.saved(path)
        self.window.autosaver.discard()
        self.remember(str(path))
        self.window.statusBar().showMessage(f"Saved {path.name}", 4000)
        return True

    # ----- exporting -----------------------------------------------------------------
    def export_spreadsheet(self) -> None:
        from topicdesk.application.publishing import export_workbook

        project = self.session.project
        stem = Path(project.corpus.source_name or "topics").stem
        suggested = str(Path(self.folder()) / f"{stem}-topics.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Export annotated spreadsheet",
            suggested,
            "Excel workbook (*.xlsx);;CSV (*.csv)",
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".xlsx", ".csv"):
            path += ".xlsx"
        if self.window.exported(export_workbook, path):
            self.window.statusBar().showMessage(f"Exported {Path(path).name}", 4000)

    def export_map(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Export map image",
            str(Path(self.folder()) / "map.png"),
            "PNG image (*.png);;SVG drawing (*.svg)",
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".png", ".svg"):
            path += ".png"
        self.window.guard(self.window.map.export_image, path)

    # ----- recent files --------------------------------------------------------------
    def remember(self, path: str) -> None:
        settings = self.window.settings
        recent = [p for p in settings.value("recent", [], type=list) if p != path]
        settings.setValue("recent", [path, *recent][:MAX_RECENT])
        settings.setValue("last_folder", str(Path(path).parent))
        self.refresh_recent()

    def refresh_recent(self) -> None:
        settings = self.window.settings
        recent = [p for p in settings.value("recent", [], type=list) if Path(p).is_file()]
        menu = self.window.menus["recent"]
        menu.clear()
        for path in recent:
            menu.addAction(Path(path).name, lambda p=path: self.open_path(p)).setToolTip(path)
        menu.setEnabled(bool(recent))
        self.window.start.set_recent(recent)
