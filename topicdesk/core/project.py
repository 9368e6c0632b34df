"""A project: the corpus, how it was fitted, what the model found and what people changed.

This is what one ``.topicdesk`` file holds (see :mod:`topicdesk.project.store`), and what
the desktop app and the CLI both work on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from topicdesk.core.corpus import Corpus
from topicdesk.core.history import History, LogEntry
from topicdesk.core.settings import FitSettings
from topicdesk.core.state import TopicState


@dataclass(frozen=True)
class CachedArray:
    """One stage's output and the key of the inputs that made it."""

    array: np.ndarray
    key: str


class StageCache:
    """Outputs of the expensive stages by stage name ("embeddings", "reduced", "coords", …).

    Arrays hold one row per distinct non-empty text, in the order of
    :meth:`Corpus.unique_texts`. A stage reuses its output only while its key, made from
    every input that shapes it, still matches (:meth:`matching`).
    """

    def __init__(self, **entries: tuple[np.ndarray, str]) -> None:
        self._entries: dict[str, CachedArray] = {}
        for name, (array, key) in entries.items():
            self.put(name, array, key)

    def put(self, name: str, array: np.ndarray, key: str) -> np.ndarray:
        self._entries[name] = CachedArray(array, key)
        return array

    def get(self, name: str) -> CachedArray | None:
        return self._entries.get(name)

    def array(self, name: str) -> np.ndarray | None:
        entry = self._entries.get(name)
        return None if entry is None else entry.array

    def key(self, name: str) -> str:
        entry = self._entries.get(name)
        return "" if entry is None else entry.key

    def matching(self, name: str, key: str, rows: int | None = None) -> np.ndarray | None:
        """The stored output if it was made from the same inputs (and has ``rows`` rows)."""
        entry = self._entries.get(name)
        if entry is None or entry.key != key or (rows is not None and len(entry.array) != rows):
            return None
        return entry.array

    def items(self) -> list[tuple[str, CachedArray]]:
        return sorted(self._entries.items())

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    @property
    def embeddings(self) -> np.ndarray | None:
        return self.array("embeddings")

    @property
    def coords(self) -> np.ndarray | None:
        return self.array("coords")


@dataclass(eq=False)
class Project:
    """Everything about one piece of analysis; ``history`` wraps ``state`` for undo.

    ``records`` holds the project's other saved work by name (validation tasks and
    answers, chosen variables, …) as plain JSON values, so a new kind of work needs no
    new table in the file.
    """

    corpus: Corpus
    settings: FitSettings = field(default_factory=FitSettings)
    state: TopicState | None = None
    cache: StageCache = field(default_factory=StageCache)
    provenance: dict = field(default_factory=dict)
    records: dict[str, object] = field(default_factory=dict)
    log: list[LogEntry] = field(default_factory=list)
    fitted: bool = False
    history: History = field(init=False)

    def __post_init__(self) -> None:
        if self.state is None:
            self.state = TopicState.empty(len(self.corpus))
        self.history = History(self.state, self.log)
        self.log = self.history.log

    def topic_shares(self) -> dict[int, float]:
        """Each topic's share of the documents with text: the share the codebook reports
        and the stability check compares its re-runs with."""
        sizes, with_text = self.state.sizes(), max(int(self.corpus.has_text.sum()), 1)
        return {t: sizes.get(t, 0) / with_text for t in self.state.topics}

    def snapshot(self) -> Project:
        """A copy to save while the researcher goes on working: what edits change (state,
        log, records, provenance) is copied; the corpus and the stage arrays, which nothing
        changes in place, are shared."""
        return Project(
            self.corpus,
            self.settings,
            self.state.copy() if self.state is not None else None,
            StageCache(**{name: (e.array, e.key) for name, e in self.cache.items()}),
            copy.deepcopy(self.provenance),
            copy.deepcopy(self.records),
            list(self.history.log),
            self.fitted,
        )

    def adopt_state(self, state: TopicState) -> None:
        """Take a new fit's state; the undo stacks are cleared, the log keeps going."""
        self.state = state
        self.history = History(state, self.history.log)
        self.log = self.history.log
        self.fitted = True

    def row_coords(self) -> np.ndarray:
        """Map coordinates per row (NaN for empty texts), from the per-text cache."""
        n = len(self.corpus)
        out = np.full((n, 2), np.nan, dtype=np.float32)
        if self.cache.coords is None:
            return out
        _, inverse = self.corpus.unique_texts()
        has = inverse >= 0
        out[has] = self.cache.coords[inverse[has]]
        return out

    def row_embeddings(self) -> np.ndarray | None:
        """Embeddings per row (zeros for empty texts), or None before the first fit."""
        if self.cache.embeddings is None:
            return None
        _, inverse = self.corpus.unique_texts()
        out = np.zeros((len(self.corpus), self.cache.embeddings.shape[1]), dtype=np.float32)
        has = inverse >= 0
        out[has] = self.cache.embeddings[inverse[has]]
        return out
