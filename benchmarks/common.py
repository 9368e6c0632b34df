"""Shared pieces of the benchmark scripts: the corpora, timers and table printing.

The corpora live in ../shared/data beside the repository (or TOPICDESK_DATA); their
licences forbid shipping them, so the benchmarks read them from there.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(
    os.environ.get("TOPICDESK_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
MIN_CHARS = 40
CACHE = Path(__file__).resolve().parent / ".cache"
SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample_sotu.csv"


def sotu_paragraphs(limit: int | None = None, seed: int = 0) -> list[str]:
    """SOTU paragraphs of 40 characters or more (about 23,000), optionally a seeded sample."""
    texts = pd.read_csv(DATA / "sotu_paragraphs.csv")["text"].astype(str)
    texts = texts[texts.str.len() >= MIN_CHARS]
    if limit is not None and limit < len(texts):
        texts = texts.sample(n=limit, random_state=seed).sort_index()
    return texts.tolist()


def bbc_news() -> tuple[list[str], list[str]]:
    """The 2,225 BBC articles and their five categories."""
    frame = pd.read_csv(DATA / "bbc_news.csv")
    return frame["text"].astype(str).tolist(), frame["category"].astype(str).tolist()


def sotu_addresses() -> tuple[list[str], list[str]]:
    """The 237 whole State of the Union addresses (median 40,370 characters) and their party."""
    frame = pd.read_csv(DATA / "sotu_addresses.csv")
    return frame["text"].astype(str).tolist(), frame["party"].astype(str).tolist()


def bundestag_speeches() -> tuple[list[str], list[str]]:
    """The 1,000 Bundestag speeches (German, 3-47,172 characters) and the speaker's party."""
    frame = pd.read_csv(DATA / "bundestag_speeches_sample_de.csv", keep_default_na=False)
    return frame["text"].astype(str).tolist(), frame["party"].astype(str).tolist()


def corpus(name: str, limit: int | None = None) -> list[str]:
    """A benchmark corpus by name: 'sotu' or 'bbc'."""
    if name == "sotu":
        return sotu_paragraphs(limit)
    texts = bbc_news()[0]
    return texts[:limit] if limit else texts


def embeddings_for(texts: list[str], name: str, precision: str = "float32") -> np.ndarray:
    """Embeddings of ``texts`` (one per text), computed once and kept on disk.

    ``precision`` is FitSettings.precision: "float32", or "auto" for what the app uses.
    """
    from topicdesk.core.settings import FitSettings
    from topicdesk.pipeline import encoders

    path = CACHE / f"{name}-{len(texts)}-{precision}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    vectors = encoders.embed_texts(texts, FitSettings(precision=precision))
    CACHE.mkdir(exist_ok=True)
    np.save(path, vectors, allow_pickle=False)
    return vectors


@contextmanager
def timer(into: dict[str, float], name: str) -> Iterator[None]:
    """Add the wall time of the block to ``into[name]``."""
    start = time.perf_counter()
    try:
        yield
    finally:
        into[name] = into.get(name, 0.0) + time.perf_counter() - start


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A Markdown table, so the output can go straight into docs/benchmarks.md."""

    def cell(value: object) -> str:
        return f"{value:,.2f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def sample_paragraphs(limit: int | None = None) -> list[str]:
    """The first ``limit`` paragraphs of the sample corpus shipped with the app."""
    texts = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)["text"]
    return texts.head(limit).tolist() if limit is not None else texts.tolist()


def embed_here_in_chunks(encoder, texts: list[str], store, batch_size: int) -> np.ndarray:
    """``texts`` embedded in this process through a chunk store, as a fit embeds them."""
    from topicdesk.pipeline import chunk_store
    from topicdesk.pipeline.progress import Progress

    embeddings, _ = chunk_store.embed_in_chunks(
        lambda part, progress: encoder.embed(part, batch_size, progress),
        texts,
        store,
        Progress(),
    )
    return embeddings
