"""Carrying a researcher's work over a refit: names, notes, colours and placed documents.

A refit makes new topics. Each old topic is matched to at most one new topic by the
documents they share: the Hungarian method (``scipy.optimize.linear_sum_assignment``)
picks the pairs with the largest total Jaccard overlap, and a pair counts only at
``MIN_JACCARD`` or more. Then:

- a matched topic passes on its name (if a person gave it), note, colour and place in the
  topic tree;
- documents a person placed (``assigned_by == "human"``) go where that person put them:
  into the match of their old topic, or, when it has none, into a topic of their own
  with the old topic's name; documents a person left unassigned stay unassigned;
- notes on documents stay on their documents;
- everything else is listed in ``not_carried``, so nothing disappears unannounced.

The plan is one :class:`~topicdesk.core.refit_edits.CarryOver` edit: applied on top of
the new fit it is one undo step, and undo gives the plain new fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from topicdesk.core.palette import PALETTE
from topicdesk.core.refit_edits import CarryOver
from topicdesk.core.state import BY_HUMAN, UNASSIGNED, Topic, TopicState
from topicdesk.errors import TopicDeskError

MIN_JACCARD = 0.3  # a new topic sharing less than this with an old one is another topic

KeywordsFor = Callable[[list[int]], tuple[list[str], list[float]]]


@dataclass(frozen=True)
class TopicMatch:
    """An old topic and the new topic that takes its place."""

    old_id: int
    new_id: int
    jaccard: float


@dataclass
class CarryOverPlan:
    """What a refit keeps of the earlier work, as one edit and in words."""

    matches: list[TopicMatch]
    edit: CarryOver
    carried: list[str] = field(default_factory=list)
    min_jaccard: float = MIN_JACCARD

    @property
    def not_carried(self) -> list[str]:
        return self.edit.not_carried

    @property
    def empty(self) -> bool:
        """True when there is nothing to apply and nothing to report."""
        e = self.edit
        return not (e.topics or e.kept or e.moves or e.doc_notes or e.not_carried)

    def summary_lines(self) -> list[str]:
        """Lines for a terminal or a dialog: what was carried over, then what was not."""
        matched = (
            f"Topics matched by shared documents (Hungarian method on Jaccard overlap, at "
            f"least {self.min_jaccard:.2f}): {len(self.matches)}."
        )
        lines = [matched, *self.carried]
        if self.not_carried:
            lines.append("Not carried over:")
            lines += [f"  {line}" for line in self.not_carried]
        return lines


def jaccard_matrix(
    old: np.ndarray, new: np.ndarray, old_ids: list[int], new_ids: list[int]
) -> np.ndarray:
    """Jaccard overlap of the documents of every old topic with those of every new one."""
    old_pos = {t: i for i, t in enumerate(old_ids)}
    new_pos = {t: i for i, t in enumerate(new_ids)}
    both = np.zeros((len(old_ids), len(new_ids)))
    keep = np.isin(old, old_ids) & np.isin(new, new_ids)
    pairs, counts = np.unique(np.stack([old[keep], new[keep]]), axis=1, return_counts=True)
    for (a, b), count in zip(pairs.T, counts):
        both[old_pos[int(a)], new_pos[int(b)]] = count
    size_old = np.array([(old == t).sum() for t in old_ids], dtype=float)
    size_new = np.array([(new == t).sum() for t in new_ids], dtype=float)
    union = size_old[:, None] + size_new[None, :] - both
    return np.divide(both, union, out=np.zeros_like(both), where=union > 0)


def match_topics(
    old: TopicState, new: TopicState, min_jaccard: float = MIN_JACCARD
) -> tuple[list[TopicMatch], np.ndarray, list[int], list[int]]:
    """One-to-one matches of old to new topics, and the overlaps they were chosen from."""
    from scipy.optimize import linear_sum_assignment

    old_ids, new_ids = sorted(old.topics), sorted(new.topics)
    overlap = jaccard_matrix(old.assignments, new.assignments, old_ids, new_ids)
    if not old_ids or not new_ids:
        return [], overlap, old_ids, new_ids
    rows, cols = linear_sum_assignment(-overlap)
    matches = [
        TopicMatch(old_ids[r], new_ids[c], float(overlap[r, c]))
        for r, c in zip(rows, cols)
        if overlap[r, c] >= min_jaccard
    ]
    return matches, overlap, old_ids, new_ids


def _what(topic: Topic) -> list[str]:
    """The parts of a topic a person made."""
    return [w for w, made in (("name", topic.label_is_human), ("note", bool(topic.note))) if made]


def _quoted(topic: Topic) -> str:
    return f"“{topic.label}”"


def plan_carry_over(
    old: TopicState,
    new: TopicState,
    min_jaccard: float = MIN_JACCARD,
    keywords_for: KeywordsFor | None = None,
) -> CarryOverPlan:
    """The carry-over from ``old`` (the state before the refit) onto ``new`` (the refit's).

    ``keywords_for`` gives keywords for a topic made of some rows, for the topics that keep
    a person's documents together; without it those topics start with no keywords.
    """
    if len(old) != len(new):
        raise TopicDeskError(
            "The refit has a different number of documents; carrying work over needs the same corpus."
        )
    matches, overlap, old_ids, new_ids = match_topics(old, new, min_jaccard)
    match_of = {m.old_id: m for m in matches}
    human = np.array([by == BY_HUMAN for by in old.assigned_by], dtype=bool)
    edit = CarryOver()
    carried: list[str] = []
    colours_used: set[str] = set()

    for m in matches:
        before, after = old.topics[m.old_id], new.topics[m.new_id]
        parent = match_of.get(before.parent) if before.parent is not None else None
        edit.topics.append(
            {
                "topic_id": m.new_id,
                "from_topic": m.old_id,
                "label": before.label if before.label_is_human else None,
                "note": before.note or None,
                "colour": before.colour,
                "parent": parent.new_id if parent else None,
            }
        )
        colours_used.add(before.colour)
        made = _what(before)
        if made:
            carried.append(
                f"{_quoted(before)}: {' and '.join(made)} to new topic {m.new_id} "
                f"({_quoted(after)}, overlap {m.jaccard:.2f})"
            )

    for tid in old_ids:
        rows = np.flatnonzero(human & (old.assignments == tid))
        topic = old.topics[tid]
        if tid in match_of:
            if len(rows):
                edit.moves.append({"topic_id": match_of[tid].new_id, "rows": rows.tolist()})
            continue
        if len(rows):
            words, weights = keywords_for(rows.tolist()) if keywords_for else ([], [])
            edit.kept.append(
                {
                    "topic_id": None,
                    "from_topic": tid,
                    "label": topic.label,
                    "note": topic.note,
                    "colour": topic.colour,
                    "rows": rows.tolist(),
                    "keywords": words,
                    "weights": weights,
                }
            )
            colours_used.add(topic.colour)
            carried.append(
                f"{_quoted(topic)} has no match; its {len(rows)} document"
                f"{'s' if len(rows) != 1 else ''} placed by a person stay together in a "
                f"topic of that name"
            )
            continue
        best = int(overlap[old_ids.index(tid)].argmax()) if new_ids else -1
        nearest = (
            f"closest: new topic {new_ids[best]}, overlap {overlap[old_ids.index(tid), best]:.2f}"
            if best >= 0
            else "the new fit has no topics"
        )
        made = _what(topic)
        edit.not_carried.append(
            f"{_quoted(topic)} (topic {tid}"
            + (f"; its {' and '.join(made)}" if made else "")
            + f"): no new topic shares enough of its documents ({nearest})"
        )

    unplaced = np.flatnonzero(human & (old.assignments == UNASSIGNED))
    if len(unplaced):
        edit.moves.append({"topic_id": UNASSIGNED, "rows": unplaced.tolist()})
    placed = int(human.sum())
    if placed:
        carried.append(
            f"{placed} document{'s' if placed != 1 else ''} placed by a person kept in place"
        )
    edit.doc_notes = [[int(r), note] for r, note in sorted(old.doc_notes.items())]
    if edit.doc_notes:
        carried.append(f"{len(edit.doc_notes)} notes on documents kept")
    _recolour_clashes(edit, new, colours_used)
    return CarryOverPlan(matches, edit, carried, min_jaccard)


def _recolour_clashes(edit: CarryOver, new: TopicState, used: set[str]) -> None:
    """New topics without a match whose colour a carried topic now has get an unused one."""
    matched = {int(c["topic_id"]) for c in edit.topics}
    taken = set(used) | {t.colour for tid, t in new.topics.items() if tid in matched}
    free = (
        c for c in PALETTE if c not in taken and c not in {t.colour for t in new.topics.values()}
    )
    for tid, topic in sorted(new.topics.items()):
        if tid not in matched and topic.colour in taken:
            colour = next(free, topic.colour)
            edit.topics.append(
                {
                    "topic_id": tid,
                    "from_topic": None,
                    "label": None,
                    "note": None,
                    "colour": colour,
                    "parent": None,
                }
            )
            taken.add(colour)
