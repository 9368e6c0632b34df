"""Stability where people curate: check it, read it, colour the map by it, split and merge back."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.toy_fit import toy_project
from topicdesk.application import stability_check
from topicdesk.gui.dialogs.split_dialog import SplitDialog
from topicdesk.gui.models.topic_list_model import FOUND


def test_check_stability_split_and_merge_into_parent(make_window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append(f"{box.text()}\n{box.informativeText()}")
    )
    window = make_window()
    project = toy_project(240, themes=3)
    window.session.replace(project, None)
    window.show()
    qtbot.waitExposed(window)

    # Check stability: the re-runs come back as from the fitting process; figures stored
    fit_figures = project.state.topics[0].to_dict()
    report_source = stability_check.rerun(project, project.settings, None)
    assert window.actions["check_stability"].isEnabled()
    window.fitting._job = "stability"
    window.fitting._finished(report_source, project.settings)
    lead, details = shown[-1].split("\n", 1)
    assert "topics were found in all 5 re-runs with other seeds, and" in lead
    assert details.startswith("Re-ran the clustering with 5 other seeds (43, 44, 45, 46, 47) on")
    assert "\n\nOther seeds: " in details and "\nOther seeds, 10% left out: " in details
    assert "\n\nNeither kind of re-run shows" in details  # set apart, last
    topic = project.state.topics[0]
    assert topic.runs_total == 5 and 0 < topic.stability <= 1
    out = topic.left_out
    assert out.share == 0.1 and out.runs == 5 and 0 < out.stability <= 1
    model = window.inspector.model
    found = model.index_of_topic(0, FOUND)
    assert model.data(found) == f"{topic.runs_found}/5 · {out.found}/5"
    assert model.data(found, Qt.ToolTipRole).endswith(
        f"with 10% of the documents left out, overlap {out.stability:.2f}, holding "
        f"{100 * out.prevalence_low:.1f}-{100 * out.prevalence_high:.1f}% of the documents"
    )
    window.inspector.choose_topics([0])
    assert f"{out.found} of 5 with 10% left out" in window.inspector.stability.text()
    assert "This topic: found in" in window.inspector.stability.toolTip()
    table = window.table.model
    assert table.headerData(table.columnCount() - 1, Qt.Horizontal) == "Kept in topic"
    shares = project.state.doc_stability[table.visible_rows()[:5]]
    assert [table.data(table.index(i, table.columnCount() - 1)) for i in range(5)] == [
        "" if np.isnan(v) else f"{v:.0%}" for v in shares
    ]
    combo = window.map.colour_by.combo
    assert combo.findData("stability") >= 0
    combo.setCurrentIndex(combo.findData("stability"))
    legend = window.map.legend()
    names = [name for name, _ in stability_check.STABILITY_BINS]
    assert legend and all(e.label in [*names, "Unassigned or not measured"] for e in legend)
    assert sum(e.size for e in legend) == len(project.corpus)
    checked = project.state.topics[0].to_dict()
    window.actions["undo"].trigger()  # the figures are an undoable step like any other
    assert project.state.topics[0].to_dict() == fit_figures
    window.actions["redo"].trigger()
    assert project.state.topics[0].to_dict() == checked

    # A topic made of two themes splits in two; a part can be renamed, then merged back
    def accept(dialog: SplitDialog) -> int:
        dialog.table.item(0, 0).setText("First part")
        return 1

    monkeypatch.setattr(SplitDialog, "exec", accept)
    window.session.merge([0, 1])
    largest = 0
    window.choice.set([largest])
    assert window.actions["split"].isEnabled() and not window.actions["merge_parent"].isEnabled()
    window.actions["split"].trigger()
    qtbot.waitUntil(
        lambda: any(t.parent == largest for t in project.state.topics.values()), timeout=60_000
    )
    children = [t for t in project.state.topics.values() if t.parent == largest]
    assert len(children) >= 2 and any(t.label == "First part" for t in children)
    assert window.inspector.model.has_children(largest)
    # choosing the parent shows its whole branch, as many documents as its size says
    window.choice.set([largest])
    branch = np.isin(project.state.assignments, [largest, *(t.id for t in children)])
    assert window.table.model.rowCount() == int(branch.sum())
    assert "and its sub-topics" in window.table.count_label.text()
    faded = [tid for tid, item in window.map._items.items() if item.opacity() < 1.0]
    assert all(t.id not in faded for t in children) and largest not in faded
    first = next(t for t in children if t.label == "First part")
    window.choice.set([first.id])
    assert window.actions["merge_parent"].isEnabled()
    before = int((project.state.assignments == largest).sum())
    window.actions["merge_parent"].trigger()
    assert first.id not in project.state.topics
    assert int((project.state.assignments == largest).sum()) > before
    assert [e.kind for e in project.log[-2:]] == ["split_topic", "merge_into_parent"]


def test_a_person_checks_stability_in_the_fitting_process_and_saves_and_exports_it(
    make_window, qtbot, monkeypatch, tmp_path
):
    """Topics › Check stability on the real window and fitting process, then Save and
    Export: both kinds of figures reach the project file and the workbook."""
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    from topicdesk.project.store import open_project

    boxes = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or 0)
    window = make_window()
    saved = tmp_path / "study.topicdesk"
    window.session.replace(toy_project(150, themes=3), saved)
    window.show()
    qtbot.waitExposed(window)
    window.actions["check_stability"].trigger()
    assert window.progress.isVisible() and not window.actions["check_stability"].isEnabled()
    qtbot.waitUntil(lambda: bool(boxes), timeout=180_000)
    assert "also when 10% of the documents were left out" in boxes[-1]
    assert window.isWindowModified()
    window.actions["save"].trigger()
    topics = open_project(saved).state.topics
    assert all(t.left_out is not None and t.left_out.runs == 5 for t in topics.values())
    assert all(t.left_out.share == 0.1 for t in topics.values())

    out = tmp_path / "study.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    window.actions["export"].trigger()
    rows = list(openpyxl.load_workbook(out)["topics"].iter_rows(values_only=True))
    column = rows[0].index("found_in_runs_left_out")
    first = topics[rows[1][0]].left_out
    assert rows[1][column] == f"{first.found} of 5" and rows[1][column - 1] == first.stability
