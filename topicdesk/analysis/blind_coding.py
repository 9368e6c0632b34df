"""Blind coding: a researcher codes a sample of documents without seeing the model's topic.

The sample is stratified: the same number of documents from every topic (and from the
unassigned documents), drawn with a seed and recorded, so a reviewer can draw it again.
Each document is coded with a topic, "none" (no topic fits) or "unsure" (left out of
the figures). From the codes come each topic's precision (of the documents the model put
in it, the share the researcher put there too), its recall (of the documents the
researcher would put in it, the share the model put there, weighted back to the corpus
because small topics are over-represented in an equal-per-topic sample), Cohen's kappa
between model and researcher on the sample, and Krippendorff's alpha between researchers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from topicdesk.analysis.validation import wilson
from topicdesk.core.state import UNASSIGNED
from topicdesk.errors import TopicDeskError

NONE = UNASSIGNED  # "no topic fits", the same code as the model's unassigned documents
UNSURE = -2  # left out of every figure
UNREADABLE = "The saved coding sample is unreadable; draw a new sample from Validate."
SECONDS_PER_DOCUMENT = 30  # a rough reading time, for the note on the sample's size


@dataclass(frozen=True)
class CodingSample:
    """Rows to code in their shown order, the topic the project gave each, and stratum sizes."""

    seed: int
    per_topic: int
    rows: tuple[int, ...]
    model: tuple[int, ...]
    strata: dict[int, int]
    labels: dict[int, str]
    created: str = ""

    def model_topic(self) -> dict[int, int]:
        return dict(zip(self.rows, self.model))

    def to_dict(self) -> dict:
        return {
            "seed": self.seed,
            "per_topic": self.per_topic,
            "created": self.created,
            "rows": list(self.rows),
            "model": list(self.model),
            "strata": [[k, v] for k, v in sorted(self.strata.items())],
            "labels": [[k, v] for k, v in sorted(self.labels.items())],
        }

    @classmethod
    def from_dict(cls, data: object) -> CodingSample:
        try:
            assert isinstance(data, dict)
            sample = cls(
                seed=int(data["seed"]),
                per_topic=int(data["per_topic"]),
                rows=tuple(int(r) for r in data["rows"]),
                model=tuple(int(m) for m in data["model"]),
                strata={int(k): int(v) for k, v in data["strata"]},
                labels={int(k): str(v) for k, v in data["labels"]},
                created=str(data.get("created", "")),
            )
            assert len(sample.rows) == len(sample.model) == len(set(sample.rows))
            return sample
        except (AssertionError, KeyError, TypeError, ValueError) as exc:
            raise TopicDeskError(UNREADABLE) from exc


def draw_sample(
    assignments: np.ndarray,
    texts: list[str],
    labels: Mapping[int, str],
    per_topic: int,
    seed: int,
    created: str = "",
) -> CodingSample:
    """``per_topic`` documents with distinct texts from each topic and from the unassigned.

    A stratum smaller than ``per_topic`` is taken whole. The rows are shown in random
    order so the researcher cannot guess a topic from its neighbours.
    """
    if per_topic < 1:
        raise TopicDeskError("Choose at least one document per topic.")
    rng = np.random.default_rng(seed)
    strata: dict[int, list[int]] = {}
    seen: set[str] = set()
    for row, text in enumerate(texts):
        if text and text not in seen:
            seen.add(text)
            strata.setdefault(int(assignments[row]), []).append(row)
    rows: list[int] = []
    for stratum in sorted(strata):
        members = strata[stratum]
        picked = rng.choice(len(members), size=min(per_topic, len(members)), replace=False)
        rows += [members[i] for i in sorted(int(p) for p in picked)]
    if not rows:
        raise TopicDeskError("There are no documents with text to code.")
    order = [rows[i] for i in rng.permutation(len(rows))]
    sizes = {s: len(m) for s, m in strata.items()}
    return CodingSample(
        seed=int(seed),
        per_topic=int(per_topic),
        rows=tuple(order),
        model=tuple(int(assignments[r]) for r in order),
        strata=sizes,
        labels={int(k): str(v) for k, v in labels.items()},
        created=created,
    )


def stratum_sizes(assignments: np.ndarray, texts: list[str]) -> dict[int, int]:
    """Distinct texts per topic (and unassigned): how many documents each stratum offers."""
    seen: set[str] = set()
    sizes: dict[int, int] = {}
    for row, text in enumerate(texts):
        if text and text not in seen:
            seen.add(text)
            sizes[int(assignments[row])] = sizes.get(int(assignments[row]), 0) + 1
    return sizes


def sample_size_note(per_topic: int, sizes: Iterable[int]) -> str:
    """What a sample of this size can show, in plain words, for the researcher choosing it.

    ``sizes`` are the strata's sizes (a stratum smaller than ``per_topic`` is taken whole).
    """
    sizes = list(sizes)
    total = sum(min(per_topic, s) for s in sizes)
    minutes = max(1, round(total * SECONDS_PER_DOCUMENT / 60))
    low, high = wilson(round(0.8 * per_topic), per_topic)
    margin = round(100 * (high - low) / 2)
    overall = round(100 * 1.96 * math.sqrt(0.8 * 0.2 / total)) if total else 0
    verdict = (
        "enough to spot a topic that is often wrong, not to rank topics that are nearly as good"
        if margin > 10
        else "enough to compare topics with each other"
    )
    return (
        f"Up to {per_topic} documents from each of {len(sizes)} groups (the topics and the "
        f"unassigned) make {total:,} documents to read, about {minutes} minutes at half a "
        f"minute each. If a topic is right for 8 in 10 of its documents, its precision will "
        f"be known to within about ±{margin} percentage points: {verdict}. The share of all "
        f"documents on which you and the model agree is known to within about ±{overall} points."
    )


@dataclass(frozen=True)
class TopicAgreement:
    """Precision (with its Wilson interval) and corpus-weighted recall for one topic."""

    topic_id: int
    sampled: int
    agreed: int
    precision: float
    low: float
    high: float
    recall: float


@dataclass(frozen=True)
class CodingResult:
    """Agreement between the project's topics and one researcher's blind codes."""

    coded: int
    unsure: int
    remaining: int
    topics: list[TopicAgreement]
    kappa: float
    kappa_low: float
    kappa_high: float
    agreement: float


def agreement(sample: CodingSample, codes: Mapping[int, int]) -> CodingResult:
    """Per-topic precision and recall and Cohen's kappa (statsmodels) on the coded rows."""
    model = sample.model_topic()
    used = [(model[r], int(c)) for r, c in codes.items() if r in model and c != UNSURE]
    unsure = sum(1 for r, c in codes.items() if r in model and c == UNSURE)
    remaining = len(sample.rows) - len(used) - unsure
    coded_per_stratum: dict[int, int] = {}
    for m, _ in used:
        coded_per_stratum[m] = coded_per_stratum.get(m, 0) + 1
    weight = {s: sample.strata.get(s, n) / n for s, n in coded_per_stratum.items()}
    topics = []
    for topic_id in sorted(t for t in coded_per_stratum if t != UNASSIGNED):
        agreed = sum(1 for m, c in used if m == topic_id and c == topic_id)
        sampled = coded_per_stratum[topic_id]
        low, high = wilson(agreed, sampled)
        human = sum(weight[m] for m, c in used if c == topic_id)
        topics.append(
            TopicAgreement(
                topic_id=topic_id,
                sampled=sampled,
                agreed=agreed,
                precision=agreed / sampled,
                low=low,
                high=high,
                recall=weight[topic_id] * agreed / human if human else math.nan,
            )
        )
    kappa, kappa_low, kappa_high = cohens_kappa([m for m, _ in used], [c for _, c in used])
    share = sum(m == c for m, c in used) / len(used) if used else math.nan
    return CodingResult(len(used), unsure, remaining, topics, kappa, kappa_low, kappa_high, share)


def cohens_kappa(first: list[int], second: list[int]) -> tuple[float, float, float]:
    """Cohen's kappa with its 95% interval (statsmodels); NaNs when it is undefined.

    Kappa is undefined without codes or when both coders use a single category.
    """
    if not first:
        return math.nan, math.nan, math.nan
    from statsmodels.stats.inter_rater import cohens_kappa as kappa_of

    categories = sorted(set(first) | set(second))
    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for a, b in zip(first, second):
        table[index[a], index[b]] += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = kappa_of(table)
    if not math.isfinite(result.kappa):
        return math.nan, math.nan, math.nan
    return float(result.kappa), float(result.kappa_low), float(result.kappa_upp)


def krippendorff_alpha(codes_by_coder: Mapping[str, Mapping[int, int]]) -> float:
    """Krippendorff's alpha (nominal) between researchers, "unsure" as a missing value.

    Computed with NLTK's ``AnnotationTask``; NaN when fewer than two researchers coded
    the same document or all codes agree by construction (a single category).
    """
    triples = [
        (coder, str(row), str(code))
        for coder, codes in codes_by_coder.items()
        for row, code in codes.items()
        if code != UNSURE
    ]
    per_row: dict[str, int] = {}
    for _, row, _ in triples:
        per_row[row] = per_row.get(row, 0) + 1
    paired = [t for t in triples if per_row[t[1]] >= 2]
    if not paired or len({code for _, _, code in paired}) < 2:
        return math.nan
    from nltk.metrics.agreement import AnnotationTask

    return float(AnnotationTask(data=paired).alpha())


def codes_from_pairs(pairs: Iterable[object]) -> dict[int, int]:
    """Saved ``[row, code]`` pairs as a dict; malformed data is refused in one sentence."""
    try:
        out = {int(row): int(code) for row, code in pairs}  # type: ignore[misc]
    except (TypeError, ValueError) as exc:
        raise TopicDeskError(UNREADABLE) from exc
    if any(code < UNSURE for code in out.values()):
        raise TopicDeskError(UNREADABLE)
    return out
