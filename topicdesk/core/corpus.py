"""The user's table of documents, kept exactly as it was read.

The corpus never changes after import: curation lives in :class:`~topicdesk.core.state.TopicState`,
so the original columns can always be exported unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from topicdesk.errors import TopicDeskError


@dataclass(eq=False)
class Corpus:
    """A table of documents with one column chosen as the text.

    ``table`` keeps every original column in its original order; rows are addressed by
    position (0..n-1), which is the document id used everywhere else.
    """

    table: pd.DataFrame
    text_column: str
    source_name: str = ""
    source_hash: str = ""
    sheet: str | None = None
    date_column: str | None = None
    group_column: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.text_column not in self.table.columns:
            names = ", ".join(map(str, self.table.columns[:8]))
            raise TopicDeskError(
                f"There is no column named '{self.text_column}'; choose one of: {names}."
            )
        self.table = self.table.reset_index(drop=True)

    def __len__(self) -> int:
        return len(self.table)

    @cached_property
    def texts(self) -> list[str]:
        """The text of every row, with empty or missing cells as ''."""
        out: list[str] = []
        for value in self.table[self.text_column].tolist():
            if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
                out.append("")
            else:
                out.append(str(value).strip())
        return out

    @cached_property
    def has_text(self) -> np.ndarray:
        """Boolean mask of rows whose text is not empty; only these are embedded."""
        return np.fromiter((bool(t) for t in self.texts), dtype=bool, count=len(self.texts))

    @cached_property
    def text_hash(self) -> str:
        """Digest of the texts, the key under which embeddings are cached."""
        digest = hashlib.sha256()
        for text in self.texts:
            digest.update(text.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        return digest.hexdigest()

    def unique_texts(self) -> tuple[list[str], np.ndarray]:
        """Distinct non-empty texts and, per row, the index of its text (-1 if empty).

        Identical texts are embedded, reduced and clustered once and share a result.
        Found once per corpus (a fit, a save and an open each ask, and at a million rows
        each pass costs seconds); the list is the caller's own, the index read-only.
        """
        texts, inverse = self._distinct
        return list(texts), inverse

    def take_found(self, texts: list[str], distinct: list[str], inverse: np.ndarray) -> None:
        """Take :attr:`texts` and :meth:`unique_texts` as a reader already has them (a
        saved project keeps the index), so a large corpus is not gone through again."""
        inverse.setflags(write=False)
        self.__dict__["texts"] = texts
        self.__dict__["_distinct"] = (distinct, inverse)

    @cached_property
    def _distinct(self) -> tuple[list[str], np.ndarray]:
        index: dict[str, int] = {}
        inverse = np.full(len(self.texts), -1, dtype=np.int64)
        for row, text in enumerate(self.texts):
            if text:
                inverse[row] = index.setdefault(text, len(index))
        inverse.setflags(write=False)
        return list(index), inverse
