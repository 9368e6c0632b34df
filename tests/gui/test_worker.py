"""Fitting in the background: Cancel, failures, closing mid-fit, refits that reuse work.

The fit runs in the fitting process; the stand-ins of ``fit_stand_ins`` run there in its
place (``FitController.target``). The window's responsiveness during a real fit is in
``test_fit_responsiveness``.
"""

from __future__ import annotations

import multiprocessing
import time

import pandas as pd

from tests.gui.fit_stand_ins import HERE
from topicdesk.application.fit_process import TARGET
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings

SETTINGS = FitSettings(min_topic_size=5, max_seq_length=64)


def small_project(sotu_slice) -> Project:
    return Project(Corpus(sotu_slice.head(80), "text"))


def test_cancel_within_one_batch_then_fit_again(make_window, sotu_slice, qtbot):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    events = []
    window.fits.progress.connect(events.append)
    window.fits.target = f"{HERE}:slow_fit"
    window.fitting.start_fit(SETTINGS)
    qtbot.waitUntil(lambda: len(events) >= 4, timeout=60_000)  # the start and three batches
    with qtbot.waitSignal(window.fits.cancelled, timeout=5_000):
        window.progress.cancel_button.click()
        at_cancel = len(events)
    # the batch running at the click may still report, and one report may be on its way
    assert len(events) <= at_cancel + 2
    qtbot.waitUntil(lambda: not window.fits.running, timeout=5_000)
    assert not window.session.project.fitted
    window.fits.target = TARGET
    with qtbot.waitSignal(window.fits.finished, timeout=240_000):
        window.fitting.start_fit(SETTINGS)
    assert window.session.project.fitted


def test_failure_shows_a_dialog_and_the_app_goes_on(make_window, sotu_slice, qtbot, isolated):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    window.fits.target = f"{HERE}:broken_fit"
    with qtbot.waitSignal(window.fits.failed, timeout=60_000):
        window.fitting.start_fit(SETTINGS)
    qtbot.waitUntil(lambda: bool(isolated), timeout=5_000)
    assert "disk on fire" in isolated[-1]
    qtbot.waitUntil(lambda: not window.fits.running, timeout=5_000)
    assert window.actions["fit"].isEnabled()


def test_closing_during_a_fit_stops_the_thread_and_the_process(make_window, sotu_slice, qtbot):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    events = []
    window.fits.progress.connect(events.append)
    window.fits.target = f"{HERE}:endless_fit"
    window.fitting.start_fit(SETTINGS)
    qtbot.waitUntil(lambda: len(events) >= 3, timeout=60_000)
    thread = window.fits._thread
    started = time.monotonic()
    assert window.close()
    assert time.monotonic() - started < 5
    assert not thread.isRunning()
    assert not window.fits.running
    assert not window.fits._process.alive
    assert [p.name for p in multiprocessing.active_children()] == []
    assert len(events) < 400


def test_refit_reuses_cached_embeddings(make_window, sotu_slice, qtbot):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    with qtbot.waitSignal(window.fits.finished, timeout=240_000):
        window.fitting.start_fit(SETTINGS)
    events = []
    window.fits.progress.connect(events.append)
    with qtbot.waitSignal(window.fits.finished, timeout=120_000):
        window.fitting.start_fit(SETTINGS.replace(min_topic_size=8))
    embedding = [e for e in events if e.stage == "Embedding documents"]
    assert len(embedding) == 2 and embedding[-1].message.startswith("reused ")  # no batches
    assert window.session.project.settings.min_topic_size == 8
    assert isinstance(window.session.project.corpus.table, pd.DataFrame)
