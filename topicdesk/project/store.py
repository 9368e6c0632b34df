"""The one-file project: an SQLite database written whole and swapped in atomically.

A save writes a complete new file beside the old one in a single transaction, flushes it
to disk and renames it over the old file, so a crash or a full disk leaves either the old
or the new project, never a mix. Opening reads the file in read-only mode, checks what it
finds and never runs code from it (arrays are raw bytes, values tagged JSON).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from topicdesk import __version__
from topicdesk.core.corpus import Corpus
from topicdesk.core.history import LogEntry
from topicdesk.core.project import Project, StageCache
from topicdesk.core.settings import FitSettings
from topicdesk.core.state import UNASSIGNED, Topic, TopicState
from topicdesk.errors import TopicDeskError
from topicdesk.project.values import decode_column, encode_column

SCHEMA_VERSION = 1
APPLICATION_ID = 0x54445350  # "TDSP"
SQLITE_MAGIC = b"SQLite format 3\x00"
ARRAY_DTYPES = {"float32", "float64", "int64"}
ARRAY_NAMES = ("embeddings", "reduced", "coords")

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE columns (position INTEGER PRIMARY KEY, name TEXT NOT NULL, dtype TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE arrays (name TEXT PRIMARY KEY, key TEXT NOT NULL, dtype TEXT NOT NULL, shape TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE documents (row INTEGER PRIMARY KEY, topic INTEGER NOT NULL, confidence REAL,
                        assigned_by TEXT NOT NULL, note TEXT);
CREATE TABLE topics (id INTEGER PRIMARY KEY, label TEXT NOT NULL, keywords TEXT NOT NULL, weights TEXT NOT NULL,
                     representatives TEXT NOT NULL, note TEXT NOT NULL, colour TEXT NOT NULL,
                     label_is_human INTEGER NOT NULL, origin TEXT NOT NULL);
CREATE TABLE edits (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, action TEXT NOT NULL, kind TEXT NOT NULL,
                    description TEXT NOT NULL, params TEXT NOT NULL);
"""

# Upgrades from older schema versions, applied in order to an in-memory copy on open.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


def _write(db: sqlite3.Connection, project: Project) -> None:
    corpus, state = project.corpus, project.state
    assert state is not None
    db.executescript(SCHEMA)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    meta = {
        "app_version": __version__,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "text_column": corpus.text_column,
        "source_name": corpus.source_name,
        "source_hash": corpus.source_hash,
        "sheet": corpus.sheet,
        "date_column": corpus.date_column,
        "group_column": corpus.group_column,
        "settings": project.settings.to_dict(),
        "provenance": project.provenance,
        "fitted": project.fitted,
        "rows": len(corpus),
    }
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()],
    )
    db.executemany(
        "INSERT INTO columns VALUES (?, ?, ?, ?)",
        [
            (i, str(name), str(corpus.table[name].dtype), encode_column(corpus.table[name]))
            for i, name in enumerate(corpus.table.columns)
        ],
    )
    for name, (array, key) in project.cache.arrays().items():
        array = np.ascontiguousarray(array)
        db.execute(
            "INSERT INTO arrays VALUES (?, ?, ?, ?, ?)",
            (name, key, str(array.dtype), json.dumps(list(array.shape)), array.tobytes()),
        )
    confidence = [None if np.isnan(c) else float(c) for c in state.confidence]
    db.executemany(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
        zip(
            range(len(state)),
            state.assignments.tolist(),
            confidence,
            state.assigned_by,
            [state.doc_notes.get(i) for i in range(len(state))],
        ),
    )
    db.executemany(
        "INSERT INTO topics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                t.id,
                t.label,
                json.dumps(t.keywords, ensure_ascii=False),
                json.dumps(t.weights),
                json.dumps(t.representatives),
                t.note,
                t.colour,
                int(t.label_is_human),
                t.origin,
            )
            for t in state.sorted_topics()
        ],
    )
    db.executemany(
        "INSERT INTO edits VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                i,
                e.time,
                e.action,
                e.kind,
                e.description,
                json.dumps(e.params, ensure_ascii=False, allow_nan=False),
            )
            for i, e in enumerate(project.history.log)
        ],
    )


def save_project(project: Project, path: str | Path) -> None:
    """Write the project to ``path`` atomically; the old file survives any failure."""
    path = Path(path)
    if path.is_dir():
        raise TopicDeskError(
            f"Could not save: {path} is a folder; choose a file name ending in .topicdesk."
        )
    folder = path.parent if str(path.parent) else Path(".")
    tmp_name = None
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".saving", dir=folder)
        os.close(handle)
        db = sqlite3.connect(tmp_name)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            with db:
                _write(db, project)
        finally:
            db.close()
        with open(tmp_name, "rb+") as flushed:
            os.fsync(flushed.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        if hasattr(os, "O_DIRECTORY"):
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise TopicDeskError(
            f"Could not save {path.name}: {reason}; choose another folder or free some disk space."
        ) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _damaged(path: Path, detail: str) -> TopicDeskError:
    return TopicDeskError(
        f"{path.name} is damaged ({detail}); open a backup copy or fit the spreadsheet again."
    )


def _read_array(path: Path, row: tuple, expected_rows: int) -> np.ndarray:
    name, _key, dtype, shape_text, blob = row
    if dtype not in ARRAY_DTYPES:
        raise _damaged(path, f"array {name} has the unsupported type {dtype}")
    shape = tuple(int(s) for s in json.loads(shape_text))
    array = np.frombuffer(blob, dtype=dtype)
    if len(shape) != 2 or array.size != shape[0] * shape[1] or shape[0] != expected_rows:
        raise _damaged(path, f"array {name} does not match the documents")
    return array.reshape(shape).copy()


def _read(db: sqlite3.Connection, path: Path) -> Project:
    meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
    columns = db.execute("SELECT name, dtype, data FROM columns ORDER BY position").fetchall()
    table = pd.DataFrame({name: decode_column(data, dtype) for name, dtype, data in columns})
    if len(table) != int(meta.get("rows", len(table))):
        raise _damaged(path, "the table is shorter than recorded")
    corpus = Corpus(
        table=table,
        text_column=meta["text_column"],
        source_name=meta.get("source_name") or "",
        source_hash=meta.get("source_hash") or "",
        sheet=meta.get("sheet"),
        date_column=meta.get("date_column"),
        group_column=meta.get("group_column"),
    )
    n = len(corpus)
    n_texts = len(corpus.unique_texts()[0])
    cache = StageCache()
    for row in db.execute("SELECT name, key, dtype, shape, data FROM arrays"):
        if row[0] in ARRAY_NAMES:
            setattr(cache, row[0], _read_array(path, row, n_texts))
            setattr(cache, f"{row[0]}_key", str(row[1]))

    topics = {}
    for tid, label, kw, weights, reps, note, colour, human, origin in db.execute(
        "SELECT * FROM topics ORDER BY id"
    ):
        representatives = [int(r) for r in json.loads(reps) if 0 <= int(r) < n]
        topics[int(tid)] = Topic(
            id=int(tid),
            label=str(label),
            keywords=[str(k) for k in json.loads(kw)],
            weights=[float(w) for w in json.loads(weights)],
            representatives=representatives,
            note=str(note),
            colour=str(colour),
            label_is_human=bool(human),
            origin=str(origin),
        )
    state = TopicState.empty(n)
    state.topics = topics
    docs = db.execute(
        "SELECT row, topic, confidence, assigned_by, note FROM documents ORDER BY row"
    ).fetchall()
    if len(docs) != n or (docs and (docs[0][0] != 0 or docs[-1][0] != n - 1)):
        raise _damaged(path, "the topic assignments do not match the documents")
    state.assignments[:] = [d[1] for d in docs]
    state.confidence[:] = [np.nan if d[2] is None else d[2] for d in docs]
    state.assigned_by = [str(d[3]) for d in docs]
    state.doc_notes = {int(d[0]): str(d[4]) for d in docs if d[4]}
    orphans = ~np.isin(state.assignments, [UNASSIGNED, *topics])
    if orphans.any():  # documents of a topic that is not in the file: keep them, unassigned
        state.assignments[orphans] = UNASSIGNED
        state.confidence[orphans] = np.nan

    log = [
        LogEntry(str(t), str(a), str(k), str(d), json.loads(p))
        for t, a, k, d, p in db.execute(
            "SELECT time, action, kind, description, params FROM edits ORDER BY seq"
        )
    ]
    return Project(
        corpus=corpus,
        settings=FitSettings.from_dict(meta.get("settings", {})),
        state=state,
        cache=cache,
        provenance=dict(meta.get("provenance") or {}),
        log=log,
        fitted=bool(meta.get("fitted", False)),
    )


def open_project(path: str | Path) -> Project:
    """Read a project file, refusing damaged, foreign or too-new files with a clear message."""
    path = Path(path)
    if path.is_dir():
        raise TopicDeskError(f"{path} is a folder, not a project; choose a .topicdesk file.")
    if not path.is_file():
        raise TopicDeskError(f"The project {path} does not exist; check the name and folder.")
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise TopicDeskError(
                f"{path.name} is not a TopicDesk project; open a .topicdesk file, or import a spreadsheet instead."
            )
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _damaged(path, str(exc)) from exc
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise TopicDeskError(
                f"{path.name} is an SQLite database but not a TopicDesk project; open a .topicdesk file."
            )
        if version > SCHEMA_VERSION:
            raise TopicDeskError(
                f"{path.name} was made with a newer TopicDesk (file format {version}); update TopicDesk to open it."
            )
        if version < SCHEMA_VERSION:
            memory = sqlite3.connect(":memory:")
            db.backup(memory)
            db.close()
            db = memory
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](db)
        return _read(db, path)
    except TopicDeskError:
        raise
    except (sqlite3.Error, ValueError, KeyError, TypeError, IndexError) as exc:
        raise _damaged(path, f"{type(exc).__name__}: {exc}") from exc
    finally:
        db.close()
