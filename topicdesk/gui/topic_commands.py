"""Topic commands of the main window: the dialogs around the curation edits.

Each command reads the shared choice and selection, asks what it must (a name, a
target, a confirmation) and hands one edit to the session, which makes it undoable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMessageBox

from topicdesk.application import curation
from topicdesk.core.state import UNASSIGNED
from topicdesk.gui.background import run_in_background
from topicdesk.gui.busy import busy

if TYPE_CHECKING:
    from topicdesk.gui.main_window import MainWindow


class TopicCommands(QObject):
    """Rename, merge, new topic, move, delete and keyword commands for one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    @property
    def session(self):
        return self.window.session

    def rename_dialog(self) -> None:
        tid = self.window.choice.single
        if tid is None:
            return
        current = self.session.project.state.topics[tid].label
        label, ok = QInputDialog.getText(
            self.window, "Rename topic", f"New name for topic {tid}:", text=current
        )
        if ok and label.strip():
            self.window.guard(self.session.rename, tid, label)

    def merge_chosen(self) -> None:
        """Merge the chosen topics into the one chosen first; it keeps its name and note."""
        ids = self.window.choice.real
        if len(ids) >= 2:
            self.window.guard(self.session.merge, ids)

    def new_topic_from_selection(self) -> None:
        rows = self.window.selection.rows
        if not len(rows):
            return
        label, ok = QInputDialog.getText(
            self.window,
            "New topic",
            f"Name for a new topic of {len(rows):,} documents "
            "(leave empty to name it by its keywords):",
        )
        if ok:
            tid = self.window.guard(self.session.new_topic, rows, label)
            if tid is not None:
                self.window.choice.set([tid])

    def move_to_chosen(self) -> None:
        tid = self.window.choice.single
        rows = self.window.selection.rows
        if tid is not None and len(rows):
            self.window.guard(self.session.move, rows, tid)

    def move_dialog(self) -> None:
        state = self.session.project.state
        rows = self.window.selection.rows
        if not len(rows):
            return
        names = [f"{t.id}: {t.label}" for t in state.sorted_topics()] + ["Unassigned"]
        chosen = self.window.choice.single
        current = [t.id for t in state.sorted_topics()].index(chosen) if chosen is not None else 0
        choice, ok = QInputDialog.getItem(
            self.window,
            "Move documents",
            f"Move {len(rows):,} documents to:",
            names,
            current,
            False,
        )
        if ok:
            tid = UNASSIGNED if choice == "Unassigned" else int(choice.split(":", 1)[0])
            self.window.guard(self.session.move, rows, tid)

    def delete_chosen(self) -> None:
        tid = self.window.choice.single
        if tid is None:
            return
        size = int((self.session.project.state.assignments == tid).sum())
        answer = QMessageBox.question(
            self.window,
            "Delete topic",
            f"Delete topic {tid}? Its {size:,} documents become unassigned. You can undo this.",
            QMessageBox.Yes | QMessageBox.No,
        )
        if answer == QMessageBox.Yes:
            self.window.guard(self.session.delete, tid)

    def recompute_keywords(self) -> None:
        self.window.guard(self.session.recompute_keywords)

    def split_topic(self) -> None:
        """Preview the chosen topic's sub-topics (in the background), then split if asked."""
        from topicdesk.analysis.topic_tree import split_preview

        tid = self.window.choice.single
        project = self.session.project
        if tid is None:
            return
        self.window.statusBar().showMessage(f"Looking for sub-topics of topic {tid}…")
        self.window.progress.busy(f"Looking for sub-topics of topic {tid}")
        run_in_background(
            self,
            lambda: split_preview(project, tid),
            lambda preview: self._offer_split(project, preview),
            self._split_failed,
        )

    def _split_failed(self, message: str, details: str) -> None:
        self.window.progress.stop()
        self.window.statusBar().clearMessage()
        self.window.show_error(message, details)

    def _offer_split(self, project, preview) -> None:
        from topicdesk.gui.dialogs.split_dialog import SplitDialog

        self.window.progress.stop()
        self.window.statusBar().clearMessage()
        if project is not self.session.project or preview.topic_id not in project.state.topics:
            return  # another project was opened, or the topic went, meanwhile
        if not preview.can_split:
            self.window.show_error(preview.summary_lines()[0])
            return
        label = project.state.topics[preview.topic_id].label
        dialog = SplitDialog(preview, label, self.window)
        if dialog.exec():
            self.window.guard(lambda: self.session.apply(preview.edit(dialog.labels())))

    def merge_into_parent(self) -> None:
        from topicdesk.core.tree_edits import MergeIntoParent

        tid = self.window.choice.single
        if tid is not None:
            self.window.guard(lambda: self.session.apply(MergeIntoParent(topic_id=tid)))

    def stop_words_dialog(self) -> None:
        """The project's own stop words; on a fitted project an undoable edit of all keywords."""
        from topicdesk.gui.dialogs.stop_words_dialog import StopWordsDialog

        project = self.session.project
        dialog = StopWordsDialog(project.state.stop_words, self.window)
        if not dialog.exec() or not dialog.changed():
            return
        if project.fitted:
            with busy():
                self.window.guard(
                    lambda: self.session.apply(curation.stop_words_edit(project, dialog.words()))
                )
        else:
            curation.use_stop_words(project, dialog.words())
            self.session.records_changed()

    def ignore_word(self, word: str) -> None:
        """Right-click › Ignore this word everywhere."""
        project = self.session.project
        with busy():
            self.window.guard(lambda: self.session.apply(curation.ignore_word_edit(project, word)))
