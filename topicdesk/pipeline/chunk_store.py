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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from topicdesk.pipeline import jit_cache
from topicdesk.pipeline.progress import Progress

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


class _WithinChunk(Progress):
    """The encoder's progress inside one chunk, passed on as progress of all ``rows`` to
    compute: its fraction scaled to the rows before and in the chunk, its message headed
    by which chunk this is and, in a resumed fit, how much was embedded before."""

    def __init__(self, outer: Progress, rows: int, before: int, size: int, head: str) -> None:
        super().__init__()
        self._outer = outer
        self._rows, self._before, self._size, self._head = rows, before, size, head

    def cancel(self) -> None:
        self._outer.cancel()

    @property
    def cancelled(self) -> bool:
        return self._outer.cancelled

    def check(self) -> None:
        self._outer.check()

    def update(self, fraction: float, message: str = "") -> None:
        text = f"{self._head}: {message}" if self._head and message else self._head or message
        self._outer.update((self._before + fraction * self._size) / self._rows, text)


def embed_in_chunks(
    encode: Callable[[list[str], Progress], np.ndarray],
    texts: list[str],
    store: ChunkStore,
    progress: Progress,
) -> tuple[np.ndarray, int]:
    """Embeddings of ``texts``, taking intact chunks from ``store`` and computing and
    saving the others one chunk at a time; returns them and how many texts were reused.

    Memory holds the final array and one chunk: chunks are read into the array as they
    are checked, and each computed chunk is written to disk before the next one starts.
    Progress counts the work left, so a resumed fit's speed (and time left) is measured on
    what it computes; its messages say how much was embedded before.
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
    done = len(texts) - sum(store.span(i).stop - store.span(i).start for i in missing)
    resumed = done
    resuming = f"resuming: {resumed:,} of {len(texts):,} already embedded" if resumed else ""
    if resumed:
        progress.update(0.0, resuming)
    for index in missing:
        progress.check()
        span = store.span(index)
        size = span.stop - span.start
        head = [resuming] if resumed else []
        if store.count > 1:
            head.append(f"chunk {index + 1:,} of {store.count:,}")
        within = _WithinChunk(progress, len(texts) - resumed, done - resumed, size, "; ".join(head))
        chunk = encode(texts[span], within)
        store.save(index, chunk)
        if out is None:
            out = np.empty((len(texts), chunk.shape[1]), dtype=np.float32)
        out[span] = chunk
        del chunk
        done += size
    if out is None:  # no texts at all
        out = np.empty((0, 0), dtype=np.float32)
    return out, resumed
