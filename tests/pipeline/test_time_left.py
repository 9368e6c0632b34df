"""The time-left estimate on made-up progress sequences with known answers."""

from __future__ import annotations

import pytest

from tests.fit_progress import EMBED, LOAD, REDUCE, Clock, cold_fit
from topicdesk.pipeline.progress import ProgressEvent, TimeLeft


def replay(events, step: float = 0.5) -> list[tuple[float, float | None]]:
    """(true seconds left, estimate) every ``step`` seconds of the fit."""
    clock = Clock()
    left = TimeLeft(clock=clock)
    end = events[-1][0]
    out, i = [], 0
    t = 0.0
    while t < end:
        while i < len(events) and events[i][0] <= t:
            left.observe(events[i][1])
            i += 1
        clock.now = t
        out.append((end - t, left.seconds_left()))
        t += step
    return out


def test_nothing_is_claimed_while_the_model_loads_or_the_embedding_starts():
    figures = replay(cold_fit())
    assert all(estimate is None for truth, estimate in figures if truth > 92.0)


def test_a_typical_cold_fit_gets_figures_near_the_truth_and_never_far_too_low():
    figures = [(truth, est) for truth, est in replay(cold_fit()) if est is not None]
    assert len(figures) > 150  # figures most of the time, not only "estimating"
    near = [abs(estimate - truth) <= max(truth / 3, 5.0) for truth, estimate in figures]
    assert sum(near) >= 0.9 * len(figures)
    # too high for a moment when one of two layouts running side by side is done
    assert all(estimate >= truth * 2 / 3 - 3.0 for truth, estimate in figures)


@pytest.mark.parametrize(
    "fit",
    [
        cold_fit(embed_s=40.0, reduce_s=48.0),  # layouts three times what was expected
        cold_fit(embed_s=300.0, reduce_s=120.0, cluster_s=20.0),  # a large corpus
        cold_fit(refit=True),  # only the layouts and the clustering to do
    ],
    ids=["slow layouts", "slow clustering", "refit"],
)
def test_a_misjudged_stage_never_counts_down_to_a_second(fit):
    figures = replay(fit)
    assert all(est >= 5.0 for truth, est in figures if est is not None and truth >= 20), figures


def test_a_stage_silent_past_its_projection_says_estimating():
    clock = Clock()
    left = TimeLeft(clock=clock)
    left.observe(ProgressEvent(REDUCE, 2, 6, 0.0))
    clock.now = 10.0
    left.observe(ProgressEvent(REDUCE, 2, 6, 0.5))  # projected: 20 s for the stage
    clock.now = 15.0
    assert left.seconds_left() == pytest.approx(5.0 + (0.03 + 0.005 + 0.02) / 0.28 * 20.0)
    clock.now = 21.0  # still at half, past the projected end
    assert left.seconds_left() is None


def test_a_refit_skips_reused_stages_and_learns_from_the_reduction():
    clock = Clock()
    left = TimeLeft(clock=clock)
    for stage, index in ((LOAD, 0), (EMBED, 1)):  # reused: begin and end at once
        left.observe(ProgressEvent(stage, index, 6, 0.0))
        left.observe(ProgressEvent(stage, index, 6, 1.0, "reused"))
    left.observe(ProgressEvent(REDUCE, 2, 6, 0.0))
    clock.now = 0.5
    left.observe(ProgressEvent(REDUCE, 2, 6, 0.05))
    assert left.seconds_left() is None  # the skipped stages say nothing about speed
    clock.now = 6.0
    left.observe(ProgressEvent(REDUCE, 2, 6, 2 / 6))
    assert left.seconds_left() == pytest.approx(12.0 + 18.0 * 0.055 / 0.28)


def test_a_report_of_100_percent_inside_a_stage_does_not_end_it():
    clock = Clock()
    left = TimeLeft(clock=clock)
    left.observe(ProgressEvent(EMBED, 1, 6, 0.0))
    clock.now = 10.0
    left.observe(ProgressEvent(EMBED, 1, 6, 1.0))
    left.observe(ProgressEvent("Finding topics", 3, 6, 0.0))
    clock.now = 14.0
    left.observe(ProgressEvent("Finding topics", 3, 6, 1.0))  # the first of five runs ended
    left.observe(ProgressEvent("Finding topics", 3, 6, 1 / 6, "run 1 of 5"))
    assert left.seconds_left() == pytest.approx(20.0 + (0.005 + 0.02) / 0.70 * 10.0)


def test_a_job_of_repeated_steps_counts_the_steps_still_to_come():
    """The stability check: ten re-runs of about 6 s, each its own step of one stage."""
    clock = Clock()
    left = TimeLeft(clock=clock)
    stage = "Checking stability"
    left.observe(ProgressEvent(stage, 0, 10, 0.0))
    clock.now = 3.0
    left.observe(ProgressEvent(stage, 0, 10, 0.5))
    assert left.seconds_left() == pytest.approx(3.0 + 9 * 6.0)  # from the first step alone
    for step in range(1, 4):  # three more steps of 6 s
        clock.now = 6.0 * step
        left.observe(ProgressEvent(stage, step, 10, 0.0))
    clock.now = 21.0
    left.observe(ProgressEvent(stage, 3, 10, 0.5))
    assert left.seconds_left() == pytest.approx(3.0 + 6 * 6.0)
