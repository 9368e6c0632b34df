"""The encoder interface: what turns texts into embeddings, whatever model does it.

The pipeline asks an :class:`EncoderCache` for the encoder of its settings and calls
:meth:`Encoder.embed`; it never sees which library computes the vectors. A model that is
not a sentence-transformers folder plugs in as another :class:`Encoder` chosen in
:func:`load_encoder`. Loading takes seconds, so the cache keeps each encoder it loads
for the life of the process (the app can load one in the background before the click).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from threading import Lock

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import embed, long_texts
from topicdesk.pipeline.progress import Progress


class Encoder(ABC):
    """Turns texts into L2-normalised float32 vectors, one row per text, in input order.

    ``identity`` names the model for cache keys; ``precision`` is the arithmetic it
    computes in, as recorded in a project's provenance.
    """

    identity: str
    precision: str

    @abstractmethod
    def embed(
        self, texts: list[str], batch_size: int, progress: Progress | None = None
    ) -> np.ndarray:
        """Embed ``texts``; checks ``progress`` for cancel between batches."""

    def count_long(self, texts: list[str]) -> long_texts.LongCount | None:
        """How many texts are longer than the model reads at once, counted as the model
        counts (None: this encoder cannot tell; sentence-transformers models are counted
        from their tokenizer file without loading them, application/projects.py)."""
        return None


class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model (or its OpenVINO/bfloat16 copy) on the CPU, or on a
    GPU where one was asked for (``--device``)."""

    def __init__(
        self, model, precision: str, identity: str, whole_texts: bool = False
    ) -> None:
        self.model = model
        self.precision = precision
        self.identity = identity
        self.whole_texts = whole_texts

    def embed(
        self, texts: list[str], batch_size: int, progress: Progress | None = None
    ) -> np.ndarray:
        """Embed in batches of equal token length; with ``whole_texts`` long texts in windows.

        Equal lengths mean no padding: character-sorted batches spent 18% of the model's
        work on padding and took 1.3x as long (benchmarks/embedding_batches.py);
        cancelling takes effect after the batch that is running. A text longer than the
        model's window is embedded window by window and pooled (:mod:`long_texts`).
        """
        progress = progress or Progress()
        tokenizer = getattr(self.model, "tokenizer", None)
        limit = getattr(self.model, "max_seq_length", None)
        if not self.whole_texts or not getattr(tokenizer, "is_fast", False) or not limit:
            return self._embed(texts, batch_size, progress, "documents")
        windows = long_texts.split_texts(tokenizer, texts, limit, progress.check)
        if not windows.split:
            return self._embed(texts, batch_size, progress, "documents")
        vectors = self._embed(windows.pieces, batch_size, progress, "passages")
        return long_texts.pool(vectors, windows, len(texts))

    def _embed(
        self, texts: list[str], batch_size: int, progress: Progress, unit: str
    ) -> np.ndarray:
        model = self.model
        # a compiled model takes token ids: tokenise once, not again for every batch
        tokens = embed.token_ids(model, texts, progress) if hasattr(model, "embed_ids") else None
        if tokens is not None:
            lengths = tokens.lengths
        else:
            lengths = embed.token_lengths(model, texts, progress)

        def batch(rows: np.ndarray) -> np.ndarray:
            if tokens is not None:
                return model.embed_ids(*tokens.padded(rows, model.pad_id))
            return self._encode([texts[i] for i in rows], max(1, batch_size))

        dimension = model.get_embedding_dimension()
        return embed_by_length(lengths, batch, dimension, progress, unit, batch_size)

    def _encode(self, texts: list[str], size: int) -> np.ndarray:
        """One batch through the sentence-transformers model, as float32."""
        import torch

        with torch.inference_mode():
            batch = self.model.encode(
                texts, batch_size=size, convert_to_tensor=True, show_progress_bar=False
            )
        return batch.float().cpu().numpy()


def embed_by_length(
    lengths: np.ndarray,
    batch: Callable[[np.ndarray], np.ndarray],
    dimension: int,
    progress: Progress,
    unit: str,
    size: int,
) -> np.ndarray:
    """Vectors of every row, ``batch(rows)`` embedding ``size`` rows of similar ``lengths``
    at a time, shortest first; scaled to unit length and returned in input order.

    Progress counts lengths, not rows, since a batch's cost grows with them (shortest
    first, half the texts were done after a quarter of the time); cancelling takes effect
    after the batch that is running.
    """
    out = np.empty((len(lengths), dimension), dtype=np.float32)
    if not len(lengths):
        return out
    order = np.argsort(lengths, kind="stable")
    work = np.cumsum(lengths[order].astype(np.float64) + 1.0)
    size = max(1, size)
    for start in range(0, len(lengths), size):
        progress.check()
        rows = order[start : start + size]
        out[rows] = embed.unit_rows(batch(rows))
        done = min(start + size, len(lengths))
        progress.update(work[done - 1] / work[-1], f"{done:,} of {len(lengths):,} {unit}")
    return out


def load_encoder(settings: FitSettings, device: str = "cpu") -> Encoder:
    """The encoder for these settings: a multilingual model carried by a package (on the
    CPU), or a sentence-transformers one on ``device`` (cpu, cuda or auto)."""
    from topicdesk.pipeline import multilingual_encoder

    if multilingual_encoder.is_packaged(settings.model):
        embed.require_cpu(settings.model, device)
        return multilingual_encoder.load(settings.model, embed.cpu_threads())
    where = embed.device_for(device)
    model, precision = embed.load_sentence_transformer(settings, where)
    # a GPU's float32 differs from the CPU's in the last digits: its chunks are kept apart
    identity = embed.model_identity(settings) + (" on cuda" if where == "cuda" else "")
    return SentenceTransformerEncoder(model, precision, identity, settings.long_texts == "whole")


def encoder_key(settings: FitSettings) -> tuple[str, int, str, str]:
    """What makes two settings need different encoders: model, text window, precision and
    what happens to longer texts."""
    return (
        embed.resolve_model(settings),
        settings.max_seq_length,
        settings.precision,
        settings.long_texts,
    )


class EncoderCache:
    """Loaded encoders by :func:`encoder_key`, shared by the threads of one process;
    ``device`` is where its encoders compute (a fit's Dask workers are told it too)."""

    def __init__(
        self, loader: Callable[[FitSettings], Encoder] | None = None, device: str = "cpu"
    ) -> None:
        self._loader = loader  # None: this module's load_encoder, looked up when needed
        self.device = device
        self._encoders: dict[tuple[str, int, str, str], Encoder] = {}
        self._lock = Lock()

    def get(self, settings: FitSettings) -> Encoder:
        """The encoder for these settings, loading it on first use."""
        key = encoder_key(settings)
        with self._lock:
            encoder = self._encoders.get(key)
            if encoder is None:
                encoder = self._encoders[key] = self._load(settings)
        return encoder

    def reload(self, settings: FitSettings) -> Encoder:
        """Load the encoder for these settings again and use it from now on (a faster
        copy of the model was built since it was first loaded)."""
        encoder = self._load(settings)
        with self._lock:
            self._encoders[encoder_key(settings)] = encoder
        return encoder

    def _load(self, settings: FitSettings) -> Encoder:
        if self._loader is not None:
            return self._loader(settings)
        return load_encoder(settings, self.device)

    def loaded(self, settings: FitSettings) -> Encoder | None:
        """The encoder if it is loaded already, without loading it."""
        with self._lock:
            return self._encoders.get(encoder_key(settings))

    def release(self) -> int:
        """Let go of every loaded encoder, so a large fit's later stages have the model's
        memory (the next use loads it again, in seconds); how many were let go."""
        import gc

        with self._lock:
            count = len(self._encoders)
            self._encoders.clear()
        gc.collect()  # models hold reference cycles: free their weights now, not later
        return count


ENCODERS = EncoderCache()  # the process's encoders; tests and tools may pass their own


def embed_texts(
    texts: list[str], settings: FitSettings, progress: Progress | None = None
) -> np.ndarray:
    """Embeddings of ``texts`` with the process's encoder for ``settings``."""
    return ENCODERS.get(settings).embed(texts, settings.batch_size, progress)


def precision_in_use(settings: FitSettings) -> str:
    """The precision the loaded encoder computes in ("float32" before it is loaded)."""
    encoder = ENCODERS.loaded(settings)
    return encoder.precision if encoder is not None else "float32"
