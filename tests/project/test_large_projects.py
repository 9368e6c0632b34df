"""Opening large projects: the checksum and the arrays are read once, without copies."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import numpy as np

from tests.factories import curated_project
from topicdesk.core.project import StageCache
from topicdesk.project import checksum, store
from topicdesk.project.store import open_project, save_project


def _reference_digest(db: sqlite3.Connection) -> str:
    """The checksum as first defined: every value hashed on its own."""
    digest = hashlib.sha256()
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    for table in [t for t in checksum.CHECKED_TABLES if t in present]:
        digest.update(f"\x00{table}\x00".encode())
        skip = f" WHERE key != '{checksum.CHECKSUM_KEY}'" if table == "meta" else ""
        for row in db.execute(f"SELECT * FROM {table}{skip} ORDER BY 1"):
            for value in row:
                if isinstance(value, bytes):
                    digest.update(b"b%d:" % len(value))
                    digest.update(value)
                else:
                    text = repr(value).encode("utf-8", "surrogatepass")
                    digest.update(b"v%d:" % len(text))
                    digest.update(text)
    return digest.hexdigest()


def _saved(sotu_slice, tmp_path, monkeypatch):
    project = curated_project(sotu_slice)
    n = len(project.corpus.unique_texts()[0])
    rng = np.random.default_rng(0)
    project.cache = StageCache(
        embeddings=(rng.normal(size=(n, 8)).astype(np.float32), "e"),
        coords=(rng.normal(size=(n, 2)).astype(np.float32), "c"),
    )
    project.state.doc_stability[:] = rng.random(len(project.corpus))
    monkeypatch.setattr(checksum, "DIGEST_BATCH", 7)  # batches end inside and between rows
    path = tmp_path / "p.topicdesk"
    save_project(project, path)
    return project, path


def test_batched_checksum_equals_the_value_by_value_one(sotu_slice, tmp_path, monkeypatch):
    _, path = _saved(sotu_slice, tmp_path, monkeypatch)
    db = sqlite3.connect(path)
    try:
        saved = db.execute(
            "SELECT value FROM meta WHERE key = ?", (checksum.CHECKSUM_KEY,)
        ).fetchone()[0]
        assert checksum.content_digest(db) == _reference_digest(db) == saved.strip('"')
    finally:
        db.close()


def test_arrays_are_read_once_and_not_copied(sotu_slice, tmp_path, monkeypatch):
    project, path = _saved(sotu_slice, tmp_path, monkeypatch)
    queries = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        db.set_trace_callback(queries.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)
    opened = open_project(path)
    reads = [q for q in queries if "FROM arrays" in q and ("*" in q or "data" in q)]
    assert len(reads) == 1  # the checksum's pass; the names and shapes before it hold no bytes
    embeddings = opened.cache.embeddings
    assert np.array_equal(embeddings, project.cache.embeddings)
    assert not embeddings.flags.writeable and not embeddings.flags.owndata
    assert np.allclose(opened.state.doc_stability, project.state.doc_stability)


def test_large_arrays_are_stored_in_parts(sotu_slice, tmp_path, monkeypatch):
    """SQLite refuses values over 1e9 bytes (a million documents' embeddings are 1.5 GB)."""
    import pytest

    from tests.factories import tamper
    from topicdesk.errors import TopicDeskError
    from topicdesk.project import array_parts

    monkeypatch.setattr(array_parts, "ARRAY_PART_BYTES", 1_000)  # 31 rows of 8 float32
    project, path = _saved(sotu_slice, tmp_path, monkeypatch)
    db = sqlite3.connect(path)
    names = [row[0] for row in db.execute("SELECT name FROM arrays WHERE name LIKE 'emb%'")]
    db.close()
    assert len(names) > 3 and "embeddings#1" in names
    opened = open_project(path)
    assert np.array_equal(opened.cache.embeddings, project.cache.embeddings)
    assert opened.cache.key("embeddings") == "e"
    tamper(path, "DELETE FROM arrays WHERE name = 'embeddings#2'")
    with pytest.raises(TopicDeskError, match="parts of array embeddings do not fit together"):
        open_project(path)


def test_texts_are_saved_block_by_block_in_parts(sotu_slice, tmp_path, monkeypatch):
    """A million documents' text is saved without joining it whole (it took three times
    its size); the parts join up again on opening."""
    from topicdesk.project import array_parts, columnar

    monkeypatch.setattr(array_parts, "ARRAY_PART_BYTES", 5_000)
    monkeypatch.setattr(columnar, "TEXT_BLOCK", 7)
    project, path = _saved(sotu_slice, tmp_path, monkeypatch)
    db = sqlite3.connect(path)
    (layout,) = db.execute("SELECT data FROM columns WHERE name = 'text'").fetchone()
    parts = f"{json.loads(layout)['array']}#%"
    sizes = [
        n for (n,) in db.execute("SELECT length(data) FROM arrays WHERE name LIKE ?", (parts,))
    ]
    db.close()
    assert len(sizes) > 10 and max(sizes) < 5_000 + 7 * 2_000
    opened = open_project(path)
    assert opened.corpus.table["text"].tolist() == project.corpus.table["text"].tolist()
    assert opened.corpus.unique_texts()[0] == project.corpus.unique_texts()[0]


def test_projects_with_large_arrays_use_large_pages(sotu_slice, tmp_path, monkeypatch):
    monkeypatch.setattr(store, "LARGE_ARRAYS_BYTES", 1_000)
    project, path = _saved(sotu_slice, tmp_path, monkeypatch)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA page_size").fetchone()[0] == 65536
    db.close()
    assert open_project(path).state.equals(project.state)
    monkeypatch.setattr(store, "LARGE_ARRAYS_BYTES", 10**9)
    save_project(project, path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA page_size").fetchone()[0] == 4096
    db.close()
