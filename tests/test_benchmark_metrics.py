"""The quality measures used in benchmarks/ give the textbook values on tiny corpora."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
metrics = pytest.importorskip("metrics")


def test_words_that_always_appear_together_have_npmi_one():
    texts = ["apple banana"] * 3 + ["cherry plum"] * 3
    score, per_topic = metrics.npmi_coherence([["apple", "banana"], ["cherry", "plum"]], texts)
    assert per_topic == pytest.approx([1.0, 1.0]) and score == pytest.approx(1.0)


def test_words_that_never_meet_have_npmi_minus_one_and_independent_ones_zero():
    apart = metrics.npmi_coherence([["apple", "cherry"]], ["apple banana", "cherry plum"])[0]
    eps = metrics.EPSILON  # gensim's smoothing keeps "never together" just above -1
    assert apart == pytest.approx(np.log(eps / 0.25) / -np.log(eps)) and apart < -0.9
    # each word in half of four windows, together in a quarter: PMI = log(0.25/0.25) = 0
    texts = ["apple cherry", "apple plum", "banana cherry", "banana plum"]
    assert metrics.npmi_coherence([["apple", "cherry"]], texts)[0] == pytest.approx(0.0, abs=1e-9)


def test_sliding_windows_of_ten_tokens():
    # 12 tokens make 3 windows; "first" (position 0) is only in window 0, "last" only in 2
    text = "first " + " ".join(f"w{i}" for i in range(10)) + " last"
    single, pairs, windows = metrics.window_counts([text], ["first", "last", "w5"])
    assert windows == 3
    np.testing.assert_array_equal(single, [1, 1, 3])
    assert pairs[0, 1] == 0 and pairs[0, 2] == 1 and pairs[1, 2] == 1


def test_top_words_split_phrases_and_diversity():
    assert metrics.top_words(["health care", "care", "nurses"], 3) == ["health", "care", "nurses"]
    assert metrics.diversity([["a", "b"], ["b", "c"]]) == 0.75
