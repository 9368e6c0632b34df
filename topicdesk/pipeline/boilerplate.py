"""Sentences repeated word for word across many documents: notices, not content.

News feeds and transcripts carry fixed sentences ("Der Volltext dieses auf
Agenturmeldungen basierenden Artikels steht aus rechtlichen Gründen nicht mehr zur
Verfügung." in 12 of the 1,028 GNAD articles); left in, they become a topic's keywords
and pull the documents that carry them together. A sentence of 40 characters or more
found in at least 5 distinct texts and half a percent of them counts as boilerplate. The
BBC articles and the SOTU paragraphs have none, so their figures are unchanged.
"""

from __future__ import annotations

import re
from collections import Counter

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
LONGEST_SHORT = 40  # characters: shorter sentences ("Vielen Dank.") may repeat by chance
MIN_TEXTS = 5
MIN_SHARE = 0.005


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if len(s.strip()) >= LONGEST_SHORT]


def repeated_sentences(texts: list[str]) -> frozenset[str]:
    """The sentences that occur in enough distinct texts to be boilerplate."""
    distinct = list(dict.fromkeys(t for t in texts if t))
    counts: Counter[str] = Counter()
    for text in distinct:
        counts.update(set(_sentences(text)))
    need = max(MIN_TEXTS, MIN_SHARE * len(distinct))
    return frozenset(s for s, n in counts.items() if n >= need)


def without(texts: list[str], sentences: frozenset[str] | None = None) -> list[str]:
    """The texts with their boilerplate sentences left out (a text made only of
    boilerplate is kept as it is, so it still has words)."""
    sentences = repeated_sentences(texts) if sentences is None else sentences
    if not sentences:
        return texts
    out = []
    for text in texts:
        if not any(s in text for s in sentences):
            out.append(text)
            continue
        kept = text
        for sentence in sentences:
            kept = kept.replace(sentence, " ")
        out.append(kept if kept.strip() else text)
    return out
