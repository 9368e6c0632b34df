"""The one-file project: an SQLite database written whole and swapped in atomically.

A save writes a complete new file beside the old one in a single transaction, flushes it
to disk and renames it over the old file, so a crash or a full disk leaves either the old
or the new project, never a mix; the next save clears what a killed save left behind.
Opening reads the file as immutable, checks what it finds and never runs code from it
(arrays are raw bytes, values tagged JSON). Since file format 4 the per-document data
are arrays too (:mod:`topicdesk.project.columnar`), so neither a save nor an open makes a
Python object per document for them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import stat
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
from topicdesk.core.state import UNASSIGNED, TopicState
from topicdesk.errors import TopicDeskError
from topicdesk.project import array_parts, columnar, row_layout, topic_rows
from topicdesk.project.checksum import CHECKSUM_KEY, content_digest, read_arrays

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted, which protects it instead
    fcntl = None

# 3: arrays over ARRAY_PART_BYTES are stored in parts; 4: per-document data as arrays;
# 5: topics keep the stability check's figures with documents left out
SCHEMA_VERSION = 5
COLUMNAR_SINCE = 4
APPLICATION_ID = 0x54445350  # "TDSP"
SQLITE_MAGIC = b"SQLite format 3\x00"
ARRAY_DTYPES = {"float32", "float64", "int64"}
ARRAY_NAMES = ("embeddings", "reduced", "coords", "reduced_runs")
WRITE_CHUNK_BYTES = 16 * 2**20
LARGE_PAGE_BYTES, LARGE_ARRAYS_BYTES = 65536, 64 * 2**20

SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE columns (position INTEGER PRIMARY KEY, name TEXT NOT NULL, dtype TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE arrays (name TEXT PRIMARY KEY, key TEXT NOT NULL, dtype TEXT NOT NULL, shape TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE notes (row INTEGER PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE topics ({topic_rows.COLUMNS});
CREATE TABLE edits (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, action TEXT NOT NULL, kind TEXT NOT NULL,
                    description TEXT NOT NULL, params TEXT NOT NULL);
"""

# Upgrades from older schema versions, applied in order to an in-memory copy of the file;
# a version read as it is has no entry (format 3 and earlier: documents table, row_layout;
# format 4 and earlier: topic rows one column short, topic_rows.widened).
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: topic_rows.add_tree_and_stability,
}


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
        "records": project.records,
        "stop_words": list(state.stop_words),
        "fitted": project.fitted,
        "rows": len(corpus),
    }
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()],
    )
    arrays: list[tuple[str, columnar.Stored, str]] = []
    for position, name in enumerate(corpus.table.columns):
        data, cells = columnar.encode_table_column(position, corpus.table[name])
        db.execute(
            "INSERT INTO columns VALUES (?, ?, ?, ?)",
            (position, str(name), str(corpus.table[name].dtype), data),
        )
        arrays.extend((array_name, array, columnar.DOCUMENTS_KEY) for array_name, array in cells)
    documents, assigned_by_names = columnar.state_arrays(state)
    db.execute(
        "INSERT INTO meta VALUES (?, ?)",
        (columnar.ASSIGNED_BY_NAMES, json.dumps(assigned_by_names, ensure_ascii=False)),
    )
    arrays.extend((name, array, columnar.DOCUMENTS_KEY) for name, array in documents)
    arrays.append((columnar.TEXT_INDEX, corpus.unique_texts()[1], columnar.DOCUMENTS_KEY))
    arrays.extend((name, entry.array, entry.key) for name, entry in project.cache.items())
    if not np.isnan(state.doc_stability).all():
        arrays.append((topic_rows.DOCUMENT_STABILITY, state.doc_stability[:, None], "rows"))
    for name, array, key in arrays:
        if isinstance(array, np.ndarray):
            parts = array_parts.split(name, np.ascontiguousarray(array))
        else:  # made block by block
            parts = array_parts.gather(name, array)
        for part_name, part in parts:
            data = memoryview(part.reshape(-1).view(np.uint8))
            row = db.execute(  # room for the bytes, then written into it in chunks: SQLite
                # would copy a bound value whole (twice) before storing it
                "INSERT INTO arrays VALUES (?, ?, ?, ?, zeroblob(?))",
                (part_name, key, str(part.dtype), json.dumps(list(part.shape)), len(data)),
            ).lastrowid
            with db.blobopen("arrays", "data", row) as blob:
                for start in range(0, len(data), WRITE_CHUNK_BYTES):
                    blob.write(data[start : start + WRITE_CHUNK_BYTES])
    db.executemany(
        "INSERT INTO notes VALUES (?, ?)",
        [(row, note) for row, note in sorted(state.doc_notes.items()) if note],
    )
    db.executemany(topic_rows.INSERT, [topic_rows.to_row(t) for t in state.sorted_topics()])
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


def _page_size(project: Project) -> int:
    """SQLite's page size for this project: large pages when it holds large arrays, which
    SQLite reads a page at a time (a million documents' 1.9 GB opened with a quarter less
    CPU time in 64 KiB pages than in 4 KiB ones), small ones otherwise (a small project
    would take at least a page per table)."""
    arrays = sum(entry.array.nbytes for _, entry in project.cache.items())
    return LARGE_PAGE_BYTES if arrays > LARGE_ARRAYS_BYTES else 4096


def _temp_files(path: Path) -> re.Pattern[str]:
    """Names of the files a save of ``path`` writes before swapping them in."""
    return re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.saving")


def _remove_stale_temp_files(path: Path, folder: Path) -> None:
    """Delete half-written files of saves that were killed; a save still writing keeps its own.

    A running save holds a lock on its file (on Windows, the file is open and so cannot
    be deleted), so only leftovers of ended processes go.
    """
    pattern = _temp_files(path)
    try:
        stale = [e.path for e in os.scandir(folder) if pattern.fullmatch(e.name)]
    except OSError:
        return
    for name in stale:
        try:
            if fcntl is None:
                os.unlink(name)
                continue
            with open(name, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(name)
        except OSError:  # being written by another save, or already gone
            continue


def _check_digest(db: sqlite3.Connection, path: Path, joiner: array_parts.Joiner | None) -> bool:
    """Refuse a file whose contents changed after saving; False for a file without a
    checksum (from 0.1.0). ``joiner`` is given the arrays while they are read for the check."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (CHECKSUM_KEY,)).fetchone()
    if row is None:
        return False
    if json.loads(row[0]) != content_digest(db, None if joiner is None else joiner.destination):
        raise _damaged(path, "its contents changed after TopicDesk saved it")
    return True


def save_project(project: Project, path: str | Path) -> None:
    """Write the project to ``path`` atomically; the old file survives any failure."""
    path = Path(path)
    if path.is_dir():
        raise TopicDeskError(
            f"Could not save: {path} is a folder; choose a file name ending in .topicdesk."
        )
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_temp_files(path, folder)
    tmp_name = None
    lock = None
    try:
        candidate = str(folder / f".{path.name}.{secrets.token_hex(4)}.saving")
        lock = os.open(candidate, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        tmp_name = candidate
        if fcntl is None:  # Windows: an open file cannot be renamed, so let go of it now
            os.close(lock)
            lock = None
        else:
            fcntl.flock(lock, fcntl.LOCK_EX)
        db = sqlite3.connect(tmp_name)
        try:
            db.execute(f"PRAGMA page_size = {_page_size(project)}")
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            with db:
                _write(db, project)
                db.execute(
                    "INSERT INTO meta VALUES (?, ?)", (CHECKSUM_KEY, json.dumps(content_digest(db)))
                )
        finally:
            db.close()
        with open(tmp_name, "rb+") as flushed:
            os.fsync(flushed.fileno())
        if path.is_file():  # a shared project stays as readable to others as it was
            os.chmod(tmp_name, stat.S_IMODE(path.stat().st_mode))
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
        if lock is not None:
            os.close(lock)


def _damaged(path: Path, detail: str) -> TopicDeskError:
    """One sentence, even when the detail quotes damaged text with line breaks in it."""
    detail = " ".join(detail.split())
    if len(detail) > 300:
        detail = detail[:299] + "…"
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
    # read-only, over the bytes SQLite returned: no second copy of the embeddings (1.5 GB
    # for a million documents), and stage outputs are never changed in place
    array.setflags(write=False)
    return array.reshape(shape)


def _read_table(
    db: sqlite3.Connection, path: Path, meta: dict, arrays: dict[str, tuple]
) -> tuple[pd.DataFrame, columnar.TextCells | None]:
    """The user's columns, and the text column's cells when it is stored as texts; a short
    or repeated column would silently shift or lose cells."""
    rows = int(meta["rows"])
    table: dict[str, pd.Series] = {}
    text_cells = None
    for name, dtype, data in db.execute("SELECT name, dtype, data FROM columns ORDER BY position"):
        try:
            column, cells = columnar.decode_table_column(str(data), str(dtype), arrays, rows)
        except (ValueError, TypeError) as exc:
            raise _damaged(path, f"the column {name!r} does not match the table") from exc
        if str(name) in table or len(column) != rows:
            raise _damaged(path, f"the column {name!r} does not match the table")
        table[str(name)] = column
        if str(name) == meta["text_column"]:
            text_cells = cells
    return pd.DataFrame(table, index=pd.RangeIndex(rows)), text_cells


def _read_settings(path: Path, data: object) -> FitSettings:
    """Fit settings, whose own checks are reported as damage to this file."""
    if not isinstance(data, dict):
        raise _damaged(path, "the fit settings are unreadable")
    try:
        return FitSettings.from_dict(data)
    except TopicDeskError as exc:
        raise _damaged(path, f"invalid fit settings: {str(exc).rstrip('.')}") from exc


def _read_records(path: Path, data: object) -> dict[str, object]:
    """The project's named records: a JSON object by name (absent in older files)."""
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise _damaged(path, "its saved records are unreadable")
    return dict(data)


def _read_stop_words(path: Path, data: object) -> tuple[str, ...]:
    """The researcher's own stop words (absent in older files)."""
    if not isinstance(data, list) or not all(isinstance(w, str) for w in data):
        raise _damaged(path, "its stop words are unreadable")
    return tuple(data)


def _read_arrays(db: sqlite3.Connection, path: Path) -> array_parts.Joiner:
    """What joins the arrays table's rows as they are read (their names, types and shapes
    first, which SQLite reads without the bytes behind them)."""
    try:
        return array_parts.Joiner(
            db.execute("SELECT name, key, dtype, shape FROM arrays").fetchall()
        )
    except ValueError as exc:
        raise _damaged(path, str(exc)) from exc


def _read(
    db: sqlite3.Connection, path: Path, version: int, joiner: array_parts.Joiner | None = None
) -> Project:
    meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
    if joiner is None:
        joiner = _read_arrays(db, path)
        read_arrays(db, joiner.destination)
    try:
        whole = joiner.arrays()
    except ValueError as exc:
        raise _damaged(path, str(exc)) from exc
    del joiner
    table, text_cells = _read_table(db, path, meta, whole)
    if meta["text_column"] not in table.columns:
        raise _damaged(path, f"its text column {meta['text_column']!r} is missing")
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
    if text_cells is not None:
        try:
            found = columnar.known_texts(text_cells, whole, n)
        except (ValueError, TypeError) as exc:
            raise _damaged(path, "the distinct texts do not match the documents") from exc
        if found is not None:
            corpus.take_found(*found)
    n_texts = len(corpus.unique_texts()[0])
    cache = StageCache()
    for name in ARRAY_NAMES:
        if name in whole:
            cache.put(name, _read_array(path, whole[name], n_texts), str(whole[name][1]))

    topics = {}
    for row in db.execute("SELECT * FROM topics ORDER BY id"):
        if int(row[0]) < 0:  # negative numbers mean "unassigned" inside the app
            raise _damaged(path, f"a topic has the invalid number {row[0]}")
        topics[int(row[0])] = topic_rows.from_row(topic_rows.widened(row, version), n)
    topic_rows.drop_broken_parents(topics)
    state = TopicState.empty(n)
    state.topics = topics
    stability = whole.get(topic_rows.DOCUMENT_STABILITY)
    if stability is not None:
        state.doc_stability = topic_rows.document_stability(_read_array(path, stability, n))
    try:
        if version < COLUMNAR_SINCE:
            row_layout.read_documents(db, state)
        else:
            names = meta.get(columnar.ASSIGNED_BY_NAMES)
            columnar.read_state_arrays(state, whole, names, n)
    except (ValueError, TypeError) as exc:
        raise _damaged(path, "the topic assignments do not match the documents") from exc
    if version >= COLUMNAR_SINCE:
        state.doc_notes = {
            int(row): str(note)
            for row, note in db.execute("SELECT row, note FROM notes ORDER BY row")
            if 0 <= int(row) < n and note
        }
    state.stop_words = _read_stop_words(path, meta.get("stop_words", []))
    orphans = ~np.isin(state.assignments, [UNASSIGNED, *topics])
    if orphans.any():  # documents of a topic that is not in the file: keep them, unassigned
        state.assignments[orphans] = UNASSIGNED
        state.confidence[orphans] = np.nan

    log = [
        LogEntry(str(t), str(a), str(k), str(d), dict(json.loads(p)))
        for t, a, k, d, p in db.execute(
            "SELECT time, action, kind, description, params FROM edits ORDER BY seq"
        )
    ]
    return Project(
        corpus=corpus,
        settings=_read_settings(path, meta.get("settings", {})),
        state=state,
        cache=cache,
        provenance=dict(meta.get("provenance") or {}),
        records=_read_records(path, meta.get("records", {})),
        log=log,
        fitted=bool(meta.get("fitted", False)),
    )


def _check_header(path: Path) -> None:
    """Refuse empty, foreign and cut-off files before SQLite sees them."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise TopicDeskError(
            f"Could not read {path.name}: {exc.strerror or exc}; check that you may open this file."
        ) from exc
    if size == 0:
        raise TopicDeskError(
            f"{path.name} is empty (0 bytes), so it holds no project; open a backup copy."
        )
    if header[:16] != SQLITE_MAGIC:
        raise TopicDeskError(
            f"{path.name} is not a TopicDesk project; open a .topicdesk file, or import a spreadsheet instead."
        )
    page_size = int.from_bytes(header[16:18], "big")
    pages = int.from_bytes(header[28:32], "big") if header[24:28] == header[92:96] else 0
    if len(header) < 100 or size < (65536 if page_size == 1 else page_size) * pages:
        raise _damaged(path, "the file is cut short, perhaps by an interrupted copy")


def open_project(path: str | Path) -> Project:
    """Read a project file, refusing damaged, foreign or too-new files with a clear message."""
    path = Path(path)
    if path.is_dir():
        raise TopicDeskError(f"{path} is a folder, not a project; choose a .topicdesk file.")
    if not path.exists():
        raise TopicDeskError(f"The project {path} does not exist; check the name and folder.")
    if not path.is_file():
        raise TopicDeskError(f"{path} is not a regular file; choose a .topicdesk file.")
    _check_header(path)
    try:  # immutable: no locks, no journal or WAL files beside it, nothing written
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
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
        steps = [MIGRATIONS[step] for step in range(version, SCHEMA_VERSION) if step in MIGRATIONS]
        joiner = None if steps else _read_arrays(db, path)
        if not _check_digest(db, path, joiner):
            joiner = None  # the arrays were not read on the way
        if steps:  # the arrays are read again after the migrations
            memory = sqlite3.connect(":memory:")
            db.backup(memory)
            db.close()
            db = memory
            for migrate in steps:
                migrate(db)
        return _read(db, path, version, joiner)
    except TopicDeskError:
        raise
    except (
        sqlite3.Error,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        OverflowError,
        RecursionError,
    ) as exc:  # whatever a damaged or crafted file makes the reading code trip over
        raise _damaged(path, f"{type(exc).__name__}: {exc}") from exc
    finally:
        db.close()
