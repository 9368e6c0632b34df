"""Word search over the documents, one implementation for the map and the table.

A query is a few words; a document matches when it contains every one of them as a
whole word ("EU" does not match "European"), case-insensitively unless asked. Prefix
search matches words that start with each term; phrase search the words in order.
Words in double quotes are always a phrase. The texts are joined into one string once,
so a query is a handful of regular-expression scans in C, not a Python loop per text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from topicdesk.core.observable import Event

MODES = ("words", "prefix", "phrase")
MODE_NAMES = {"words": "Whole words", "prefix": "Word beginnings", "phrase": "Exact phrase"}
_SEPARATOR = "\x00"  # not a word character and not whitespace: no match crosses documents
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Query:
    """What the researcher typed and how to match it."""

    text: str = ""
    mode: str = "words"
    case_sensitive: bool = False

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown search mode {self.mode!r}")

    @property
    def empty(self) -> bool:
        return not self.text.strip().strip('"').strip()


def _term_patterns(query: Query) -> list[str]:
    """One regular expression per term; every term must occur in a matching document."""
    text = query.text.strip()
    phrases = [p.split() for p in _QUOTED.findall(text)]
    rest = _QUOTED.sub(" ", text).split()
    if query.mode == "phrase" and rest:
        phrases.append(rest)
        rest = []
    patterns = []
    for words in phrases:
        if words:
            body = r"[^\w\x00]+".join(re.escape(w) for w in words)  # never across documents
            patterns.append(rf"(?<!\w){body}(?!\w)")
    for word in rest:
        end = "" if query.mode == "prefix" else r"(?!\w)"
        patterns.append(rf"(?<!\w){re.escape(word)}{end}")
    return patterns


class SearchIndex:
    """The texts joined once, with the offset where each document starts."""

    def __init__(self, texts: Sequence[str]) -> None:
        cleaned = [t.replace(_SEPARATOR, " ") for t in texts]
        self.n = len(cleaned)
        lengths = np.fromiter((len(t) + 1 for t in cleaned), dtype=np.int64, count=self.n)
        self.starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if self.n else lengths
        self.joined = _SEPARATOR.join(cleaned)

    def find(self, query: Query) -> np.ndarray:
        """Sorted rows of the documents that match every term of the query."""
        if query.empty or self.n == 0:
            return np.empty(0, dtype=np.int64)
        flags = 0 if query.case_sensitive else re.IGNORECASE
        rows: np.ndarray | None = None
        for pattern in _term_patterns(query):
            hits = np.fromiter(
                (m.start() for m in re.finditer(pattern, self.joined, flags)), dtype=np.int64
            )
            found = np.unique(np.searchsorted(self.starts, hits, side="right") - 1)
            rows = found if rows is None else np.intersect1d(rows, found, assume_unique=True)
            if not len(rows):
                break
        return rows if rows is not None else np.empty(0, dtype=np.int64)


def find_rows(texts: Sequence[str], query: Query | str) -> np.ndarray:
    """Rows of ``texts`` matching ``query`` (a Query, or words to match whole)."""
    return SearchIndex(texts).find(query if isinstance(query, Query) else Query(query))


class Search:
    """The one search the map and the table share: its query and the rows it finds.

    ``rows`` is None while the query is empty (nothing is searched, nothing dimmed).
    """

    def __init__(self) -> None:
        self._index = SearchIndex([])
        self._query = Query()
        self._rows: np.ndarray | None = None
        self.changed = Event()  # called with (query, rows)

    @property
    def query(self) -> Query:
        return self._query

    @property
    def rows(self) -> np.ndarray | None:
        return self._rows

    def set_texts(self, texts: Sequence[str]) -> None:
        """Search these documents from now on (a new corpus); the query is cleared."""
        self._index = SearchIndex(texts)
        self._query, self._rows = Query(), None
        self.changed.emit(self._query, self._rows)

    def set_query(self, query: Query) -> None:
        if query == self._query:
            return
        self._query = query
        self._rows = None if query.empty else self._index.find(query)
        self.changed.emit(self._query, self._rows)

    def set_text(self, text: str) -> None:
        """Change the words, keeping the mode and case options."""
        q = self._query
        self.set_query(Query(text, q.mode, q.case_sensitive))
