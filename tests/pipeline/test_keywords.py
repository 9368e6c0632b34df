"""Class-based TF-IDF, representatives and outlier placement on small known inputs."""

from __future__ import annotations

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import keywords
from topicdesk.pipeline.keywords import representatives, topic_keywords
from topicdesk.pipeline.outliers import reassign_outliers

SETTINGS = FitSettings(min_df=1, ngram_max=1, top_n_words=3)


def test_distinctive_words_rank_first_and_stop_words_go():
    texts = [
        "The budget deficit and the tax rates",
        "Tax cuts and the budget",
        "The tax code",
        "The army and the navy",
        "Our army is ready",
        "The navy ships and the army",
        "",
        "[Applause] 1999 2000 the weather",
    ]
    assignments = np.array([0, 0, 0, 1, 1, 1, -1, -1])
    words = topic_keywords(texts, assignments, SETTINGS)
    assert set(words) == {0, 1}
    assert words[0][0][:2] == ["tax", "budget"]
    assert words[1][0][0] == "army"
    every = {w for kw, _ in words.values() for w in kw}
    assert not every & {"the", "and", "our", "is"}
    assert words[0][1] == sorted(words[0][1], reverse=True)


def test_german_stop_words_and_annotations():
    texts = [
        "Die Steuer und die Abgaben sind zu hoch",
        "Die Steuer muss sinken [Beifall]",
        "Der Fußball und das Tor",
        "Das Tor im Fußball",
    ]
    words = topic_keywords(
        texts, np.array([0, 0, 1, 1]), FitSettings(min_df=1, ngram_max=1, language="german")
    )
    assert words[0][0][0] == "steuer"
    assert words[1][0][:2] in (["fußball", "tor"], ["tor", "fußball"])
    every = {w for kw, _ in words.values() for w in kw}
    assert not every & {"die", "und", "das", "der", "beifall"}


def test_bigrams():
    texts = [
        "health care reform",
        "health care costs",
        "health care now",
        "space travel",
        "space station",
    ]
    words = topic_keywords(
        texts, np.array([0, 0, 0, 1, 1]), FitSettings(min_df=1, ngram_max=2, top_n_words=5)
    )
    assert "health care" in words[0][0]


def test_representatives_nearest_centre_and_distinct():
    emb = np.array(
        [[1, 0], [0.9, 0.1], [0.9, 0.1], [0.5, 0.5], [0, 1], [0.1, 0.9]], dtype=np.float32
    )
    texts = ["a", "b", "b", "c", "d", "e"]
    reps = representatives(emb, np.array([0, 0, 0, 0, 1, 1]), 2, texts)
    assert reps[0] == [1, 0]
    assert set(reps[1]) == {4, 5}


def test_outliers_join_nearest_topic_above_threshold():
    emb = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0.95, 0.31], [-1, 0]], dtype=np.float32)
    labels, sims = reassign_outliers(emb, np.array([0, 0, 1, 1, -1, -1]), threshold=0.5)
    assert labels.tolist() == [0, 0, 1, 1, 0, -1]
    assert np.isnan(sims[:4]).all() and sims[4] > 0.9 and np.isnan(sims[5])


def test_sparse_scores_equal_the_dense_formula(sotu_slice):
    """tf * log(1 + A / f) computed densely, word for word and weight for weight."""
    texts = sotu_slice["text"].tolist()
    labels = np.arange(len(texts)) % 7 - 1  # six topics and some unassigned
    settings = FitSettings()
    got = keywords.topic_keywords(texts, labels, settings)
    counts, vocab = keywords._doc_term_matrix(texts, settings)
    classes = np.unique(labels)
    per_class = np.stack([np.asarray(counts[labels == c].sum(axis=0)).ravel() for c in classes])
    tf = per_class / per_class.sum(axis=1, keepdims=True)
    idf = np.log(1 + per_class.sum() / len(classes) / per_class.sum(axis=0))
    scores = tf * idf
    for i, topic in enumerate(classes[classes >= 0]):
        row = scores[i + 1]
        top = np.argsort(-row, kind="stable")[: settings.top_n_words]
        assert got[int(topic)][0] == [str(vocab[j]) for j in top]
        np.testing.assert_allclose(got[int(topic)][1], row[top], rtol=1e-12)


def test_typical_documents_are_not_the_same_text_twice_in_other_case():
    """A heading in capitals and again in title case took two of three places."""
    texts = [
        "ENHANCING NATIONAL SECURITY—AMERICAN MILITARY STRENGTH",
        "Enhancing National Security — American Military Strength",
        "Our armed forces are ready.",
        "Section 1: the army",
        "Section 2: the army",
    ]
    embeddings = np.array([[1.0, 0.0], [1.0, 0.01], [0.9, 0.3], [0.8, 0.4], [0.8, 0.41]])
    assignments = np.zeros(len(texts), dtype=np.int64)
    reps = keywords.representatives(embeddings, assignments, 4, texts)[0]
    assert len(reps) == 4 and len({0, 1} & set(reps)) == 1 and {2, 3, 4} <= set(reps)
