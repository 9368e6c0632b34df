"""The annotated spreadsheet, read back cell by cell."""

from __future__ import annotations

import datetime as dt
import os
import stat

import openpyxl
import pandas as pd
import pytest

from tests.factories import curated_project
from topicdesk.errors import TopicDeskError
from topicdesk.io import export
from topicdesk.io.export import EXCEL_CELL_LIMIT, documents_frame, export_project

ANNOTATIONS = [
    "topic_id",
    "topic_label",
    "topic_keywords",
    "topic_confidence",
    "topic_stability",
    "assigned_by",
    "note",
]


@pytest.fixture
def table(sotu_slice):
    frame = sotu_slice.head(40)[["para_id", "subject", "party", "text"]].copy()
    frame.loc[6, "text"] = ""  # an empty text cell stays a row
    frame.loc[7, "party"] = '=HYPERLINK("http://example.invalid","click")'
    frame.loc[8, "party"] = "@SUM(A1:A9)"
    frame.loc[9, "party"] = "-5"
    frame.loc[10, "text"] = "long " * 9000
    return frame


@pytest.fixture
def project(table):
    return curated_project(table)


def test_xlsx_sheets_and_cells(project, table, tmp_path):
    path = tmp_path / "out.xlsx"
    export_project(project, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["documents", "topics", "settings"]
    sheet = book["documents"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["para_id", "subject", "party", "text", *ANNOTATIONS]
    assert len(rows) == len(table) + 1
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{len(table) + 1}"
    assert sheet["A1"].font.bold
    assert 8 <= sheet.column_dimensions["D"].width <= 60

    state = project.state
    for i in range(len(table)):
        row = rows[i + 1]
        assert row[0] == table["para_id"][i]
        if i == 6:
            assert row[4:9] == (None, None, None, None, None)
            continue
        tid = int(state.assignments[i])
        assert row[4] == tid
        assert row[5] == ("Unassigned" if tid == -1 else state.topics[tid].label)
        assert row[9] == state.assigned_by[i]
        assert row[8] is None  # no stability check in this project: no figure, not 0
    assert rows[1][9] == "human" and rows[4][5] == "Hand-made"
    assert rows[8][2].startswith("'=HYPERLINK") and rows[9][2] == "'@SUM(A1:A9)"
    assert rows[10][2] == "-5"
    long = rows[11][3]
    assert len(long) <= EXCEL_CELL_LIMIT and "more characters]" in long

    topics = list(book["topics"].iter_rows(values_only=True))
    assert list(topics[0]) == [
        "id",
        "label",
        "parent_topic",
        "size",
        "keywords",
        "stability",
        "found_in_runs",
        "left_out_share",
        "stability_left_out",
        "found_in_runs_left_out",
        "share_low_left_out",
        "share_high_left_out",
        "representative_documents",
        "note",
    ]
    by_id = {r[0]: r for r in topics[1:]}
    assert by_id[0][1] == "Economy '); DROP TABLE topics;--"
    assert by_id[1][13].startswith("Ask Maria")
    assert by_id[1][7:12] == (None, None, None, None, None)  # not checked: empty, not 0
    assert sum(r[3] for r in topics[1:]) == int(project.corpus.has_text.sum())
    settings = {r[0]: r[1] for r in book["settings"].iter_rows(min_row=2, values_only=True)}
    assert settings["input_sha256"] == "ab" * 32
    assert settings["setting.min_topic_size"] == 10
    assert settings["version.numpy"]


def test_csv_documents_table(project, table, tmp_path):
    path = tmp_path / "out.csv"
    export_project(project, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == ["para_id", "subject", "party", "text", *ANNOTATIONS]
    assert back["para_id"].tolist() == table["para_id"].tolist()
    assert back["party"][7].startswith("'=") and back["party"][9] == "-5"
    assert back["topic_id"][6] == ""
    assert back["topic_label"][3] == "Hand-made"


def test_documents_frame_keeps_user_columns_named_like_ours(project):
    project.corpus.table["note"] = "their own note"
    frame = documents_frame(project)
    assert "note" in frame.columns and "topicdesk_note" in frame.columns
    assert frame["note"].eq("their own note").all()


def test_bad_target(project, tmp_path):
    with pytest.raises(TopicDeskError, match=".pdf"):
        export_project(project, tmp_path / "out.pdf")
    with pytest.raises(TopicDeskError, match="Could not write"):
        export_project(project, tmp_path / "missing" / "out.xlsx")


def test_awkward_cells_are_written_safely(sotu_slice, tmp_path):
    table = sotu_slice.head(12)[["para_id", "text"]].copy()
    table["when"] = pd.Timestamp("2024-03-01 08:00", tz="Europe/Berlin")
    table["raw"] = "bell\x07 and tab-led\tvalue"
    table.loc[1, "raw"] = "\t=1+2"
    table.loc[2, "raw"] = "+49 30 1234"
    project = curated_project(table)
    path = tmp_path / "out.xlsx"
    export_project(project, path)
    rows = list(openpyxl.load_workbook(path)["documents"].iter_rows(values_only=True))
    assert rows[1][2] == dt.datetime(2024, 3, 1, 8, 0)
    assert rows[1][3] == "bell and tab-led\tvalue"
    assert rows[2][3] == "'\t=1+2" and rows[3][3] == "'+49 30 1234"
    assert isinstance(rows[1][4], int)  # numbers stay numbers
    assert any(isinstance(r[7], float) for r in rows[1:])


def test_too_many_rows_for_excel_and_failed_write_leaves_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_ROW_LIMIT", 10)
    with pytest.raises(TopicDeskError, match=r"\.csv"):
        export_project(project, tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_exports_follow_the_umask_and_keep_a_replaced_files_mode(project, tmp_path, umask, suffix):
    """Like any file the user saves: 0644 under the usual umask 022, never forced to 0600."""
    path = tmp_path / f"out{suffix}"
    old = os.umask(umask)
    try:
        export_project(project, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
        path.chmod(0o640)  # shared with a group on purpose: a new export keeps that
        export_project(project, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_settings_sheet_lists_each_key_once(project, tmp_path):
    corpus = project.corpus
    project.provenance.update(  # what a real fit records
        model=project.settings.model,
        embedding_precision="bfloat16",
        source_name=corpus.source_name,
        source_hash=corpus.source_hash,
        documents=len(corpus),
        distinct_texts=len(corpus) - 1,
        empty_texts=1,
        unassigned=4,
        timings_s={"Embedding documents": 1.5},
    )
    path = tmp_path / "out.xlsx"
    export_project(project, path)
    rows = list(openpyxl.load_workbook(path)["settings"].iter_rows(min_row=2, values_only=True))
    keys = [key for key, _ in rows]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    settings = dict(rows)
    assert settings["documents"] == len(corpus) and settings["empty_texts"] == 1
    assert settings["setting.model"] == project.settings.model and "model" not in settings
    assert settings["input_file"] == "slice.csv" and "source_name" not in settings
    assert settings["distinct_texts"] == len(corpus) - 1 and settings["unassigned"] == 4
    assert settings["embedding_precision"] == "bfloat16"

    project.provenance["model"] = "/models/another-model"  # settings changed after the fit
    export_project(project, path)
    rows = list(openpyxl.load_workbook(path)["settings"].iter_rows(min_row=2, values_only=True))
    assert dict(rows)["model"] == "/models/another-model"


def test_stability_figures_reach_both_sheets(tmp_path):
    from tests.toy_fit import toy_project

    project = toy_project(150, themes=3)
    path = tmp_path / "stable.xlsx"
    export_project(project, path)
    book = openpyxl.load_workbook(path, read_only=True)
    docs = list(book["documents"].iter_rows(values_only=True))
    column = docs[0].index("topic_stability")
    figures = [r[column] for r in docs[1:]]
    assert all(
        v is not None and 0 <= v <= 1 for v, t in zip(figures, project.state.assignments) if t >= 0
    )
    topics = list(book["topics"].iter_rows(values_only=True))
    header = topics[0]
    first = dict(zip(header, topics[1]))
    topic = project.state.topics[first["id"]]
    assert first["stability"] == round(topic.stability, 4)
    assert first["found_in_runs"] == f"{topic.runs_found} of {topic.runs_total}"
