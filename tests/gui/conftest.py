"""GUI test set-up: isolated settings, no blocking dialogs, small real spreadsheets."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch, qapp):
    """Settings and recovery files in tmp; message boxes answered and recorded, not shown."""
    QStandardPaths.setTestModeEnabled(True)
    qapp.setApplicationName("TopicDesk-tests")
    messages: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda self: messages.append(self.text()) or QMessageBox.Ok
    )
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Discard))
    return messages


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    from topicdesk.gui.main_window import MainWindow

    def make(**kwargs):
        window = MainWindow(settings=settings, **kwargs)
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def articles_csv(tmp_path, sotu_slice):
    """150 SOTU paragraphs with their speaker's party and date, as a CSV a user might have."""
    path = tmp_path / "articles.csv"
    sotu_slice.head(150)[["para_id", "president", "party", "date", "text"]].to_csv(
        path, index=False
    )
    return path
