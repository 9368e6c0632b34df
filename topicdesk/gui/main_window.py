"""The main window: composes the views, the shared models and the commands, and wires them.

The views never talk to each other: they observe the Qt-free shared models (the
selection of documents, the chosen topics, the search) and the session's project.
Commands live in small controllers (files, fitting, topics); each menu item, shortcut
and panel button is one action whose enable rule is declared in :mod:`gui.actions`.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
)

from topicdesk.application.enablement import Situation
from topicdesk.application.projects import display_texts, summarize
from topicdesk.core.search import Search
from topicdesk.core.selection import Selection, TopicChoice
from topicdesk.core.settings import DEFAULT_MODEL
from topicdesk.errors import TopicDeskError
from topicdesk.gui.actions import build_actions
from topicdesk.gui.dialogs.about import show_about
from topicdesk.gui.file_commands import FileCommands
from topicdesk.gui.fit_commands import FitCommands
from topicdesk.gui.map_colouring import MapColouring
from topicdesk.gui.progress_panel import ProgressPanel
from topicdesk.gui.publish_commands import PublishCommands
from topicdesk.gui.recovery import AUTOSAVE_MS, Autosaver
from topicdesk.gui.session import ProjectSession
from topicdesk.gui.start_screen import StartScreen
from topicdesk.gui.topic_commands import TopicCommands
from topicdesk.gui.views.corpus_table import CorpusTable
from topicdesk.gui.views.document_map import DocumentMap
from topicdesk.gui.views.topic_inspector import TopicInspector
from topicdesk.gui.views.topics_by_group import TopicsByGroup
from topicdesk.gui.views.topics_over_time import TopicsOverTime
from topicdesk.gui.worker import FitController

CHART_HEIGHT = 560


class MainWindow(QMainWindow):
    """Corpus table, document map and topic inspector, linked by shared models."""

    def __init__(self, settings: QSettings | None = None, autosave_ms: int | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.session = ProjectSession(self)
        self.selection = Selection()
        self.choice = TopicChoice()
        self.search = Search()
        self.fits = FitController(self)
        self.autosaver = Autosaver(self.session, autosave_ms or AUTOSAVE_MS)
        self.setWindowTitle("TopicDesk")
        self.setAcceptDrops(True)

        self.map = DocumentMap()
        self.table = CorpusTable()
        self.inspector = TopicInspector()
        self.over_time = TopicsOverTime()
        self.by_group = TopicsByGroup()
        self.start = StartScreen()
        self.progress = ProgressPanel()
        self._build_layout()
        self.files = FileCommands(self)
        self.fitting = FitCommands(self)
        self.topics = TopicCommands(self)
        self.publish = PublishCommands(self)
        self.colouring = MapColouring(self)
        undo = self.session.undo_stack.createUndoAction(self, "&Undo")
        redo = self.session.undo_stack.createRedoAction(self, "&Redo")
        self.actions, self.menus, toolbar = build_actions(self, undo, redo)
        toolbar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        self.inspector.set_actions(self.actions)
        self.status_counts = QLabel("")
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.status_counts)
        self._wire()
        self.files.refresh_recent()
        self._restore_layout()
        self.refresh_actions()

    # ----- construction ---------------------------------------------------------------
    def _build_layout(self) -> None:
        self.upper = QSplitter(Qt.Horizontal)
        self.upper.setObjectName("upper_splitter")
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self._tabs = [self.map, self.over_time, self.by_group]
        self.views.addTab(self.map, "Map")
        for chart, title in ((self.over_time, "Over time"), (self.by_group, "By group")):
            chart.setMinimumHeight(CHART_HEIGHT)  # three panels stay readable in a low window
            scroll = QScrollArea()  # charts scroll in a small window rather than squeeze
            scroll.setWidget(chart)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.NoFrame)
            self.views.addTab(scroll, title)
        self.views.setTabToolTip(1, "Each topic's share of the documents per period")
        self.views.setTabToolTip(
            2, "Each topic's share of the documents per group, and differences"
        )
        self.views.currentChanged.connect(lambda _i: self._refresh_chart())
        self.upper.addWidget(self.inspector)
        self.upper.addWidget(self.views)
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
        s = self.session
        s.projectReplaced.connect(self._show_project)
        s.fitAdopted.connect(self._show_project)
        s.stateChanged.connect(self._show_state)
        s.dirtyChanged.connect(self._update_title)
        for view in (self.map, self.table):
            view.bind(self.selection, self.choice, self.search)
        for chart in (self.over_time, self.by_group):
            chart.bind(self.selection, self.choice)
        self.over_time.periodChanged.connect(self._period_changed)
        self.inspector.bind(self.choice)
        self.selection.changed.connect(lambda _rows: self.refresh_actions())
        self.choice.changed.connect(lambda _ids: self.refresh_actions())
        self.table.noteEdited.connect(lambda row, note: self.guard(s.document_note, [row], note))
        self.inspector.renameRequested.connect(lambda tid, label: self.guard(s.rename, tid, label))
        self.inspector.noteRequested.connect(lambda tid, note: self.guard(s.topic_note, tid, note))
        self.inspector.ignoreWordRequested.connect(self.topics.ignore_word)
        self.inspector.documentActivated.connect(lambda row: self.selection.select([row]))
        self.start.openSpreadsheet.connect(self.files.import_spreadsheet)
        self.start.openProject.connect(self.files.open_project_dialog)
        self.start.trySample.connect(self.files.open_sample)
        self.start.openRecent.connect(self.files.open_path)
        self.start.openGuide.connect(self.open_guide)
        self.fits.stopped.connect(self.refresh_actions)

    # ----- showing the project ----------------------------------------------------------
    def _show_project(self) -> None:
        """A new project or a new fit: everything is drawn afresh."""
        project = self.session.project
        self.selection.clear()
        if project is None:
            self.choice.clear()
            self.stack.setCurrentWidget(self.start)
            self.refresh_actions()
            self._update_title()
            return
        self.stack.setCurrentWidget(self.outer)
        corpus = project.corpus
        texts = display_texts(project)
        self.search.set_texts(texts)
        self.table.set_corpus(corpus.table, corpus.text_column, texts)
        self.table.variable_filters.set_project(project)
        if project.fitted:
            state = project.state
            self.map.set_points(
                project.row_coords(),
                state.assignments,
                {t.id: t.colour for t in state.topics.values()},
                {t.id: t.label for t in state.topics.values()},
                texts,
                variables=corpus.table.drop(columns=[corpus.text_column]),
            )
        else:
            self.map.clear()
        for chart in (self.over_time, self.by_group):
            chart.show_project(project)
        self._show_state()
        self.colouring.refresh()
        self._update_title()

    def _show_state(self) -> None:
        """Topics or assignments changed (an edit, undo or redo): views follow."""
        project = self.session.project
        if project is None:
            return
        state = project.state
        colours = {t.id: t.colour for t in state.topics.values()}
        labels = {t.id: t.label for t in state.topics.values()}
        branches = state.branches()
        self.map.set_branches(branches)
        self.map.update_topics(state.assignments, colours, labels)
        self.table.set_topics(state.assignments, labels, colours, branches)
        self.table.set_notes(state.doc_notes)
        self.table.model.set_stability(state.doc_stability if project.fitted else None)
        topics = state.sorted_topics() if project.fitted else []
        self.inspector.set_topics(topics, state.sizes() if topics else {}, display_texts(project))
        self.choice.keep_only(state.topics)
        self.map.highlight_topics(self.choice.ids)
        self.map.set_selection(self.selection.rows)
        self.colouring.after_edit()
        self._refresh_chart()
        self.refresh_actions()

    def _refresh_chart(self) -> None:
        """Recount the chart on show (the hidden one waits until its tab is chosen)."""
        chart = self.current_view()
        if chart is not self.map and self.session.project is not None:
            chart.refresh(self.session.project)

    def _period_changed(self, _period: str) -> None:
        """The period chosen for the charts is kept in the project (and colours the map)."""
        self.session.records_changed()
        self.colouring.refresh()

    def variables_dialog(self) -> None:
        """Project › Variables…: the date and group columns, without refitting."""
        from topicdesk.gui.dialogs.variables_dialog import VariablesDialog

        project = self.session.project
        if self.guard(VariablesDialog(project, self).exec):
            self.session.records_changed()
            for chart in (self.over_time, self.by_group):
                chart.show_project(project)
            self._refresh_chart()
            self.colouring.refresh()
            self.table.variable_filters.set_project(project)

    def show_topics(self, ids: list[int]) -> None:
        """Choose topics; the list, the map and the table follow the shared choice."""
        self.choice.set(ids)

    def situation(self) -> Situation:
        project = self.session.project
        return Situation(
            has_project=project is not None,
            fitted=bool(project and project.fitted),
            running=self.fits.running,
            chosen=tuple(self.choice.real),
            selected=len(self.selection),
            sub_topic=self._chosen_is_sub_topic(),
        )

    def _chosen_is_sub_topic(self) -> bool:
        project, tid = self.session.project, self.choice.single
        topic = project.state.topics.get(tid) if project is not None and tid is not None else None
        return topic is not None and topic.parent in project.state.topics

    def refresh_actions(self) -> None:
        """Apply every action's rule to the current situation; update the counts."""
        situation = self.situation()
        self.actions.update(situation)
        n = situation.selected
        move = self.actions["move_here"]
        if n:
            move.setText(f"Move {n:,} selected document{'s' if n != 1 else ''} into chosen topic")
            move.setIconText(f"Move {n:,} selected here")
        else:
            move.setText("Move selection into chosen topic")
            move.setIconText("Move selection here")
        self._update_status()

    def _update_status(self) -> None:
        project = self.session.project
        if project is None:
            self.status_counts.setText("")
            return
        summary = summarize(project)
        parts = [f"{summary.rows:,} documents"]
        if project.fitted:
            parts.append(f"{summary.topics:,} topics")
        if len(self.selection):
            parts.append(f"{len(self.selection):,} selected")
        self.status_counts.setText(" · ".join(parts))
        self.status_counts.setToolTip(summary.documents_sentence())

    def _update_title(self, *_args) -> None:
        session = self.session
        if session.path is not None:
            name = session.path.name
        elif session.project is not None:
            name = f"{session.project.corpus.source_name} (not saved)"
        else:
            name = ""
        self.setWindowTitle(f"{name}[*] — TopicDesk" if name else "TopicDesk")
        self.setWindowModified(session.dirty)

    # ----- errors ---------------------------------------------------------------------
    def show_error(self, message: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Warning, "TopicDesk", message, QMessageBox.Ok, self)
        if details:
            box.setDetailedText(details)
        box.exec()

    def guard(self, func, *args):
        """Run a command; problems become a dialog and the app carries on."""
        try:
            return func(*args)
        except TopicDeskError as exc:
            self.show_error(str(exc))
        except Exception as exc:  # noqa: BLE001 - never let a slot take the app down
            self.show_error(f"Something went wrong: {exc}", traceback.format_exc())
        return None

    def exported(self, exporter, path: str) -> bool:
        """Write the project with ``exporter``; True if it worked, else a dialog said why."""
        return bool(self.guard(lambda: exporter(self.session.project, path) or True))

    # ----- view and help --------------------------------------------------------------
    def focus_search(self) -> None:
        self.map.search.setFocus()
        self.map.search.selectAll()

    def current_view(self):
        """The map or the chart shown in the tabs."""
        return self._tabs[self.views.currentIndex()]

    def show_map(self) -> None:
        self.views.setCurrentIndex(0)

    def show_over_time(self) -> None:
        self.views.setCurrentIndex(1)

    def show_by_group(self) -> None:
        self.views.setCurrentIndex(2)

    def reset_map(self) -> None:
        self.map.reset_view()

    def reset_layout(self) -> None:
        self._default_sizes()

    def open_guide(self) -> None:
        from topicdesk.gui.dialogs.guide import show_user_guide

        self.guard(show_user_guide, self)

    def about(self) -> None:
        project = self.session.project
        show_about(self, project.settings.model if project else DEFAULT_MODEL)

    # ----- window state ---------------------------------------------------------------
    def _splitters(self) -> tuple[QSplitter, ...]:
        return (self.upper, self.outer, self.table.splitter, self.inspector.splitter)

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

    def closeEvent(self, event) -> None:
        if not self.files.ask_to_keep_changes():
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
            self.files.open_path(urls[0])
