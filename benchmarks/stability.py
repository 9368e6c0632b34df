"""Do the topics hold still? Fits that differ only in the seed, before and after consensus.

    python benchmarks/stability.py                        # all four corpora
    python benchmarks/stability.py --corpus sotu3000 bbc  # some of them
    python benchmarks/stability.py --corpus sotu3000 --sweep
    python benchmarks/stability.py --corpus sotu3000 bbc --runs 3 4 5 6
    python benchmarks/stability.py --corpus sotu3000 --tree
    python benchmarks/stability.py --corpus sotu --seeds 42 1 2   # all SOTU, three seeds
    python benchmarks/stability.py --corpus sotu3000 bbc --leave-out 0.1
    python benchmarks/stability.py --corpus sotu3000 bbc --check   # the app's check, both halves

Corpora: "sotu3000" (3,000 SOTU paragraphs of 40 characters or more, pandas
``sample(n=3000, random_state=1)``, as in issue 12), "sotu" (all 23,051 such paragraphs),
"bbc" (2,225 articles) and "bundestag" (1,000 German speeches). Each is embedded once
with the app's encoder (``precision="auto"``; cached in ``.cache/``) and fitted from
those embeddings with the app's suggested settings and seeds 42 and 1-6.

"before" is the pipeline up to this change, kept here so it can be measured: one UMAP
layout per seed, HDBSCAN with excess-of-mass selection, outliers placed at cosine 0.3.
"after" is the app's fit (``runner.fit_project``: five layouts, leaf clusters, the
topics most runs agree on, outliers placed). Time is from embeddings to topics
(neighbours, every layout including the map, clustering, outlier placement), without
keywords. NMI is between the topics of two seeds, over every pair, on distinct texts.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import pandas as pd
from common import DATA, MIN_CHARS, bbc_news, embeddings_for, sotu_paragraphs, table
from sklearn.metrics import normalized_mutual_info_score

SEEDS = (42, 1, 2, 3, 4, 5, 6)
SWEEP_SEEDS = (42, 1, 2)
CORPORA = ("sotu3000", "sotu", "bbc", "bundestag")


def load(name: str) -> tuple[list[str], np.ndarray, str, list[str] | None]:
    """Texts, their embeddings, the stop-word language and (BBC) the categories."""
    if name == "sotu3000":
        frame = pd.read_csv(DATA / "sotu_paragraphs.csv")
        frame = frame[frame["text"].astype(str).str.len() >= MIN_CHARS]
        texts = frame.sample(n=3000, random_state=1)["text"].astype(str).tolist()
        everything = sotu_paragraphs()
        vectors = embeddings_for(everything, "sotu", "auto")
        row = {t: i for i, t in reversed(list(enumerate(everything)))}
        return texts, vectors[[row[t] for t in texts]], "english", None
    if name == "sotu":
        texts = sotu_paragraphs()
        return texts, embeddings_for(texts, "sotu", "auto"), "english", None
    if name == "bbc":
        texts, categories = bbc_news()
        return texts, embeddings_for(texts, "bbc", "auto"), "english", categories
    frame = pd.read_csv(DATA / "bundestag_speeches_sample_de.csv")
    texts = frame["text"].astype(str).tolist()
    return texts, embeddings_for(texts, "bundestag", "auto"), "german", None


def project_for(texts: list[str], vectors: np.ndarray, settings):
    """A project whose embeddings are already saved, as after a first fit."""
    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project, StageCache
    from topicdesk.pipeline.runner import stage_keys

    project = Project(Corpus(pd.DataFrame({"text": texts}), "text"))
    unique, _ = project.corpus.unique_texts()
    row = {t: i for i, t in reversed(list(enumerate(texts)))}
    key = stage_keys(project.corpus, settings)[0]
    project.cache = StageCache(embeddings=(vectors[[row[t] for t in unique]], key))
    return project


def after(project, settings) -> tuple[np.ndarray, float]:
    """The app's fit: topics per distinct text and the seconds from embeddings to topics."""
    from topicdesk.pipeline.runner import CLUSTER, OUTLIERS, REDUCE, fit_project

    result = fit_project(project, settings)
    _, inverse = project.corpus.unique_texts()
    labels = np.full(inverse.max() + 1, -1)
    labels[inverse[inverse >= 0]] = result.state.assignments[inverse >= 0]
    return labels, sum(result.timings.get(s, 0.0) for s in (REDUCE, CLUSTER, OUTLIERS))


def before_space(embeddings: np.ndarray, settings) -> np.ndarray:
    """The one clustering layout of the old pipeline (and its map, as every fit drew one)."""
    from topicdesk.pipeline import reduce

    knn = reduce.neighbours(embeddings, settings)
    space = reduce.reduce(embeddings, settings.cluster_dimensions, settings, None, knn)
    reduce.reduce(embeddings, 2, settings, None, knn)
    return space


def before_labels(space: np.ndarray, embeddings: np.ndarray, settings) -> np.ndarray:
    """The old clustering: HDBSCAN with excess-of-mass selection, outliers placed."""
    import hdbscan

    from topicdesk.pipeline import outliers
    from topicdesk.pipeline.cluster import renumber_by_size

    model = hdbscan.HDBSCAN(
        min_cluster_size=settings.min_topic_size,
        min_samples=settings.min_samples,
        cluster_selection_method="eom",
        core_dist_n_jobs=1,
    )
    labels = renumber_by_size(model.fit_predict(space.astype(np.float64)).astype(np.int64))
    if settings.reduce_outliers:
        labels = outliers.reassign_outliers(embeddings, labels, settings.outlier_threshold)[0]
    return labels


def before(embeddings: np.ndarray, settings) -> tuple[np.ndarray, float]:
    """The pipeline before consensus: one layout, excess of mass, outliers placed."""
    start = time.perf_counter()
    labels = before_labels(before_space(embeddings, settings), embeddings, settings)
    return labels, time.perf_counter() - start


def describe(labels: np.ndarray) -> tuple[int, float, float]:
    """Topics, the largest topic's share and the unassigned share of distinct texts."""
    found = labels[labels >= 0]
    largest = np.bincount(found).max() / len(labels) if len(found) else 0.0
    return len(np.unique(found)), float(largest), float((labels < 0).mean())


def runs(name: str, seeds: tuple[int, ...] = SEEDS, run_counts: tuple[int, ...] = ()) -> None:
    """Before and after for each seed; with ``run_counts``, "after" with each number of
    clustering runs in the consensus."""
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline import consensus

    texts, vectors, language, categories = load(name)
    base = FitSettings(min_topic_size=suggest_min_topic_size(len(texts)), language=language)
    project = project_for(texts, vectors, base)
    embeddings = project.cache.embeddings
    _, inverse = project.corpus.unique_texts()
    first = np.zeros(len(embeddings), dtype=np.int64)
    rows = np.flatnonzero(inverse >= 0)[::-1]
    first[inverse[rows]] = rows  # the first row of each distinct text
    print(
        f"\n### {name}: {len(texts):,} documents, {len(embeddings):,} distinct, smallest topic "
        f"{base.min_topic_size}\n"
    )
    per_seed, summary = [], []
    default_runs = consensus.RUNS
    pipelines = (
        ["before", *(f"after, {k} runs" for k in run_counts)] if run_counts else ["before", "after"]
    )
    for pipeline in pipelines:
        consensus.RUNS = int(pipeline.split()[1]) if pipeline.endswith(" runs") else default_runs
        found, seconds = [], []
        for seed in seeds:
            settings = base.replace(seed=seed)
            labels, took = (
                before(embeddings, settings) if pipeline == "before" else after(project, settings)
            )
            topics, largest, unassigned = describe(labels)
            extra = []
            if categories is not None:
                wanted = np.array(categories)[first]
                extra = [f"{normalized_mutual_info_score(wanted, labels):.3f}"]
            per_seed.append(
                [
                    pipeline,
                    seed,
                    topics,
                    f"{largest:.1%}",
                    f"{unassigned:.1%}",
                    *extra,
                    f"{took:.1f}",
                ]
            )
            found.append(labels)
            seconds.append(took)
            print(f"  {pipeline} seed {seed}: {topics} topics, largest {largest:.1%}", flush=True)
        pairs = [normalized_mutual_info_score(a, b) for a, b in itertools.combinations(found, 2)]
        shapes = [describe(labels) for labels in found]
        summary.append(
            [
                pipeline,
                f"{min(s[0] for s in shapes)}-{max(s[0] for s in shapes)}",
                f"{max(s[1] for s in shapes):.1%}",
                sum(s[1] > 0.35 for s in shapes),
                f"{np.mean([s[2] for s in shapes]):.1%}",
                f"**{np.mean(pairs):.3f}** ({min(pairs):.3f})",
                f"{np.mean(seconds):.1f}",
            ]
        )
    extra = ["NMI to categories"] if categories is not None else []
    print(
        table(["pipeline", "seed", "topics", "largest topic", "unassigned", *extra, "s"], per_seed)
    )
    print()
    print(
        table(
            [
                "pipeline",
                "topics",
                "largest topic (max)",
                "runs over 35%",
                "unassigned (mean)",
                f"pairwise NMI, mean (min) of {len(seeds)} seeds",
                "s (mean)",
            ],
            summary,
        )
    )


def sweep(name: str, seeds: tuple[int, ...] = SWEEP_SEEDS) -> None:
    """Topic detail -4..4 (after) against the old pipeline at the same smallest topic size."""
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline.cluster import min_cluster_size
    from topicdesk.pipeline.runner import fit_project

    texts, vectors, language, _ = load(name)
    base = FitSettings(min_topic_size=suggest_min_topic_size(len(texts)), language=language)
    projects, spaces = [], []
    for seed in seeds:  # each seed's layouts made once, then reused as in the app
        project = project_for(texts, vectors, base)
        project.cache = fit_project(project, base.replace(seed=seed)).cache
        projects.append(project)
        spaces.append(before_space(project.cache.embeddings, base.replace(seed=seed)))
    rows = []
    for detail in range(-4, 5):
        size = min_cluster_size(base.replace(topic_detail=detail))
        old = [
            before_labels(space, p.cache.embeddings, base.replace(min_topic_size=size))
            for space, p in zip(spaces, projects)
        ]
        new = [
            after(p, base.replace(topic_detail=detail, seed=s))[0] for p, s in zip(projects, seeds)
        ]
        row = [f"{detail:+d}", size]
        for found in (old, new):
            shapes = [describe(labels) for labels in found]
            pairs = [
                normalized_mutual_info_score(a, b) for a, b in itertools.combinations(found, 2)
            ]
            row += [
                ", ".join(str(s[0]) for s in shapes),
                ", ".join(f"{s[1]:.0%}" for s in shapes),
                f"{np.mean(pairs):.3f}",
            ]
        rows.append(row)
    print(f"\n### {name}: topic detail, and the old pipeline at the same smallest topic size\n")
    seeds_text = ", ".join(map(str, seeds))
    headers = ["topic detail", "smallest topic"]
    for pipeline in ("before", "after"):
        headers += [
            f"{pipeline}: topics (seeds {seeds_text})",
            f"{pipeline}: largest topic",
            f"{pipeline}: NMI",
        ]
    print(table(headers, rows))


def root_splits(name: str, seeds: tuple[int, ...] = SEEDS) -> None:
    """Where HDBSCAN's tree first splits, per seed of the old single layout: the sizes of the
    two branches, the density (lambda = 1 / distance) at which they part, and how many
    topics excess of mass and leaf selection keep in that tree."""
    import hdbscan

    from topicdesk.core.settings import FitSettings, suggest_min_topic_size

    texts, vectors, language, _ = load(name)
    base = FitSettings(min_topic_size=suggest_min_topic_size(len(texts)), language=language)
    embeddings = project_for(texts, vectors, base).cache.embeddings
    rows = []
    for seed in seeds:
        space = before_space(embeddings, base.replace(seed=seed)).astype(np.float64)
        model = hdbscan.HDBSCAN(min_cluster_size=base.min_topic_size, core_dist_n_jobs=1)
        eom = model.fit(space).labels_
        tree = model.condensed_tree_.to_numpy()
        branches = tree[(tree["parent"] == tree["parent"].min()) & (tree["child_size"] > 1)]
        leaf = hdbscan.HDBSCAN(
            min_cluster_size=base.min_topic_size,
            cluster_selection_method="leaf",
            core_dist_n_jobs=1,
        ).fit(space)
        rows.append(
            [
                seed,
                " + ".join(f"{int(b):,}" for b in sorted(branches["child_size"], reverse=True)),
                f"{branches['lambda_val'].max():.3f}" if len(branches) else "-",
                int(eom.max()) + 1,
                f"{np.bincount(eom[eom >= 0]).max() / len(eom):.0%}",
                int(leaf.labels_.max()) + 1,
            ]
        )
    print(f"\n### {name}: the first split of HDBSCAN's tree (one layout per seed)\n")
    headers = [
        "seed",
        "branches at the root",
        "lambda",
        "excess of mass: topics",
        "largest",
        "leaf: topics",
    ]
    print(table(headers, rows))


def left_out(name: str, seeds: tuple[int, ...] = SEEDS, fraction: float = 0.1) -> None:
    """Seeds alone against seeds with ``fraction`` of the distinct texts left out of each fit
    (a different part per seed): how far the topics move when the neighbour graph changes,
    not only UMAP's seed. NMI of each pair is over the texts both fits saw."""
    from topicdesk.analysis.stability import kept_rows
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline.consensus import LEFT_OUT

    texts, vectors, language, _ = load(name)
    row = {t: i for i, t in reversed(list(enumerate(texts)))}
    unique = list(row)
    unique_vectors = vectors[[row[t] for t in unique]]
    base = FitSettings(min_topic_size=suggest_min_topic_size(len(unique)), language=language)
    whole, parts = {}, {}
    for seed in seeds:
        settings = base.replace(seed=seed)
        whole[seed] = after(project_for(unique, unique_vectors, settings), settings)[0]
        keep = kept_rows(len(unique), fraction, seed)  # the rows the app's check keeps
        labels = np.full(len(unique), LEFT_OUT)  # not in this fit
        kept_texts = [unique[i] for i in keep]
        labels[keep] = after(project_for(kept_texts, unique_vectors[keep], settings), settings)[0]
        parts[seed] = labels
    rows = []
    for title, fits in (("seeds only", whole), (f"seeds, {fraction:.0%} left out", parts)):
        pairs = []
        for a, b in itertools.combinations(seeds, 2):
            both = (fits[a] != LEFT_OUT) & (fits[b] != LEFT_OUT)
            pairs.append(normalized_mutual_info_score(fits[a][both], fits[b][both]))
        topics = [len(np.unique(f[f >= 0])) for f in fits.values()]
        rows.append(
            [
                title,
                f"{np.mean(pairs):.3f}",
                f"{min(pairs):.3f}-{max(pairs):.3f}",
                ", ".join(map(str, topics)),
            ]
        )
    print(f"\n### {name}: topics of two fits, seeds {', '.join(map(str, seeds))}\n")
    print(table(["fits differ in", "mean pairwise NMI", "range", "topics per fit"], rows))


def check(name: str, fit_seeds: tuple[int, ...] = (42, 1, 2)) -> None:
    """The app's Check stability on a fit with each of ``fit_seeds``: how many topics its
    re-runs find in all five with other seeds alone, and with a tenth of the documents left
    out as well, and how long each half of the check takes."""
    from topicdesk.analysis.stability import LEAVE_OUT, compare_runs, default_seeds, rerun_labels
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline.runner import apply_fit, fit_project

    texts, vectors, language, _ = load(name)
    rows = []
    for fit_seed in fit_seeds:
        probe = project_for(texts, vectors, FitSettings())
        size = suggest_min_topic_size(len(probe.corpus.unique_texts()[0]))
        settings = FitSettings(min_topic_size=size, language=language, seed=fit_seed)
        project = project_for(texts, vectors, settings)
        apply_fit(project, fit_project(project, settings), settings)
        embeddings, seeds = project.cache.embeddings, default_seeds(project)
        halves = []
        for leave_out in (0.0, LEAVE_OUT):
            start = time.perf_counter()
            runs, counts = rerun_labels(embeddings, settings, seeds, leave_out=leave_out)
            took = time.perf_counter() - start
            halves.append((compare_runs(project, seeds, runs, counts, leave_out), took))
        for reruns, took in halves:
            stability = list(reruns.stability().values())
            moved = reruns.share_moves()
            rows.append(
                [
                    str(fit_seed),
                    f"{reruns.left_out:.0%} left out" if reruns.left_out else "seeds only",
                    f"{reruns.found_in_all()} of {len(stability)}",
                    f"{np.median(stability):.2f} ({min(stability):.2f})",
                    f"{np.mean(reruns.nmi):.3f}",
                    f"{np.median(moved):.1f} ({max(moved):.1f})",
                    f"{took:.1f}",
                ]
            )
    print(f"\n### {name}: Check stability on fits with seeds {', '.join(map(str, fit_seeds))}\n")
    head = [
        "fit seed",
        "re-runs",
        "found in all 5",
        "stability median (min)",
        "NMI",
        "share moved, points: median (max)",
        "s",
    ]
    print(table(head, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", choices=CORPORA, default=list(CORPORA))
    parser.add_argument("--sweep", action="store_true", help="sweep the topic detail instead")
    parser.add_argument("--tree", action="store_true", help="where HDBSCAN's tree first splits")
    parser.add_argument(
        "--runs", nargs="+", type=int, default=(), help="compare consensus over these run counts"
    )
    parser.add_argument("--seeds", nargs="+", type=int, help="other seeds (fewer for all SOTU)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="the app's Check stability (seeds only, then 10%% left out) on fits with --seeds",
    )
    parser.add_argument(
        "--leave-out",
        type=float,
        metavar="FRACTION",
        help="also leave this share of the texts out of each fit (0.1: a different 10%% per seed)",
    )
    args = parser.parse_args()
    for name in args.corpus:
        if args.check:
            check(name, tuple(args.seeds or (42, 1, 2)))
        elif args.leave_out:
            left_out(name, tuple(args.seeds or SEEDS), args.leave_out)
        elif args.tree:
            root_splits(name, tuple(args.seeds or SEEDS))
        elif args.sweep:
            sweep(name, tuple(args.seeds or SWEEP_SEEDS))
        else:
            runs(name, tuple(args.seeds or SEEDS), run_counts=tuple(args.runs))


if __name__ == "__main__":
    main()
