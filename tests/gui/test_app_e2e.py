"""Through the app as a person would: open, fit, lasso, new topic, rename, undo, save, reopen, export."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from tests.gui.test_document_map import lasso
from topicdesk.core.geometry import points_in_polygon
from topicdesk.gui.dialogs.fit_dialog import FitDialog
from topicdesk.gui.dialogs.import_dialog import ImportDialog


def test_person_goes_through_the_app(
    make_window, articles_csv, tmp_path, monkeypatch, qtbot, isolated
):
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    assert window.stack.currentWidget() is window.start

    # File > New from spreadsheet: pick the file, accept the suggested columns.
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(articles_csv), ""))
    )
    seen = {}

    def import_exec(dialog: ImportDialog) -> int:
        seen["text"] = dialog.text_combo.currentText()
        seen["counts"] = dialog.counts.text()
        dialog.accept()
        return 1

    def fit_exec(dialog: FitDialog) -> int:
        dialog.widgets["min_topic_size"].setValue(5)
        dialog.widgets["max_seq_length"].setValue(64)
        dialog.accept()
        return 1

    monkeypatch.setattr(ImportDialog, "exec", import_exec)
    monkeypatch.setattr(FitDialog, "exec", fit_exec)
    window.actions["new"].trigger()
    assert seen == {
        "text": "text",
        "counts": "150 rows · 0 empty texts (kept in the table, without a topic)\n"
        "6 texts are longer than the model reads at once (254 word pieces, some 150 to 200 "
        "words): each is read whole, in windows whose meanings are averaged.",
    }
    assert window.progress.isVisible()
    qtbot.waitUntil(lambda: window.session.project.fitted, timeout=240_000)
    project = window.session.project
    assert len(project.state.topics) >= 3
    assert window.table.model.rowCount() == 150
    assert (
        window.windowTitle() == "articles.csv (not saved)[*] — TopicDesk"
        and window.isWindowModified()
    )

    # Lasso around the middle of the largest topic on the map.
    coords = project.row_coords()
    members = project.state.members(0)
    lo, hi = np.percentile(coords[members], 20, axis=0), np.percentile(coords[members], 80, axis=0)
    window.map.reset_view()
    polygon = lasso(window.map, [(lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1])])
    expected = np.flatnonzero(points_in_polygon(coords, polygon))
    assert len(expected) >= 5
    np.testing.assert_array_equal(window.selection.rows, expected)
    assert len(window.table.view.selectionModel().selectedRows()) == len(expected)

    # New topic from the selection, then rename it in the inspector.
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", True)))
    window.actions["new_topic"].trigger()
    new_id = max(project.state.topics)
    assert list(project.state.members(new_id)) == list(expected)
    assert window.inspector.chosen_topics() == [new_id]
    window.inspector.label_edit.setText("Lassoed stories")
    qtbot.mouseClick(window.inspector.rename_button, Qt.LeftButton)
    assert project.state.topics[new_id].label == "Lassoed stories"

    # Undo twice (rename, new topic), redo twice.
    window.actions["undo"].trigger()
    assert project.state.topics[new_id].label != "Lassoed stories"
    window.actions["undo"].trigger()
    assert new_id not in project.state.topics
    window.actions["redo"].trigger()
    window.actions["redo"].trigger()
    assert project.state.topics[new_id].label == "Lassoed stories"
    window.session.topic_note(new_id, "check these by hand")

    # Save, then open the project in a new window.
    saved = tmp_path / "study.topicdesk"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(saved), ""))
    )
    window.actions["save"].trigger()
    assert saved.is_file() and not window.isWindowModified()
    assert window.windowTitle() == "study.topicdesk[*] — TopicDesk"

    other = make_window()
    other.files.open_path(str(saved))
    back = other.session.project
    assert back.state.equals(project.state)
    assert back.state.topics[new_id].note == "check these by hand"
    assert other.inspector.model.rowCount() == len(project.state.topics) + 1
    assert [e.kind for e in back.history.log] == [e.kind for e in project.history.log]

    # Export the annotated spreadsheet from the reopened project and read it back.
    out = tmp_path / "annotated.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    other.actions["export"].trigger()
    rows = list(openpyxl.load_workbook(out)["documents"].iter_rows(values_only=True))
    header = rows[0]
    table = pd.DataFrame(rows[1:], columns=header)
    source = pd.read_csv(articles_csv, dtype=str)
    assert table["para_id"].tolist() == source["para_id"].tolist()
    lassoed = table.iloc[expected]
    assert (lassoed["topic_label"] == "Lassoed stories").all()
    assert (lassoed["assigned_by"] == "human").all()
    assert isolated == []  # no error dialog appeared along the way
