"""Placing outliers in the nearest topic, so "unassigned" stays a small remainder."""

from __future__ import annotations

import numpy as np


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
    if not len(out) or not len(ids):
        return labels, sims
    similarity = embeddings[out] @ cents.T
    best = similarity.argmax(axis=1)
    best_sim = similarity[np.arange(len(out)), best]
    keep = best_sim >= threshold
    labels[out[keep]] = ids[best[keep]]
    sims[out[keep]] = best_sim[keep]
    return labels, sims
