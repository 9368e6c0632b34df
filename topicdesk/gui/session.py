"""The open project as seen by the app: undo stack, unsaved-changes flag and signals.

Every edit goes through a QUndoStack whose commands wrap the core's edit events, so the
Edit menu, the shortcuts and the core's history and log always agree.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from topicdesk.application import curation
from topicdesk.core import edits
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError


class EditCommand(QUndoCommand):
    """A core edit on the Qt undo stack; it is applied before it is pushed."""

    def __init__(self, session: ProjectSession, edit: edits.Edit) -> None:
        super().__init__()
        # "text\naction text": menus read "&" as a mnemonic, so it is doubled there only
        text = edit.describe()
        self.setText(f"{text}\n{text.replace('&', '&&')}")
        self._session = session
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # the push itself: the edit already ran in ProjectSession.apply
            self._applied = False
            return
        self._session.project.history.redo()
        self._session.stateChanged.emit()

    def undo(self) -> None:
        self._session.project.history.undo()
        self._session.stateChanged.emit()


class ProjectSession(QObject):
    """Owns the project, its file path and its undo stack."""

    projectReplaced = Signal()
    fitAdopted = Signal()
    stateChanged = Signal()
    dirtyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self._unsaved_fit = False
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    def _clean_changed(self, _clean: bool) -> None:
        self.dirtyChanged.emit(self.dirty)

    @property
    def dirty(self) -> bool:
        return self.project is not None and (self._unsaved_fit or not self.undo_stack.isClean())

    def replace(self, project: Project | None, path: Path | None, dirty: bool = False) -> None:
        """Show another project (new, opened or recovered); the undo history starts afresh."""
        self.project, self.path = project, path
        self.undo_stack.clear()
        self._unsaved_fit = dirty
        self.projectReplaced.emit()
        self.dirtyChanged.emit(self.dirty)

    def fitted(self) -> None:
        """A new fit replaced the topics: edits before it can no longer be undone."""
        self.undo_stack.clear()
        self._unsaved_fit = True
        self.fitAdopted.emit()
        self.dirtyChanged.emit(True)

    def records_changed(self) -> None:
        """Work saved in the project's records (validation answers) awaits saving to the file."""
        self._unsaved_fit = True
        self.dirtyChanged.emit(True)

    def saved(self, path: Path) -> None:
        self.path = path
        self._unsaved_fit = False
        self.undo_stack.setClean()
        self.dirtyChanged.emit(False)

    # ----- edits ----------------------------------------------------------------------
    def apply(self, edit: edits.Edit) -> None:
        """Run an edit and put it on the undo stack; raises TopicDeskError if it is invalid."""
        if self.project is None:
            raise TopicDeskError("Open a spreadsheet or a project first.")
        self.project.history.do(edit)
        self.undo_stack.push(EditCommand(self, edit))
        self.stateChanged.emit()

    def rename(self, topic_id: int, label: str) -> None:
        self.apply(edits.RenameTopic(topic_id=topic_id, label=label))

    def topic_note(self, topic_id: int, note: str) -> None:
        self.apply(edits.SetTopicNote(topic_id=topic_id, note=note))

    def document_note(self, rows: list[int], note: str) -> None:
        self.apply(edits.SetDocumentNote(rows=[int(r) for r in rows], note=note))

    def move(self, rows: np.ndarray, topic_id: int) -> None:
        self.apply(edits.MoveDocuments(rows=[int(r) for r in rows], topic_id=topic_id))

    def merge(self, topic_ids: list[int]) -> None:
        """Merge into the first topic named (the one the researcher chose first)."""
        self.apply(curation.merge_edit(topic_ids))

    def delete(self, topic_id: int) -> None:
        self.apply(edits.DeleteTopic(topic_id=topic_id))

    def new_topic(self, rows: np.ndarray, label: str = "") -> int:
        """Make a topic from documents, with keywords of its own; returns its id."""
        assert self.project is not None
        edit = curation.new_topic_edit(self.project, rows, label)
        self.apply(edit)
        assert edit.topic_id is not None
        return edit.topic_id

    def recompute_keywords(self) -> None:
        assert self.project is not None
        self.apply(curation.recompute_keywords_edit(self.project))
