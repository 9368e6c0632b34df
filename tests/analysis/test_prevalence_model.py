"""The model-based estimate finds a known time trend and group difference again."""

from __future__ import annotations

import numpy as np
import pytest

from topicdesk.analysis.prevalence_model import ALL, decimal_years, estimate_effect
from topicdesk.errors import TopicDeskError


def simulated(n: int = 20_000, seed: int = 0):
    rng = np.random.default_rng(seed)
    years = rng.uniform(1990, 2020, n)
    groups = rng.choice(3, n, p=[0.5, 0.499, 0.001])  # the third group is tiny
    logit = -2.0 + 0.06 * (years - 2005) + 0.8 * (groups == 1)
    member = rng.random(n) < 1 / (1 + np.exp(-logit))
    return years, groups, member


def truth(year: float, group: int) -> float:
    return 1 / (1 + np.exp(-(-2.0 + 0.06 * (year - 2005) + 0.8 * group)))


def test_the_estimate_recovers_a_trend_and_a_group_shift():
    years, groups, member = simulated()
    effect = estimate_effect(
        years, member, np.ones(len(years), bool), 4, groups, ["SPD", "CDU", "tiny"]
    )
    assert effect.groups == ["SPD", "CDU"]
    assert effect.left_out == {"tiny": "fewer than 30 dated documents"}
    assert effect.estimate.shape == (2, len(effect.years))
    for g in (0, 1):
        expected = np.array([truth(y, g) for y in effect.years])
        assert np.abs(effect.estimate[g] - expected).max() < 0.03
        inside = (effect.low[g] <= expected) & (expected <= effect.high[g])
        assert inside.mean() > 0.8
    assert (effect.estimate[1] > effect.estimate[0]).all()
    ok = ~np.isnan(effect.estimate)
    assert (effect.low[ok] <= effect.estimate[ok]).all()
    assert (effect.estimate[ok] <= effect.high[ok]).all()
    assert "binomial GLM" in effect.assumptions and "95%" in effect.assumptions


def test_groups_are_drawn_only_where_they_speak_and_not_when_the_topic_is_absent():
    years, groups, member = simulated(seed=2)
    groups = groups.copy()
    late = (groups == 1) & (years < 2010)
    groups[late] = 0  # CDU speaks only from 2010
    quiet = np.random.default_rng(3).random(len(years)) < 0.1
    groups[quiet] = 2
    member[groups == 2] = False  # a group that never touches the topic
    effect = estimate_effect(
        years, member, np.ones(len(years), bool), 4, groups, ["SPD", "CDU", "Quiet"]
    )
    assert effect.left_out == {"Quiet": "none of its documents in this topic"}
    cdu = effect.groups.index("CDU")
    assert np.isnan(effect.estimate[cdu, effect.years < 2009.5]).all()
    assert not np.isnan(effect.estimate[cdu, effect.years > 2010.5]).any()
    assert not np.isnan(effect.estimate[effect.groups.index("SPD")]).any()


def test_without_groups_one_curve_for_all_documents():
    years, _, member = simulated(5_000, seed=1)
    effect = estimate_effect(years, member, np.ones(len(years), bool), 0)
    assert effect.groups == [ALL]
    assert effect.estimate[0, -1] > effect.estimate[0, 0]  # the share rises


def test_too_few_dated_documents_are_refused_in_words():
    years = np.full(100, np.nan)
    years[:10] = 2000.0
    with pytest.raises(TopicDeskError, match="Too few dated documents"):
        estimate_effect(years, np.zeros(100, bool), np.ones(100, bool), 0)


def test_decimal_years():
    dates = np.array(["2015-01-01", "2016-07-02", "NaT"], dtype="datetime64[ms]")
    out = decimal_years(dates)
    assert out[0] == 2015.0 and out[1] == pytest.approx(2016 + 183 / 366)
    assert np.isnan(out[2])
