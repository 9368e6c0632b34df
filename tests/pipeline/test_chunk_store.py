"""Streamed, resumable embedding: chunks on disk as computed, resumed after a stop, checked."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.toy_fit import SETTINGS, Letters, toy_texts
from topicdesk.application import fitting
from topicdesk.cli import main
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.errors import Cancelled
from topicdesk.pipeline import chunk_store, encoders
from topicdesk.pipeline.encoders import EncoderCache
from topicdesk.pipeline.progress import Progress
from topicdesk.pipeline.runner import fit_project

ROWS = 16  # texts per chunk in these tests: 120 texts make 8 chunks
REPO = Path(__file__).resolve().parents[2]
KILLED = """
import sys, time
from pathlib import Path
import pandas as pd
from tests.toy_fit import SETTINGS, Letters, toy_texts
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.pipeline import chunk_store
from topicdesk.pipeline.encoders import EncoderCache
from topicdesk.pipeline.runner import fit_project

class Slow(Letters):
    def embed(self, texts, batch_size, progress=None):
        time.sleep(0.25)
        return super().embed(texts, batch_size, progress)

chunk_store.root = lambda: Path(sys.argv[1])
chunk_store.CHUNK_ROWS = int(sys.argv[2])
project = Project(Corpus(pd.DataFrame({"text": toy_texts(120)}), "text"))
fit_project(project, SETTINGS, None, EncoderCache(lambda settings: Slow()))
"""


class Counting(Letters):
    """Letter counts that remember how many texts each call embedded and can stop after
    ``stop_after`` calls, as a killed fit would."""

    def __init__(self, stop_after: int | None = None, identity: str = "letters") -> None:
        self.calls: list[int] = []
        self.stop_after = stop_after
        self.identity = identity

    def embed(self, texts, batch_size, progress=None):
        if self.stop_after is not None and len(self.calls) == self.stop_after:
            raise KeyboardInterrupt  # what a kill looks like from inside the fit
        self.calls.append(len(texts))
        if progress is not None:
            progress.check()
            progress.update(1.0, f"{len(texts)} of {len(texts)} documents")
        return super().embed(texts, batch_size, progress)


@pytest.fixture(autouse=True)
def small_chunks(tmp_path, monkeypatch):
    """Stores in the test's own folder, in chunks of ``ROWS`` texts."""
    monkeypatch.setattr(chunk_store, "root", lambda: tmp_path / "embeddings")
    monkeypatch.setattr(chunk_store, "CHUNK_ROWS", ROWS)
    return tmp_path / "embeddings"


def _project(texts: list[str] | None = None) -> Project:
    return Project(Corpus(pd.DataFrame({"text": texts or toy_texts(120)}), "text"))


def _fit(project: Project, encoder: Letters, resume: bool = False, progress=None):
    return fit_project(project, SETTINGS, progress, EncoderCache(lambda s: encoder), resume)


def _chunk_files(folder) -> list:
    return sorted(folder.glob("*/chunk-*.npy"))


def test_an_interrupted_fit_resumes_at_the_first_missing_chunk_and_equals_a_whole_one(
    small_chunks,
):
    whole = _fit(_project(), Counting()).cache.embeddings
    assert not small_chunks.exists() or not _chunk_files(small_chunks)  # removed when done
    stopped = Counting(stop_after=3)
    with pytest.raises(KeyboardInterrupt):
        _fit(_project(), stopped)
    assert len(_chunk_files(small_chunks)) == 3  # written as they were computed
    resumed = Counting()
    events = []
    result = _fit(_project(), resumed, resume=True, progress=Progress(events.append))
    assert resumed.calls == [ROWS] * 4 + [120 - 7 * ROWS]  # only the five chunks left
    np.testing.assert_array_equal(result.cache.embeddings, whole)
    messages = [e.message for e in events if e.stage == "Embedding documents" and e.message]
    assert messages[0] == "resuming: 48 of 120 already embedded"
    assert messages[1] == "resuming: 48 of 120 already embedded; chunk 4 of 8: 16 of 16 documents"
    assert "48 of them embedded before" in messages[-1]
    left = [e.fraction for e in events if e.message.startswith("resuming")]
    assert left[:2] == [0.0, pytest.approx(16 / 72)]  # progress of the work left
    assert not _chunk_files(small_chunks)


def test_a_cancelled_fit_keeps_its_chunks_and_a_fit_without_resume_starts_fresh(small_chunks):
    progress = Progress()
    stopping = Counting()

    def embed_then_cancel(texts, batch_size, progress_=None):
        if len(stopping.calls) == 2:
            progress.cancel()  # the user's Stop while the third chunk is computed
        return Counting.embed(stopping, texts, batch_size, progress_)

    stopping.embed = embed_then_cancel
    with pytest.raises(Cancelled):
        _fit(_project(), stopping, progress=progress)
    assert len(_chunk_files(small_chunks)) == 2  # the unfinished third is not kept
    fresh = Counting()
    _fit(_project(), fresh)
    assert len(fresh.calls) == 8  # every chunk computed again


def test_a_fit_killed_while_embedding_resumes_from_the_chunks_it_listed(small_chunks):
    whole = _fit(_project(), Counting()).cache.embeddings
    child = subprocess.Popen([sys.executable, "-c", KILLED, str(small_chunks), str(ROWS)], cwd=REPO)
    deadline = time.monotonic() + 120
    while len(_chunk_files(small_chunks)) < 3 and child.poll() is None:
        assert time.monotonic() < deadline, "the fit never wrote its chunks"
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)  # at whatever moment the third chunk's file appeared
    child.wait()
    (manifest,) = small_chunks.glob("*/manifest.json")
    listed = len(json.loads(manifest.read_text())["chunks"])
    assert 2 <= listed < 8
    resumed = Counting()
    result = _fit(_project(), resumed, resume=True)
    assert len(resumed.calls) == 8 - listed
    np.testing.assert_array_equal(result.cache.embeddings, whole)


def test_a_damaged_chunk_is_computed_again_never_trusted(small_chunks):
    whole = _fit(_project(), Counting()).cache.embeddings
    with pytest.raises(KeyboardInterrupt):
        _fit(_project(), Counting(stop_after=4))
    files = _chunk_files(small_chunks)
    data = bytearray(files[1].read_bytes())
    data[-8:] = np.array([7.0, 7.0], dtype=np.float32).tobytes()  # same size, other values
    files[1].write_bytes(bytes(data))
    files[2].unlink()
    resumed = Counting()
    result = _fit(_project(), resumed, resume=True)
    assert len(resumed.calls) == 6  # chunks 1 and 2, and the four never computed
    np.testing.assert_array_equal(result.cache.embeddings, whole)


def test_another_corpus_or_model_does_not_use_the_chunks(small_chunks):
    with pytest.raises(KeyboardInterrupt):
        _fit(_project(), Counting(stop_after=5))
    other_texts = Counting()
    _fit(_project(toy_texts(120, seed=1)), other_texts, resume=True)
    assert len(other_texts.calls) == 8
    other_model = Counting(identity="other letters")
    _fit(_project(), other_model, resume=True)
    assert len(other_model.calls) == 8
    assert len(_chunk_files(small_chunks)) == 5  # the interrupted fit's own chunks remain


def test_store_lists_a_chunk_only_once_it_is_written_and_checks_its_shape(small_chunks):
    store = chunk_store.ChunkStore.open("key", 40, chunk_rows=16)
    assert store.count == 3 and store.span(2) == slice(32, 40)
    chunk = np.ones((16, 4), dtype=np.float32)
    store.save(0, chunk)
    store.path(1).write_bytes(store.path(0).read_bytes())  # a file the manifest never listed
    again = chunk_store.ChunkStore.open("key", 40, chunk_rows=16)
    np.testing.assert_array_equal(again.load(0), chunk)
    assert again.load(1) is None
    assert chunk_store.ChunkStore.open("key", 41, chunk_rows=16).load(0) is None  # other rows
    assert chunk_store.ChunkStore.open("key", 40, chunk_rows=16, fresh=True).load(0) is None
    assert chunk_store.ChunkStore.open("key", 40, chunk_rows=16).load(0) is None  # forgotten
    chunk_store.ChunkStore.open("unused", 40, fresh=True)
    assert not (small_chunks / "unused").exists()  # a fit stopped before its first chunk


def test_cli_resume_continues_an_interrupted_fit(small_chunks, tmp_path, monkeypatch, capsys):
    source = tmp_path / "notes.csv"
    pd.DataFrame({"text": toy_texts(120)}).to_csv(source, index=False)
    out = tmp_path / "notes.topicdesk"
    args = ["fit", str(source), "-o", str(out), "--min-topic-size", "15", "--n-neighbors", "5"]
    stopped, resumed = Counting(stop_after=2), Counting()
    encoder = [stopped]
    monkeypatch.setattr(encoders.ENCODERS, "_encoders", {})  # what the command line loads
    monkeypatch.setattr(encoders.ENCODERS, "_loader", lambda settings: encoder[0])
    assert main(args) == 130
    assert "--resume to continue" in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setattr(encoders.ENCODERS, "_encoders", {})
    encoder[0] = resumed
    assert main([*args, "--resume"]) == 0
    assert len(resumed.calls) == 6
    err = capsys.readouterr().err
    assert "resuming: 32 of 120 already embedded" in err
    assert out.is_file()


def test_reading_a_store_holds_the_final_array_and_one_chunk(small_chunks):
    rows, dim, size = 20_000, 64, 1_000
    store = chunk_store.ChunkStore.open("memory", rows, chunk_rows=size)
    vectors = np.random.default_rng(0).random((rows, dim), dtype=np.float32)
    for index in range(store.count):
        store.save(index, vectors[store.span(index)])
    del vectors
    tracemalloc.start()
    try:
        out, resumed = chunk_store.embed_in_chunks(
            lambda texts, progress: pytest.fail("nothing is left to compute"),
            ["text"] * rows,
            store,
            Progress(),
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert resumed == rows and out.shape == (rows, dim)
    assert peak < out.nbytes + 2 * size * dim * 4  # the array, one chunk and small change


def test_the_app_resumes_an_interrupted_fit_without_being_asked(small_chunks):
    with pytest.raises(KeyboardInterrupt):
        _fit(_project(), Counting(stop_after=6))
    resumed = Counting()
    fitting.fit(_project(), SETTINGS, None, EncoderCache(lambda settings: resumed))
    assert len(resumed.calls) == 2
