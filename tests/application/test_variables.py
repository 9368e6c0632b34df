"""Choosing the date and group columns, topics by them, and the exported sheets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.factories import curated_project
from topicdesk.analysis.prevalence import INTERVAL_METHOD
from topicdesk.application import variables
from topicdesk.core.edits import MoveDocuments
from topicdesk.errors import TopicDeskError
from topicdesk.io.export import export_project


@pytest.fixture
def project(sotu):
    table = sotu.head(600).copy()
    table.loc[3, "date"] = "sometime"
    table.loc[4, "party"] = ""
    return curated_project(table[["date", "party", "text"]])


def test_set_variables_reports_in_words_and_keeps_the_choice(project):
    report = variables.set_variables(project, "date", "party")
    assert project.corpus.date_column == "date" and project.corpus.group_column == "party"
    assert report.dates.readable == 599 and report.dates.unreadable_rows.tolist() == [3]
    words = " ".join(report.sentences())
    assert "599 of 600 cells in 'date' read as dates" in words
    assert "row 5 'sometime'" in words
    assert "1 row has no group and is left out of group comparisons" in words
    assert report.groups[0] == "Republican" or report.groups[0] == "Democratic"
    assert report.periods == ("decade", "year", "quarter", "month", "week")
    assert report.suggested_period == "decade"
    assert project.records["variables"] == {"day_first": None}


def test_unusable_columns_get_one_sentence(project):
    with pytest.raises(TopicDeskError, match="no column named 'when'"):
        variables.set_variables(project, "when", None)
    with pytest.raises(TopicDeskError, match="'text' holds the texts"):
        variables.set_variables(project, None, "text")
    with pytest.raises(TopicDeskError, match="No cell in 'party' reads as a date"):
        variables.set_variables(project, "party", None)
    project.corpus.table["id"] = np.arange(len(project.corpus)).astype(str)
    with pytest.raises(TopicDeskError, match="600 different values"):
        variables.set_variables(project, None, "id")
    assert project.corpus.date_column is None  # nothing changed by a refused choice


def test_an_ambiguous_date_column_asks_and_keeps_the_answer(project):
    project.corpus.table["day"] = ["03/04/2015", "05/06/2015"] * 300
    report = variables.set_variables(project, "day", None)
    assert report.needs_order
    report = variables.set_variables(project, "day", None, day_first=False)
    assert not report.needs_order
    assert str(variables.parsed_dates(project).dates[0])[:10] == "2015-03-04"
    assert project.records["variables"]["day_first"] is False


def test_over_time_and_by_group_follow_edits(project):
    variables.set_variables(project, "date", "party")
    table = variables.prevalence_over_time(project, "decade")
    assert table.period == "decade" and table.categories[0] == "1790s"
    assert np.allclose(table.shares.sum(axis=1), 1.0)
    assert table.left_out == 1  # the row whose date could not be read
    assert "Wilson" in table.method
    rows = variables.rows_in_period(project, "decade", 0, 1)
    dates = variables.parsed_dates(project).dates[rows]
    assert len(rows) == table.counts[0, table.column(1)]
    assert all(str(d).startswith("179") for d in dates)
    project.history.do(MoveDocuments(rows=rows.tolist(), topic_id=2))
    after = variables.prevalence_over_time(project, "decade")
    assert after.counts[0, after.column(1)] == 0
    assert after.counts[0, after.column(2)] == table.counts[0, table.column(2)] + len(rows)
    groups = variables.prevalence_by_group(project)
    assert groups.totals.sum() == int(project.corpus.has_text.sum()) - 1  # the blank party
    diff = variables.group_difference(project, "Democratic", "Republican")
    assert diff.estimate.shape == groups.topic_ids.shape
    assert np.all(diff.low <= diff.estimate) and np.all(diff.estimate <= diff.high)


def test_without_columns_the_analyses_say_what_to_do(project):
    with pytest.raises(TopicDeskError, match="no date column"):
        variables.prevalence_over_time(project)
    with pytest.raises(TopicDeskError, match="no group column"):
        variables.prevalence_by_group(project)


def export(project, path) -> None:
    """The workbook with the sheets the variables give (as the app's export writes it)."""
    sheets, notes = variables.export_sheets(project)
    export_project(project, path, sheets=sheets, notes=notes)


def test_export_adds_the_two_sheets_when_columns_are_set(project, tmp_path):
    plain = tmp_path / "plain.xlsx"
    export(project, plain)
    assert load_workbook(plain, read_only=True).sheetnames == ["documents", "topics", "settings"]

    variables.set_variables(project, "date", "party")
    variables.remember_period(project, "decade")
    path = tmp_path / "out.xlsx"
    export(project, path)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["documents", "topics", "settings", "over_time", "by_group"]
    over = pd.DataFrame(list(book["over_time"].values))
    over.columns = over.iloc[0]
    over = over.iloc[1:]
    assert list(over.columns) == [
        "period",
        "topic_id",
        "topic_label",
        "documents",
        "share",
        "share_low",
        "share_high",
    ]
    table = variables.prevalence_over_time(project)
    assert len(over) == len(table.categories) * len(table.topic_ids)
    assert over.groupby("period")["share"].sum().round(9).eq(1.0).all()
    unassigned = over[over["topic_id"] == -1]
    assert set(unassigned["topic_label"]) == {"Unassigned"}
    assert unassigned["documents"].tolist() == table.counts[:, 0].tolist()
    assert (over["share_low"] <= over["share"]).all() and (
        over["share"] <= over["share_high"]
    ).all()
    by_group = pd.DataFrame(list(book["by_group"].values))
    assert by_group.iloc[0].tolist() == [
        "group",
        "topic_id",
        "topic_label",
        "documents",
        "share",
        "share_low",
        "share_high",
    ]
    settings = dict(book["settings"].values)
    assert settings["variables.period"] == "decade"
    assert settings["variables.share_interval"] == INTERVAL_METHOD
    assert settings["variables.small_when"] == "fewer than 30 documents"


def test_pieces_for_the_map_and_the_table(project):
    variables.set_variables(project, "date", "party")
    by_group = variables.colour_by_group(project)
    assert len(by_group.colours) == len(by_group.names)
    legend = by_group.legend()
    assert sum(n for _, _, n in legend) == len(project.corpus) - 1
    by_period = variables.colour_by_period(project, "decade")
    assert by_period.colours[0] == "#440154" and by_period.colours[-1] == "#fde725"
    assert by_period.codes[3] == -1  # unreadable date: drawn grey
    mask = variables.rows_between(project, np.datetime64("1790-01-01"), np.datetime64("1799-12-31"))
    assert mask.sum() == (by_period.codes == 0).sum()
    republican = variables.rows_in_groups(project, ["Republican"])
    assert (project.corpus.table["party"][republican] == "Republican").all()


def test_model_estimate_per_group_for_one_topic(project):
    variables.set_variables(project, "date", "party")
    effect = variables.estimate_topic_effect(project, 1)
    table = variables.prevalence_by_group(project)
    assert set(effect.groups) | set(effect.left_out) == set(table.categories)
    small = {g for g, n in zip(table.categories, table.totals) if n < 30}
    assert small <= set(effect.left_out) and not small & set(effect.groups)
    assert np.all(np.diff(effect.years) > 0) and effect.years[-1] - effect.years[0] > 50
    ok = ~np.isnan(effect.low)
    assert (effect.low[ok] <= effect.high[ok]).all()
    with pytest.raises(TopicDeskError, match="Choose a topic"):
        variables.estimate_topic_effect(project, 99)


def test_a_date_column_without_dates_from_the_import_leaves_the_export_whole(project, tmp_path):
    project.corpus.date_column = "party"  # as the import dialog may set it, unchecked
    with pytest.raises(TopicDeskError, match="No cell in 'party' reads as a date"):
        variables.prevalence_over_time(project)
    path = tmp_path / "out.xlsx"
    export(project, path)
    assert load_workbook(path, read_only=True).sheetnames == ["documents", "topics", "settings"]
