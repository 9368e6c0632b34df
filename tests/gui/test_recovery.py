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
    crashed.autosaver.discard()  # a file left by an earlier run is not this one's work
    crashed.files.open_path(str(path))
    crashed.session.rename(0, "Unsaved idea")
    qtbot.waitUntil(lambda: crashed.autosaver.pending() is not None, timeout=3000)
    crashed.autosaver.timer.stop()  # the process "dies" here: nothing more is written
    crashed.autosaver.wait(5)  # (a real crash ends a write under way; here it finishes)

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
    crashed.autosaver.discard()
    crashed.session.replace(curated_project(sotu.head(60)), None, dirty=True)
    qtbot.waitUntil(lambda: crashed.autosaver.pending() is not None, timeout=3000)
    crashed.autosaver.timer.stop()
    crashed.autosaver.wait(5)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    window = make_window()
    app._offer_recovery(window)
    assert window.session.path is None
    assert window.windowTitle() == "slice.csv (not saved)[*] — TopicDesk"


def test_autosave_writes_a_snapshot_off_the_window_and_a_save_overtakes_it(
    make_window, sotu_slice, qtbot, tmp_path, monkeypatch
):
    import threading
    import time

    from topicdesk.gui import recovery

    window = make_window(autosave_ms=3_600_000)  # saves only when asked here
    saver = window.autosaver
    saver.discard()
    window.session.replace(curated_project(sotu_slice.head(60)), tmp_path / "study.topicdesk")
    window.session.rename(0, "Before the snapshot")
    release = threading.Event()
    real_save = recovery.save_project

    def slow_save(project, path):  # a large project takes a while to write
        release.wait(5)
        real_save(project, path)

    monkeypatch.setattr(recovery, "save_project", slow_save)
    started = time.perf_counter()
    saver.save_now()
    assert time.perf_counter() - started < 0.2  # the window goes on at once
    window.session.rename(0, "After the snapshot")  # an edit while the file is written
    release.set()
    saver.wait(5)
    assert open_project(saver.pending()).state.topics[0].label == "Before the snapshot"
    assert window.session.project.state.topics[0].label == "After the snapshot"

    release.clear()
    saver.save_now()
    saver.discard()  # a save or clean close while the snapshot waits: nothing is left behind
    release.set()
    saver.wait(5)
    assert saver.pending() is None


def test_recovery_question_names_the_project_and_when_it_was_saved(
    make_window, sotu, qtbot, tmp_path
):
    path = tmp_path / "interviews.topicdesk"
    save_project(curated_project(sotu.head(60)), path)
    crashed = make_window(autosave_ms=50)
    crashed.autosaver.discard()
    crashed.files.open_path(str(path))
    crashed.session.rename(0, "Unsaved idea")
    qtbot.waitUntil(lambda: crashed.autosaver.pending() is not None, timeout=3000)
    crashed.autosaver.timer.stop()
    crashed.autosaver.wait(5)
    text = make_window().autosaver.describe()
    assert "working on interviews.topicdesk" in text
    assert "last autosaved today at" in text
    crashed.autosaver.discard()
    crashed.session.replace(curated_project(sotu.head(60)), None, dirty=True)
    crashed.autosaver.timer.start()
    qtbot.waitUntil(lambda: crashed.autosaver.pending() is not None, timeout=3000)
    crashed.autosaver.timer.stop()
    crashed.autosaver.wait(5)
    assert "a new project that was never saved" in make_window().autosaver.describe()
