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


def test_map_coloured_by_group_and_period_with_a_legend(make_window, sotu, qtbot):
    window = make_window()
    table = sotu.head(600)[["date", "party", "text"]].copy()
    table.loc[[7, 8], "party"] = ""
    project = curated_project(table, n_topics=4)
    variables.set_variables(project, "date", "party")
    window.session.replace(project, None)
    window.show()
    qtbot.waitExposed(window)
    combo = window.map.colour_by.combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["topic", "group", "period"]
    assert not window.map.legend_overlay.isVisible()

    combo.setCurrentIndex(combo.findData("group"))
    groups = variables.colour_by_group(project)
    legend = window.map.legend()
    named = [n for n, s in zip(groups.names, groups.legend()) if s[2]]
    assert [e.label for e in legend] == [*named, "No group"] and legend[-1].size == 2
    assert sum(e.size for e in legend) == len(project.corpus)
    assert window.map.legend_overlay.isVisible() and "party" in window.map.legend_overlay.text()
    # hovering still names the document's topic, in the topic's colour
    card = window.map.tooltip_for(0)
    topic = project.state.topics.get(int(project.state.assignments[0]))
    assert topic is None or topic.label in card

    combo.setCurrentIndex(combo.findData("period"))
    assert window.map.legend()[0].label == variables.colour_by_period(project).names[0]
    window.session.rename(1, "Still coloured by period")  # an edit keeps the colouring
    assert window.map.colour_by.current() == "period" and window.map.legend_overlay.isVisible()

    combo.setCurrentIndex(combo.findData("topic"))
    assert not window.map.legend_overlay.isVisible()
    assert {e.label for e in window.map.legend()} >= {"Still coloured by period"}


def test_table_filters_by_group_and_date_range(make_window, sotu, qtbot):
    window = make_window()
    table = sotu.head(600)[["date", "party", "text"]].copy()
    project = curated_project(table, n_topics=4)
    variables.set_variables(project, "date", "party")
    window.session.replace(project, None)
    filters = window.table.variable_filters
    assert filters.has_groups and filters.has_dates
    assert window.table.model.rowCount() == 600

    for action in filters.groups.menu().actions():
        action.setChecked(action.text() == "Whig")
    filters.groups.menu().triggered.emit(filters.groups.menu().actions()[0])
    whig = (table["party"] == "Whig").to_numpy()
    assert window.table.model.visible_rows().tolist() == np.flatnonzero(whig).tolist()
    assert "(1 of" in window.table.count_label.text()

    filters.start.setDate(filters.start.date().fromString("1841-01-01", "yyyy-MM-dd"))
    filters.end.setDate(filters.end.date().fromString("1845-12-31", "yyyy-MM-dd"))
    filters.dated.setChecked(True)
    years = table["date"].str[:4].astype(int)
    expected = np.flatnonzero(whig & (years >= 1841) & (years <= 1845))
    assert window.table.model.visible_rows().tolist() == expected.tolist()
    assert "1841-01-01 to 1845-12-31" in window.table.count_label.text()
    qtbot.keyClicks(window.table.filter_edit, "the")  # the search narrows the filtered rows
    assert set(window.table.model.visible_rows()) <= set(expected)


def test_charts_can_count_only_the_documents_selected(make_window, sotu, qtbot):
    """Lasso a region, tick 'selected documents only': the charts count that region alone."""
    window = make_window()
    project = curated_project(sotu.head(600)[["date", "party", "text"]].copy(), n_topics=4)
    variables.set_variables(project, "date", "party")
    window.session.replace(project, None)
    window.actions["show_by_group"].trigger()
    region = np.flatnonzero(project.corpus.table["party"].isin(["Whig", "Democratic"]).to_numpy())
    window.selection.select(region[:150])
    scope = window.by_group.scope
    scope.setChecked(True)
    table = window.by_group.table
    assert table.totals.sum() == 150 and scope.text() == "Only the 150 documents selected"
    assert table.totals.sum() == variables.prevalence_by_group(project, region[:150]).totals.sum()
    # clicking a cell selects part of the region; the chart keeps counting the whole region
    group = table.categories.index("Whig")
    rows = window.by_group.cell_clicked(group, 1)
    assert set(rows) <= set(region[:150].tolist())
    assert window.by_group.table.totals.sum() == 150
    scope.setChecked(False)
    assert window.by_group.table.totals.sum() == int(project.corpus.has_text.sum())
    window.selection.clear()
    scope.setChecked(True)  # nothing selected: the box says what to do instead
    assert not scope.isChecked() and "select documents first" in scope.text()
