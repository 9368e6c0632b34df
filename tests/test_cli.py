"""The command line: fit, refit from a project, export, info, and its error messages."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from topicdesk.cli import main
from topicdesk.pipeline import embed


@pytest.fixture(scope="module")
def fitted(tmp_path_factory, bbc_slice):
    """A project fitted by the CLI from 150 BBC articles written as a semicolon CSV."""
    folder = tmp_path_factory.mktemp("cli")
    source = folder / "articles.csv"
    bbc_slice.head(150)[["doc_id", "category", "title", "text"]].to_csv(
        source, sep=";", index=False
    )
    out = folder / "articles.topicdesk"
    assert main(["fit", str(source), "-o", str(out), "--min-topic-size", "5", "--seed", "3"]) == 0
    return source, out


def test_fit_writes_project_and_prints_topics(fitted, capsys):
    _, project = fitted
    assert project.is_file()
    assert main(["info", str(project)]) == 0
    out = capsys.readouterr().out
    assert "150 documents from articles.csv" in out
    assert "text column 'text'" in out
    lines = [line for line in out.splitlines() if line[:4].strip().isdigit()]
    assert len(lines) >= 3  # at least three topics found in five BBC categories


def test_refit_from_project_reuses_embeddings(fitted, tmp_path, monkeypatch, capsys):
    _, project = fitted
    calls = []
    original = embed.embed_texts
    monkeypatch.setattr(embed, "embed_texts", lambda *a, **k: calls.append(1) or original(*a, **k))
    out = tmp_path / "refit.topicdesk"
    assert main(["fit", str(project), "-o", str(out), "--min-topic-size", "8"]) == 0
    assert calls == []
    assert main(["info", str(out)]) == 0
    assert "150 documents" in capsys.readouterr().out


def test_export_xlsx_and_csv(fitted, tmp_path):
    source, project = fitted
    original = pd.read_csv(source, sep=";", dtype=str, keep_default_na=False)
    xlsx = tmp_path / "out.xlsx"
    assert main(["export", str(project), "-o", str(xlsx)]) == 0
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames[:3] == ["documents", "topics", "settings"]
    rows = list(book["documents"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:4] == ["doc_id", "category", "title", "text"]
    assert header[4:] == [
        "topic_id",
        "topic_label",
        "topic_keywords",
        "topic_confidence",
        "assigned_by",
        "note",
    ]
    assert len(rows) == 151
    assert [r[0] for r in rows[1:]] == original["doc_id"].tolist()
    assert {r[8] for r in rows[1:]} == {"model"}

    csv = tmp_path / "out.csv"
    assert main(["export", str(project), "-o", str(csv)]) == 0
    back = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["text"].tolist() == original["text"].tolist()
    assert back["topic_id"].ne("").all()


@pytest.mark.parametrize(
    "args, words",
    [
        (["fit", "missing.csv", "-o", "x.topicdesk"], "missing.csv"),
        (["fit", "{csv}", "-o", "x.xlsx"], ".topicdesk"),
        (["fit", "{csv}", "-o", "x.topicdesk", "--text-column", "nope"], "nope"),
        (["fit", "{bad}", "-o", "x.topicdesk"], "bad.xlsx"),
        (["export", "{project}", "-o", "x.pdf"], ".pdf"),
        (["info", "{csv}"], "project"),
        (["fit", "{csv}"], "--output"),
    ],
)
def test_errors_are_one_line(args, words, fitted, tmp_path, capsys):
    source, project = fitted
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a workbook at all")
    args = [a.format(csv=source, bad=bad, project=project) for a in args]
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    code = main(args)
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert err.startswith("error: ")
    assert len(err.splitlines()) == 1
    assert words.lower() in err.lower()
    assert "Traceback" not in err


def test_process_exit_code_and_no_traceback(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "topicdesk", "fit", str(empty), "-o", str(tmp_path / "e.topicdesk")],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "e.topicdesk").exists()
