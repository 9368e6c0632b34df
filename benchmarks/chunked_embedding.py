"""What embedding in chunks on disk costs against embedding all texts in one call.

    python benchmarks/chunked_embedding.py [--docs 3000] [--rounds 2]

Embeds the same SOTU sample paragraphs with the app's encoder (default settings) in one
call and through :func:`chunk_store.embed_in_chunks` (chunks of ``CHUNK_ROWS`` written to a
temporary store), alternating, in this one process; then reads the full store back as a
resumed fit would. Prints seconds per path, the ratio, and the largest difference.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from common import embed_here_in_chunks, sample_paragraphs

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import chunk_store, encoders
from topicdesk.pipeline.progress import Progress


def nothing_left(texts: list[str], progress: Progress) -> np.ndarray:
    raise AssertionError("every chunk should have been read back from the store")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    texts = sample_paragraphs(args.docs)
    settings = FitSettings()
    encoder = encoders.ENCODERS.get(settings)
    encoder.embed(texts[:64], settings.batch_size)  # first-call costs out of the timings
    print(f"{len(texts):,} paragraphs, {encoder.precision}, chunks of {chunk_store.CHUNK_ROWS:,}")
    seconds: dict[str, list[float]] = {"one call": [], "chunks on disk": []}
    with tempfile.TemporaryDirectory() as folder:
        chunk_store.root = lambda: Path(folder)
        for _ in range(args.rounds):
            started = time.perf_counter()
            whole = encoder.embed(texts, settings.batch_size)
            seconds["one call"].append(time.perf_counter() - started)
            store = chunk_store.ChunkStore.open("bench", len(texts), fresh=True)
            started = time.perf_counter()
            chunked = embed_here_in_chunks(encoder, texts, store, settings.batch_size)
            seconds["chunks on disk"].append(time.perf_counter() - started)
        store = chunk_store.ChunkStore.open("bench", len(texts))
        started = time.perf_counter()
        read, resumed = chunk_store.embed_in_chunks(nothing_left, texts, store, Progress())
        reading = time.perf_counter() - started
    for name, values in seconds.items():
        print(f"{name:>15}: {' '.join(f'{v:.1f}' for v in values)} s (best {min(values):.1f})")
    ratio = min(seconds["chunks on disk"]) / min(seconds["one call"])
    print(f"chunked / one call: {ratio:.3f}")
    print(f"reading all {resumed:,} back with checksums: {reading * 1000:.0f} ms")
    print(f"largest difference chunked vs one call: {np.abs(chunked - whole).max():.2e}")
    assert np.array_equal(read, chunked)


if __name__ == "__main__":
    main()
