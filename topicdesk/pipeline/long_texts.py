"""Texts longer than the model's window: cut into windows whose embeddings are pooled.

A sentence-transformers model reads at most ``max_seq_length`` word pieces; cutting a
35,000-character speech there keeps its first paragraph. Here a long text is split into
windows of nearly equal token count, each ending at a word boundary, and the text's
embedding is the mean of its windows' embeddings weighted by their token counts (then
normalised), so every part counts in proportion to its length. The comparison with
truncation (topic quality and time) is in docs/benchmarks.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SPECIAL_TOKENS = 2  # [CLS] and [SEP] take two places of the window
TOKENIZE_CHUNK = 512


@dataclass(frozen=True)
class Windows:
    """Pieces of text to embed and, per piece, the text it belongs to and its token count."""

    pieces: list[str]
    owner: np.ndarray
    tokens: np.ndarray

    @property
    def split(self) -> bool:
        """True if some text was cut into more than one piece."""
        return len(self.pieces) > (int(self.owner.max()) + 1 if len(self.owner) else 0)


def window_size(limit: int) -> int:
    """Word pieces of text that fit in a window of ``limit`` model positions."""
    return max(1, limit - SPECIAL_TOKENS)


def _boundaries(word_ids: list[int | None], size: int) -> list[int]:
    """Token positions where windows start: at most ``size`` tokens each, nearly equal,
    each moved back to the start of a word."""
    n = len(word_ids)
    starts = [0]
    while n - starts[-1] > size:
        start = starts[-1]
        left = math.ceil((n - start) / size)  # windows still needed
        end = start + math.ceil((n - start) / left)
        while end > start + 1 and word_ids[end] is not None and word_ids[end] == word_ids[end - 1]:
            end -= 1  # never split a word: its pieces would be read as other words
        starts.append(end)
    return starts


def split_texts(tokenizer, texts: list[str], limit: int, check=None) -> Windows:
    """Cut each text longer than the window into pieces of at most ``window_size(limit)`` tokens.

    ``tokenizer`` is a Hugging Face fast tokenizer (it gives character offsets); short
    texts stay whole, one piece each. ``check`` is called between chunks (cancel).
    """
    size = window_size(limit)
    pieces: list[str] = []
    owner: list[int] = []
    tokens: list[int] = []
    for start in range(0, len(texts), TOKENIZE_CHUNK):
        if check is not None:
            check()
        chunk = [t.strip() for t in texts[start : start + TOKENIZE_CHUNK]]
        encoded = tokenizer(
            chunk,
            add_special_tokens=False,
            truncation=False,
            return_offsets_mapping=True,
            return_attention_mask=False,
            return_token_type_ids=False,
            verbose=False,
        )
        for i, text in enumerate(chunk):
            offsets = encoded["offset_mapping"][i]
            n = len(offsets)
            if n <= size:
                pieces.append(text)
                owner.append(start + i)
                tokens.append(max(n, 1))
                continue
            starts = _boundaries(encoded.word_ids(i), size)
            ends = [*starts[1:], n]
            for a, b in zip(starts, ends):
                pieces.append(text[offsets[a][0] : offsets[b - 1][1]])
                owner.append(start + i)
                tokens.append(b - a)
    return Windows(pieces, np.asarray(owner, dtype=np.int64), np.asarray(tokens, dtype=np.int64))


def pool(vectors: np.ndarray, windows: Windows, n_texts: int) -> np.ndarray:
    """One L2-normalised vector per text: its windows' vectors weighted by token count."""
    out = np.zeros((n_texts, vectors.shape[1]), dtype=np.float64)
    np.add.at(out, windows.owner, vectors.astype(np.float64) * windows.tokens[:, None])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms == 0, 1, norms)).astype(np.float32)


@dataclass(frozen=True)
class LongCount:
    """How many texts are longer than one window; ``exact`` False when estimated from a sample.

    ``unit`` is what the window counts (word pieces, or words for a model whose window is
    counted in words); ``always_windows`` is True for a model that reads every long text in
    windows whatever the long-text setting says (the packaged multilingual models).
    """

    long: int
    exact: bool
    window: int
    unit: str = "word pieces"
    always_windows: bool = False


def load_counting_tokenizer(model_folder: str | Path):
    """The model's tokenizer (``tokenizer.json``) without the model or transformers, or None."""
    path = Path(model_folder) / "tokenizer.json"
    if not path.is_file():
        return None
    try:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(path))
    except (OSError, ValueError, ImportError, Exception):  # noqa: BLE001 - any unreadable file
        return None
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def count_long(tokenizer, texts: list[str], limit: int, sample: int = 400) -> LongCount:
    """How many texts have more word pieces than one window holds.

    A text has at least as many characters as word pieces, so only longer texts are
    tokenised; when more than ``sample`` are, an evenly spaced sample of them stands
    for the rest (a dialog cannot wait for a whole corpus to be tokenised).
    """
    size = window_size(limit)
    candidates = [t.strip() for t in texts if len(t.strip()) > size]
    if not candidates:
        return LongCount(0, True, size)
    chosen = candidates
    if len(candidates) > sample:
        chosen = [candidates[i] for i in np.linspace(0, len(candidates) - 1, sample).astype(int)]
    encoded = tokenizer.encode_batch(chosen, add_special_tokens=False)
    long = sum(len(e.ids) > size for e in encoded)
    if chosen is candidates:
        return LongCount(long, True, size)
    return LongCount(round(long * len(candidates) / len(chosen)), False, size)
