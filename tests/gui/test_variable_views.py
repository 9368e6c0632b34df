"""Topics over time and by group: the numbers drawn, clicks that select, topics chosen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.factories import curated_project
from topicdesk.application import variables
from topicdesk.core.edits import MoveDocuments
from topicdesk.core.selection import Selection, TopicChoice
from topicdesk.core.state import UNASSIGNED
from topicdesk.gui.views.topics_by_group import TopicsByGroup
from topicdesk.gui.views.topics_over_time import TopicsOverTime


@pytest.fixture
def project(sotu):
    project = curated_project(sotu.head(900)[["date", "party", "text"]].copy(), n_topics=4)
    variables.set_variables(project, "date", "party")
    return project


@pytest.fixture
def models():
    return Selection(), TopicChoice()


def make(cls, qtbot, project, models):
    view = cls()
    qtbot.addWidget(view)
    view.bind(*models)
    view.resize(1000, 650)
    view.show()
    view.show_project(project)
    qtbot.waitExposed(view)
    return view


def curves(view: TopicsOverTime) -> dict[int, np.ndarray]:
    return {
        item.topic_id: item.getData()[1] for item in view.plot.items if hasattr(item, "topic_id")
    }


def test_over_time_draws_the_shares_of_the_chosen_topics(qtbot, project, models):
    _, choice = models
    view = make(TopicsOverTime, qtbot, project, models)
    expected = variables.prevalence_over_time(project, "decade")
    assert view.period.currentData() == "decade"
    assert set(curves(view)) == set(project.state.topics)  # none chosen: the (four) largest
    choice.set([2])
    drawn = curves(view)
    assert list(drawn) == [2]
    assert np.allclose(drawn[2], 100 * expected.shares[:, expected.column(2)])
    rest = [i for i in view.rest.items if getattr(i, "topic_id", None) == UNASSIGNED]
    assert np.allclose(rest[0].getData()[1], 100 * expected.shares[:, 0])
    tip = view.tooltip(2, 0)
    j = expected.column(2)
    assert f"{expected.counts[0, j]:,} of {expected.totals[0]:,} documents" in tip
    assert "95% CI" in tip


def test_clicking_a_point_selects_that_periods_documents_of_that_topic(qtbot, project, models):
    selection, choice = models
    view = make(TopicsOverTime, qtbot, project, models)
    choice.set([1])
    table = view.table
    index = int(np.argmax(table.counts[:, table.column(1)]))
    qtbot.mouseClick(view.canvas.viewport(), Qt.LeftButton, pos=view.point_position(1, index))
    expected = variables.rows_in_period(project, "decade", index, 1)
    assert len(expected) == table.counts[index, table.column(1)] > 0
    assert selection.rows.tolist() == expected.tolist()


def test_with_none_chosen_the_six_largest_of_many_topics_are_drawn(qtbot, sotu, models):
    project = curated_project(sotu.head(900)[["date", "party", "text"]].copy(), n_topics=10)
    variables.set_variables(project, "date", "party")
    rows = np.flatnonzero(np.isin(project.state.assignments, [7, 8, 9]))
    project.history.do(MoveDocuments(rows=rows.tolist(), topic_id=9))  # 9 is now the largest
    view = make(TopicsOverTime, qtbot, project, models)
    sizes = project.state.sizes()
    largest = sorted(project.state.topics, key=lambda t: -sizes[t])[:6]
    assert 9 in largest and set(curves(view)) == set(largest)
    assert f"The 6 largest of {len(project.state.topics)} topics" in view.note.text()
    models[1].set([1, 8])
    assert set(curves(view)) == {1, 8} and "largest" not in view.note.text()


def test_period_choice_and_edits_redraw(qtbot, project, models):
    _, choice = models
    view = make(TopicsOverTime, qtbot, project, models)
    choice.set([0])
    view.period.setCurrentIndex(view.period.findData("year"))
    assert view.table.period == "year"
    assert project.records["variables"]["period"] == "year"
    before = curves(view)[0].copy()
    rows = np.flatnonzero(project.state.assignments == 1)
    project.history.do(MoveDocuments(rows=rows.tolist(), topic_id=0))
    view.refresh(project)
    after = curves(view)[0]
    assert (after >= before).all() and (after > before).any()


def test_without_a_date_column_the_view_says_where_to_choose_one(qtbot, project, models):
    variables.set_variables(project, None, "party")
    view = make(TopicsOverTime, qtbot, project, models)
    assert view.canvas.isHidden() and "Project › Variables" in view.hint.text()


def test_by_group_heatmap_bars_and_difference(qtbot, project, models):
    _, choice = models
    view = make(TopicsByGroup, qtbot, project, models)
    table = variables.prevalence_by_group(project)
    model = view.model
    assert model.columnCount() == len(table.categories)
    assert view.drawn_topics() == [*sorted(project.state.topics), UNASSIGNED]
    cell = model.index(1, 0)  # topic 1 in the largest group
    assert model.data(cell) == f"{100 * table.shares[0, table.column(1)]:.1f}%"
    small = [i for i, s in enumerate(table.small) if s]
    assert small and "small" in model.headerData(small[0], Qt.Horizontal)
    tip = model.headerData(small[0], Qt.Horizontal, Qt.ToolTipRole)
    assert tip.startswith(f"{table.categories[small[0]]}: ") and "move a lot" in tip
    tip = model.headerData(0, Qt.Horizontal, Qt.ToolTipRole)  # every group names itself
    assert tip == f"{table.categories[0]}: {table.totals[0]:,} documents"
    choice.set([3])
    assert view.topic.currentData() == 3
    bars = next(i for i in view.bars.items if i.__class__.__name__ == "BarGraphItem")
    assert np.allclose(bars.opts["width"], 100 * table.shares[:, table.column(3)])
    view.group_a.setCurrentIndex(0)
    view.group_b.setCurrentIndex(1)
    diff = variables.group_difference(project, table.categories[0], table.categories[1])
    assert np.allclose(view.difference.estimate, diff.estimate)
    assert view.heatmap.model().rowCount() == 2  # topic 3 and the unassigned row


def test_every_bar_stays_inside_the_chart_though_small_groups_intervals_may_not(
    qtbot, project, models
):
    table = variables.prevalence_by_group(project)
    small = int(np.flatnonzero(table.small)[0])
    rows = np.flatnonzero(variables.rows_in_groups(project, [table.categories[small]]))
    project.history.do(MoveDocuments(rows=rows.tolist(), topic_id=3))  # 100% of a small group
    view = make(TopicsByGroup, qtbot, project, models)
    models[1].set([3])
    shares = 100 * view.table.shares[:, view.table.column(3)]
    assert shares.max() == 100 and view.bars.viewRange()[0][1] >= 100


def test_clicking_a_heatmap_cell_selects_its_documents(qtbot, project, models):
    selection, _ = models
    view = make(TopicsByGroup, qtbot, project, models)
    index = view.model.index(2, 1)
    rect = view.heatmap.visualRect(index)
    qtbot.mouseClick(view.heatmap.viewport(), Qt.LeftButton, pos=rect.center())
    expected = variables.rows_in_group(project, 1, 2)
    assert len(expected) and selection.rows.tolist() == expected.tolist()
    groups = project.corpus.table["party"].to_numpy()[selection.rows]
    assert set(groups) == {view.table.categories[1]}
    assert view.model.data(QModelIndex()) is None


def test_charts_export_as_png_and_svg(qtbot, project, models, tmp_path):
    for cls in (TopicsOverTime, TopicsByGroup):
        view = make(cls, qtbot, project, models)
        png, svg = tmp_path / f"{cls.__name__}.png", tmp_path / f"{cls.__name__}.svg"
        view.export_image(str(png))
        view.export_image(str(svg))
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        text = svg.read_text(encoding="utf-8")
        assert "<svg" in text and "<path" in text


def test_model_estimate_draws_one_curve_per_group_and_states_its_assumptions(
    qtbot, project, models
):
    _, choice = models
    view = make(TopicsOverTime, qtbot, project, models)
    choice.set([1])
    view.estimate_box.setChecked(True)
    effect = variables.estimate_topic_effect(project, 1)
    assert view.effect is not None and view.effect.groups == effect.groups
    assert curves(view) == {}  # the period lines give way to the estimate
    assert "binomial GLM" in view.note.text()
    assert len(view.legend.items) == len(effect.groups)
    view.estimate_box.setChecked(False)
    assert list(curves(view)) == [1]


def test_lines_take_each_topics_own_colour(qtbot, project, models):
    _, choice = models
    project.state.topics[2].colour = "#123456"
    view = make(TopicsOverTime, qtbot, project, models)
    choice.set([2])
    line = next(i for i in view.plot.items if getattr(i, "topic_id", None) == 2)
    assert line.opts["pen"].color().name() == "#123456"
    project.state.topics[2].colour = "#654321"
    view.refresh(project)
    line = next(i for i in view.plot.items if getattr(i, "topic_id", None) == 2)
    assert line.opts["pen"].color().name() == "#654321"


def test_chart_names_keep_whole_keywords(qtbot, project, models):
    from topicdesk.gui.views.short_names import short

    assert short("flüchtlinge, österreich, türkei", 28) == "flüchtlinge, österreich…"
    project.state.topics[0].label = "flüchtlinge, österreich, grenzkontrollen"
    view = make(TopicsByGroup, qtbot, project, models)
    names = [view.topic.itemText(i) for i in range(view.topic.count())]
    assert "flüchtlinge, österreich…" in names


def test_topics_a_check_with_documents_left_out_did_not_always_find_are_marked(
    qtbot, project, models
):
    from topicdesk.core.refit_edits import RecordStability

    project.history.do(
        RecordStability(
            topics=[[t, 0.9, 5, 5] for t in project.state.topics],
            documents=[None] * len(project.state),
            seeds=[1, 2, 3, 4, 5],
            left_out=0.1,
            left_out_topics=[[0, 0.8, 5, 5], [1, 0.4, 2, 5]],  # 1 is not steady; 2, 3 unknown
        )
    )
    over_time = make(TopicsOverTime, qtbot, project, models)
    note = "†: found in fewer than all 5 re-runs that each left out 10% of the documents"
    assert note in over_time.note.text()
    assert over_time.tooltip(1, 0).startswith("†\u00a0" + project.state.topics[1].label + "\n")
    assert over_time.tooltip(0, 0).startswith(project.state.topics[0].label + "\n")
    _, choice = models
    choice.set([0, 2])  # neither is marked: the note goes
    assert "†" not in over_time.note.text()
    choice.set([])
    by_group = make(TopicsByGroup, qtbot, project, models)
    assert note in by_group.note.text()
    names = [by_group.topic.itemText(i) for i in range(by_group.topic.count())]
    assert sum(name.startswith("†") for name in names) == 1
