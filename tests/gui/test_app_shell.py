"""Recovery after a crash, the screenshot mode, window layout and file drops."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage

from tests.factories import curated_project
from topicdesk.gui.app import run_app
from topicdesk.gui.recovery import Autosaver
from topicdesk.project.store import open_project, save_project


def test_autosave_keeps_unsaved_work_until_it_is_saved(make_window, sotu_slice, qtbot, tmp_path):
    window = make_window(autosave_ms=50)
    saver: Autosaver = window.autosaver
    saver.discard()
    window.session.replace(curated_project(sotu_slice.head(60)), tmp_path / "study.topicdesk")
    qtbot.wait(150)
    assert saver.pending() is None, "a clean project needs no recovery file"
    window.session.rename(0, "Unsaved idea")
    qtbot.waitUntil(lambda: saver.pending() is not None, timeout=3000)
    assert open_project(saver.pending()).state.topics[0].label == "Unsaved idea"
    window.files.save()
    assert saver.pending() is None


def test_recovery_file_is_offered_after_a_crash(make_window, sotu_slice, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from topicdesk.gui import app

    window = make_window()
    project = curated_project(sotu_slice.head(60))
    window.autosaver.path.parent.mkdir(parents=True, exist_ok=True)
    save_project(project, window.autosaver.path)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes)
    )
    app._offer_recovery(window)
    assert "closed unexpectedly" in asked[0]
    assert window.session.project.state.equals(project.state)
    assert window.session.path is None and window.isWindowModified()


def test_screenshot_of_a_project(sotu_slice, tmp_path, capsys):
    project_path = tmp_path / "study.topicdesk"
    save_project(curated_project(sotu_slice.head(60)), project_path)
    out = tmp_path / "shot.png"
    assert run_app(["--screenshot", str(out), str(project_path)]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
    assert len({image.pixel(x, y) for x in range(0, 1400, 50) for y in range(0, 900, 50)}) > 10


def test_screenshot_of_a_missing_file_fails_in_one_line(tmp_path, capsys):
    assert run_app(["--screenshot", str(tmp_path / "shot.png"), str(tmp_path / "missing.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "shot.png").exists()


def test_layout_is_restored_from_settings(make_window, settings, qtbot, sotu_slice):
    window = make_window()
    window.session.replace(curated_project(sotu_slice.head(60)), None)
    window.resize(760, 500)
    window.show()
    qtbot.waitExposed(window)
    window.upper.setSizes([200, 500])
    saved, size = window.upper.sizes(), window.size()
    window.close()
    assert settings.contains("geometry")
    again = make_window()
    again.session.replace(curated_project(sotu_slice.head(60)), None)
    again.show()
    qtbot.waitExposed(again)
    assert again.size() == size and size.width() == 760
    assert again.upper.sizes() == saved
    again.reset_layout()
    assert again.upper.sizes() != saved


def test_dropping_a_project_opens_it(make_window, sotu_slice, tmp_path):
    path = tmp_path / "dropped.topicdesk"
    save_project(curated_project(sotu_slice.head(60)), path)
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(event)
    assert window.session.path == path
    assert window.stack.currentWidget() is window.outer
    assert window.windowTitle() == "dropped.topicdesk[*] — TopicDesk"
