"""Fitting from the main window: the settings dialog, the worker, and adopting the result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from topicdesk.application.fitting import adopt
from topicdesk.application.projects import has_human_work, summarize
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.gui.dialogs.fit_dialog import FitDialog

if TYPE_CHECKING:
    from topicdesk.gui.main_window import MainWindow


class FitCommands(QObject):
    """Asks for settings, runs the fit on the worker and adopts what it finds."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        fits = window.fits
        fits.progress.connect(window.progress.show_event)
        fits.finished.connect(self._finished)
        fits.failed.connect(self._failed)
        fits.cancelled.connect(self._cancelled)
        window.progress.cancelRequested.connect(fits.cancel)

    def offer_first_fit(self, project: Project) -> None:
        """Show a new, unfitted project and offer the fit settings straight away."""
        self.window.session.replace(project, None, dirty=True)
        self.fit_dialog()

    def fit_dialog(self) -> None:
        project = self.window.session.project
        if project is None or self.window.fits.running:
            return
        dialog = FitDialog(project.settings, summarize(project, long_texts=True), self.window)
        if not dialog.exec():
            return
        if has_human_work(project):
            answer = QMessageBox.question(
                self.window,
                "Refit topics",
                "Refitting replaces the topics and your edits to them "
                "(the edit log is kept). Continue?",
                QMessageBox.Yes | QMessageBox.No,
                QMessageBox.No,
            )
            if answer != QMessageBox.Yes:
                return
        self.start_fit(dialog.settings())

    def start_fit(self, settings: FitSettings) -> None:
        self.window.progress.start()
        self.window.guard(self.window.fits.start, self.window.session.project, settings)
        self.window.refresh_actions()

    def _finished(self, result, settings) -> None:
        self.window.progress.stop()
        adopted = adopt(self.window.session.project, result, settings)
        self.window.selection.clear()
        self.window.session.fitted()
        self.window.statusBar().showMessage(adopted.sentence(), 8000)

    def _failed(self, message: str, details: str) -> None:
        self.window.progress.stop()
        self.window.show_error(message, details)
        self.window.refresh_actions()

    def _cancelled(self) -> None:
        self.window.progress.stop()
        self.window.statusBar().showMessage("Fit cancelled; nothing was changed", 6000)
        self.window.refresh_actions()
