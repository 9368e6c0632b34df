"""Topic shares per period and group against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from topicdesk.analysis.prevalence import (
    INTERVAL_METHOD,
    Categories,
    difference,
    group_codes,
    period_codes,
    periods_for,
    prevalence,
    suggest_period,
    topic_columns,
)
from topicdesk.io.dates import DAY, MONTH, YEAR

Z = 1.959963984540054


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def dates(*values: str) -> np.ndarray:
    return np.array([v or "NaT" for v in values], dtype="datetime64[ms]")


def test_period_codes_name_each_period_and_skip_empty_ones():
    d = dates("2015-03-12", "2015-12-31", "2017-01-01", "", "2015-01-05")
    years = period_codes(d, "year")
    assert years.names == ["2015", "2017"]
    assert years.codes.tolist() == [0, 0, 1, -1, 0]
    quarters = period_codes(d, "quarter")
    assert quarters.names == ["2015 Q1", "2015 Q4", "2017 Q1"]
    assert str(quarters.starts[1]) == "2015-10-01"
    weeks = period_codes(dates("2015-03-09", "2015-03-15", "2015-03-16", "2016-01-03"), "week")
    assert weeks.names == ["2015-W11", "2015-W12", "2015-W53"]  # Monday to Sunday, ISO numbers
    assert weeks.codes.tolist() == [0, 0, 1, 2]
    assert period_codes(dates("1789-07-14", "1801-01-01"), "decade").names == ["1780s", "1800s"]


def test_periods_follow_how_finely_the_dates_are_written():
    assert periods_for(YEAR) == ("decade", "year")
    assert periods_for(MONTH) == ("decade", "year", "quarter", "month")
    assert periods_for(DAY)[-1] == "week"
    assert periods_for(None) == ()


def test_suggested_period_from_the_span():
    days = np.arange("2015-01-01", "2015-12-31", dtype="datetime64[D]").astype("datetime64[ms]")
    assert suggest_period(np.repeat(days[:200], 5), DAY) == "week"  # 29 weeks of 35
    assert suggest_period(days, DAY) == "month"  # 7 a week are too few, 30 a month enough
    assert suggest_period(days, MONTH) == "month"
    assert suggest_period(days[::3], DAY) == "quarter"  # 10 a month: too few
    years = np.arange(1990, 2020).astype("datetime64[Y]").astype("datetime64[ms]")
    assert suggest_period(np.repeat(years, 40), YEAR) == "year"
    centuries = np.arange(1790, 2020).astype("datetime64[Y]").astype("datetime64[ms]")
    assert suggest_period(np.repeat(centuries, 10), DAY) == "decade"


def test_group_codes_order_by_size_or_by_number_and_skip_blanks():
    groups = group_codes(["SPD", "CDU", None, "CDU", " ", "FDP", "CDU", "SPD"])
    assert groups.names == ["CDU", "SPD", "FDP"]
    assert groups.codes.tolist() == [1, 0, -1, 0, -1, 2, 0, 1]
    waves = group_codes([10.0, 2.0, 2.0, 1.0, 2.0])
    assert waves.names == ["1", "2", "10"]


def test_shares_counts_and_wilson_intervals_by_hand():
    # period 0: 10 documents (3 in topic 0, 5 in topic 4, 2 unassigned); period 1: 4 documents
    codes = np.array([0] * 10 + [1] * 4 + [-1, 0])
    topics = np.array([0, 0, 0, 4, 4, 4, 4, 4, -1, -1] + [4, 4, 4, 4] + [0, 0])
    analysed = np.ones(16, dtype=bool)
    analysed[-1] = False  # an empty text: never analysed, never counted
    table = prevalence(Categories(codes, ["a", "b"]), topics, topic_columns([0, 4, 7]), analysed)
    assert table.topic_ids.tolist() == [-1, 0, 4, 7]
    assert table.counts.tolist() == [[2, 3, 5, 0], [0, 0, 4, 0]]
    assert table.totals.tolist() == [10, 4]
    assert np.allclose(table.shares.sum(axis=1), 1.0)
    assert table.shares[0].tolist() == [0.2, 0.3, 0.5, 0.0]
    low, high = wilson_by_hand(3, 10)
    assert table.low[0, 1] == pytest.approx(low, abs=1e-9)
    assert table.high[0, 1] == pytest.approx(high, abs=1e-9)
    assert table.low[0, 3] == 0.0 and table.high[0, 3] == pytest.approx(wilson_by_hand(0, 10)[1])
    assert table.high[1, 2] == 1.0
    assert table.small.tolist() == [True, True]
    assert table.left_out == 1
    assert "Wilson" in table.method == INTERVAL_METHOD


def test_newcombe_difference_by_hand():
    codes = np.array([0] * 40 + [1] * 60)
    topics = np.array([1] * 20 + [-1] * 20 + [1] * 12 + [-1] * 48)
    table = prevalence(
        Categories(codes, ["SPD", "CDU"]), topics, topic_columns([1]), np.ones(100, bool)
    )
    diff = difference(table, 0, 1)
    p1, p2 = 20 / 40, 12 / 60
    l1, u1 = wilson_by_hand(20, 40)
    l2, u2 = wilson_by_hand(12, 60)
    j = table.column(1)
    assert diff.estimate[j] == pytest.approx(p1 - p2)
    assert diff.low[j] == pytest.approx(p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
    assert diff.high[j] == pytest.approx(p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    assert diff.clear[j]
    assert (diff.group_a, diff.group_b) == ("SPD", "CDU")


def test_export_frame_has_one_row_per_category_and_topic():
    table = prevalence(
        Categories(np.array([0, 0, 1]), ["2015", "2016"]),
        np.array([0, -1, 0]),
        topic_columns([0]),
        np.ones(3, bool),
    )
    frame = table.frame({-1: "Unassigned", 0: "Economy"}, "period")
    assert list(frame.columns) == [
        "period",
        "topic_id",
        "topic_label",
        "documents",
        "share",
        "share_low",
        "share_high",
    ]
    assert frame["period"].tolist() == ["2015", "2015", "2016", "2016"]
    assert frame["topic_label"].tolist() == ["Unassigned", "Economy"] * 2
    assert frame.groupby("period")["share"].sum().tolist() == [1.0, 1.0]


def test_recount_at_100000_documents_is_fast():
    import time

    rng = np.random.default_rng(0)
    n = 100_000
    d = (np.datetime64("1990-01-01") + rng.integers(0, 10_000, n)).astype("datetime64[ms]")
    periods = period_codes(d, "year")
    topics = rng.integers(-1, 60, n)
    columns = topic_columns(range(60))
    prevalence(periods, topics, columns, np.ones(n, bool))  # statsmodels imported once
    start = time.perf_counter()
    table = prevalence(periods, topics, columns, np.ones(n, bool))
    assert time.perf_counter() - start < 0.1
    assert table.counts.sum() == n
    assert pd.Series(topics).value_counts()[5] == table.counts[:, table.column(5)].sum()
