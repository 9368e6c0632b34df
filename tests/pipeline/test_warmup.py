"""The warm-up compiles UMAP and loads the built-in model, as the fitting process does at start."""

from __future__ import annotations

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import encoders, warmup


def test_warm_up_compiles_and_loads_the_default_model(monkeypatch):
    cache = encoders.EncoderCache()
    monkeypatch.setattr(encoders, "ENCODERS", cache)
    warmup.warm_up()
    assert cache.loaded(FitSettings()) is None
    warmup.load_default_model()
    assert cache.loaded(FitSettings()) is not None


def test_later_stages_import_on_a_thread_and_a_missing_library_is_left_to_its_stage(
    monkeypatch,
):
    import sys
    import threading

    failures = []
    monkeypatch.setattr(threading, "excepthook", failures.append)
    warmup.import_later_stages().join(timeout=120)
    assert all(name in sys.modules for name in warmup.LATER_STAGES)
    monkeypatch.setattr(warmup, "LATER_STAGES", ("topicdesk_no_such_library", "umap"))
    thread = warmup.import_later_stages()
    thread.join(timeout=60)
    assert not thread.is_alive() and failures == []  # nothing raised on the thread
