"""Topic quality measures computed on the corpus itself.

NPMI follows gensim's ``c_npmi``: every text is cut into sliding windows of 10 tokens (a
text shorter than that is one window), word and pair probabilities are the shares of
windows that contain them, and a topic's coherence is the mean NPMI over all pairs of its
top words (epsilon 1e-12, as gensim). Diversity is the share of distinct words among all
topics' top words (Dieng et al., 2020).
"""

from __future__ import annotations

import re

import numpy as np

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
WINDOW = 10
EPSILON = 1e-12


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def top_words(keywords: list[str], n: int = 10) -> list[str]:
    """The first ``n`` distinct single words of a keyword list (phrases split into words)."""
    out: list[str] = []
    for keyword in keywords:
        for word in tokenize(keyword):
            if word not in out:
                out.append(word)
    return out[:n]


def window_counts(texts: list[str], vocab: list[str]) -> tuple[np.ndarray, np.ndarray, int]:
    """Windows holding each word and each pair of words of ``vocab``, and the window count."""
    index = {w: i for i, w in enumerate(vocab)}
    single = np.zeros(len(vocab), dtype=np.int64)
    pairs = np.zeros((len(vocab), len(vocab)), dtype=np.int64)
    windows = 0
    for text in texts:
        tokens = tokenize(text)
        if not tokens:
            continue
        n_windows = max(1, len(tokens) - WINDOW + 1)
        windows += n_windows
        hits = [(p, index[t]) for p, t in enumerate(tokens) if t in index]
        if not hits:
            continue
        words = sorted({i for _, i in hits})
        column = {w: c for c, w in enumerate(words)}
        cover = np.zeros((n_windows + 1, len(words)), dtype=np.int32)
        for pos, word in hits:  # a word at pos lies in windows pos-9 .. pos
            cover[max(0, pos - WINDOW + 1), column[word]] += 1
            cover[min(n_windows, pos + 1), column[word]] -= 1
        present = (np.cumsum(cover, axis=0)[:n_windows] > 0).astype(np.int64)
        single[words] += present.sum(axis=0)
        pairs[np.ix_(words, words)] += present.T @ present
    return single, pairs, windows


def npmi_coherence(topics: list[list[str]], texts: list[str]) -> tuple[float, list[float]]:
    """Mean NPMI of each topic's word pairs, and the mean over topics."""
    vocab = sorted({w for words in topics for w in words})
    single, pairs, windows = window_counts(texts, vocab)
    index = {w: i for i, w in enumerate(vocab)}
    p_single = single / windows
    p_pairs = pairs / windows
    per_topic = []
    for words in topics:
        scores = []
        for a in range(len(words)):
            for b in range(a + 1, len(words)):
                i, j = index[words[a]], index[words[b]]
                joint = p_pairs[i, j] + EPSILON
                pmi = (
                    np.log(joint / (p_single[i] * p_single[j]))
                    if p_single[i] * p_single[j]
                    else 0.0
                )
                scores.append(pmi / -np.log(joint))
        if scores:
            per_topic.append(float(np.mean(scores)))
    return float(np.mean(per_topic)) if per_topic else float("nan"), per_topic


def diversity(topics: list[list[str]]) -> float:
    words = [w for topic in topics for w in topic]
    return len(set(words)) / len(words) if words else float("nan")
