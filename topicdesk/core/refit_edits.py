"""Edits that bring earlier work onto a new fit, and that record a stability check.

``CarryOver`` is made by :func:`topicdesk.analysis.carryover.plan_carry_over` and applied
on top of a new fit's state as one step, so undo gives the plain new fit back. Its
parameters list every change (and what could not be carried over), so the edit log
shows exactly what happened and replays it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from topicdesk.core.edits import EDIT_TYPES, Edit, _assign, _require_topic, _rows
from topicdesk.core.state import BY_HUMAN, UNASSIGNED, LeftOut, Topic
from topicdesk.errors import TopicDeskError


@dataclass
class CarryOver(Edit):
    """Names, notes, colours, a person's document placements and document notes from an
    earlier fit, put onto a new one.

    ``topics``: changes to topics of the new fit, ``{"topic_id", "label", "note",
    "colour", "parent", "from_topic"}`` (None: keep the new fit's value; a label given is
    a person's). ``kept``: topics made to hold documents a person placed in a topic that
    has no match, ``{"topic_id", "label", "note", "colour", "rows", "keywords", "weights",
    "from_topic"}`` (``topic_id`` filled on the first run). ``moves``: ``{"topic_id", "rows"}``, documents
    a person placed, back where that person put them. ``doc_notes``: ``[row, note]``.
    ``not_carried``: sentences for what had no place in the new fit.
    """

    kind: ClassVar[str] = "carry_over"
    topics: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)
    moves: list[dict] = field(default_factory=list)
    doc_notes: list[list] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)

    def touched(self, state):
        n = len(state)
        for change in self.topics:
            _require_topic(state, int(change["topic_id"]))
        for move in self.moves:
            if int(move["topic_id"]) != UNASSIGNED:
                _require_topic(state, int(move["topic_id"]))
        next_id = state.next_topic_id()
        for item in self.kept:
            if item.get("topic_id") is None:
                item["topic_id"] = next_id
                next_id += 1
            elif int(item["topic_id"]) in state.topics:
                raise TopicDeskError(f"Topic {item['topic_id']} already exists.")
        rows = [_rows(m["rows"], n) for m in [*self.moves, *self.kept]]
        rows.append(_rows([int(r) for r, _ in self.doc_notes], n))
        topic_ids = [int(c["topic_id"]) for c in self.topics]
        return np.unique(np.concatenate(rows)), topic_ids + [int(k["topic_id"]) for k in self.kept]

    def _do(self, state):
        n = len(state)
        for change in self.topics:
            topic = state.topics[int(change["topic_id"])]
            if change.get("label") is not None:
                topic.label, topic.label_is_human = str(change["label"]), True
            if change.get("note") is not None:
                topic.note = str(change["note"])
            if change.get("colour") is not None:
                topic.colour = str(change["colour"])
            if change.get("parent") is not None:
                topic.parent = int(change["parent"])
        for item in self.kept:
            tid = int(item["topic_id"])
            state.topics[tid] = Topic(
                id=tid,
                label=str(item["label"]),
                keywords=[str(w) for w in item.get("keywords", [])],
                weights=[float(w) for w in item.get("weights", [])],
                note=str(item.get("note", "")),
                colour=str(item.get("colour", "")),
                label_is_human=True,
                origin=BY_HUMAN,
            )
            _assign(state, _rows(item["rows"], n), tid)
        state.topics = dict(sorted(state.topics.items()))
        for move in self.moves:
            _assign(state, _rows(move["rows"], n), int(move["topic_id"]))
        for row, note in self.doc_notes:
            state.doc_notes[int(row)] = str(note)

    def describe(self):
        carried = len(self.topics) + len(self.kept)
        placed = sum(len(m["rows"]) for m in [*self.moves, *self.kept])
        text = (
            f"Carry over {carried} topic{'s' if carried != 1 else ''} and {placed} placed "
            f"document{'s' if placed != 1 else ''} from the previous fit"
        )
        return text + (f" ({len(self.not_carried)} not carried)" if self.not_carried else "")


@dataclass
class RecordStability(Edit):
    """Stability figures from a check with other seeds: per topic ``[id, stability,
    runs found, runs]``, per document the share of runs that agreed (None: unassigned);
    ``left_out_topics`` the same per topic from re-runs that each left ``left_out`` of the
    documents out, then the lowest and highest share of the documents its best match held
    in them (empty in checks made before there were such re-runs)."""

    kind: ClassVar[str] = "record_stability"
    topics: list[list] = field(default_factory=list)
    documents: list[float | None] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)
    left_out: float = 0.0
    left_out_topics: list[list] = field(default_factory=list)

    def touched(self, state):
        if len(self.documents) != len(state):
            raise TopicDeskError("The stability check was made for another corpus; run it again.")
        ids = {int(t[0]) for t in self.topics + self.left_out_topics}
        return np.arange(len(state)), sorted(t for t in ids if t in state.topics)

    def _do(self, state):
        for tid, stability, found, runs in self.topics:
            topic = state.topics.get(int(tid))
            if topic is not None:
                topic.stability, topic.runs_found, topic.runs_total = (
                    float(stability),
                    int(found),
                    int(runs),
                )
        for tid, stability, found, runs, *held in self.left_out_topics:
            topic = state.topics.get(int(tid))
            if topic is not None:
                low, high = (float(v) for v in held) if len(held) == 2 else (None, None)
                topic.left_out = LeftOut(
                    float(self.left_out), float(stability), int(found), int(runs), low, high
                )
        state.doc_stability[:] = [np.nan if v is None else float(v) for v in self.documents]

    def describe(self):
        fewer = f", also leaving {self.left_out:.0%} out" if self.left_out_topics else ""
        return f"Stability checked with {len(self.seeds)} other seeds{fewer}"


EDIT_TYPES.update({cls.kind: cls for cls in (CarryOver, RecordStability)})
