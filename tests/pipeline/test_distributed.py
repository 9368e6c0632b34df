"""Embedding on a Dask cluster: chunks sent to two worker processes, gathered into the
chunk store, equal to the ones this process computes, and one sentence when it cannot be."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from topicdesk.application.projects import open_project
from topicdesk.cli import main
from topicdesk.core.settings import FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import chunk_store, dask_embedding, encoders
from topicdesk.pipeline.progress import Progress

distributed = pytest.importorskip("distributed")  # in the test and cluster extras

SETTINGS = FitSettings(precision="float32")  # the arithmetic every computer has
ROWS = 48  # texts per chunk: 160 texts make 4 chunks, two for each worker


@pytest.fixture(scope="module")
def scheduler():
    """A cluster of two worker processes with one thread each, as on two machines."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def texts(sotu) -> list[str]:
    """160 SOTU paragraphs, cut to their first 300 characters to keep the test quick."""
    return [text[:300] for text in sotu["text"].head(160)]


@pytest.fixture(scope="module")
def local(texts) -> np.ndarray:
    """The same chunks embedded in this process, as a fit without --cluster does."""
    encoder = encoders.ENCODERS.get(SETTINGS)
    parts = [encoder.embed(texts[i : i + ROWS], SETTINGS.batch_size) for i in range(0, 160, ROWS)]
    return np.concatenate(parts)


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    monkeypatch.setattr(chunk_store, "root", lambda: tmp_path / "embeddings")


def _on_cluster(address, texts, store, events=None):
    workers = dask_embedding.Workers.connect(address, SETTINGS, "cpu", Progress())
    try:
        progress = Progress(events.append if events is not None else None)
        out, resumed = chunk_store.embed_in_chunks(None, texts, store, progress, workers.fan_out)
        busy = workers.client.run(lambda: len(dask_embedding._WORKER_ENCODERS))
    finally:
        workers.close()
    return out, resumed, busy, workers


def test_chunks_embedded_by_two_worker_processes_equal_local_ones_and_land_in_the_store(
    scheduler, texts, local
):
    store = chunk_store.ChunkStore.open("cluster", len(texts), chunk_rows=ROWS, fresh=True)
    events = []
    out, resumed, busy, workers = _on_cluster(scheduler, texts, store, events)
    assert resumed == 0 and out.shape == local.shape
    np.testing.assert_allclose(out, local, rtol=0, atol=1e-5)
    assert sorted(busy.values()) == [1, 1]  # both worker processes loaded the model and embedded
    assert (workers.identity, workers.precision) == ("all-MiniLM-L6-v2", "float32")
    again = chunk_store.ChunkStore.open("cluster", len(texts), chunk_rows=ROWS)
    for index in range(again.count):
        np.testing.assert_array_equal(again.load(index), out[again.span(index)])
    counts = [e.chunks for e in events if e.chunks is not None]
    assert [c.saved for c in counts] == [0, 1, 2, 3, 4]
    assert counts[-1].embedded == counts[-1].documents == 160
    assert events[-1].message == "4 of 4 chunks embedded" and events[-1].fraction == 1.0


def test_a_stopped_cluster_fit_resumes_from_the_chunks_on_disk(scheduler, texts, local):
    store = chunk_store.ChunkStore.open("resumed", len(texts), chunk_rows=ROWS, fresh=True)
    store.save(1, np.zeros((ROWS, local.shape[1]), dtype=np.float32))  # left by a stopped fit
    out, resumed, _, _ = _on_cluster(scheduler, texts, store)
    assert resumed == ROWS
    assert not out[store.span(1)].any()  # taken from disk, not sent to the workers again
    np.testing.assert_allclose(np.delete(out, store.span(1), axis=0),
                               np.delete(local, store.span(1), axis=0), rtol=0, atol=1e-5)


@pytest.mark.slow
def test_topicdesk_fit_on_the_cluster_writes_the_project_with_the_local_embeddings(
    scheduler, texts, local, tmp_path, capsys
):
    source = tmp_path / "paragraphs.csv"
    pd.DataFrame({"text": texts}).to_csv(source, index=False)
    out = tmp_path / "paragraphs.topicdesk"
    args = ["fit", str(source), "-o", str(out), "--precision", "float32", "--min-topic-size", "5"]
    assert main([*args, "--cluster", scheduler]) == 0
    assert "2 Dask worker threads at" in capsys.readouterr().err
    project = open_project(out)
    assert project.provenance["embedding_precision"] == "float32"
    np.testing.assert_allclose(project.row_embeddings(), local, rtol=0, atol=1e-5)


def test_an_unreachable_scheduler_is_one_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dask_embedding, "CONNECT_SECONDS", 1.0)
    source = tmp_path / "notes.csv"
    pd.DataFrame({"text": [f"note {i} on taxes and schools" for i in range(20)]}).to_csv(source)
    args = ["fit", str(source), "-o", str(tmp_path / "notes.topicdesk")]
    assert main([*args, "--cluster", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("error: Could not reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert err.endswith("; check the address or run without --cluster.")
    assert main([*args, "--cluster", "no-port"]) == 1
    assert "Could not reach the Dask scheduler at no-port: missing port" in capsys.readouterr().err


def test_without_dask_installed_the_cluster_option_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what an import of a missing one does
    args = ["fit", str(tmp_path / "any.csv"), "-o", str(tmp_path / "any.topicdesk")]
    assert main([*args, "--cluster", "tcp://127.0.0.1:8786"]) == 1
    err = capsys.readouterr().err
    assert "--cluster needs Dask, which is not installed here" in err
    assert 'pip install "topicdesk[cluster]"' in err


def test_a_worker_with_other_package_versions_is_named():
    here = dask_embedding.vector_versions()
    dask_embedding._check_versions({"tcp://10.0.0.7:40000": here})
    with pytest.raises(TopicDeskError, match=r"tcp://10.0.0.7:40000 has torch 1.0 and this computer"):
        dask_embedding._check_versions({"tcp://10.0.0.7:40000": {**here, "torch": "1.0"}})
