"""The status bar's progress: the stage and its own progress, and an honest time left."""

from __future__ import annotations

import re
import time

import pytest

from tests.fit_progress import Clock, cold_fit
from topicdesk.gui.progress_panel import ProgressPanel
from topicdesk.pipeline.progress import ProgressEvent


def _seconds_left(text: str) -> float | None:
    found = re.search(r"about (\d+):(\d\d) left", text)
    return None if found is None else int(found[1]) * 60 + int(found[2])


@pytest.mark.parametrize(
    "events",
    [
        cold_fit(embed_s=40.0, reduce_s=48.0),  # layouts three times what was expected
        cold_fit(embed_s=300.0, reduce_s=120.0, cluster_s=20.0),  # a large corpus
        cold_fit(refit=True),  # only the layouts and the clustering to do
    ],
    ids=["slow layouts", "slow clustering", "refit"],
)
def test_a_misjudged_stage_never_shows_a_second_left_with_twenty_to_go(events, qtbot, monkeypatch):
    # the issue: "about 0:01 left" with 20 s to go
    clock = Clock()
    monkeypatch.setattr(time, "monotonic", clock)
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.start()
    end, i, shown = events[-1][0], 0, []
    while clock.now < end:
        while i < len(events) and events[i][0] <= clock.now:
            panel.show_event(events[i][1])
            i += 1
        panel._update_timing()  # what the panel's one-second timer does
        loading = "Loading the language model" in panel.label.text()
        shown.append((end - clock.now, panel.timing.text(), loading))
        clock.now += 0.5
    figures = [(truth, _seconds_left(text)) for truth, text, _ in shown]
    assert all(left >= 5 for truth, left in figures if left is not None and truth >= 20), shown
    assert sum(left is not None for _, left in figures) > len(figures) / 2
    assert all("estimating" in text for _, text, loading in shown if loading)


def test_the_stage_and_its_own_progress_are_shown(qtbot):
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.start()
    panel.show_event(ProgressEvent("Reducing dimensions", 2, 6, 1 / 3, "2 of 6 layouts made"))
    assert panel.label.text() == "Step 3 of 6: Reducing dimensions, 33% (2 of 6 layouts made)"
    assert panel.bar.value() == 333
