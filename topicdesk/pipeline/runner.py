"""Chains the stages into a fit, reusing cached outputs whose inputs have not changed.

``fit_project`` never mutates the project, so it can run in a worker thread while the
window keeps showing the old state; ``apply_fit`` then adopts the result.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from topicdesk.core.edits import UpdateKeywords
from topicdesk.core.project import Project, StageCache
from topicdesk.core.settings import FitSettings
from topicdesk.core.state import Topic, TopicState, default_label
from topicdesk.pipeline import cluster as cluster_stage
from topicdesk.pipeline import embed, keywords, outliers, reduce
from topicdesk.pipeline.progress import Progress

PACKAGES = ("topicdesk", "torch", "sentence-transformers", "transformers", "umap-learn", "hdbscan",
            "scikit-learn", "numpy", "pandas")


@dataclass
class FitResult:
    """What a fit produced, ready to be adopted by a project."""

    state: TopicState
    cache: StageCache
    provenance: dict
    timings: dict[str, float] = field(default_factory=dict)


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]


def stage_keys(project: Project, settings: FitSettings) -> tuple[str, str, str]:
    """Cache keys of the embeddings, the clustering space and the map coordinates."""
    emb = _key("embeddings", embed.model_identity(settings), settings.max_seq_length, project.corpus.text_hash)
    red = _key(emb, "umap", settings.cluster_dimensions, settings.n_neighbors, settings.min_dist, settings.seed)
    crd = _key(emb, "umap", 2, settings.n_neighbors, settings.seed)
    return emb, red, crd


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def fit_project(project: Project, settings: FitSettings | None = None, progress: Progress | None = None) -> FitResult:
    """Run the pipeline on a project's corpus and return topics, caches and provenance."""
    settings = settings or project.settings
    progress = progress or Progress()
    corpus = project.corpus
    texts, inverse = corpus.unique_texts()
    emb_key, red_key, crd_key = stage_keys(project, settings)
    old = project.cache
    cache = StageCache()
    stages = ["Loading the language model", "Embedding documents", "Reducing dimensions", "Finding topics"]
    if settings.reduce_outliers:
        stages.append("Placing outliers")
    stages.append("Choosing keywords")
    total = len(stages)
    timings: dict[str, float] = {}

    def begin(name: str) -> float:
        progress.begin(name, stages.index(name), total)
        return time.perf_counter()

    def end(name: str, started: float, message: str = "") -> None:
        timings[name] = time.perf_counter() - started
        progress.update(1.0, message)

    if len(texts) < reduce.MIN_DISTINCT_TEXTS:
        from topicdesk.errors import TopicDeskError

        raise TopicDeskError(
            f"There are too few different documents to find topics ({len(texts)}); add more documents "
            f"(at least {reduce.MIN_DISTINCT_TEXTS} different texts)."
        )

    if old.embeddings is not None and old.embeddings_key == emb_key and len(old.embeddings) == len(texts):
        cache.embeddings, cache.embeddings_key = old.embeddings, emb_key
        t = begin("Loading the language model"); end("Loading the language model", t, "not needed: embeddings are cached")
        t = begin("Embedding documents"); end("Embedding documents", t, f"reused {len(texts):,} cached embeddings")
    else:
        t = begin("Loading the language model")
        embed.load_model(settings)
        end("Loading the language model", t)
        t = begin("Embedding documents")
        cache.embeddings, cache.embeddings_key = embed.embed_texts(texts, settings, progress), emb_key
        end("Embedding documents", t, f"{len(texts):,} documents")

    t = begin("Reducing dimensions")
    if old.reduced is not None and old.reduced_key == red_key:
        cache.reduced, cache.reduced_key = old.reduced, red_key
    else:
        cache.reduced = reduce.reduce(cache.embeddings, settings.cluster_dimensions, settings, progress)
        cache.reduced_key = red_key
    progress.update(0.6, "placing documents on the map")
    if old.coords is not None and old.coords_key == crd_key:
        cache.coords, cache.coords_key = old.coords, crd_key
    else:
        cache.coords = reduce.reduce(cache.embeddings, 2, settings, progress)
        cache.coords_key = crd_key
    end("Reducing dimensions", t)

    t = begin("Finding topics")
    labels, probabilities = cluster_stage.cluster(cache.reduced, settings, progress)
    end("Finding topics", t, f"{labels.max() + 1} topics")
    confidence = probabilities.astype(np.float64)
    if settings.reduce_outliers:
        t = begin("Placing outliers")
        labels, sims = outliers.reassign_outliers(cache.embeddings, labels, settings.outlier_threshold)
        moved = ~np.isnan(sims)
        confidence[moved] = sims[moved]
        end("Placing outliers", t, f"{int(moved.sum()):,} placed, {int((labels < 0).sum()):,} left unassigned")
    confidence[labels < 0] = np.nan

    state = TopicState.empty(len(corpus))
    has = inverse >= 0
    state.assignments[has] = labels[inverse[has]]
    state.confidence[has] = confidence[inverse[has]]

    t = begin("Choosing keywords")
    words = keywords.topic_keywords(corpus.texts, state.assignments, settings)
    reps = keywords.representatives(cache.embeddings, labels, settings.n_representatives, texts)
    first_row = np.full(len(texts), -1, dtype=np.int64)
    rows_with_text = np.flatnonzero(has)
    first_row[inverse[rows_with_text[::-1]]] = rows_with_text[::-1]
    for tid in sorted(words):
        kw, weights = words[tid]
        state.topics[tid] = Topic(
            id=tid, label=default_label(kw), keywords=kw, weights=weights,
            representatives=[int(first_row[i]) for i in reps.get(tid, [])],
        )
    end("Choosing keywords", t)

    provenance = {
        "versions": package_versions(),
        "model": settings.model,
        "model_path": embed.resolve_model(settings),
        "source_name": corpus.source_name,
        "source_hash": corpus.source_hash,
        "fitted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "documents": len(corpus),
        "distinct_texts": len(texts),
        "empty_texts": int((~corpus.has_text).sum()),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }
    return FitResult(state=state, cache=cache, provenance=provenance, timings=timings)


def apply_fit(project: Project, result: FitResult, settings: FitSettings | None = None) -> None:
    """Adopt a fit: new topics, caches and provenance (call in the GUI thread)."""
    if settings is not None:
        project.settings = settings
    project.cache = result.cache
    project.provenance = result.provenance
    project.adopt_state(result.state)


def compute_keywords_edit(project: Project) -> UpdateKeywords:
    """Keywords and typical documents for the topics as they are now, after curation."""
    state = project.state
    assert state is not None
    settings = project.settings
    words = keywords.topic_keywords(project.corpus.texts, state.assignments, settings)
    embeddings = project.row_embeddings()
    reps = (
        keywords.representatives(embeddings, state.assignments, settings.n_representatives, project.corpus.texts)
        if embeddings is not None else {}
    )
    topic_ids = [t for t in state.topics]
    return UpdateKeywords(
        keywords={t: words.get(t, ([], []))[0] for t in topic_ids},
        weights={t: words.get(t, ([], []))[1] for t in topic_ids},
        representatives={t: reps.get(t, []) for t in topic_ids},
    )


def keywords_for_rows(project: Project, rows: list[int]) -> tuple[list[str], list[float]]:
    """Keywords that set some documents apart from the rest, for a topic made by hand."""
    state = project.state
    assert state is not None
    marker = max(state.topics, default=0) + 1
    assignments = state.assignments.copy()
    assignments[np.asarray(rows, dtype=np.int64)] = marker
    return keywords.topic_keywords(project.corpus.texts, assignments, project.settings).get(marker, ([], []))
