"""Project › Variables…: columns chosen later, read at once, the day/month question asked."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.factories import curated_project
from topicdesk.gui.dialogs.variables_dialog import VariablesDialog


@pytest.fixture
def project(sotu):
    table = sotu.head(300)[["date", "party", "president", "text"]].copy()
    table["day"] = ["03/04/2015", "05/06/2015", ""] * 100
    table.loc[7, "date"] = "unknown"
    return curated_project(table)


def choose(combo, name):
    combo.setCurrentIndex(combo.findData(name))


def test_choosing_columns_reports_them_and_applies_on_ok(qtbot, project):
    dialog = VariablesDialog(project)
    qtbot.addWidget(dialog)
    assert dialog.date_combo.findData("text") == -1  # the text column is not offered
    choose(dialog.date_combo, "date")
    choose(dialog.group_combo, "party")
    text = dialog.summary.text()
    assert "299 of 300 cells in 'date' read as dates" in text
    assert "row 9 'unknown'" in text
    assert "groups in 'party'" in text
    assert not dialog.order_row.isEnabled()
    dialog.accept()
    assert dialog.result() == VariablesDialog.Accepted
    assert (project.corpus.date_column, project.corpus.group_column) == ("date", "party")
    assert dialog.report.dates.readable == 299


def test_a_column_that_cannot_serve_disables_ok_with_a_reason(qtbot, project):
    dialog = VariablesDialog(project)
    qtbot.addWidget(dialog)
    choose(dialog.date_combo, "president")
    assert "No cell in 'president' reads as a date" in dialog.summary.text()
    assert not dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
    choose(dialog.date_combo, None)
    assert dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()


def test_an_ambiguous_date_column_asks_day_or_month_first(qtbot, project):
    dialog = VariablesDialog(project)
    qtbot.addWidget(dialog)
    choose(dialog.date_combo, "day")
    assert dialog.order_row.isEnabled()
    assert "choose whether the day or the month comes first" in dialog.summary.text()
    dialog.month_first.setChecked(True)
    dialog.accept()
    assert project.records["variables"]["day_first"] is False
    assert str(dialog.report.dates.dates[0])[:10] == "2015-03-04"
    again = VariablesDialog(project)
    qtbot.addWidget(again)
    assert again.month_first.isChecked() and again.date_combo.currentData() == "day"
