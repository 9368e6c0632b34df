"""A refit in the window keeps the researcher's work as one undoable step and says so."""

from __future__ import annotations

from tests.toy_fit import ENCODERS, SETTINGS, toy_project
from topicdesk.application import fitting
from topicdesk.core.state import BY_HUMAN


def test_refit_carries_names_notes_and_placements_over(make_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.informativeText(), box.detailedText()))
    )
    window = make_window()
    project = toy_project(150, themes=3)
    window.session.replace(project, None)
    window.session.rename(0, "Theme of a and b")
    window.session.topic_note(1, "compare with interviews")
    moved = project.state.members(2)[:2]
    window.session.move(moved, 0)

    result = fitting.fit(project, SETTINGS.replace(seed=5), None, ENCODERS)
    plain = result.state.copy()
    window.fitting._finished(result, SETTINGS.replace(seed=5))

    new = window.session.project.state
    named = [t for t in new.topics.values() if t.label == "Theme of a and b"]
    assert len(named) == 1
    assert any(t.note == "compare with interviews" for t in new.topics.values())
    assert all(new.assigned_by[r] == BY_HUMAN and new.assignments[r] == named[0].id for r in moved)
    assert window.session.project.log[-1].kind == "carry_over"
    ((words, details),) = shown
    assert "were carried over to the new topics" in words
    assert "“Theme of a and b”: name to new topic" in details
    assert window.actions["undo"].isEnabled()
    window.actions["undo"].trigger()  # the plain refit, without the carry-over
    assert window.session.project.state.equals(plain)
    assert window.inspector.model.rowCount() == len(plain.topics) + 1  # with "Unassigned"
