"""The validation dialogs end to end: ten intrusion tasks (paused and resumed) and a small
blind-coding sample, then the scores in the exported workbook and in the report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from tests.subject_project import subject_project
from topicdesk.analysis.blind_coding import NONE, UNSURE
from topicdesk.application import publishing
from topicdesk.application import validation as val
from topicdesk.core.project import Project
from topicdesk.gui.dialogs.coding_dialog import BlindCodingDialog
from topicdesk.gui.dialogs.intrusion_dialog import IntrusionDialog
from topicdesk.gui.dialogs.validation_results import ValidationResultsDialog


@pytest.fixture
def project(sotu_slice: pd.DataFrame) -> Project:
    return subject_project(sotu_slice)


def _take_intrusion_tasks(qtbot, project: Project) -> int:
    """Ten tasks: four, a pause, then six more (half by keyboard); returns how many were right."""
    dialog = IntrusionDialog(project, "Ana")
    qtbot.addWidget(dialog)
    saved = []
    dialog.changed.connect(lambda: saved.append(True))
    dialog.per_topic.setValue(1)  # five topics, word and topic tasks: ten in all
    qtbot.mouseClick(dialog.new_button, Qt.LeftButton)
    test = val.intrusion_test(project)
    assert len(test.tasks) == 10 and dialog.progress.text() == "Task 1 of 10"
    right = 0
    for i in range(4):
        task = dialog.current()
        styles = {b.styleSheet() for b in dialog.option_buttons}
        assert len(styles) == 1  # nothing marks the intruder
        assert [b.text().split(".  ", 1)[1] for b in dialog.option_buttons] == [
            ", ".join(o) for o in task.options
        ]
        choice = task.intruder if i % 2 == 0 else (task.intruder + 1) % len(task.options)
        right += choice == task.intruder
        qtbot.mouseClick(dialog.option_buttons[choice], Qt.LeftButton)
    qtbot.mouseClick(dialog.pause_button, Qt.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted and len(saved) == 5
    assert len(val.intrusion_answers(project)["Ana"]) == 4

    again = IntrusionDialog(project, "Ana")
    qtbot.addWidget(again)
    assert "6 of them are still open for Ana" in again.saved.text()
    qtbot.mouseClick(again.resume_button, Qt.LeftButton)
    assert again.progress.text() == "Task 5 of 10"
    for i in range(6):
        task = again.current()
        if task.kind == "topic":
            assert again.document.toPlainText() == project.corpus.texts[task.row]
        choice = task.intruder if i < 4 else (task.intruder + 2) % len(task.options)
        right += choice == task.intruder
        if i % 2:
            qtbot.keyClick(again, str(choice + 1))
        else:
            qtbot.mouseClick(again.option_buttons[choice], Qt.LeftButton)
    assert again.pages.currentWidget() is again.results and again.results.tables
    answers = val.intrusion_answers(project)["Ana"]
    assert len(answers) == 10 and all(a.seconds >= 0 for a in answers)
    return right


def _code_sample(qtbot, project: Project) -> tuple[int, int]:
    """Two documents per topic coded blind; returns codes agreeing with the model and coded."""
    dialog = BlindCodingDialog(project, "Ana")
    qtbot.addWidget(dialog)
    dialog.per_topic.setValue(2)
    assert "make 12 documents to read" in dialog.note.text()
    qtbot.mouseClick(dialog.new_button, Qt.LeftButton)
    sample = val.coding_sample(project)
    model = sample.model_topic()
    agreed = coded = 0
    for i in range(len(sample.rows)):
        row = dialog.current()
        assert dialog.progress.text() == f"Document {i + 1} of 12"
        assert dialog.document.toPlainText() == project.corpus.texts[row]
        assert dialog.topics.currentItem() is None and not dialog.code_button.isEnabled()
        if i == 3:
            qtbot.mouseClick(dialog.unsure_button, Qt.LeftButton)
            continue
        coded += 1
        if i == 5 or model[row] == NONE:
            qtbot.mouseClick(dialog.none_button, Qt.LeftButton)
            agreed += model[row] == NONE
            continue
        item = next(
            dialog.topics.item(j)
            for j in range(dialog.topics.count())
            if dialog.topics.item(j).data(Qt.UserRole) == model[row]
        )
        dialog.topics.setCurrentItem(item)
        qtbot.mouseClick(dialog.code_button, Qt.LeftButton)
        agreed += 1
    assert dialog.pages.currentWidget() is dialog.results
    codes = val.all_codes(project)["Ana"]
    assert len(codes) == 12 and list(codes.values()).count(UNSURE) == 1
    return agreed, coded


def test_dialog_answers_reach_the_workbook_and_the_report(
    qtbot, project: Project, tmp_path: Path
) -> None:
    right = _take_intrusion_tasks(qtbot, project)
    agreed, coded = _code_sample(qtbot, project)

    workbook = tmp_path / "topics.xlsx"
    publishing.export_workbook(project, workbook)
    sheet = pd.read_excel(workbook, sheet_name="validation")
    overall = sheet[(sheet["section"] == "intrusion") & (sheet["topic_label"] == "all topics")]
    assert overall["found_or_agreed"].sum() == right
    assert overall["documents_or_answers"].sum() == 10
    agreement = sheet[sheet["test_or_measure"] == "agreement"]
    assert agreement["value"].iloc[0] == pytest.approx(agreed / coded, abs=1e-4)
    assert agreement["documents_or_answers"].iloc[0] == coded

    report = tmp_path / "report.html"
    publishing.write_report(project, report)
    html = report.read_text(encoding="utf-8")
    assert f"agreed on {100 * agreed / coded:.0f}% of them" in html
    words = [s for s in val.intrusion_scores(project) if s.topic_id is None]
    for score in words:
        assert f"The intruder was found in {score.found} of {score.answered} answers" in html
    assert sum(s.found for s in words) == right


def test_the_results_dialog_adds_a_co_researchers_copy(
    qtbot, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from topicdesk.project.store import open_project, save_project

    sample = val.draw_coding_sample(project, per_topic=2, seed=1)
    save_project(project, tmp_path / "mine.topicdesk")
    copy = open_project(tmp_path / "mine.topicdesk")
    for row, model in zip(sample.rows, sample.model):
        val.record_code(project, "Ana", row, model)
        val.record_code(copy, "Ben", row, model if row % 3 else NONE)
    save_project(copy, tmp_path / "ben.topicdesk")
    dialog = ValidationResultsDialog(project)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "ben.topicdesk"), "")),
    )
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(dialog.combine_button, Qt.LeftButton)
    assert isolated[-1] == "Added the answers of Ben."
    assert "Krippendorff's alpha" in dialog.view.summary.text()
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "none.topicdesk"), "")),
    )
    qtbot.mouseClick(dialog.combine_button, Qt.LeftButton)
    assert isolated[-1].endswith("none.topicdesk does not exist; check the name and folder.")
