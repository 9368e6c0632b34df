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
