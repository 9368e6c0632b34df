"""The status bar's progress: the stage and its own progress, and an honest time left."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest

from tests.fit_progress import Clock, cold_fit
from tests.toy_fit import ENCODERS, SETTINGS, toy_texts
from topicdesk.application import fit_messages
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.gui.progress_panel import ProgressPanel
from topicdesk.pipeline import chunk_store
from topicdesk.pipeline.progress import ChunkCount, Progress, ProgressEvent
from topicdesk.pipeline.runner import fit_project


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


def _chunked(fraction: float, saved: int, resumed: int = 0) -> ProgressEvent:
    """Embedding 16,000 documents in 8 chunks of 2,000."""
    chunks = ChunkCount(saved, 8, 2_000 * saved, 16_000, resumed)
    return ProgressEvent("Embedding documents", 1, 6, fraction, "chunk 3 of 8", chunks)


def test_a_chunked_embedding_shows_chunks_rate_and_what_cancel_keeps(qtbot):
    clock = Clock()
    panel = ProgressPanel(clock=clock)
    qtbot.addWidget(panel)
    panel.start()
    panel.show_event(ProgressEvent("Embedding documents", 1, 6, 0.0))
    assert panel.chunk_line.isHidden()
    clock.now = 10.0
    panel.show_event(_chunked(0.25, saved=2))  # 4,000 documents in 10 s
    assert panel.chunk_line.text() == (
        "2 of 8 chunks saved (4,000 of 16,000 documents), 400 documents a second"
    )
    assert panel.keep_line.text() == (
        "Cancel keeps the 4,000 documents embedded so far: the next fit of this corpus "
        "with the same model settings resumes from them."
    )
    assert not panel.chunk_line.isHidden() and not panel.keep_line.isHidden()
    assert panel.label.text() == "Step 2 of 6: Embedding documents, 25%"  # the lines say the rest
    panel.show_event(ProgressEvent("Reducing dimensions", 2, 6, 0.0))
    assert panel.chunk_line.isHidden() and panel.keep_line.isHidden()
    assert panel.kept.embedded == 4_000  # what the status bar names after a cancel
    panel.start()
    assert panel.kept is None


def test_after_a_cancel_the_status_bar_says_what_was_kept(make_window):
    window = make_window()
    window.progress.start()
    window.fits.cancelled.emit()
    assert window.statusBar().currentMessage() == "Fit cancelled; nothing was changed"
    window.progress.start()
    window.progress.show_event(_chunked(0.5, saved=4))
    window.fits.cancelled.emit()
    assert window.statusBar().currentMessage() == (
        "Fit cancelled; the topics are unchanged. The 8,000 documents embedded so far are "
        "kept: the next fit of this corpus resumes from them"
    )


def test_a_resumed_embedding_counts_only_what_it_computes_in_its_rate(qtbot):
    clock = Clock()
    panel = ProgressPanel(clock=clock)
    qtbot.addWidget(panel)
    panel.start()
    panel.show_event(_chunked(0.0, saved=4, resumed=8_000))
    assert panel.chunk_line.text() == (
        "4 of 8 chunks saved (8,000 of 16,000 documents, 8,000 of them from a stopped fit)"
    )
    clock.now = 0.5
    panel.show_event(_chunked(0.01, saved=4, resumed=8_000))  # too soon to tell a speed
    assert "a second" not in panel.chunk_line.text()
    clock.now = 20.0
    panel.show_event(_chunked(0.5, saved=6, resumed=8_000))  # 4,000 of the 8,000 left in 20 s
    assert panel.chunk_line.text().endswith(", 200 documents a second")


def test_a_corpus_of_one_chunk_shows_no_chunk_lines(qtbot):
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.start()
    single = ChunkCount(0, 1, 0, 300)
    panel.show_event(ProgressEvent("Embedding documents", 1, 6, 0.5, "150 of 300", single))
    assert panel.chunk_line.isHidden() and panel.keep_line.isHidden()


def test_a_real_chunked_fit_reports_its_chunks_to_the_panel(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(chunk_store, "root", lambda: tmp_path / "embeddings")
    monkeypatch.setattr(chunk_store, "CHUNK_ROWS", 16)
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.start()
    seen = []

    def show(event: ProgressEvent) -> None:
        event = fit_messages.decode_event(fit_messages.encode_event(event))  # as from the process
        panel.show_event(event)
        if not panel.chunk_line.isHidden():
            seen.append((panel.chunk_line.text(), panel.keep_line.text()))

    project = Project(Corpus(pd.DataFrame({"text": toy_texts(120)}), "text"))
    fit_project(project, SETTINGS, Progress(show), ENCODERS)
    assert seen[-1][0] == "8 of 8 chunks saved (120 of 120 documents)"
    assert seen[-1][1].startswith("Cancel keeps the 120 documents embedded so far: ")
    assert seen[0][0].startswith("0 of 8 chunks saved (0 of 120 documents)")
    assert seen[0][1].startswith("Cancel keeps every chunk saved by then")
    assert panel.chunk_line.isHidden()  # the later stages have no chunks
