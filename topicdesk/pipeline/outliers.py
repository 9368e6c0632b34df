"""Placing outliers in the nearest topic, so "unassigned" stays a small remainder."""

from __future__ import annotations

import numpy as np

BLOCK_ROWS = 20_000  # documents compared with the topic centres at once


def centroids(embeddings: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Topic ids and their L2-normalised mean embeddings."""
    ids = np.unique(labels[labels >= 0])
    cents = (
        np.stack([embeddings[labels == t].mean(axis=0) for t in ids])
        if len(ids)
        else np.empty((0, embeddings.shape[1]))
    )
    norms = np.linalg.norm(cents, axis=1, keepdims=True)
    return ids, cents / np.where(norms == 0, 1, norms)


def nearest_topic(
    embeddings: np.ndarray, rows: np.ndarray, ids: np.ndarray, centres: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """For the documents at ``rows``, the topic whose centre each is most cosine-similar
    to (-1 below ``threshold`` or without topics) and that similarity; in blocks of rows,
    so a million placed documents are never copied out at once."""
    labels = np.full(len(rows), -1, dtype=np.int64)
    sims = np.zeros(len(rows))
    if not len(ids):
        return labels, sims
    for start in range(0, len(rows), BLOCK_ROWS):
        block = embeddings[rows[start : start + BLOCK_ROWS]] @ centres.T
        best = block.argmax(axis=1)
        sims[start : start + len(block)] = block[np.arange(len(block)), best]
        labels[start : start + len(block)] = ids[best]
    labels[sims < threshold] = -1
    return labels, sims


def reassign_outliers(
    embeddings: np.ndarray, labels: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Outliers join the topic whose centroid is most cosine-similar, if at least ``threshold``.

    Returns the new labels and, per point, the similarity used (NaN where unchanged).
    """
    labels = labels.copy()
    sims = np.full(len(labels), np.nan)
    out = np.flatnonzero(labels < 0)
    ids, cents = centroids(embeddings, labels)
    placed, similarity = nearest_topic(embeddings, out, ids, cents, threshold)
    keep = placed >= 0
    labels[out[keep]] = placed[keep]
    sims[out[keep]] = similarity[keep]
    return labels, sims
