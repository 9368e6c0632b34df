"""Checking how well a project's topics hold when the clustering is run again.

The check re-runs the project's whole clustering (every run of the consensus, outliers
placed) from its saved embeddings with each of a few other seeds, and compares every
result with the topics as they are now, curation included. A topic's stability is the
mean Jaccard overlap with its best match over the re-runs; it is "found" in a re-run
where that overlap reaches 0.5. A document's figure is the share of re-runs whose best
match of its topic holds it.

Each seed is run twice: on every document, and leaving out a different tenth of them
(``LEAVE_OUT``). A seed alone keeps the neighbour graph, so it shows how much the topics
depend on the method's randomness; leaving documents out also changes the graph, as
another sample from the same source would. On 3,000 SOTU paragraphs fits agreed at NMI
0.91 with other seeds and 0.79 with 10% left out as well (docs/benchmarks.md): a topic
that holds in both can be reported with more confidence than one that holds only in the
first.

Unlike the figures a fit records about its own runs (which helped make the topics and
so agree with them more), these come from fits the topics never saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from topicdesk.core.project import Project
from topicdesk.core.refit_edits import RecordStability
from topicdesk.core.state import share_move
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import consensus, reduce, sampling
from topicdesk.pipeline.progress import Progress

STAGE = "Checking stability"
LEAVE_OUT = 0.1  # the share of the documents each re-run of the second kind leaves out
FOUND_MEANS = "Found: a match sharing at least half of the topic's documents (Jaccard 0.5)."


@dataclass(frozen=True)
class Reruns:
    """One kind of re-run (other seeds; or other seeds and some documents left out),
    compared with the topics as they are now."""

    seeds: list[int]
    agreement: consensus.Agreement  # rows are the project's rows
    topic_counts: list[int]  # topics in each re-run
    nmi: list[float]  # NMI of each re-run with the current topics, on the documents it kept
    left_out: float = 0.0  # the share of the documents each re-run left out
    sample: int = 0  # distinct texts of the fit's sample the re-runs were made on (0: all)
    # per topic and re-run, its best match's share of the documents with text that the
    # re-run kept (NaN where the re-run saw none of the topic); each topic's own share
    prevalence: np.ndarray | None = None
    own_shares: dict[int, float] | None = None

    def stability(self) -> dict[int, float]:
        return self.agreement.stability()

    def found(self) -> dict[int, int]:
        """Re-runs in which each topic has a match of Jaccard 0.5 or more."""
        return self.agreement.found()

    def figures(self, shares: bool = False) -> list[list]:
        """Per topic ``[id, stability, runs found, runs]``, as the project stores them; with
        ``shares``, then the lowest and highest share of its best match over the re-runs."""
        stability, found = self.stability(), self.found()
        ranges = self.prevalence_range() if shares else {}
        return [
            [t, round(stability[t], 4), found[t], len(self.seeds), *ranges.get(t, ())]
            for t in sorted(stability)
        ]

    def prevalence_range(self) -> dict[int, tuple[float, float]]:
        """Per topic, the lowest and highest share of the documents its best match held
        over the re-runs that saw it: how far the share a researcher reports could move."""
        out = {}
        if self.prevalence is None:
            return out
        for t, row in zip(self.agreement.topic_ids, self.prevalence):
            seen = row[~np.isnan(row)]
            if len(seen):
                out[int(t)] = (round(float(seen.min()), 4), round(float(seen.max()), 4))
        return out

    def share_moves(self) -> list[float]:
        """Per topic, how far (points) its counterparts' shares strayed from its own."""
        own = self.own_shares or {}
        return [
            share_move(low, high, own[t])
            for t, (low, high) in self.prevalence_range().items()
            if t in own
        ]

    def found_in_all(self) -> int:
        """Topics found in every re-run."""
        return sum(1 for k in self.found().values() if k == len(self.seeds))

    def figures_text(self) -> str:
        """Topics per re-run and agreement, as in "29-30 topics, NMI with the current topics
        0.92 (lowest 0.91)"."""
        counts = f"{min(self.topic_counts)}-{max(self.topic_counts)}"
        return (
            f"{counts} topics, NMI with the current topics {np.mean(self.nmi):.2f} "
            f"(lowest {min(self.nmi):.2f})"
        )


@dataclass(frozen=True)
class StabilityReport:
    """Per topic and per document, how often re-runs with other seeds find them again, and
    per topic how often they do when each re-run also leaves some documents out."""

    same_documents: Reruns
    fewer_documents: Reruns | None = None

    @property
    def seeds(self) -> list[int]:
        return self.same_documents.seeds

    def stability(self) -> dict[int, float]:
        return self.same_documents.stability()

    def found(self) -> dict[int, int]:
        return self.same_documents.found()

    def documents(self) -> np.ndarray:
        """Per row, the share of re-runs on every document that put it in its topic (NaN:
        unassigned)."""
        return self.same_documents.agreement.documents

    def edit(self) -> RecordStability:
        """The undoable step that stores these figures in the project."""
        fewer = self.fewer_documents
        return RecordStability(
            topics=self.same_documents.figures(),
            documents=[None if np.isnan(v) else round(float(v), 4) for v in self.documents()],
            seeds=list(self.seeds),
            left_out=fewer.left_out if fewer else 0.0,
            left_out_topics=fewer.figures(shares=True) if fewer else [],
        )

    def summary_lines(self) -> list[str]:
        """What the check did, what it found (the second line, which leads), the figures,
        what "found" means, and what the check cannot show (the last line)."""
        same, fewer = self.same_documents, self.fewer_documents
        n, topics = len(same.seeds), len(same.found())
        seeds = ", ".join(map(str, same.seeds))
        if fewer is None:
            on = f" on the fit's sample of {same.sample:,} texts" if same.sample else ""
            return [
                f"Re-ran the clustering with {n} other seeds ({seeds}){on}.",
                f"{same.found_in_all()} of {topics} topics were found in all {n} re-runs.",
                f"Re-runs: {same.figures_text()}.",
                FOUND_MEANS,
                (
                    "The re-runs change only the random seed, on the same documents: they do not "
                    "show how the topics would change with other documents from the same source."
                ),
            ]
        share = f"{fewer.left_out:.0%}"
        on = f"the fit's sample of {same.sample:,} texts" if same.sample else "every document"
        return [
            (
                f"Re-ran the clustering with {n} other seeds ({seeds}) on {on}, and with the "
                f"same seeds leaving out a different {share} of them each time."
            ),
            (
                f"{same.found_in_all()} of {topics} topics were found in all {n} re-runs with "
                f"other seeds, and {fewer.found_in_all()} also when {share} of the documents "
                "were left out."
            ),
            f"Other seeds: {same.figures_text()}.",
            f"Other seeds, {share} left out: {fewer.figures_text()}.",
            *_moves_line(fewer),
            *_unsteady_line(fewer),
            FOUND_MEANS + " A topic found with documents left out would likely come back in "
            "another sample from the same source; one found only with every document rests "
            "on these particular documents.",
            (
                "Neither kind of re-run shows how the topics would change in texts from another "
                "source or period."
            ),
        ]


def _unsteady_line(fewer: Reruns) -> list[str]:
    """Which topics some re-run with documents left out did not find, where any."""
    missed = sorted(t for t, k in fewer.found().items() if k < len(fewer.seeds))
    if not missed:
        return []
    which = consensus.listed_topics(missed, limit=12)  # names a researcher can look up
    return [
        (
            f"Not found in every re-run with {fewer.left_out:.0%} left out: {which}, marked † in "
            "Over time, By group and the report."
        )
    ]


def _moves_line(fewer: Reruns) -> list[str]:
    moves = fewer.share_moves()
    if not moves:
        return []
    return [
        (
            f"A topic's share of the documents moved by up to {np.median(moves):.1f} percentage "
            f"points in those re-runs for the median topic, {max(moves):.1f} at most."
        )
    ]


def default_seeds(project: Project, count: int = 5) -> list[int]:
    """``count`` seeds other than the project's own: the next ones up."""
    return seeds_after(project.settings.seed, count)


def seeds_after(seed: int, count: int = 5) -> list[int]:
    return [seed + i for i in range(1, count + 1)]


def kept_rows(n: int, leave_out: float, seed: int) -> np.ndarray:
    """The rows a re-run keeps when it leaves ``leave_out`` of ``n`` out at random: sorted,
    a different part for each seed and the same part for the same seed."""
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=round(n * (1 - leave_out)), replace=False))


def rerun_labels(
    embeddings: np.ndarray,
    settings,
    seeds: list[int],
    progress: Progress | None = None,
    leave_out: float = 0.0,
    first: int = 0,
    total: int | None = None,
) -> tuple[list[np.ndarray], list[int]]:
    """The whole clustering run again from the embeddings once per seed: topic labels per
    distinct text for each run (``LEFT_OUT`` for texts that run was not given), and the
    number of topics each found (the costly part). With ``leave_out``, each run leaves that
    share of the texts out and finds its own neighbour graph. A corpus the fit sampled
    (``sampling.sample_rows``) is re-run on the fit's own sample, with the settings the
    sample was clustered with, so each run costs what the fit's clustering did; a run on
    the whole sample places the other texts as the fit did, one that left a share out
    leaves the other texts out too. ``first`` and ``total`` place these runs in a longer
    check for its progress."""
    progress = progress or Progress()
    total = total or len(seeds)
    progress.begin(STAGE, first, total)
    sample = sampling.sample_rows(len(embeddings), settings)
    if sample is not None:
        settings = sampling.sample_settings(settings, len(sample) / len(embeddings), len(sample))
    base = embeddings if sample is None else embeddings[sample]
    knn = None if leave_out else reduce.neighbours(base, settings)
    part = f", {leave_out:.0%} of the documents left out" if leave_out else ""
    runs, counts = [], []
    for i, seed in enumerate(seeds):
        progress.begin(STAGE, first + i, total)
        progress.update(0.0, f"re-running with seed {seed}{part} ({first + i + 1} of {total})")
        other = settings.replace(seed=seed)
        rows = kept_rows(len(base), leave_out, seed) if leave_out else None
        given = base if rows is None else base[rows]
        graph = knn if rows is None else reduce.neighbours(given, other)
        spaces = consensus.all_spaces(given, other, graph, progress)
        try:
            labels = consensus.final_labels(given, spaces, other, progress)
        except TopicDeskError:  # no topics at all in this run: it found none of them
            labels = np.full(len(given), consensus.UNASSIGNED, dtype=np.int64)
        if sample is not None and rows is None:  # the rest placed from the sample, as a fit does
            labels = sampling.place_labels(
                embeddings, sample, base, labels, other.outlier_threshold
            )[0]
        elif rows is not None:
            positions = rows if sample is None else sample[rows]
            labels, kept = np.full(len(embeddings), consensus.LEFT_OUT, np.int64), labels
            labels[positions] = kept
        runs.append(labels)
        counts.append(int(labels.max()) + 1)
        progress.update(1.0, f"seed {seed}{part}: {counts[-1]} topics")
    return runs, counts


def compare_runs(
    project: Project,
    seeds: list[int],
    text_runs: list[np.ndarray],
    counts: list[int],
    left_out: float = 0.0,
) -> Reruns:
    """Compare re-runs (labels per distinct text) with the project's topics as they are now."""
    from sklearn.metrics import normalized_mutual_info_score

    _, inverse = project.corpus.unique_texts()
    has = inverse >= 0
    runs = []
    for labels in text_runs:
        rows = np.full(len(inverse), consensus.UNASSIGNED, dtype=np.int64)
        rows[has] = labels[inverse[has]]
        runs.append(rows)
    current = project.state.assignments
    nmi = []
    for r in runs:
        seen = has & (r != consensus.LEFT_OUT)
        nmi.append(float(normalized_mutual_info_score(current[seen], r[seen])))
    agreement = consensus.agreement(current, runs)
    sample = sampling.sample_rows(len(project.corpus.unique_texts()[0]), project.settings)
    given = 0 if sample is None else len(sample)
    prevalence = _prevalence(agreement, runs, has)
    own = project.topic_shares()
    return Reruns(list(seeds), agreement, list(counts), nmi, left_out, given, prevalence, own)


def _prevalence(agreement: consensus.Agreement, runs: list[np.ndarray], has: np.ndarray):
    """Per topic and run, the share of the run's documents with text that its best match
    holds (NaN where the run saw none of the topic's documents)."""
    out = np.full(agreement.jaccard.shape, np.nan)
    for r, labels in enumerate(runs):
        kept = has & (labels != consensus.LEFT_OUT)
        match = agreement.matches[:, r]
        if not kept.any() or (match < 0).all():
            continue
        sizes = np.bincount(labels[kept & (labels >= 0)], minlength=int(match.max()) + 1)
        seen = match >= 0  # a topic the run saw none of has no match (-1)
        out[seen, r] = sizes[match[seen]] / kept.sum()
    return out


def rerun_both(
    embeddings: np.ndarray,
    settings,
    seeds: list[int],
    progress: Progress | None = None,
    leave_out: float = LEAVE_OUT,
) -> tuple[tuple[list[np.ndarray], list[int]], tuple[list[np.ndarray], list[int]] | None]:
    """The check's re-runs: the seeds on every document, then (unless ``leave_out`` is 0)
    the same seeds each leaving that share out; labels and topic counts of each half."""
    total = len(seeds) * (2 if leave_out else 1)
    same = rerun_labels(embeddings, settings, seeds, progress, total=total)
    if not leave_out:
        return same, None
    return same, rerun_labels(embeddings, settings, seeds, progress, leave_out, len(seeds), total)


def check_stability(
    project: Project,
    seeds: list[int] | None = None,
    progress: Progress | None = None,
    leave_out: float = LEAVE_OUT,
) -> StabilityReport:
    """Re-run the clustering of a fitted project with other seeds, on every document and
    (unless ``leave_out`` is 0) leaving that share out, and compare (no changes to the
    project; apply ``report.edit()`` to store the figures)."""
    embeddings = project.cache.embeddings
    texts, _ = project.corpus.unique_texts()
    if not project.fitted or embeddings is None or len(embeddings) != len(texts):
        raise TopicDeskError("Fit topics first; the stability check re-runs a saved fit.")
    seeds = list(seeds) if seeds else default_seeds(project)
    same, fewer = rerun_both(embeddings, project.settings, seeds, progress, leave_out)
    report = StabilityReport(compare_runs(project, seeds, *same))
    if fewer is None:
        return report
    return StabilityReport(report.same_documents, compare_runs(project, seeds, *fewer, leave_out))
