"""The project file: exact round trips, atomic saves, and refusal of damaged files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3

import numpy as np
import pandas as pd
import pytest

from tests.factories import curated_project, tamper
from tests.project.test_file_formats import FORMAT_3
from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import RenameTopic
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError
from topicdesk.project import store
from topicdesk.project.store import open_project, save_project


@pytest.fixture
def project(sotu_slice):
    return curated_project(sotu_slice.head(120))


def test_round_trip_keeps_everything(project, tmp_path):
    path = tmp_path / "study.topicdesk"
    save_project(project, path)
    back = open_project(path)
    assert back.state.equals(project.state)
    pd.testing.assert_frame_equal(back.corpus.table, project.corpus.table)
    assert back.corpus.text_column == "text" and back.corpus.source_hash == "ab" * 32
    assert [n for n, _ in back.cache.items()] == ["coords", "embeddings", "reduced"]
    for name, entry in project.cache.items():
        np.testing.assert_array_equal(back.cache.array(name), entry.array)
        assert back.cache.key(name) == entry.key
    assert back.settings == project.settings
    assert back.provenance == project.provenance
    assert back.fitted
    assert [(e.action, e.kind, e.params) for e in back.history.log] == [
        (e.action, e.kind, e.params) for e in project.history.log
    ]
    assert back.state.topics[0].label == "Economy '); DROP TABLE topics;--"


def test_mixed_cell_types_round_trip(tmp_path):
    table = pd.DataFrame(
        {
            "n": pd.array([1, 2, 3], dtype="int64"),
            "x": [0.5, float("nan"), float("inf")],
            "flag": [True, False, True],
            "when": [dt.datetime(2024, 5, 1, 12, 30), dt.date(1999, 1, 2), None],
            "text": ["emoji 🎉 text", "مرحبا بالعالم — right to left", "中文文本 and more"],
        }
    )
    table["when"] = table["when"].astype(object)
    path = tmp_path / "mixed.topicdesk"
    save_project(Project(Corpus(table, "text")), path)
    back = open_project(path).corpus.table
    assert back["n"].dtype == np.int64 and back["n"].tolist() == [1, 2, 3]
    assert back["x"][0] == 0.5 and np.isnan(back["x"][1]) and back["x"][2] == float("inf")
    assert back["flag"].tolist() == [True, False, True]
    assert back["when"].tolist() == [dt.datetime(2024, 5, 1, 12, 30), dt.date(1999, 1, 2), None]
    assert back["text"].tolist() == table["text"].tolist()


def test_save_replaces_atomically_and_failure_keeps_old_file(project, tmp_path, monkeypatch):
    path = tmp_path / "study.topicdesk"
    save_project(project, path)
    before = path.read_bytes()

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", full_disk)
    project.history.do(RenameTopic(topic_id=1, label="new"))
    with pytest.raises(TopicDeskError, match="No space left"):
        save_project(project, path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["study.topicdesk"]


def test_save_into_missing_folder_or_onto_folder(project, tmp_path):
    with pytest.raises(TopicDeskError, match="Could not save"):
        save_project(project, tmp_path / "nowhere" / "x.topicdesk")
    with pytest.raises(TopicDeskError, match="folder"):
        save_project(project, tmp_path)


def _saved(project, tmp_path):
    path = tmp_path / "p.topicdesk"
    save_project(project, path)
    return path


def test_truncated_and_random_files(project, tmp_path):
    path = _saved(project, tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(TopicDeskError, match="damaged"):
        open_project(path)
    path.write_bytes(os.urandom(5000))
    with pytest.raises(TopicDeskError, match="not a TopicDesk project"):
        open_project(path)
    with pytest.raises(TopicDeskError, match="does not exist"):
        open_project(tmp_path / "gone.topicdesk")


def test_foreign_sqlite_and_future_version(project, tmp_path):
    other = tmp_path / "other.topicdesk"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(TopicDeskError, match="not a TopicDesk project"):
        open_project(other)
    path = _saved(project, tmp_path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(TopicDeskError, match="newer TopicDesk"):
        open_project(path)


def test_wrong_array_length_and_missing_topics(project, tmp_path):
    path = _saved(project, tmp_path)
    tamper(path, "UPDATE arrays SET data = substr(data, 1, 64) WHERE name = 'coords'")
    with pytest.raises(TopicDeskError, match="coords"):
        open_project(path)

    path = _saved(project, tmp_path)
    tamper(path, "DELETE FROM topics WHERE id = 2")
    back = open_project(path)
    assert 2 not in back.state.topics
    assert not (back.state.assignments == 2).any()


def test_opening_does_not_modify_the_file(project, tmp_path):
    path = _saved(project, tmp_path)
    before = path.read_bytes()
    open_project(path)
    assert path.read_bytes() == before


def test_older_files_are_migrated_in_memory(tmp_path, monkeypatch):
    path = tmp_path / "old.topicdesk"
    shutil.copy(FORMAT_3, path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    before = path.read_bytes()

    def rename_topics(db: sqlite3.Connection) -> None:
        db.execute("UPDATE topics SET label = 'migrated' WHERE id = 1")

    monkeypatch.setattr(store, "MIGRATIONS", {2: rename_topics})
    assert open_project(path).state.topics[1].label == "migrated"
    assert path.read_bytes() == before


def test_folder_is_not_a_project(tmp_path):
    with pytest.raises(TopicDeskError, match="is a folder"):
        open_project(tmp_path)


def test_content_checksum_catches_changed_values_and_older_files_still_open(project, tmp_path):
    path = _saved(project, tmp_path)
    data = path.read_bytes()
    label = project.state.topics[1].label.encode()
    assert label in data
    path.write_bytes(data.replace(label, label.upper(), 1))  # same length: SQLite sees nothing
    with pytest.raises(TopicDeskError, match="changed after TopicDesk saved it"):
        open_project(path)
    path = _saved(project, tmp_path)
    tamper(path, f"DELETE FROM meta WHERE key = '{store.CHECKSUM_KEY}'", reseal=False)
    assert open_project(path).state.equals(project.state)  # as saved by version 0.1.0


def test_named_records_round_trip_and_damaged_records_are_refused(sotu, tmp_path):
    project = curated_project(sotu.head(40))
    project.records["validation"] = {"tasks": [{"id": 1, "words": ["tax", "ü"]}], "seed": 7}
    path = tmp_path / "records.topicdesk"
    save_project(project, path)
    assert open_project(path).records == project.records
    tamper(path, "UPDATE meta SET value = '[1, 2]' WHERE key = 'records'")
    with pytest.raises(TopicDeskError, match="saved records are unreadable"):
        open_project(path)
