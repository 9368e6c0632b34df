"""What sending the chunks to Dask workers costs against embedding them in this process.

    python benchmarks/cluster_embedding.py [--docs 1200] [--chunk 200] [--rounds 2]

Embeds the same SOTU sample paragraphs with the app's encoder (default settings) through
:func:`chunk_store.embed_in_chunks`, in this process and on a Dask LocalCluster of two
worker processes with one thread each (``--cluster``'s path: a scheduler, the texts sent
to the workers, the vectors back through the scheduler), alternating. Both load the
model before the timings. On one computer the workers share its cores, so the ratio is
the cost of the fan-out, not a speed-up; on a cluster each worker brings its own cores.
Prints seconds per path, the ratio, and the largest difference between the vectors.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from common import embed_here_in_chunks, sample_paragraphs
from distributed import LocalCluster

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import chunk_store, dask_embedding, encoders
from topicdesk.pipeline.progress import Progress


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1200)
    parser.add_argument("--chunk", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    texts = sample_paragraphs(args.docs)
    settings = FitSettings()
    encoder = encoders.ENCODERS.get(settings)
    encoder.embed(texts[:64], settings.batch_size)  # first-call costs out of the timings
    seconds: dict[str, list[float]] = {"this process": [], "2 Dask workers": []}
    with (
        tempfile.TemporaryDirectory() as folder,
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
    ):
        chunk_store.root = lambda: Path(folder)
        workers = dask_embedding.Workers.connect(
            cluster.scheduler_address, settings, "cpu", Progress()
        )
        warm = chunk_store.ChunkStore.open("warm", 128, chunk_rows=64, fresh=True)
        chunk_store.embed_in_chunks(None, texts[:128], warm, Progress(), workers.fan_out)
        print(
            f"{len(texts):,} paragraphs, {encoder.precision} here, {workers.precision} on the "
            f"workers, chunks of {args.chunk:,}"
        )
        for round_ in range(args.rounds):
            store = chunk_store.ChunkStore.open(
                f"here{round_}", len(texts), chunk_rows=args.chunk, fresh=True
            )
            started = time.perf_counter()
            here = embed_here_in_chunks(encoder, texts, store, settings.batch_size)
            seconds["this process"].append(time.perf_counter() - started)
            store = chunk_store.ChunkStore.open(
                f"there{round_}", len(texts), chunk_rows=args.chunk, fresh=True
            )
            started = time.perf_counter()
            there, _ = chunk_store.embed_in_chunks(None, texts, store, Progress(), workers.fan_out)
            seconds["2 Dask workers"].append(time.perf_counter() - started)
        workers.close()
    for name, values in seconds.items():
        print(f"{name}: {' '.join(f'{v:.1f}' for v in values)} s (best {min(values):.1f} s)")
    ratio = min(seconds["2 Dask workers"]) / min(seconds["this process"])
    print(f"Dask workers / this process: {ratio:.2f}x")
    print(f"largest difference between the vectors: {np.abs(here - there).max():.2e}")


if __name__ == "__main__":
    main()
