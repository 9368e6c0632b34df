"""A project: the corpus, how it was fitted, what the model found and what people changed.

This is what one ``.topicdesk`` file holds (see :mod:`topicdesk.project.store`), and what
the desktop app and the CLI both work on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from topicdesk.core.corpus import Corpus
from topicdesk.core.history import History, LogEntry
from topicdesk.core.settings import FitSettings
from topicdesk.core.state import TopicState


@dataclass
class StageCache:
    """Outputs of the expensive stages, each with the key of the inputs that made it.

    Arrays hold one row per distinct non-empty text, in the order of
    :meth:`Corpus.unique_texts`. A stage is rerun only when its key no longer matches.
    """

    embeddings: np.ndarray | None = None
    embeddings_key: str = ""
    reduced: np.ndarray | None = None
    reduced_key: str = ""
    coords: np.ndarray | None = None
    coords_key: str = ""

    def arrays(self) -> dict[str, tuple[np.ndarray, str]]:
        """The cached arrays that exist, by name, with their keys."""
        out = {}
        for name in ("embeddings", "reduced", "coords"):
            value = getattr(self, name)
            if value is not None:
                out[name] = (value, getattr(self, f"{name}_key"))
        return out


@dataclass(eq=False)
class Project:
    """Everything about one piece of analysis; ``history`` wraps ``state`` for undo."""

    corpus: Corpus
    settings: FitSettings = field(default_factory=FitSettings)
    state: TopicState | None = None
    cache: StageCache = field(default_factory=StageCache)
    provenance: dict = field(default_factory=dict)
    log: list[LogEntry] = field(default_factory=list)
    fitted: bool = False
    history: History = field(init=False)

    def __post_init__(self) -> None:
        if self.state is None:
            self.state = TopicState.empty(len(self.corpus))
        self.history = History(self.state, self.log)
        self.log = self.history.log

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
