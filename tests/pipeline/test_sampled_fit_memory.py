"""What a sampled fit gives up for memory: the model after embedding, and two layouts at once."""

from __future__ import annotations

import gc
import threading
import weakref

import pandas as pd

from tests.toy_fit import SETTINGS, Letters, toy_texts
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.pipeline import layouts, reduce, runner
from topicdesk.pipeline.encoders import EncoderCache

SAMPLED = SETTINGS.replace(sample_above=1_000, min_topic_size=120)  # 100 in the sample


def _project(n: int) -> Project:
    return Project(Corpus(pd.DataFrame({"text": toy_texts(n, themes=4)}), "text"))


def test_a_sampled_fit_lets_go_of_the_model_and_the_next_fit_loads_it_again():
    loaded: list[weakref.ref] = []

    def load(settings):
        encoder = Letters()
        loaded.append(weakref.ref(encoder))
        return encoder

    cache = EncoderCache(load)
    result = runner.fit_project(_project(1_200), SAMPLED, None, cache)
    assert result.provenance["placed_from_sample"] == 200
    gc.collect()
    assert len(loaded) == 1 and cache.loaded(SAMPLED) is None
    assert loaded[0]() is None  # nothing of the fit holds on to it

    runner.fit_project(_project(300), SETTINGS, None, cache)  # not sampled: kept
    assert len(loaded) == 2 and cache.loaded(SETTINGS) is loaded[1]()


def test_layouts_run_one_at_a_time_only_in_a_sampled_fit(monkeypatch):
    threads: list[str] = []
    original = reduce.reduce

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(reduce, "reduce", spy)
    cache = EncoderCache(lambda settings: Letters())
    runner.fit_project(_project(1_200), SAMPLED, None, cache)
    assert threads == [threading.main_thread().name] * 6
    threads.clear()
    runner.fit_project(_project(300), SETTINGS, None, cache)
    assert len(threads) == 6
    if layouts.release_gil():  # else this UMAP has no function to run them side by side
        assert all(name.startswith("topicdesk-umap") for name in threads)
