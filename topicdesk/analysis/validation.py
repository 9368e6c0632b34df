"""Intrusion tests: can a reader pick the odd one out among a topic's words and a document's topics?

*Word intrusion* (Chang et al. 2009, "Reading tea leaves"): five of a topic's top words
and one intruder, a word that is high in another topic and low in this one, so that it is
neither rare nor from the same semantic group. A topic whose intruder is found is one a
reader sees as a coherent whole.

*Topic intrusion*, in the form Ying, Montgomery and Stewart (2022, Political Analysis 30:4)
recommend ("top-8 word set intrusion"): a document and four topics, each shown as its
eight top words: the document's three most likely topics and one intruder drawn from the
others. A found intruder means the topics the model gives a document make sense for it.

Tasks are drawn with a seed (the same topics and seed give the same tasks) and shown in
random order; scores are shares found with Wilson 95% intervals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from topicdesk.core.project import Project
from topicdesk.core.state import Topic
from topicdesk.errors import TopicDeskError

WORD, TOPIC = "word", "topic"
KINDS = (WORD, TOPIC)
WORDS_SHOWN = 5  # Chang et al.: five top words and the intruder
WORD_POOL = 10  # the five are drawn from the topic's ten top keywords, by weight
INTRUDER_POOL = 10  # an intruder is among another topic's ten top keywords ...
LOW_RANK = 50  # ... and not among this topic's fifty highest-weighted words
LIKELY_TOPICS = 3  # Ying et al.: the document's three most likely topics and an intruder
OPTION_WORDS = 8  # each topic shown as its eight top words
UNREADABLE = "The saved intrusion test is unreadable; start a new test from Validate."


@dataclass(frozen=True)
class IntrusionTask:
    """One question: which of ``options`` does not belong? ``intruder`` is its index.

    Each option is a tuple of words: one word (word intrusion) or a topic's top words
    (topic intrusion, with that topic's id in ``option_topics`` and the document's row
    in ``row``). ``topic_id`` is the topic the task tests.
    """

    id: str
    kind: str
    topic_id: int
    options: tuple[tuple[str, ...], ...]
    intruder: int
    row: int = -1
    option_topics: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "topic_id": self.topic_id,
            "options": [list(o) for o in self.options],
            "intruder": self.intruder,
            "row": self.row,
            "option_topics": list(self.option_topics),
        }

    @classmethod
    def from_dict(cls, data: dict) -> IntrusionTask:
        task = cls(
            id=str(data["id"]),
            kind=str(data["kind"]),
            topic_id=int(data["topic_id"]),
            options=tuple(tuple(str(w) for w in o) for o in data["options"]),
            intruder=int(data["intruder"]),
            row=int(data.get("row", -1)),
            option_topics=tuple(int(t) for t in data.get("option_topics", [])),
        )
        if task.kind not in KINDS or not 0 <= task.intruder < len(task.options):
            raise ValueError("bad task")
        return task


@dataclass(frozen=True)
class Answer:
    """A reader's choice (an option's index) for one task and the seconds it took."""

    task: str
    choice: int
    seconds: float

    def to_dict(self) -> dict:
        return {"task": self.task, "choice": self.choice, "seconds": round(self.seconds, 2)}

    @classmethod
    def from_dict(cls, data: dict) -> Answer:
        return cls(str(data["task"]), int(data["choice"]), float(data["seconds"]))


@dataclass(frozen=True)
class IntrusionTest:
    """A drawn set of tasks in the order they are shown, with what is needed to redraw it."""

    seed: int
    per_topic: int
    tasks: tuple[IntrusionTask, ...]
    created: str = ""
    notes: tuple[str, ...] = ()
    topics_key: str = ""

    def task(self, task_id: str) -> IntrusionTask | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def to_dict(self) -> dict:
        return {
            "seed": self.seed,
            "per_topic": self.per_topic,
            "created": self.created,
            "notes": list(self.notes),
            "topics_key": self.topics_key,
            "tasks": [t.to_dict() for t in self.tasks],
        }

    @classmethod
    def from_dict(cls, data: object) -> IntrusionTest:
        """A saved test; anything malformed is refused in one sentence."""
        try:
            assert isinstance(data, dict)
            return cls(
                seed=int(data["seed"]),
                per_topic=int(data["per_topic"]),
                tasks=tuple(IntrusionTask.from_dict(t) for t in data["tasks"]),
                created=str(data.get("created", "")),
                notes=tuple(str(n) for n in data.get("notes", [])),
                topics_key=str(data.get("topics_key", "")),
            )
        except (AssertionError, KeyError, TypeError, ValueError) as exc:
            raise TopicDeskError(UNREADABLE) from exc


def topics_key(topics: Iterable[Topic]) -> str:
    """What the tasks were drawn from (ids and top words), to tell when topics changed since."""
    return ";".join(f"{t.id}:{','.join(t.keywords[:WORD_POOL])}" for t in topics)


def _tokens(words: Iterable[str]) -> set[str]:
    return {token for word in words for token in word.lower().split()}


def _draw_words(topic: Topic, rng: np.random.Generator) -> list[str]:
    """Five of the topic's top keywords, more likely the higher their weight."""
    pool = topic.keywords[:WORD_POOL]
    weights = np.asarray(topic.weights[: len(pool)], dtype=float)
    if len(weights) != len(pool) or not np.all(np.isfinite(weights)) or weights.sum() <= 0:
        weights = np.ones(len(pool))
    picked = rng.choice(len(pool), size=WORDS_SHOWN, replace=False, p=weights / weights.sum())
    return [pool[i] for i in sorted(picked)]


def intruder_pool(topic: Topic, others: list[Topic], ranked: list[str]) -> list[str]:
    """Words high in another topic and low in this one (Chang et al. 2009).

    High: among another topic's ten top keywords. Low: not among this topic's fifty
    highest-weighted words (``ranked``), not one of its keywords, and sharing no word with
    them (so "debt" never intrudes on a topic listing "public debt").
    """
    own = set(topic.keywords) | set(ranked)
    own_tokens = _tokens(topic.keywords)
    pool = {
        word
        for other in others
        for word in other.keywords[:INTRUDER_POOL]
        if word not in own and not (_tokens([word]) & own_tokens)
    }
    return sorted(pool)


def word_intrusion_tasks(
    topics: list[Topic], ranked: dict[int, list[str]], per_topic: int, rng: np.random.Generator
) -> tuple[list[IntrusionTask], list[str]]:
    """Up to ``per_topic`` word-intrusion tasks per topic, each with its own intruder.

    ``ranked`` holds each topic's fifty highest-weighted words. Returns the tasks and a
    note for each topic that has none, saying why.
    """
    tasks: list[IntrusionTask] = []
    notes: list[str] = []
    for topic in topics:
        if len(topic.keywords) < WORDS_SHOWN:
            notes.append(f"'{topic.label}' has fewer than {WORDS_SHOWN} keywords: no word task.")
            continue
        others = [t for t in topics if t.id != topic.id]
        pool = intruder_pool(topic, others, ranked.get(topic.id, []))
        if not pool:
            notes.append(f"'{topic.label}' has no word low in it and high elsewhere: no word task.")
            continue
        intruders = rng.choice(len(pool), size=min(per_topic, len(pool)), replace=False)
        for i, pick in enumerate(intruders):
            words = _draw_words(topic, rng)
            position = int(rng.integers(0, WORDS_SHOWN + 1))
            words.insert(position, pool[pick])
            tasks.append(
                IntrusionTask(
                    id=f"w{topic.id}-{i + 1}",
                    kind=WORD,
                    topic_id=topic.id,
                    options=tuple((w,) for w in words),
                    intruder=position,
                )
            )
    return tasks, notes


def likely_topics(
    embeddings: np.ndarray, assignments: np.ndarray, topic_ids: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the cosine similarity of its embedding to each topic's centre, and those ids.

    The topic model gives each document one topic; how likely the others are is read from
    how close the document lies to each topic's centre in the embedding space.
    """
    ids = np.asarray(topic_ids, dtype=np.int64)
    lengths = np.linalg.norm(embeddings, axis=1, keepdims=True)
    unit = embeddings / np.where(lengths == 0, 1, lengths)
    centres = np.stack([unit[assignments == t].mean(axis=0) for t in ids])
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    centres = centres / np.where(norms == 0, 1, norms)
    return unit @ centres.T, ids


def _distinct_members(assignments: np.ndarray, texts: list[str], topic_id: int) -> list[int]:
    seen: set[str] = set()
    rows = []
    for row in np.flatnonzero(assignments == topic_id):
        text = texts[row]
        if text and text not in seen:
            seen.add(text)
            rows.append(int(row))
    return rows


def topic_intrusion_tasks(
    embeddings: np.ndarray,
    assignments: np.ndarray,
    texts: list[str],
    topics: list[Topic],
    per_topic: int,
    rng: np.random.Generator,
) -> tuple[list[IntrusionTask], list[str]]:
    """Up to ``per_topic`` documents per topic, each with its three likely topics and an intruder.

    The document's own topic is always one of the three; the other two are the topics
    whose centres lie closest to it, and the intruder is drawn from the rest.
    """
    shown = [t for t in topics if t.keywords and np.any(assignments == t.id)]
    if len(shown) <= LIKELY_TOPICS:
        return [], [f"Topic intrusion needs at least {LIKELY_TOPICS + 1} topics with keywords."]
    by_id = {t.id: t for t in shown}
    similarity, ids = likely_topics(embeddings, assignments, [t.id for t in shown])
    tasks: list[IntrusionTask] = []
    for topic in shown:
        members = _distinct_members(assignments, texts, topic.id)
        picked = rng.choice(len(members), size=min(per_topic, len(members)), replace=False)
        for i, pick in enumerate(sorted(int(p) for p in picked)):
            row = members[pick]
            order = [int(ids[j]) for j in np.argsort(-similarity[row], kind="stable")]
            likely = [topic.id] + [t for t in order if t != topic.id][: LIKELY_TOPICS - 1]
            rest = [t for t in order if t not in likely]
            options = likely + [rest[int(rng.integers(0, len(rest)))]]
            permutation = [int(p) for p in rng.permutation(len(options))]
            option_topics = tuple(options[p] for p in permutation)
            tasks.append(
                IntrusionTask(
                    id=f"t{topic.id}-{i + 1}",
                    kind=TOPIC,
                    topic_id=topic.id,
                    options=tuple(tuple(by_id[t].keywords[:OPTION_WORDS]) for t in option_topics),
                    intruder=permutation.index(LIKELY_TOPICS),
                    row=row,
                    option_topics=option_topics,
                )
            )
    return tasks, []


def make_intrusion_test(
    project: Project,
    per_topic: int,
    seed: int,
    kinds: Iterable[str] = KINDS,
    created: str = "",
) -> IntrusionTest:
    """Draw word and/or topic intrusion tasks from the project's current topics, shuffled."""
    from topicdesk.pipeline.keywords import topic_keywords

    state = project.state
    assert state is not None
    kinds = [k for k in KINDS if k in set(kinds)]
    topics = [t for t in state.sorted_topics() if np.any(state.assignments == t.id)]
    if not project.fitted or len(topics) < 2:
        raise TopicDeskError("An intrusion test needs at least two topics; fit topics first.")
    if per_topic < 1:
        raise TopicDeskError("Ask for at least one task per topic.")
    rng = np.random.default_rng(seed)
    tasks: list[IntrusionTask] = []
    notes: list[str] = []
    if WORD in kinds:
        wide = project.settings.replace(top_n_words=LOW_RANK)
        ranked = {
            t: words
            for t, (words, _) in topic_keywords(
                project.corpus.texts, state.assignments, wide
            ).items()
        }
        found, why = word_intrusion_tasks(topics, ranked, per_topic, rng)
        tasks += found
        notes += why
    if TOPIC in kinds:
        embeddings = project.row_embeddings()
        if embeddings is None:
            notes.append("Topic intrusion needs the fit's embeddings, which this project lacks.")
        else:
            found, why = topic_intrusion_tasks(
                embeddings, state.assignments, project.corpus.texts, topics, per_topic, rng
            )
            tasks += found
            notes += why
    if not tasks:
        raise TopicDeskError(
            "No intrusion task could be drawn from these topics: " + " ".join(notes)
        )
    order = rng.permutation(len(tasks))
    return IntrusionTest(
        seed=int(seed),
        per_topic=int(per_topic),
        tasks=tuple(tasks[i] for i in order),
        created=created,
        notes=tuple(notes),
        topics_key=topics_key(topics),
    )


def wilson(found: int, total: int) -> tuple[float, float]:
    """Wilson score 95% interval for a share (statsmodels); (nan, nan) without any trial."""
    if total == 0:
        return math.nan, math.nan
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(found, total, alpha=0.05, method="wilson")
    return float(low), float(high)


@dataclass(frozen=True)
class IntrusionScore:
    """How often the intruder was found: for one topic, or overall when ``topic_id`` is None."""

    kind: str
    topic_id: int | None
    found: int
    answered: int
    median_seconds: float
    low: float = field(init=False)
    high: float = field(init=False)

    def __post_init__(self) -> None:
        low, high = wilson(self.found, self.answered)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @property
    def share(self) -> float:
        return self.found / self.answered if self.answered else math.nan


def score_intrusion(test: IntrusionTest, answers: Iterable[Answer]) -> list[IntrusionScore]:
    """Per kind: one score per topic (in id order), then the overall score.

    Answers of several readers to the same task each count, so pooled scores from two
    researchers rest on twice the answers.
    """
    results: dict[str, dict[int, list[tuple[bool, float]]]] = {k: {} for k in KINDS}
    for answer in answers:
        task = test.task(answer.task)
        if task is None:
            continue
        found = answer.choice == task.intruder
        results[task.kind].setdefault(task.topic_id, []).append((found, answer.seconds))
    scores: list[IntrusionScore] = []
    for kind in KINDS:
        everything: list[tuple[bool, float]] = []
        for topic_id in sorted(results[kind]):
            marks = results[kind][topic_id]
            everything += marks
            scores.append(_score(kind, topic_id, marks))
        if everything:
            scores.append(_score(kind, None, everything))
    return scores


def _score(kind: str, topic_id: int | None, marks: list[tuple[bool, float]]) -> IntrusionScore:
    return IntrusionScore(
        kind=kind,
        topic_id=topic_id,
        found=sum(found for found, _ in marks),
        answered=len(marks),
        median_seconds=float(np.median([s for _, s in marks])),
    )
