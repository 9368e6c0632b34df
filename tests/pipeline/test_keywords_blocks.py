"""Keywords counted in blocks of documents (large corpora) equal those of one matrix.

A million texts' document-term matrix with its full bigram vocabulary took 1.2 GiB, so
above ``BLOCK_DOCS`` texts the words are counted block by block; the vocabulary, the
document-frequency limits and so every keyword and weight must stay what one matrix gives.
"""

from __future__ import annotations

import numpy as np
import pytest

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import keywords

CASES = {
    "default": (FitSettings(), ()),
    "single words, every word": (FitSettings(ngram_max=1, min_df=1), ()),
    "own stop words and phrases": (FitSettings(min_df=3), ("america", "united states")),
    "no cleaning, German stop words": (FitSettings(clean_text=False, language="german"), ()),
    "trigrams, min_df 5": (FitSettings(ngram_max=3, min_df=5, top_n_words=20), ()),
}


def _labels(n: int) -> np.ndarray:
    return (np.arange(n) * 7919 % 13) - 1  # twelve topics and the unassigned, mixed


@pytest.mark.parametrize("case", CASES)
def test_blocks_give_the_keywords_of_one_matrix(sotu, case):
    texts = sotu["text"].tolist()
    labels = _labels(len(texts))
    settings, own = CASES[case]
    whole = keywords.topic_keywords(texts, labels, settings, own, block_docs=len(texts))
    blocks = keywords.topic_keywords(texts, labels, settings, own, block_docs=700)
    assert len(whole) == 12 and all(words for words, _ in whole.values())
    assert blocks == whole  # the same words in the same order, weights to the last bit


def test_colliding_hash_buckets_still_give_the_exact_keywords(sotu, monkeypatch):
    """With 64 buckets nearly every rare term shares one with a frequent term: the first
    pass only narrows what is counted, the exact counts decide."""
    texts = sotu["text"].tolist()[:1200]
    labels = _labels(len(texts))
    whole = keywords.topic_keywords(texts, labels, FitSettings(), block_docs=len(texts))
    monkeypatch.setattr(keywords, "HASH_BUCKETS", 64)
    assert keywords.topic_keywords(texts, labels, FitSettings(), block_docs=101) == whole


def test_no_word_in_min_df_documents_falls_back_to_every_word_as_one_matrix_does():
    texts = [f"alpha{i} beta{i} gamma{i}" for i in range(60)]
    labels = np.arange(60) % 3
    settings = FitSettings(min_df=2, ngram_max=1)
    whole = keywords.topic_keywords(texts, labels, settings, block_docs=60)
    assert whole == keywords.topic_keywords(texts, labels, settings, block_docs=7)
    assert all(len(words) == settings.top_n_words for words, _ in whole.values())


def test_only_stop_words_give_no_keywords_either_way():
    texts = ["the and of", "", "and the", "of the and"] * 5
    labels = np.arange(20) % 2
    assert keywords.topic_keywords(texts, labels, FitSettings(), block_docs=3) == {
        0: ([], []),
        1: ([], []),
    }
    assert keywords.topic_keywords(texts, labels, FitSettings(), block_docs=20) == {
        0: ([], []),
        1: ([], []),
    }


def test_representatives_in_blocks_of_rows(monkeypatch):
    """Up to BLOCK_DOCS members the cosines are those of the whole-topic formula to the
    last bit; in blocks the centre is too, and the cosines differ at most in rounding."""
    rng = np.random.default_rng(3)
    embeddings = rng.standard_normal((400, 24)).astype(np.float32)
    assignments = rng.integers(-1, 4, size=400)
    texts = [f"text {i}" for i in range(400)]
    members = np.flatnonzero(assignments == 2)
    vectors = embeddings[members]
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    centre = vectors.mean(axis=0)
    formula = vectors @ (centre / np.linalg.norm(centre))
    np.testing.assert_array_equal(keywords._closeness_to_centre(embeddings, members), formula)
    whole = keywords.representatives(embeddings, assignments, 5, texts)
    monkeypatch.setattr(keywords, "BLOCK_DOCS", 7)
    blocked = keywords._closeness_to_centre(embeddings, members)
    np.testing.assert_allclose(blocked, formula, rtol=1e-6, atol=1e-7)
    assert keywords.representatives(embeddings, assignments, 5, texts) == whole
