"""Fitting in the background: a live event loop, Cancel, failures, and closing mid-fit."""

from __future__ import annotations

import time
from itertools import pairwise

import pandas as pd
from PySide6.QtCore import QTimer

from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import runner
from topicdesk.pipeline.progress import Progress

SETTINGS = FitSettings(min_topic_size=5, max_seq_length=64)


def slow_fit(batches: int = 40, pause: float = 0.05):
    """A stand-in for the pipeline that reports batches and honours Cancel like the real one."""
    calls = {"batches": 0}

    def fit(project, settings=None, progress: Progress | None = None):
        progress = progress or Progress()
        progress.begin("Embedding documents", 1, 6)
        for i in range(batches):
            progress.check()
            time.sleep(pause)
            calls["batches"] += 1
            progress.update((i + 1) / batches, f"{i + 1} of {batches}")
        raise AssertionError("the stand-in never finishes; tests cancel it")

    return fit, calls


def small_project(sotu_slice) -> Project:
    return Project(Corpus(sotu_slice.head(80), "text"))


def test_event_loop_runs_during_a_real_fit(make_window, sotu_slice, qtbot):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    events = []
    window.fits.progress.connect(events.append)
    with qtbot.waitSignal(window.fits.finished, timeout=240_000):
        window.fitting.start_fit(SETTINGS)
    timer.stop()
    assert window.session.project.fitted
    gaps = [b - a for a, b in pairwise(ticks)]
    assert len(ticks) >= 10  # the fit lasted long enough to tell
    assert max(gaps) < 1.0, f"the window froze for {max(gaps):.2f} s"
    assert {e.stage for e in events} >= {"Embedding documents", "Finding topics"}
    assert not window.progress.isVisible()


def test_cancel_within_one_batch_then_fit_again(make_window, sotu_slice, qtbot, monkeypatch):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    fake, calls = slow_fit()
    real = runner.fit_project
    monkeypatch.setattr(runner, "fit_project", fake)
    window.fitting.start_fit(SETTINGS)
    qtbot.waitUntil(lambda: calls["batches"] >= 3, timeout=10_000)
    with qtbot.waitSignal(window.fits.cancelled, timeout=5_000):
        window.progress.cancel_button.click()
        at_cancel = calls["batches"]
    assert calls["batches"] <= at_cancel + 1
    qtbot.waitUntil(lambda: not window.fits.running, timeout=5_000)
    assert not window.session.project.fitted
    monkeypatch.setattr(runner, "fit_project", real)
    with qtbot.waitSignal(window.fits.finished, timeout=240_000):
        window.fitting.start_fit(SETTINGS)
    assert window.session.project.fitted


def test_failure_shows_a_dialog_and_the_app_goes_on(
    make_window, sotu_slice, qtbot, monkeypatch, isolated
):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(runner, "fit_project", broken)
    with qtbot.waitSignal(window.fits.failed, timeout=10_000):
        window.fitting.start_fit(SETTINGS)
    qtbot.waitUntil(lambda: bool(isolated), timeout=5_000)
    assert "disk on fire" in isolated[-1]
    qtbot.waitUntil(lambda: not window.fits.running, timeout=5_000)
    assert window.actions["fit"].isEnabled()


def test_closing_during_a_fit_stops_the_thread(make_window, sotu_slice, qtbot, monkeypatch):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    fake, calls = slow_fit(batches=400)
    monkeypatch.setattr(runner, "fit_project", fake)
    window.fitting.start_fit(SETTINGS)
    qtbot.waitUntil(lambda: calls["batches"] >= 2, timeout=10_000)
    thread = window.fits._thread
    started = time.monotonic()
    assert window.close()
    assert time.monotonic() - started < 5
    assert not thread.isRunning()
    assert not window.fits.running
    assert calls["batches"] < 400


def test_refit_reuses_cached_embeddings(make_window, sotu_slice, qtbot, monkeypatch):
    from topicdesk.pipeline import encoders

    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    with qtbot.waitSignal(window.fits.finished, timeout=240_000):
        window.fitting.start_fit(SETTINGS)
    monkeypatch.setattr(
        encoders.SentenceTransformerEncoder,
        "embed",
        lambda *a, **k: (_ for _ in ()).throw(AssertionError("re-embedded")),
    )
    with qtbot.waitSignal(window.fits.finished, timeout=120_000):
        window.fitting.start_fit(SETTINGS.replace(min_topic_size=8))
    assert window.session.project.settings.min_topic_size == 8
    assert isinstance(window.session.project.corpus.table, pd.DataFrame)
