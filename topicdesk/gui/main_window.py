"""The main window: composes the views, the session and the fit worker, and wires them.

The views never talk to each other directly: selection goes through one SelectionModel,
edits through the ProjectSession's undo stack, and fits through the FitController.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
)

from topicdesk.core.project import Project
from topicdesk.core.settings import DEFAULT_MODEL, suggest_min_topic_size
from topicdesk.core.state import UNASSIGNED
from topicdesk.errors import TopicDeskError
from topicdesk.gui.actions import build_actions
from topicdesk.gui.dialogs.about import show_about
from topicdesk.gui.dialogs.fit_dialog import FitDialog
from topicdesk.gui.dialogs.import_dialog import ImportDialog
from topicdesk.gui.progress_panel import ProgressPanel
from topicdesk.gui.recovery import AUTOSAVE_MS, Autosaver
from topicdesk.gui.selection import SelectionModel
from topicdesk.gui.session import ProjectSession
from topicdesk.gui.start_screen import StartScreen, sample_corpus
from topicdesk.gui.views.corpus_table import CorpusTable
from topicdesk.gui.views.document_map import DocumentMap
from topicdesk.gui.views.topic_inspector import TopicInspector
from topicdesk.gui.worker import FitController
from topicdesk.io.readers import DELIMITED, WORKBOOKS, load_corpus
from topicdesk.resources import resources_root

PROJECT_FILTER = "TopicDesk projects (*.topicdesk)"
SPREADSHEET_FILTER = "Spreadsheets (*.csv *.tsv *.txt *.xlsx *.xlsm *.ods)"
MAX_RECENT = 8


class MainWindow(QMainWindow):
    """Corpus table, document map and topic inspector, linked by one selection."""

    def __init__(self, settings: QSettings | None = None, autosave_ms: int | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.session = ProjectSession(self)
        self.selection = SelectionModel(self)
        self.fits = FitController(self)
        self.autosaver = Autosaver(self.session, autosave_ms or AUTOSAVE_MS)
        self.setWindowTitle("TopicDesk")
        self.setAcceptDrops(True)

        self.map = DocumentMap()
        self.table = CorpusTable()
        self.inspector = TopicInspector()
        self.start = StartScreen()
        self.progress = ProgressPanel()
        self._build_layout()
        undo = self.session.undo_stack.createUndoAction(self, "&Undo")
        redo = self.session.undo_stack.createRedoAction(self, "&Redo")
        self.actions, self.menus, toolbar = build_actions(self, undo, redo)
        toolbar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        self.status_counts = QLabel("")
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.status_counts)
        self._wire()
        self._refresh_recent()
        self._restore_layout()
        self._update_enabled()

    # ----- construction ---------------------------------------------------------------
    def _build_layout(self) -> None:
        self.upper = QSplitter(Qt.Horizontal)
        self.upper.setObjectName("upper_splitter")
        self.upper.addWidget(self.inspector)
        self.upper.addWidget(self.map)
        self.upper.setStretchFactor(0, 0)
        self.upper.setStretchFactor(1, 1)
        self.outer = QSplitter(Qt.Vertical)
        self.outer.setObjectName("outer_splitter")
        self.outer.addWidget(self.upper)
        self.outer.addWidget(self.table)
        self.outer.setStretchFactor(0, 3)
        self.outer.setStretchFactor(1, 2)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.outer)
        self.setCentralWidget(self.stack)
        self._default_sizes()

    def _default_sizes(self) -> None:
        self.upper.setSizes([420, 980])
        self.outer.setSizes([560, 300])
        self.table.splitter.setSizes([820, 480])
        self.inspector.splitter.setSizes([250, 330])

    def _wire(self) -> None:
        s, sel = self.session, self.selection
        s.projectReplaced.connect(self._show_project)
        s.stateChanged.connect(self._show_state)
        s.dirtyChanged.connect(self._update_title)
        sel.changed.connect(self._show_selection)
        self.map.selectionRequested.connect(sel.select)
        self.map.pointActivated.connect(lambda row: sel.select([row]))
        self.table.selectionRequested.connect(sel.select)
        self.table.noteEdited.connect(lambda row, note: self._guard(s.document_note, [row], note))
        ins = self.inspector
        ins.topicsChosen.connect(self.show_topics)
        ins.renameRequested.connect(lambda tid, label: self._guard(s.rename, tid, label))
        ins.noteRequested.connect(lambda tid, note: self._guard(s.topic_note, tid, note))
        ins.mergeRequested.connect(lambda ids: self._guard(s.merge, ids))
        ins.moveHereRequested.connect(lambda tid: self._guard(s.move, sel.rows, tid))
        ins.newTopicRequested.connect(self.new_topic_from_selection)
        ins.deleteRequested.connect(lambda tid: self._confirm_delete(tid))
        ins.recomputeRequested.connect(self.recompute_keywords)
        ins.documentActivated.connect(lambda row: sel.select([row]))
        self.start.openSpreadsheet.connect(self.import_spreadsheet)
        self.start.openProject.connect(self.open_project_dialog)
        self.start.trySample.connect(self.open_sample)
        self.start.openRecent.connect(self.open_path)
        self.start.openGuide.connect(self.open_guide)
        self.progress.cancelRequested.connect(self.fits.cancel)
        self.fits.progress.connect(self.progress.show_event)
        self.fits.finished.connect(self._fit_finished)
        self.fits.failed.connect(self._fit_failed)
        self.fits.cancelled.connect(self._fit_cancelled)
        self.fits.stopped.connect(self._update_enabled)

    # ----- showing state ------------------------------------------------------------------
    def _colours_labels(self) -> tuple[dict[int, str], dict[int, str]]:
        state = self.session.project.state
        return (
            {t.id: t.colour for t in state.topics.values()},
            {t.id: t.label for t in state.topics.values()},
        )

    def _show_project(self) -> None:
        project = self.session.project
        self.selection.clear()
        if project is None:
            self.stack.setCurrentWidget(self.start)
            self._update_enabled()
            self._update_title()
            return
        self.stack.setCurrentWidget(self.outer)
        corpus = project.corpus
        self.table.set_corpus(corpus.table, corpus.text_column, corpus.texts)
        if project.fitted:
            colours, labels = self._colours_labels()
            self.map.set_points(
                project.row_coords(), project.state.assignments, colours, labels, corpus.texts
            )
        else:
            self.map.clear()
        self._show_state()
        self._update_title()

    def _show_state(self) -> None:
        project = self.session.project
        if project is None:
            return
        state = project.state
        colours, labels = self._colours_labels()
        self.map.update_topics(state.assignments, colours, labels)
        self.table.set_topics(state.assignments, labels, colours)
        self.table.set_notes(state.doc_notes)
        if project.fitted:
            self.inspector.set_topics(state.sorted_topics(), state.sizes(), project.corpus.texts)
        else:
            self.inspector.set_topics([], {}, project.corpus.texts)
        self.map.highlight_topics(self.inspector.chosen_topics())
        self._show_selection(self.selection.rows)
        self._update_enabled()

    def _show_selection(self, rows: np.ndarray) -> None:
        self.map.set_selection(rows)
        self.table.set_selection(rows)
        self.inspector.set_document_selection_count(len(rows))
        self._update_status()
        self._update_enabled()

    def show_topics(self, ids: list[int]) -> None:
        """Choose topics in the inspector and bring them forward on the map and in the table."""
        if self.inspector.chosen_topics() != ids:
            self.inspector.choose_topics(ids)
        self.map.highlight_topics(ids)
        self.table.show_topics(ids)

    def _update_status(self) -> None:
        project = self.session.project
        if project is None:
            self.status_counts.setText("")
            return
        n = len(project.corpus)
        parts = [f"{n:,} documents"]
        if project.fitted:
            parts.append(f"{len(project.state.topics):,} topics")
        if len(self.selection.rows):
            parts.append(f"{len(self.selection.rows):,} selected")
        self.status_counts.setText(" · ".join(parts))

    def _update_title(self, *_args) -> None:
        name = (
            self.session.path.name
            if self.session.path
            else (
                f"{self.session.project.corpus.source_name} (not saved)"
                if self.session.project
                else ""
            )
        )
        self.setWindowTitle(f"{name}[*] — TopicDesk" if name else "TopicDesk")
        self.setWindowModified(self.session.dirty)

    def _update_enabled(self) -> None:
        project = self.session.project
        has, fitted, running = (
            project is not None,
            bool(project and project.fitted),
            self.fits.running,
        )
        chosen = [t for t in self.inspector.chosen_topics() if t != UNASSIGNED]
        selected = len(self.selection.rows) > 0
        enable = {
            "save": has,
            "save_as": has,
            "export": fitted,
            "export_map": fitted,
            "fit": has and not running,
            "rename": fitted and len(chosen) == 1,
            "merge": fitted and len(chosen) >= 2,
            "new_topic": fitted and selected,
            "move": fitted and selected,
            "delete": fitted and len(chosen) == 1,
            "recompute": fitted,
            "reset_view": fitted,
            "find": fitted,
        }
        for name, on in enable.items():
            self.actions[name].setEnabled(on)
        self._update_status()

    # ----- errors -------------------------------------------------------------------------
    def show_error(self, message: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Warning, "TopicDesk", message, QMessageBox.Ok, self)
        if details:
            box.setDetailedText(details)
        box.exec()

    def _guard(self, func, *args):
        """Run an action; problems become a dialog and the app carries on."""
        try:
            return func(*args)
        except TopicDeskError as exc:
            self.show_error(str(exc))
        except Exception as exc:  # noqa: BLE001 - never let a slot take the app down
            self.show_error(f"Something went wrong: {exc}", traceback.format_exc())
        return None

    # ----- files -------------------------------------------------------------------------------
    def _ask_to_keep_changes(self) -> bool:
        """True if it is fine to drop the current project (saved, discarded or clean)."""
        if not self.session.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The project has unsaved changes. Save them first?",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel,
            QMessageBox.Save,
        )
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def _last_folder(self) -> str:
        return str(self.settings.value("last_folder", str(Path.home())))

    def import_spreadsheet(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Open a spreadsheet", self._last_folder(), SPREADSHEET_FILTER
            )
            if not path:
                return
        if not self._ask_to_keep_changes():
            return
        dialog = ImportDialog(path, self)
        if dialog.exec() and dialog.corpus is not None:
            self.settings.setValue("last_folder", str(Path(path).parent))
            self.start_project(Project(dialog.corpus))

    def start_project(self, project: Project) -> None:
        """Show a new, unfitted project and offer the fit settings straight away."""
        n = int(project.corpus.has_text.sum())
        project.settings = project.settings.replace(min_topic_size=suggest_min_topic_size(n))
        self.session.replace(project, None, dirty=True)
        self.fit_dialog()

    def open_sample(self) -> None:
        path = sample_corpus()
        if path is None or not self._ask_to_keep_changes():
            return
        corpus = self._guard(load_corpus, path, None, "text", "date", "party")
        if corpus is not None:
            self.start_project(Project(corpus))

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a project", self._last_folder(), PROJECT_FILTER
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Open a project, or import a spreadsheet, by its file name."""
        suffix = Path(path).suffix.lower()
        if suffix in DELIMITED | WORKBOOKS:
            self.import_spreadsheet(path)
            return
        if not self._ask_to_keep_changes():
            return
        from topicdesk.project.store import open_project

        project = self._guard(open_project, path)
        if project is not None:
            self.session.replace(project, Path(path))
            self._remember(path)

    def save(self) -> bool:
        if self.session.path is None:
            return self.save_as()
        return self._save_to(self.session.path)

    def save_as(self) -> bool:
        if self.session.project is None:
            return False
        stem = Path(self.session.project.corpus.source_name or "project").stem
        suggested = str(Path(self._last_folder()) / f"{stem}.topicdesk")
        path, _ = QFileDialog.getSaveFileName(self, "Save project", suggested, PROJECT_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".topicdesk"):
            path += ".topicdesk"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        from topicdesk.project.store import save_project

        try:
            save_project(self.session.project, path)
        except TopicDeskError as exc:
            self.show_error(str(exc))
            return False
        self.session.saved(path)
        self.autosaver.discard()
        self._remember(str(path))
        self._update_title()
        self.statusBar().showMessage(f"Saved {path.name}", 4000)
        return True

    def export_spreadsheet(self) -> None:
        from topicdesk.io.export import export_project

        project = self.session.project
        stem = Path(project.corpus.source_name or "topics").stem
        suggested = str(Path(self._last_folder()) / f"{stem}-topics.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export annotated spreadsheet", suggested, "Excel workbook (*.xlsx);;CSV (*.csv)"
        )
        if path:
            if Path(path).suffix.lower() not in (".xlsx", ".csv"):
                path += ".xlsx"
            if self._guard(export_project, project, path) is None and Path(path).exists():
                self.statusBar().showMessage(f"Exported {Path(path).name}", 4000)

    def export_map(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export map image",
            str(Path(self._last_folder()) / "map.png"),
            "PNG image (*.png);;SVG drawing (*.svg)",
        )
        if path:
            if Path(path).suffix.lower() not in (".png", ".svg"):
                path += ".png"
            self._guard(self.map.export_image, path)

    def _remember(self, path: str) -> None:
        recent = [p for p in self.settings.value("recent", [], type=list) if p != path]
        self.settings.setValue("recent", [path, *recent][:MAX_RECENT])
        self.settings.setValue("last_folder", str(Path(path).parent))
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        recent = [p for p in self.settings.value("recent", [], type=list) if Path(p).is_file()]
        menu = self.menus["recent"]
        menu.clear()
        for path in recent:
            menu.addAction(Path(path).name, lambda p=path: self.open_path(p)).setToolTip(path)
        menu.setEnabled(bool(recent))
        self.start.set_recent(recent)

    # ----- fitting ---------------------------------------------------------------------------
    def fit_dialog(self) -> None:
        project = self.session.project
        if project is None or self.fits.running:
            return
        dialog = FitDialog(project.settings, len(project.corpus), self)
        if not dialog.exec():
            return
        if (
            project.history.log
            and project.fitted
            and any(e.action == "do" for e in project.history.log)
        ):
            answer = QMessageBox.question(
                self,
                "Refit topics",
                "Refitting replaces the topics and your edits to them "
                "(the edit log is kept). Continue?",
                QMessageBox.Yes | QMessageBox.No,
                QMessageBox.No,
            )
            if answer != QMessageBox.Yes:
                return
        self.start_fit(dialog.settings())

    def start_fit(self, settings) -> None:
        self.progress.start()
        self._guard(self.fits.start, self.session.project, settings)
        self._update_enabled()

    def _fit_finished(self, result, settings) -> None:
        from topicdesk.pipeline.runner import apply_fit

        self.progress.stop()
        project = self.session.project
        apply_fit(project, result, settings)
        colours, labels = self._colours_labels()
        self.selection.clear()
        self.map.set_points(
            project.row_coords(), project.state.assignments, colours, labels, project.corpus.texts
        )
        self.session.fitted()
        unassigned = int(((project.state.assignments < 0) & project.corpus.has_text).sum())
        self.statusBar().showMessage(
            f"Found {len(project.state.topics)} topics in {sum(result.timings.values()):.0f} s; "
            f"{unassigned:,} documents unassigned",
            8000,
        )

    def _fit_failed(self, message: str, details: str) -> None:
        self.progress.stop()
        self.show_error(message, details)
        self._update_enabled()

    def _fit_cancelled(self) -> None:
        self.progress.stop()
        self.statusBar().showMessage("Fit cancelled; nothing was changed", 6000)
        self._update_enabled()

    # ----- topic actions ------------------------------------------------------------------------
    def _one_chosen(self) -> int | None:
        chosen = [t for t in self.inspector.chosen_topics() if t != UNASSIGNED]
        return chosen[0] if len(chosen) == 1 else None

    def rename_dialog(self) -> None:
        tid = self._one_chosen()
        if tid is None:
            return
        current = self.session.project.state.topics[tid].label
        label, ok = QInputDialog.getText(
            self, "Rename topic", f"New name for topic {tid}:", text=current
        )
        if ok and label.strip():
            self._guard(self.session.rename, tid, label)

    def merge_chosen(self) -> None:
        self._guard(self.session.merge, self.inspector.chosen_topics())

    def new_topic_from_selection(self) -> None:
        rows = self.selection.rows
        if not len(rows):
            return
        label, ok = QInputDialog.getText(
            self,
            "New topic",
            f"Name for a new topic of {len(rows):,} documents "
            "(leave empty to name it by its keywords):",
        )
        if ok:
            tid = self._guard(self.session.new_topic, rows, label)
            if tid is not None:
                self.show_topics([tid])

    def move_dialog(self) -> None:
        state = self.session.project.state
        rows = self.selection.rows
        if not len(rows):
            return
        names = [f"{t.id}: {t.label}" for t in state.sorted_topics()] + ["Unassigned"]
        choice, ok = QInputDialog.getItem(
            self, "Move documents", f"Move {len(rows):,} documents to:", names, 0, False
        )
        if ok:
            tid = UNASSIGNED if choice == "Unassigned" else int(choice.split(":", 1)[0])
            self._guard(self.session.move, rows, tid)

    def _confirm_delete(self, tid: int) -> None:
        size = int((self.session.project.state.assignments == tid).sum())
        answer = QMessageBox.question(
            self,
            "Delete topic",
            f"Delete topic {tid}? Its {size:,} documents become unassigned. You can undo this.",
            QMessageBox.Yes | QMessageBox.No,
        )
        if answer == QMessageBox.Yes:
            self._guard(self.session.delete, tid)

    def delete_chosen(self) -> None:
        tid = self._one_chosen()
        if tid is not None:
            self._confirm_delete(tid)

    def recompute_keywords(self) -> None:
        self._guard(self.session.recompute_keywords)

    # ----- view ----------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.map.search.setFocus()
        self.map.search.selectAll()

    def reset_map(self) -> None:
        self.map.reset_view()

    def reset_layout(self) -> None:
        self._default_sizes()

    def open_guide(self) -> None:
        guide = resources_root().parent / "docs" / "user-guide.md"
        if guide.is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide)))
        else:
            self.show_error("The user guide is not installed with this copy of TopicDesk.")

    def about(self) -> None:
        project = self.session.project
        show_about(self, project.settings.model if project else DEFAULT_MODEL)

    # ----- window state -------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        for splitter in self._splitters():
            state = self.settings.value(f"splitter/{splitter.objectName()}")
            if state is not None:
                splitter.restoreState(state)

    def _save_layout(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        for splitter in self._splitters():
            self.settings.setValue(f"splitter/{splitter.objectName()}", splitter.saveState())

    def _splitters(self) -> tuple[QSplitter, ...]:
        return (self.upper, self.outer, self.table.splitter, self.inspector.splitter)

    def closeEvent(self, event) -> None:
        if not self._ask_to_keep_changes():
            event.ignore()
            return
        self.fits.shutdown()
        self._save_layout()
        self.autosaver.discard()
        event.accept()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_path(urls[0])
