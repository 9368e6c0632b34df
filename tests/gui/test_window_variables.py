"""Variables in the main window: set the columns, see the charts, click, edit, see them change."""

from __future__ import annotations

import numpy as np

from tests.factories import curated_project
from topicdesk.application import variables
from topicdesk.gui.dialogs.variables_dialog import VariablesDialog


def curves(view) -> dict[int, np.ndarray]:
    return {i.topic_id: i.getData()[1] for i in view.plot.items if hasattr(i, "topic_id")}


def test_columns_set_later_feed_the_charts_which_follow_edits(
    make_window, sotu, qtbot, monkeypatch
):
    window = make_window()
    window.resize(1400, 900)
    project = curated_project(sotu.head(900)[["date", "party", "text"]].copy(), n_topics=4)
    window.session.replace(project, None)
    window.show()
    qtbot.waitExposed(window)

    def choose(dialog: VariablesDialog) -> int:
        dialog.date_combo.setCurrentIndex(dialog.date_combo.findData("date"))
        dialog.group_combo.setCurrentIndex(dialog.group_combo.findData("party"))
        dialog.accept()
        return 1

    monkeypatch.setattr(VariablesDialog, "exec", choose)
    window.actions["variables"].trigger()
    assert (project.corpus.date_column, project.corpus.group_column) == ("date", "party")
    assert window.isWindowModified()

    window.actions["show_over_time"].trigger()
    assert window.current_view() is window.over_time
    window.choice.set([1])
    before = curves(window.over_time)[1].copy()
    # clicking a point selects that period's documents of that topic, on the map and table
    rows = window.over_time.point_clicked(1, 0)
    assert len(rows) and np.array_equal(window.selection.rows, np.sort(rows))
    assert len(window.table.view.selectionModel().selectedRows()) == len(rows)
    # moving them elsewhere lowers topic 1's share in that period at once
    window.session.move(window.selection.rows, 2)
    after = curves(window.over_time)[1]
    assert after[0] < before[0]
    expected = variables.prevalence_over_time(project)
    assert np.allclose(after, 100 * expected.shares[:, expected.column(1)])

    window.actions["show_by_group"].trigger()
    assert window.by_group.table is not None and "Republican" in window.by_group.table.categories
