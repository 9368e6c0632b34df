"""The content checksum: SHA-256 of every stored value, table by table in key order.

SQLite checks its structure but not its contents; with this digest saved beside them, a
byte changed on disk inside a label or an array is noticed when the file is opened.
Opening hands each row of the arrays table on while hashing it, so the largest values
are read once; small values are hashed a batch at a time (one call per value made
opening a million-document project spend seconds in the calls).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable

CHECKSUM_KEY = "content_sha256"
DIGEST_BATCH = 4096  # small values hashed in one call
# "documents" holds one row per document in formats 1 to 3, "notes" the notes on
# documents in format 4; a file has one of them, and the digest covers the tables it has
CHECKED_TABLES = ("meta", "columns", "arrays", "documents", "notes", "topics", "edits")


def content_digest(
    db: sqlite3.Connection, on_array: Callable[[str, bytes], None] | None = None
) -> str:
    """The checksum of everything but itself; ``on_array`` gets each arrays row's name and
    bytes as they are read."""
    present = {
        name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    digest = hashlib.sha256()
    for table in CHECKED_TABLES:
        if table not in present:
            continue
        digest.update(f"\x00{table}\x00".encode())
        skip = f" WHERE key != '{CHECKSUM_KEY}'" if table == "meta" else ""
        pending: list[bytes] = []
        for row in db.execute(f"SELECT * FROM {table}{skip} ORDER BY 1"):
            for value in row:
                if isinstance(value, bytes):
                    pending.append(b"b%d:" % len(value))
                    digest.update(b"".join(pending))
                    pending.clear()
                    digest.update(value)
                else:
                    text = repr(value).encode("utf-8", "surrogatepass")
                    pending.append(b"v%d:%b" % (len(text), text))
            if len(pending) > DIGEST_BATCH:
                digest.update(b"".join(pending))
                pending.clear()
            if table == "arrays" and on_array is not None:
                on_array(row[0], row[4])
        digest.update(b"".join(pending))
    return digest.hexdigest()
