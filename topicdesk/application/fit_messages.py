"""Fit jobs and results as plain messages between the app and its fitting process.

Nothing is pickled: a message is a JSON header followed by the raw bytes of its arrays,
whose number type (from a short list) and shape the header gives, as in the project
file. A job carries what ``runner.fit_project`` reads of a project: the texts, the
saved stage outputs, the stop words and the provenance; a result carries every field of
a :class:`~topicdesk.pipeline.runner.FitResult` (tests check that the lists below still
name them all).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import astuple
from typing import Protocol

import numpy as np
import pandas as pd

from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project, StageCache
from topicdesk.core.settings import FitSettings
from topicdesk.core.state import Topic, TopicState
from topicdesk.pipeline.progress import ChunkCount, ProgressEvent
from topicdesk.pipeline.runner import FitResult

ARRAY_DTYPES = frozenset({"bool", "int32", "int64", "float32", "float64", "uint8"})
TEXTS_PER_CHUNK = 5_000  # texts are encoded a chunk at a time, so no single step is long
STATE_FIELDS = (
    "assignments",
    "confidence",
    "assigned_by",
    "topics",
    "doc_notes",
    "stop_words",
    "doc_stability",
)
RESULT_FIELDS = ("state", "cache", "provenance", "settings", "timings", "warnings")
TEXT_COLUMN = "text"


class Connection(Protocol):
    """The end of a ``multiprocessing`` pipe, as far as messages use it."""

    def send_bytes(self, buf: object) -> None: ...

    def recv_bytes(self) -> bytes: ...

    def recv_bytes_into(self, buf: object) -> int: ...


def send(conn: Connection, header: dict, arrays: Sequence[np.ndarray] = ()) -> None:
    """Send a header and its arrays (each as its own bytes, without copying)."""
    arrays = [np.ascontiguousarray(a) for a in arrays]
    specs = [{"dtype": str(a.dtype), "shape": list(a.shape)} for a in arrays]
    conn.send_bytes(json.dumps({**header, "arrays": specs}).encode("utf-8"))
    for array in arrays:
        conn.send_bytes(array.reshape(-1).view(np.uint8))


def receive(conn: Connection) -> tuple[dict, list[np.ndarray]]:
    """The next header and its arrays, read straight into new writable arrays."""
    header = json.loads(conn.recv_bytes())
    arrays = []
    for spec in header.pop("arrays"):
        if spec["dtype"] not in ARRAY_DTYPES:
            raise ValueError(f"unexpected array type {spec['dtype']!r} in a fit message")
        array = np.empty([int(n) for n in spec["shape"]], dtype=spec["dtype"])
        size = conn.recv_bytes_into(array.reshape(-1).view(np.uint8))
        if size != array.nbytes:
            raise ValueError("an array in a fit message has the wrong size")
        arrays.append(array)
    return header, arrays


def _pack_cache(cache: StageCache, arrays: list[np.ndarray]) -> list[dict]:
    entries = []
    for name, entry in cache.items():
        entries.append({"name": name, "key": entry.key, "array": len(arrays)})
        arrays.append(entry.array)
    return entries


def _unpack_cache(entries: list[dict], arrays: list[np.ndarray]) -> StageCache:
    cache = StageCache()
    for entry in entries:
        cache.put(str(entry["name"]), arrays[int(entry["array"])], str(entry["key"]))
    return cache


def _pack_texts(texts: list[str], arrays: list[np.ndarray]) -> list[int]:
    """Texts as pairs of arrays (UTF-8 bytes, byte lengths); returns their array numbers."""
    chunks = []
    for start in range(0, len(texts), TEXTS_PER_CHUNK):
        encoded = [
            t.encode("utf-8", "surrogatepass") for t in texts[start : start + TEXTS_PER_CHUNK]
        ]
        chunks.append(len(arrays))
        arrays.append(np.frombuffer(b"".join(encoded), dtype=np.uint8))
        arrays.append(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)))
    return chunks


def _unpack_texts(chunks: list[int], arrays: list[np.ndarray]) -> list[str]:
    texts: list[str] = []
    for at in chunks:
        data, lengths = arrays[at].tobytes(), arrays[at + 1]
        ends = np.cumsum(lengths).tolist()
        starts = [0, *ends[:-1]]
        texts += [data[a:b].decode("utf-8", "surrogatepass") for a, b in zip(starts, ends)]
    return texts


def encode_job(project: Project, settings: FitSettings, target: str) -> tuple[dict, list]:
    """The message that asks the fitting process to run ``target`` on a project."""
    arrays: list[np.ndarray] = []
    corpus = project.corpus
    header = {
        "op": "fit",
        "target": target,
        "settings": settings.to_dict(),
        "source_name": corpus.source_name,
        "source_hash": corpus.source_hash,
        "provenance": project.provenance,
        "stop_words": list(project.state.stop_words) if project.state else [],
        "cache": _pack_cache(project.cache, arrays),
        "texts": _pack_texts(corpus.texts, arrays),
    }
    return header, arrays


def decode_job(header: dict, arrays: list[np.ndarray]) -> tuple[Project, FitSettings, str]:
    """The project (its texts, saved stage outputs, stop words), settings and target of a job.

    The corpus holds only the text column: it is all a fit reads of the table.
    """
    texts = _unpack_texts(header["texts"], arrays)
    corpus = Corpus(
        pd.DataFrame({TEXT_COLUMN: texts}, dtype=object),
        TEXT_COLUMN,
        source_name=header["source_name"],
        source_hash=header["source_hash"],
    )
    project = Project(
        corpus,
        cache=_unpack_cache(header["cache"], arrays),
        provenance=header["provenance"],
    )
    project.state.stop_words = tuple(header["stop_words"])
    return project, FitSettings.from_dict(header["settings"]), str(header["target"])


def encode_result(result: FitResult) -> tuple[dict, list]:
    """The message that hands a finished fit back to the app."""
    state = result.state
    arrays = [state.assignments, state.confidence, state.doc_stability]
    header = {
        "kind": "result",
        "state": {
            "assigned_by": list(state.assigned_by),
            "topics": [topic.to_dict() for topic in state.sorted_topics()],
            "doc_notes": [[int(row), note] for row, note in sorted(state.doc_notes.items())],
            "stop_words": list(state.stop_words),
        },
        "cache": _pack_cache(result.cache, arrays),
        "provenance": result.provenance,
        "settings": result.settings.to_dict(),
        "timings": result.timings,
        "warnings": list(result.warnings),
    }
    return header, arrays


def decode_result(header: dict, arrays: list[np.ndarray]) -> FitResult:
    parts = header["state"]
    topics = [Topic.from_dict(data) for data in parts["topics"]]
    state = TopicState(
        assignments=arrays[0],
        confidence=arrays[1],
        assigned_by=[str(by) for by in parts["assigned_by"]],
        topics={topic.id: topic for topic in topics},
        doc_notes={int(row): str(note) for row, note in parts["doc_notes"]},
        stop_words=tuple(parts["stop_words"]),
        doc_stability=arrays[2],
    )
    return FitResult(
        state=state,
        cache=_unpack_cache(header["cache"], arrays),
        provenance=header["provenance"],
        settings=FitSettings.from_dict(header["settings"]),
        timings={str(k): float(v) for k, v in header["timings"].items()},
        warnings=[str(w) for w in header["warnings"]],
    )


def encode_event(event: ProgressEvent) -> dict:
    chunks = event.chunks
    return {
        "kind": "progress",
        "stage": event.stage,
        "index": event.index,
        "total": event.total,
        "fraction": event.fraction,
        "message": event.message,
        "chunks": None if chunks is None else list(astuple(chunks)),
    }


def decode_event(header: dict) -> ProgressEvent:
    chunks = header.get("chunks")
    return ProgressEvent(
        str(header["stage"]),
        int(header["index"]),
        int(header["total"]),
        float(header["fraction"]),
        str(header["message"]),
        None if chunks is None else ChunkCount(*(int(n) for n in chunks)),
    )
