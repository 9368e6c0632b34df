"""Topics and per-document assignments: the state that fitting creates and curation edits.

Documents are addressed by row position in the corpus. Topic ``-1`` (``UNASSIGNED``) is
"no topic": outliers the model left out, documents of a deleted topic, and empty texts.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field

import numpy as np

from topicdesk.core.palette import colour_for

UNASSIGNED = -1
BY_MODEL = "model"
BY_HUMAN = "human"


def share_move(low: float, high: float, own: float) -> float:
    """How far, in percentage points, a range of shares strays from a topic's own share."""
    return 100 * max(abs(low - own), abs(high - own))


@dataclass(frozen=True)
class LeftOut:
    """How a topic held in the stability check's re-runs that each left ``share`` of the
    documents out: mean best-match Jaccard, and in how many of ``runs`` it was found."""

    share: float
    stability: float
    found: int
    runs: int
    # the lowest and highest share of the documents the topic's best match held in those
    # runs (None in figures recorded without them)
    prevalence_low: float | None = None
    prevalence_high: float | None = None

    def held(self) -> tuple[float, float] | None:
        """The lowest and highest share its counterparts held, where recorded."""
        if self.prevalence_low is None or self.prevalence_high is None:
            return None
        return self.prevalence_low, self.prevalence_high

    def share_move(self, own: float) -> float | None:
        """How far the shares its counterparts held strayed from ``own`` (points)."""
        held = self.held()
        return None if held is None else share_move(*held, own)

    def words(self) -> str:
        """The figures in words, as in "found in 4 of 5 runs with 10% of the documents left
        out, overlap 0.78, holding 9.8-12.4% of the documents"."""
        shares = self.held()
        held = (
            f", holding {100 * shares[0]:.1f}-{100 * shares[1]:.1f}% of the documents"
            if shares
            else ""
        )
        return (
            f"found in {self.found} of {self.runs} runs with {self.share:.0%} of the "
            f"documents left out, overlap {self.stability:.2f}{held}"
        )


@dataclass
class Topic:
    """One topic: its words, its best examples, and what people said about it."""

    id: int
    label: str
    keywords: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    representatives: list[int] = field(default_factory=list)
    note: str = ""
    colour: str = ""
    label_is_human: bool = False
    origin: str = BY_MODEL
    parent: int | None = None
    stability: float | None = None
    runs_found: int | None = None
    runs_total: int | None = None
    left_out: LeftOut | None = None

    def __post_init__(self) -> None:
        if not self.colour:
            self.colour = colour_for(self.id)

    def stability_words(self) -> str:
        """How reliably the topic comes back when the clustering is run again, in words
        ("found in 4 of 5 runs, overlap 0.82"), or "" before anyone measured it.

        ``stability`` is the mean Jaccard overlap of the topic with its best match in each
        run; a run "found" it when that overlap is at least 0.5. ``parent`` is the topic
        this one was split from (see the topic tree), None for a topic of its own;
        ``left_out`` the figures from re-runs that also left documents out, where a stability
        check measured them.
        """
        if self.stability is None or not self.runs_total:
            return ""
        return f"found in {self.runs_found} of {self.runs_total} runs, overlap {self.stability:.2f}"

    def stability_lines(self) -> list[str]:
        """Every stability figure measured, in words: the runs on every document, then the
        runs with documents left out (empty before anyone measured)."""
        lines = [self.stability_words(), self.left_out.words() if self.left_out else ""]
        return [line for line in lines if line]

    def found_short(self) -> str:
        """Runs that found the topic, "5/5", or "5/5 · 4/5" with the runs that left
        documents out too; "" before anyone measured it."""
        if not self.runs_total:
            return ""
        seeds = f"{self.runs_found}/{self.runs_total}"
        out = self.left_out
        return f"{seeds} · {out.found}/{out.runs}" if out is not None and out.runs else seeds

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "keywords": list(self.keywords),
            "weights": [float(w) for w in self.weights],
            "representatives": [int(r) for r in self.representatives],
            "note": self.note,
            "colour": self.colour,
            "label_is_human": self.label_is_human,
            "origin": self.origin,
            "parent": self.parent,
            "stability": self.stability,
            "runs_found": self.runs_found,
            "runs_total": self.runs_total,
            "left_out": None if self.left_out is None else asdict(self.left_out),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Topic:
        return cls(
            id=int(data["id"]),
            label=str(data["label"]),
            keywords=[str(k) for k in data.get("keywords", [])],
            weights=[float(w) for w in data.get("weights", [])],
            representatives=[int(r) for r in data.get("representatives", [])],
            note=str(data.get("note", "")),
            colour=str(data.get("colour", "")),
            label_is_human=bool(data.get("label_is_human", False)),
            origin=str(data.get("origin", BY_MODEL)),
            parent=_optional(int, data.get("parent")),
            stability=_optional(float, data.get("stability")),
            runs_found=_optional(int, data.get("runs_found")),
            runs_total=_optional(int, data.get("runs_total")),
            left_out=None if not data.get("left_out") else left_out_from(data["left_out"]),
        )


def left_out_from(data: dict) -> LeftOut:
    return LeftOut(
        float(data["share"]),
        float(data["stability"]),
        int(data["found"]),
        int(data["runs"]),
        _optional(float, data.get("prevalence_low")),
        _optional(float, data.get("prevalence_high")),
    )


def _optional(kind: type, value: object):
    return None if value is None else kind(value)


def _label_variants(keywords: list[str], n: int):
    """Names from the top keywords: the first ``n``, then the last place taken in turn by
    each later keyword, then the first ``n`` numbered."""
    head = keywords[: n - 1] if len(keywords) > n - 1 else keywords[:-1]
    yield ", ".join(keywords[:n])
    for extra in keywords[n:]:
        yield ", ".join([*head, extra])
    base = ", ".join(keywords[:n])
    for number in range(2, 10_000):
        yield f"{base} ({number})"


def _distinct_words(keywords: list[str]) -> list[str]:
    """The keywords that add a word to those before them: a name reads "nuclear, weapons,
    arms" rather than "nuclear, weapons, nuclear weapons"."""
    kept: list[str] = []
    seen: set[str] = set()
    for keyword in keywords:
        words = set(keyword.casefold().split())
        if words and not words & seen:
            kept.append(keyword)
            seen |= words
    return kept


def default_label(keywords: list[str], n: int = 3, taken: Collection[str] = ()) -> str:
    """The label a topic gets until a person names it: its top keywords that do not repeat
    a word of an earlier one, changed as little as needed to differ from every name in
    ``taken`` (compared case-insensitively)."""
    used = {t.casefold() for t in taken}
    for label in _label_variants(_distinct_words(list(keywords)) or ["untitled topic"], n):
        if label.casefold() not in used:
            return label
    raise AssertionError("unreachable: numbered names never run out")


def relabel(topics: dict[int, Topic], ids: Iterable[int]) -> None:
    """Give the topics ``ids`` that no person named a default name no other topic has.

    Names of the other topics are kept; the given topics are named in their order, so
    the first keeps its plain name when two would share it.
    """
    ids = [t for t in ids if t in topics and not topics[t].label_is_human]
    renamed = set(ids)
    taken = {t.label for tid, t in topics.items() if tid not in renamed}
    for tid in ids:
        topic = topics[tid]
        topic.label = default_label(topic.keywords, taken=taken)
        taken.add(topic.label)


@dataclass
class TopicState:
    """Assignments of documents to topics plus the topics themselves.

    ``assigned_by`` records for each document whether the model or a person put it in
    its current topic; ``doc_notes`` holds notes on single documents by row;
    ``doc_stability`` the share of clustering runs that put each document in its topic
    (NaN where not measured);
    ``stop_words`` the researcher's own words and phrases left out of every keyword list.
    """

    assignments: np.ndarray
    confidence: np.ndarray
    assigned_by: list[str]
    topics: dict[int, Topic] = field(default_factory=dict)
    doc_notes: dict[int, str] = field(default_factory=dict)
    stop_words: tuple[str, ...] = ()
    doc_stability: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.doc_stability is None:
            self.doc_stability = np.full(len(self.assignments), np.nan)

    @classmethod
    def empty(cls, n_docs: int) -> TopicState:
        """A state with every document unassigned, as before the first fit."""
        return cls(
            assignments=np.full(n_docs, UNASSIGNED, dtype=np.int64),
            confidence=np.full(n_docs, np.nan, dtype=np.float64),
            assigned_by=[BY_MODEL] * n_docs,
        )

    def __len__(self) -> int:
        return len(self.assignments)

    def copy(self) -> TopicState:
        return TopicState(
            assignments=self.assignments.copy(),
            confidence=self.confidence.copy(),
            assigned_by=list(self.assigned_by),
            topics={k: copy.deepcopy(v) for k, v in self.topics.items()},
            doc_notes=dict(self.doc_notes),
            doc_stability=self.doc_stability.copy(),
            stop_words=self.stop_words,
        )

    def sorted_topics(self) -> list[Topic]:
        """Topics in id order, the order used for display and export."""
        return [self.topics[k] for k in sorted(self.topics)]

    def sizes(self) -> dict[int, int]:
        """Number of documents per topic id (including ``UNASSIGNED``)."""
        ids, counts = np.unique(self.assignments, return_counts=True)
        out = {int(i): int(c) for i, c in zip(ids, counts)}
        for tid in self.topics:
            out.setdefault(tid, 0)
        return out

    def branches(self) -> dict[int, list[int]]:
        """Each topic that has sub-topics (split from it, or from one of those), with the
        whole branch under it, itself first: what a researcher means by such a topic."""
        below: dict[int, list[int]] = {}
        for topic in self.topics.values():
            if topic.parent is not None and topic.parent != topic.id:
                below.setdefault(topic.parent, []).append(topic.id)
        out: dict[int, list[int]] = {}
        for top in below:
            branch, todo = [top], [top]
            while todo:
                for child in below.get(todo.pop(), []):
                    if child not in branch:  # a cycle in a hand-edited file must not loop
                        branch.append(child)
                        todo.append(child)
            out[top] = branch
        return out

    def members(self, topic_id: int) -> np.ndarray:
        """Row positions of the documents in a topic."""
        return np.flatnonzero(self.assignments == topic_id)

    def next_topic_id(self) -> int:
        """The id a new topic gets: one past the largest id ever seen in this state."""
        return max(self.topics, default=-1) + 1

    def label_of(self, topic_id: int) -> str:
        if topic_id == UNASSIGNED:
            return ""
        topic = self.topics.get(topic_id)
        return topic.label if topic else ""

    def equals(self, other: TopicState) -> bool:
        """Exact comparison, used by tests and by replay checks."""
        return (
            np.array_equal(self.assignments, other.assignments)
            and np.array_equal(self.confidence, other.confidence, equal_nan=True)
            and self.assigned_by == other.assigned_by
            and {k: v.to_dict() for k, v in self.topics.items()}
            == {k: v.to_dict() for k, v in other.topics.items()}
            and self.doc_notes == other.doc_notes
            and np.array_equal(self.doc_stability, other.doc_stability, equal_nan=True)
            and self.stop_words == other.stop_words
        )
