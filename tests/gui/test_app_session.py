"""The session's undo stack, the shared selection, and how the window reacts to edits."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QMessageBox

from tests.factories import curated_project
from topicdesk.gui.session import ProjectSession


def test_undo_stack_and_core_history_stay_in_step(sotu_slice, qtbot):
    session = ProjectSession()
    project = curated_project(sotu_slice.head(60))
    session.replace(project, None)
    before = project.state.copy()
    dirty = []
    session.dirtyChanged.connect(dirty.append)

    session.rename(1, "Sport")
    session.move(np.array([10, 11]), 0)
    new_id = session.new_topic(np.array([20, 21, 22]), "")
    session.merge([0, 1])
    after = project.state.copy()
    stack = session.undo_stack
    assert stack.count() == 4
    assert [stack.text(i) for i in range(4)] == [e.description for e in project.history.log[-4:]]
    assert project.state.topics[new_id].keywords, "a new topic gets keywords of its own"
    assert session.dirty and dirty[-1] is True

    for _ in range(4):
        stack.undo()
    assert project.state.equals(before)
    assert not session.dirty and dirty[-1] is False
    for _ in range(4):
        stack.redo()
    assert project.state.equals(after)
    assert [e.action for e in project.history.log[-12:]] == ["do"] * 4 + ["undo"] * 4 + ["redo"] * 4
    stack.undo()
    assert not project.state.equals(after)
    session.rename(0, "Fresh branch")  # a new edit drops the undone merge from both stacks
    assert not stack.canRedo() and not project.history.can_redo


def test_invalid_edit_raises_and_changes_nothing(sotu_slice):
    from topicdesk.errors import TopicDeskError

    session = ProjectSession()
    project = curated_project(sotu_slice.head(60))
    session.replace(project, None)
    before = project.state.copy()
    try:
        session.rename(999, "Nowhere")
    except TopicDeskError as exc:
        assert str(exc).endswith(".")
    else:
        raise AssertionError("renaming a missing topic must fail")
    assert project.state.equals(before) and session.undo_stack.count() == 0


def test_views_follow_one_selection_without_echo(make_window, sotu_slice, qtbot):
    window = make_window()
    project = curated_project(sotu_slice.head(60))
    window.session.replace(project, None)
    changes = []
    window.selection.changed.connect(changes.append)
    window.map.selectionRequested.emit(np.array([4, 8, 15]), "replace")
    assert len(changes) == 1
    selected = sorted(i.row() for i in window.table.view.selectionModel().selectedRows())
    assert len(selected) == 3
    window.table.selectionRequested.emit(np.array([16]), "add")
    assert window.selection.rows.tolist() == [4, 8, 15, 16] and len(changes) == 2
    assert "4 selected" in window.status_counts.text()
    assert window.actions["new_topic"].isEnabled() and window.actions["move"].isEnabled()


def test_edit_errors_become_a_dialog_and_the_window_goes_on(make_window, sotu_slice, isolated):
    window = make_window()
    window.session.replace(curated_project(sotu_slice.head(60)), None)
    window.inspector.renameRequested.emit(999, "Nowhere")
    assert len(isolated) == 1 and "999" in isolated[0]
    window.inspector.renameRequested.emit(0, "Still works")
    assert window.session.project.state.topics[0].label == "Still works"
    assert window.isWindowModified()


def test_unsaved_changes_are_asked_about_on_close(make_window, sotu_slice, monkeypatch, tmp_path):
    window = make_window()
    window.session.replace(curated_project(sotu_slice.head(60)), tmp_path / "study.topicdesk")
    window.session.rename(0, "Edited")
    assert window.windowTitle() == "study.topicdesk[*] — TopicDesk" and window.isWindowModified()
    asked = []

    def answer(choice):
        return staticmethod(lambda *a, **k: asked.append(a[2]) or choice)

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.Cancel))
    assert not window.close()
    assert "unsaved changes" in asked[-1]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.Save))
    assert window.close()
    assert (tmp_path / "study.topicdesk").is_file()
