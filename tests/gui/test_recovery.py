"""Recovering unsaved work after a crash brings back the project it belonged to."""

from __future__ import annotations

from tests.factories import curated_project
from topicdesk.gui import app
from topicdesk.project.store import open_project, save_project


def test_recovered_work_keeps_its_project_name_and_file(
    make_window, sotu, qtbot, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "study.topicdesk"
    save_project(curated_project(sotu.head(60)), path)
    crashed = make_window(autosave_ms=50)
    crashed.files.open_path(str(path))
    crashed.session.rename(0, "Unsaved idea")
    qtbot.waitUntil(lambda: crashed.autosaver.pending() is not None, timeout=3000)
    crashed.autosaver.timer.stop()  # the process "dies" here: nothing more is written

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    window = make_window()
    app._offer_recovery(window)
    assert window.session.project.state.topics[0].label == "Unsaved idea"
    assert window.session.path == path.resolve()
    assert window.windowTitle() == "study.topicdesk[*] — TopicDesk" and window.isWindowModified()
    window.files.save()
    assert open_project(path).state.topics[0].label == "Unsaved idea"
    assert window.autosaver.pending() is None and window.autosaver.origin() is None


def test_recovered_new_project_stays_unsaved(make_window, sotu, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    crashed = make_window(autosave_ms=50)
    crashed.session.replace(curated_project(sotu.head(60)), None, dirty=True)
    qtbot.waitUntil(lambda: crashed.autosaver.pending() is not None, timeout=3000)
    crashed.autosaver.timer.stop()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    window = make_window()
    app._offer_recovery(window)
    assert window.session.path is None
    assert window.windowTitle() == "slice.csv (not saved)[*] — TopicDesk"
