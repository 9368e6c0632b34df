"""Fitting from the main window: the settings dialog, the worker, and adopting the result."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from topicdesk.analysis.carryover import CarryOverPlan
from topicdesk.application import stability_check
from topicdesk.application.fitting import Adopted, adopt, plan_for
from topicdesk.application.projects import reuses_embeddings, summarize
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.gui.busy import busy
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
        self._job = "fit"  # what the fitting process is doing: "fit" or "stability"

    def offer_first_fit(self, project: Project) -> None:
        """Show a new, unfitted project and offer the fit settings straight away."""
        self.window.session.replace(project, None, dirty=True)
        self.fit_dialog()

    def fit_dialog(self) -> None:
        project = self.window.session.project
        if project is None or self.window.fits.running:
            return
        dialog = FitDialog(
            project.settings,
            summarize(project, before_fit=True),
            self.window,
            reuses=partial(reuses_embeddings, project),
        )
        if dialog.exec():
            self.start_fit(dialog.settings())

    def start_fit(self, settings: FitSettings) -> None:
        self._job = "fit"
        self.window.progress.start()
        self.window.guard(self.window.fits.start, self.window.session.project, settings)
        self.window.refresh_actions()

    def check_stability(self) -> None:
        """Topics › Check stability: the clustering again with other seeds, in the fitting
        process (the embeddings are reused), then each topic's figure stored as an edit."""
        project = self.window.session.project
        if project is None or not project.fitted or self.window.fits.running:
            return
        self._job = "stability"
        self.window.progress.start()
        self.window.guard(self.window.fits.start, project, project.settings, stability_check.TARGET)
        self.window.refresh_actions()

    def _stability_checked(self, result) -> None:
        project = self.window.session.project
        with busy():
            report = stability_check.report_from(project, result)
            self.window.session.apply(report.edit())
        lines = report.summary_lines()  # the second, topics found in every run, leads
        box = QMessageBox(QMessageBox.Information, "Stability", lines[1])
        # what was done, the figures, what "found" means, and apart what it cannot show
        box.setInformativeText("\n\n".join([lines[0], "\n".join(lines[2:-2]), *lines[-2:]]))
        box.setParent(self.window, box.windowFlags())
        box.exec()

    def _finished(self, result, settings) -> None:
        """Adopt the fit; carry the researcher's work over as one undoable step; say so."""
        self.window.progress.stop()
        if self._job == "stability":
            self._job = "fit"
            self._stability_checked(result)
            return
        project = self.window.session.project
        with busy():
            plan = plan_for(project, result)
            adopted = adopt(project, result, settings)
            self.window.selection.clear()
            self.window.session.fitted()
            if plan is not None and not plan.empty:
                self.window.session.apply(plan.edit)
        self.window.statusBar().showMessage(adopted.sentence(), 8000)
        if adopted.warnings or (plan is not None and not plan.empty):
            self._report(adopted, plan)

    def _report(self, adopted: Adopted, plan: CarryOverPlan | None) -> None:
        """The fit's warnings, and what of the earlier work was carried over and what not."""
        lines = list(adopted.warnings)
        if plan is not None and not plan.empty:
            lines.append(
                "Your names, notes, colours and placed documents were carried over to the "
                "new topics that share most documents with the old ones (Edit › Undo gives "
                "the refit without them)."
            )
        box = QMessageBox(QMessageBox.Information, "Topics fitted", adopted.sentence() + ".")
        box.setInformativeText("\n\n".join(lines))
        if plan is not None and not plan.empty:
            box.setDetailedText("\n".join(plan.summary_lines()))
        box.setParent(self.window, box.windowFlags())
        box.exec()

    def _failed(self, message: str, details: str) -> None:
        self.window.progress.stop()
        self.window.show_error(message, details)
        self.window.refresh_actions()

    def _cancelled(self) -> None:
        kept = self.window.progress.kept
        self.window.progress.stop()
        message = "Fit cancelled; nothing was changed"
        if kept is not None and kept.embedded:
            message = (
                f"Fit cancelled; the topics are unchanged. The {kept.embedded:,} documents "
                "embedded so far are kept: the next fit of this corpus resumes from them"
            )
        self.window.statusBar().showMessage(message, 12000)
        self.window.refresh_actions()
