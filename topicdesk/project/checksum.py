"""The content checksum: SHA-256 of every stored value, table by table in key order.

SQLite checks its structure but not its contents; with this digest saved beside them, a
byte changed on disk inside a label or an array is noticed when the file is opened.
Opening reads the arrays once, for the checksum, into the buffers they are used from
(``destination``); small values are hashed a batch at a time (one call per value made
opening a million-document project spend seconds in the calls).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

CHECKSUM_KEY = "content_sha256"
DIGEST_BATCH = 4096  # small values hashed in one call
# "documents" holds one row per document in formats 1 to 3, "notes" the notes on
# documents in format 4; a file has one of them, and the digest covers the tables it has
CHECKED_TABLES = ("meta", "columns", "arrays", "documents", "notes", "topics", "edits")
ARRAY_ROWS = (
    "SELECT rowid, name, key, dtype, shape, typeof(data), length(data) FROM arrays ORDER BY name"
)
CHUNK_BYTES = 16 * 2**20  # of an array read at a time

Destination = Callable[[str, int], np.ndarray | None]


class _Hasher:
    """The running digest, with small values gathered into batches and large ones hashed
    by a thread of their own (hashlib lets go of Python's lock), so hashing an array
    overlaps reading the next, and no more than those two are held for it."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.pending: list[bytes] = []
        self._worker = ThreadPoolExecutor(max_workers=1)
        self._queued: list[Future] = []

    def value(self, value: object) -> None:
        if isinstance(value, bytes):
            self.header(len(value))
            self.more(value)
        else:
            text = repr(value).encode("utf-8", "surrogatepass")
            self.pending.append(b"v%d:%b" % (len(text), text))

    def header(self, size: int) -> None:
        """A value of ``size`` bytes follows, in chunks given to :meth:`more`."""
        self.pending.append(b"b%d:" % size)
        self.flush()

    def more(self, chunk: bytes) -> None:
        self._queue(chunk)

    def flush(self, unless_fewer: int = 0) -> None:
        if len(self.pending) > unless_fewer:
            self._queue(b"".join(self.pending))
            self.pending.clear()

    def _queue(self, data: bytes) -> None:
        while self._queued:  # the next value is read while the last one is hashed
            self._queued.pop(0).result()
        self._queued.append(self._worker.submit(self.digest.update, data))

    def hexdigest(self) -> str:
        self.flush()
        for queued in self._queued:
            queued.result()
        return self.digest.hexdigest()

    def close(self) -> None:
        self._worker.shutdown(cancel_futures=True)


def read_arrays(
    db: sqlite3.Connection, destination: Destination | None, hasher: _Hasher | None = None
) -> None:
    """Read each row of the arrays table a chunk at a time, into the buffer
    ``destination(name, size)`` gives for it (if any) and into the digest (if any): the
    chunks reuse the same memory, so only the buffers are new pages."""
    for rowid, *values, kind, size in db.execute(ARRAY_ROWS).fetchall():
        if kind != "blob":
            raise ValueError(f"array {values[0]} is not stored as bytes")
        if hasher is not None:
            for value in values:
                hasher.value(value)
            hasher.header(size)
        target = None if destination is None else destination(str(values[0]), size)
        with db.blobopen("arrays", "data", rowid, readonly=True) as blob:
            for start in range(0, size, CHUNK_BYTES):
                chunk = blob.read(CHUNK_BYTES)
                if hasher is not None:
                    hasher.more(chunk)
                if target is not None:
                    target[start : start + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
        if hasher is not None:
            hasher.flush(DIGEST_BATCH)


def content_digest(db: sqlite3.Connection, destination: Destination | None = None) -> str:
    """The checksum of everything but itself; the arrays' bytes go where ``destination`` says."""
    present = {
        name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    hasher = _Hasher()
    try:
        for table in CHECKED_TABLES:
            if table not in present:
                continue
            hasher.pending.append(f"\x00{table}\x00".encode())
            if table == "arrays":
                read_arrays(db, destination, hasher)
                hasher.flush()
                continue
            skip = f" WHERE key != '{CHECKSUM_KEY}'" if table == "meta" else ""
            for row in db.execute(f"SELECT * FROM {table}{skip} ORDER BY 1"):
                for value in row:
                    hasher.value(value)
                hasher.flush(DIGEST_BATCH)
            hasher.flush()
        return hasher.hexdigest()
    finally:
        hasher.close()
