"""Embeddings kept on disk chunk by chunk as a fit computes them, so a stopped fit resumes.

Each chunk of ``CHUNK_ROWS`` texts is one ``.npy`` file (read without pickle), written
under a temporary name and renamed, then listed with its SHA-256 in ``manifest.json``; a
chunk that is not listed, is missing, or does not match its checksum is computed again,
never trusted. A store's folder is named by a key of everything that shapes the vectors
(the distinct texts, the model and its settings, the arithmetic, the library versions),
so another corpus or model never finds it. The store is a cache: when it cannot be
written (a full disk, another fit of the same corpus removing it) the fit goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from topicdesk.pipeline import jit_cache
from topicdesk.pipeline.progress import ChunkCount, Progress

CHUNK_ROWS = 2048  # the most a kill can lose: ~30 s of SOTU paragraphs on 2 busy cores
KEEP_DAYS = 30  # stores of fits never resumed are removed after this long untouched
FORMAT = 1
MANIFEST = "manifest.json"


def root() -> Path:
    """Where chunk stores live: beside the compiled-code cache, in the per-user cache folder."""
    return jit_cache.cache_dir().parent / "embeddings"


def prune(keep_days: float = KEEP_DAYS) -> None:
    """Remove stores whose manifest has not changed for ``keep_days`` (abandoned fits)."""
    cutoff = time.time() - keep_days * 86400
    try:
        folders = list(root().iterdir())
    except OSError:
        return
    for folder in folders:
        try:
            if (folder / MANIFEST).stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass
class ChunkStore:
    """The chunks of one corpus's embeddings under one key; chunk ``i`` holds rows
    ``i * chunk_rows`` up to the next chunk's first row, in the order of the texts."""

    folder: Path
    rows: int
    chunk_rows: int = CHUNK_ROWS
    checksums: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(
        cls, key: str, rows: int, chunk_rows: int | None = None, fresh: bool = False
    ) -> ChunkStore:
        """The store for ``key``; with ``fresh`` its earlier chunks are forgotten (they are
        overwritten as the fit computes them again)."""
        prune()
        store = cls(root() / key, rows, chunk_rows or CHUNK_ROWS)
        if not fresh:
            store.checksums = store._listed()
        elif (store.folder / MANIFEST).exists():
            store._write_manifest()  # lists nothing; the folder itself waits for a chunk
        return store

    def _listed(self) -> dict[str, str]:
        """The chunks the manifest lists, if it was made for the same rows and chunk size."""
        try:
            manifest = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(manifest, dict) or (
            manifest.get("format"),
            manifest.get("rows"),
            manifest.get("chunk_rows"),
        ) != (FORMAT, self.rows, self.chunk_rows):
            return {}
        chunks = manifest.get("chunks")
        if not isinstance(chunks, dict):
            return {}
        return {str(k): v for k, v in chunks.items() if isinstance(v, str)}

    def _write_manifest(self) -> None:
        manifest = {
            "format": FORMAT,
            "rows": self.rows,
            "chunk_rows": self.chunk_rows,
            "chunks": self.checksums,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{MANIFEST}.{os.getpid()}"
            temporary.write_text(json.dumps(manifest, indent=0), encoding="utf-8")
            os.replace(temporary, self.folder / MANIFEST)
        except OSError:
            pass  # a cache that cannot be written only means no resuming

    @property
    def count(self) -> int:
        """How many chunks the corpus needs."""
        return -(-self.rows // self.chunk_rows)

    def span(self, index: int) -> slice:
        start = index * self.chunk_rows
        return slice(start, min(start + self.chunk_rows, self.rows))

    def path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:06d}.npy"

    def load(self, index: int) -> np.ndarray | None:
        """Chunk ``index`` if it is listed, intact and of the right shape, else None."""
        expected = self.checksums.get(str(index))
        path = self.path(index)
        try:
            if expected is None or _digest(path) != expected:
                return None
            array = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        span = self.span(index)
        if array.dtype != np.float32 or array.ndim != 2 or len(array) != span.stop - span.start:
            return None
        return array

    def save(self, index: int, array: np.ndarray) -> None:
        """Write chunk ``index`` and list it; a failed write leaves it unlisted."""
        path = self.path(index)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                np.save(handle, np.ascontiguousarray(array, dtype=np.float32), allow_pickle=False)
            checksum = _digest(temporary)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)
            return
        self.checksums[str(index)] = checksum
        self._write_manifest()

    def remove(self) -> None:
        """Delete the store (its embeddings are in the fit's result now)."""
        shutil.rmtree(self.folder, ignore_errors=True)


class _Tally:
    """Progress of embedding in chunks: of the work left when the fit started (so a
    resumed fit's speed and time left are measured on what it computes), with the count
    of chunks saved, and messages that say how much was embedded before."""

    def __init__(self, progress: Progress, store: ChunkStore, missing: list[int]) -> None:
        self.progress, self.store = progress, store
        self.documents = store.rows
        self.resumed = self.embedded = self.documents - sum(self._size(i) for i in missing)
        self.saved = store.count - len(missing)
        self.resuming = (
            f"resuming: {self.resumed:,} of {self.documents:,} already embedded"
            if self.resumed
            else ""
        )

    def _size(self, index: int) -> int:
        span = self.store.span(index)
        return span.stop - span.start

    def count(self) -> ChunkCount:
        return ChunkCount(
            self.saved, self.store.count, self.embedded, self.documents, self.resumed
        )

    def report(self, computed: float, message: str) -> None:
        """``computed`` documents of the work left are done."""
        left = self.documents - self.resumed
        text = "; ".join(part for part in (self.resuming, message) if part)
        self.progress.update(computed / left if left else 1.0, text, self.count())

    def within(self, index: int) -> Progress:
        """The progress to hand an encoder computing chunk ``index``."""
        head = f"chunk {index + 1:,} of {self.store.count:,}" if self.store.count > 1 else ""
        return _WithinChunk(self, self._size(index), head)

    def saved_chunk(self, index: int, fanned_out: bool) -> None:
        """Chunk ``index`` is on disk: count it and say so (a lone chunk's end says nothing
        its last batch did not)."""
        self.saved += 1
        self.embedded += self._size(index)
        if fanned_out:
            message = f"{self.saved:,} of {self.store.count:,} chunks embedded"
        elif self.store.count > 1:
            message = f"chunk {index + 1:,} of {self.store.count:,} saved"
        else:
            return
        self.report(self.embedded - self.resumed, message)


class _WithinChunk(Progress):
    """The encoder's progress inside one chunk, passed on as progress of the work left:
    its fraction scaled to the documents before and in the chunk, its message headed by
    which chunk this is."""

    def __init__(self, tally: _Tally, size: int, head: str) -> None:
        super().__init__()
        self._tally, self._size, self._head = tally, size, head
        self._before = tally.embedded - tally.resumed

    def cancel(self) -> None:
        self._tally.progress.cancel()

    @property
    def cancelled(self) -> bool:
        return self._tally.progress.cancelled

    def check(self) -> None:
        self._tally.progress.check()

    def update(self, fraction: float, message: str = "", chunks: ChunkCount | None = None) -> None:
        text = f"{self._head}: {message}" if self._head and message else self._head or message
        self._tally.report(self._before + fraction * self._size, text)


# Computes the chunks it is given (index and texts) and yields each with its embeddings as
# it is done, in any order; checks the progress for cancel while it waits.
FanOut = Callable[[Iterator[tuple[int, list[str]]], Progress], Iterator[tuple[int, np.ndarray]]]


def _one_by_one(
    encode: Callable[[list[str], Progress], np.ndarray], tally: _Tally
) -> FanOut:
    def compute(pieces: Iterator[tuple[int, list[str]]], progress: Progress):
        for index, texts in pieces:
            progress.check()
            yield index, encode(texts, tally.within(index))

    return compute


def embed_in_chunks(
    encode: Callable[[list[str], Progress], np.ndarray] | None,
    texts: list[str],
    store: ChunkStore,
    progress: Progress,
    fan_out: FanOut | None = None,
) -> tuple[np.ndarray, int]:
    """Embeddings of ``texts``, taking intact chunks from ``store`` and computing and
    saving the others; returns them and how many texts were reused.

    ``encode`` computes the missing chunks one after another here; a ``fan_out`` (such as
    a cluster's, :mod:`dask_embedding`) computes them elsewhere instead, and each is saved
    as it comes back. Memory holds the final array and the chunks under way: chunks are
    read into the array as they are checked, and each computed chunk is written to disk
    as soon as it is done. Progress events carry the count of chunks saved.
    """
    out: np.ndarray | None = None
    missing = []
    for index in range(store.count):
        progress.check()
        chunk = store.load(index)
        if chunk is not None and (out is None or chunk.shape[1] == out.shape[1]):
            if out is None:
                out = np.empty((len(texts), chunk.shape[1]), dtype=np.float32)
            out[store.span(index)] = chunk
        else:
            missing.append(index)
        del chunk
    tally = _Tally(progress, store, missing)
    tally.report(0.0, "")  # the chunks to do, and those found on disk, before the first ends
    pieces = ((index, texts[store.span(index)]) for index in missing)
    compute = fan_out if fan_out is not None else _one_by_one(encode, tally)
    for index, chunk in compute(pieces, progress):
        store.save(index, chunk)
        if out is None:
            out = np.empty((len(texts), chunk.shape[1]), dtype=np.float32)
        out[store.span(index)] = chunk
        del chunk
        tally.saved_chunk(index, fan_out is not None)
    if out is None:  # no texts at all
        out = np.empty((0, 0), dtype=np.float32)
    return out, tally.resumed
