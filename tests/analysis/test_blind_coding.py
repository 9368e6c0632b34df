"""Blind coding: a reproducible stratified sample, hand-checked precision and recall,
kappa and alpha against textbook examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from topicdesk.analysis import blind_coding as bc
from topicdesk.analysis.blind_coding import NONE, UNSURE, CodingSample
from topicdesk.errors import TopicDeskError


def test_cohens_kappa_matches_the_textbook_example() -> None:
    # 50 grant proposals read by two readers: both yes 20, A yes/B no 5, A no/B yes 10,
    # both no 15; p_o = 0.7, p_e = 0.5, kappa = 0.4 (the standard worked example).
    first = [1] * 25 + [0] * 25
    second = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    kappa, low, high = bc.cohens_kappa(first, second)
    assert kappa == pytest.approx(0.4)
    assert low < 0.4 < high and high - low == pytest.approx(2 * 1.959964 * 0.1269961, rel=1e-4)


def test_kappa_is_undefined_not_an_error_with_one_category() -> None:
    assert all(math.isnan(x) for x in bc.cohens_kappa([3, 3], [3, 3]))
    assert all(math.isnan(x) for x in bc.cohens_kappa([], []))


def test_krippendorff_alpha_matches_krippendorffs_worked_examples() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": nominal data,
    # four observers, twelve units, missing values: alpha = 0.743.
    table = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    codes = {
        f"observer {i}": {unit: value for unit, value in enumerate(row) if value is not None}
        for i, row in enumerate(table)
    }
    assert bc.krippendorff_alpha(codes) == pytest.approx(0.743, abs=5e-4)
    # The same paper's binary example, two observers, ten units: alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    two = {"A": dict(enumerate(a)), "B": dict(enumerate(b))}
    assert bc.krippendorff_alpha(two) == pytest.approx(0.095, abs=5e-4)


def test_unsure_is_missing_for_alpha_and_one_coder_gives_none() -> None:
    a = {0: 1, 1: 2, 2: 1, 3: UNSURE}
    b = {0: 1, 1: 2, 2: 2, 3: 1}
    assert bc.krippendorff_alpha({"A": a, "B": b}) == pytest.approx(
        bc.krippendorff_alpha({"A": {0: 1, 1: 2, 2: 1}, "B": {0: 1, 1: 2, 2: 2}})
    )
    assert math.isnan(bc.krippendorff_alpha({"A": a}))


def test_the_sample_is_stratified_distinct_seeded_and_recorded() -> None:
    assignments = np.array([0] * 50 + [1] * 30 + [-1] * 5 + [2] * 3)
    texts = [f"text {i}" for i in range(len(assignments))]
    texts[1] = texts[0]  # a repeated text is sampled at most once
    sample = bc.draw_sample(assignments, texts, {0: "a", 1: "b", 2: "c"}, per_topic=4, seed=9)
    model = sample.model_topic()
    assert sorted(model.values()).count(0) == 4 and list(model.values()).count(1) == 4
    assert list(model.values()).count(-1) == 4 and list(model.values()).count(2) == 3
    assert {texts[r] for r in sample.rows}.__len__() == len(sample.rows)
    assert sample.strata == {0: 49, 1: 30, -1: 5, 2: 3}
    again = bc.draw_sample(assignments, texts, {0: "a", 1: "b", 2: "c"}, per_topic=4, seed=9)
    assert again == sample and CodingSample.from_dict(sample.to_dict()) == sample
    other = bc.draw_sample(assignments, texts, {0: "a", 1: "b", 2: "c"}, per_topic=4, seed=10)
    assert other.rows != sample.rows
    assert list(sample.rows) != sorted(sample.rows)  # shown in random order


def test_precision_recall_and_kappa_by_hand() -> None:
    # Strata: topic 0 has 100 documents, topic 1 has 20, unassigned 10; four sampled from each.
    rows = tuple(range(12))
    model = (0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1)
    sample = CodingSample(1, 4, rows, model, {0: 100, 1: 20, -1: 10}, {0: "a", 1: "b"})
    codes = {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 0, 7: UNSURE, 8: NONE, 9: NONE, 10: 0}
    result = bc.agreement(sample, codes)
    assert (result.coded, result.unsure, result.remaining) == (10, 1, 1)
    t0, t1 = result.topics
    assert (t0.topic_id, t0.sampled, t0.agreed, t0.precision) == (0, 4, 3, 0.75)
    assert (t1.topic_id, t1.sampled, t1.agreed) == (1, 3, 2)
    # Weights: topic 0 stratum 100/4 = 25, topic 1 20/3, unassigned 10/3.
    # Researcher's "0": three from stratum 0 (75), one from stratum 1 (20/3), one unassigned (10/3).
    assert t0.recall == pytest.approx(75 / (75 + 20 / 3 + 10 / 3))
    # Researcher's "1": one from stratum 0 (25), two from stratum 1 (40/3).
    assert t1.recall == pytest.approx((40 / 3) / (25 + 40 / 3))
    assert result.agreement == pytest.approx(7 / 10)
    # kappa on the 10 coded: categories -1, 0, 1
    table = np.array([[2, 1, 0], [0, 3, 1], [0, 1, 2]], dtype=float)
    po = np.trace(table) / table.sum()
    pe = (table.sum(0) * table.sum(1)).sum() / table.sum() ** 2
    assert result.kappa == pytest.approx((po - pe) / (1 - pe))


def test_the_size_note_says_what_a_sample_can_show() -> None:
    note = bc.sample_size_note(20, [100, 100, 100, 5])
    assert "65 documents" in note and "±17 percentage points" in note
    assert "often wrong" in note
    assert "compare topics" in bc.sample_size_note(80, [500] * 4)


def test_malformed_saved_samples_and_codes_are_refused() -> None:
    with pytest.raises(TopicDeskError, match="unreadable"):
        CodingSample.from_dict({"seed": 1, "rows": [1, 1]})
    with pytest.raises(TopicDeskError, match="unreadable"):
        bc.codes_from_pairs([[1, "x"]])
    with pytest.raises(TopicDeskError, match="unreadable"):
        bc.codes_from_pairs([[1, -7]])
