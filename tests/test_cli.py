"""The command line: fit, refit from a project, export, info, and its error messages."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from topicdesk.cli import main
from topicdesk.io.export import safe_text
from topicdesk.pipeline import encoders


@pytest.fixture(scope="module")
def fitted(tmp_path_factory, sotu_slice):
    """A project fitted by the CLI from 150 SOTU paragraphs written as a semicolon CSV."""
    folder = tmp_path_factory.mktemp("cli")
    source = folder / "articles.csv"
    sotu_slice.head(150)[["para_id", "subject", "party", "text"]].to_csv(
        source, sep=";", index=False
    )
    out = folder / "articles.topicdesk"
    assert main(["fit", str(source), "-o", str(out), "--min-topic-size", "5", "--seed", "3"]) == 0
    return source, out


def _topic_lines(out: str) -> list[str]:
    """The rows of the topic table `info` prints (after its header, before the notes)."""
    rows = out.splitlines()
    start = next(i for i, line in enumerate(rows) if line.split()[:2] == ["id", "size"])
    return [line for line in rows[start + 1 :] if line[:4].strip().isdigit()]


def test_fit_writes_project_and_prints_topics(fitted, capsys):
    _, project = fitted
    assert project.is_file()
    assert main(["info", str(project)]) == 0
    out = capsys.readouterr().out
    assert "150 documents from articles.csv" in out
    assert "text column 'text'" in out
    lines = _topic_lines(out)
    assert len(lines) >= 3  # at least three topics found in five subjects
    assert out.splitlines()[2].split()[:4] == ["id", "size", "found", "label"]
    assert all("/5" in line.split()[2] for line in lines)  # the fit's five runs
    assert "found: clustering runs of the fit that found the topic" in out


def test_check_stores_both_kinds_of_stability_figures(fitted, tmp_path, capsys):
    from topicdesk.project.store import open_project

    _, path = fitted
    out = tmp_path / "checked.topicdesk"
    assert main(["check", str(path), "-o", str(out)]) == 0
    said = capsys.readouterr()
    assert "Re-ran the clustering with 5 other seeds (4, 5, 6, 7, 8) on every document" in said.err
    assert "also when 10% of the documents were left out." in said.err
    assert "not writable" not in said.err  # no library warnings among the results
    project = open_project(out)
    assert all(
        t.left_out is not None and t.left_out.runs == 5 for t in project.state.topics.values()
    )
    assert project.history.log[-1].kind == "record_stability"
    lines = _topic_lines(said.out)
    assert lines and all(line.split()[3] == "·" for line in lines)  # "5/5 · 4/5"
    assert main(["check", str(path), "-o", str(tmp_path / "out.xlsx")]) == 1
    assert "error: " in capsys.readouterr().err


def test_info_shows_both_kinds_of_stability_re_run(fitted, tmp_path, capsys):
    from topicdesk.core.refit_edits import RecordStability
    from topicdesk.project.store import open_project, save_project

    _, path = fitted
    project = open_project(path)
    ids = sorted(project.state.topics)
    project.history.do(
        RecordStability(
            topics=[[t, 0.9, 5, 5] for t in ids],
            documents=[None] * len(project.state),
            seeds=[4, 5, 6, 7, 8],
            left_out=0.1,
            left_out_topics=[[t, 0.6, 3, 5] for t in ids],
        )
    )
    checked = tmp_path / "checked.topicdesk"
    save_project(project, checked)
    assert main(["info", str(checked)]) == 0
    out = capsys.readouterr().out
    lines = _topic_lines(out)
    assert lines and all(line.split()[2:5] == ["5/5", "·", "3/5"] for line in lines)
    assert "the same with a part of the documents left out" in out


def test_refit_from_project_reuses_embeddings(fitted, tmp_path, monkeypatch, capsys):
    _, project = fitted
    calls = []
    original = encoders.SentenceTransformerEncoder.embed
    monkeypatch.setattr(
        encoders.SentenceTransformerEncoder,
        "embed",
        lambda *a, **k: calls.append(1) or original(*a, **k),
    )
    out = tmp_path / "refit.topicdesk"
    assert main(["fit", str(project), "-o", str(out), "--min-topic-size", "8"]) == 0
    assert calls == []
    said = capsys.readouterr().err
    assert (
        "150 distinct texts, embedded already (the project's saved embeddings are reused)" in said
    )
    assert main(["info", str(out)]) == 0
    assert "150 documents" in capsys.readouterr().out


def test_fit_sentence_says_whether_the_saved_embeddings_are_reused(fitted):
    from topicdesk.application.projects import open_project, reuses_embeddings, summarize

    project = open_project(fitted[1])
    settings = project.settings
    assert reuses_embeddings(project, settings.replace(min_topic_size=9, seed=1))
    assert not reuses_embeddings(project, settings.replace(max_seq_length=64))
    assert not reuses_embeddings(project, settings.replace(model="/no/such/model"))
    assert "embedded already" in summarize(project, before_fit=True).documents_sentence()
    other = summarize(project, before_fit=True, settings=settings.replace(max_seq_length=64))
    assert other.documents_sentence().startswith("150 rows: 150 distinct texts to embed.")
    assert not summarize(project).embedded  # status updates do not read the texts


def test_export_xlsx_and_csv(fitted, tmp_path):
    source, project = fitted
    original = pd.read_csv(source, sep=";", dtype=str, keep_default_na=False)
    xlsx = tmp_path / "out.xlsx"
    assert main(["export", str(project), "-o", str(xlsx)]) == 0
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames[:3] == ["documents", "topics", "settings"]
    rows = list(book["documents"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:4] == ["para_id", "subject", "party", "text"]
    assert header[4:] == [
        "topic_id",
        "topic_label",
        "topic_keywords",
        "topic_confidence",
        "topic_stability",
        "assigned_by",
        "note",
    ]
    assert len(rows) == 151
    assert [r[0] for r in rows[1:]] == original["para_id"].tolist()
    assert {r[9] for r in rows[1:]} == {"model"}
    assert all(0 <= r[8] <= 1 for r in rows[1:] if r[8] is not None)  # share of runs

    csv = tmp_path / "out.csv"
    assert main(["export", str(project), "-o", str(csv)]) == 0
    back = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    # paragraphs opening with "--" would run as formulas: they get a leading apostrophe
    assert back["text"].tolist() == original["text"].map(safe_text).tolist()
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


def test_a_closed_pipe_ends_quietly(sotu, tmp_path):
    """`topicdesk info P | head -1`: the reader leaves early, which is normal for a tool."""
    from tests.factories import curated_project
    from topicdesk.project.store import save_project

    project = tmp_path / "many.topicdesk"
    save_project(curated_project(sotu, n_topics=1500), project)  # ~150 kB of topic lines
    proc = subprocess.Popen(
        [sys.executable, "-m", "topicdesk", "info", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert first.startswith(b"many.topicdesk: 3,000 documents")
    assert err == ""


def test_report_and_qda_exports_from_the_command_line(sotu, tmp_path, capsys):
    import zipfile

    from tests.factories import curated_project
    from topicdesk.project.store import save_project

    project = tmp_path / "study.topicdesk"
    save_project(curated_project(sotu.head(120)), project)
    assert main(["report", str(project), "-o", str(tmp_path / "report.html")]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<html" in page and "Economy" in page  # a topic the factory renamed
    assert main(["export", str(project), "-o", str(tmp_path / "study.qdpx")]) == 0
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        assert "project.qde" in archive.namelist()
    assert main(["report", str(project), "-o", str(tmp_path / "report.pdf")]) == 1
    assert "ending in .html" in capsys.readouterr().err


def test_date_and_group_columns_on_fit(sotu, tmp_path, capsys):
    """A refit from a project (embeddings saved, so no model) sets the variables it is given."""
    import openpyxl

    from tests.factories import curated_project
    from topicdesk.project.store import open_project, save_project

    project = tmp_path / "study.topicdesk"
    save_project(curated_project(sotu.head(200)[["date", "party", "text"]].copy()), project)
    out = tmp_path / "dated.topicdesk"
    args = ["fit", str(project), "-o", str(out), "--min-topic-size", "5"]
    assert main([*args, "--date-column", "date", "--group-column", "party"]) == 0
    err = capsys.readouterr().err
    assert "groups in 'party'" in err
    assert "Topics matched by shared documents" in err  # the refit says what carried over
    assert "“Hand-made”" in err
    corpus = open_project(out).corpus
    assert (corpus.date_column, corpus.group_column) == ("date", "party")
    assert main(["export", str(out), "-o", str(tmp_path / "dated.xlsx")]) == 0
    sheets = openpyxl.load_workbook(tmp_path / "dated.xlsx", read_only=True).sheetnames
    assert {"over_time", "by_group"} <= set(sheets)
    assert main([*args, "--date-column", "nope"]) == 1
    assert "nope" in capsys.readouterr().err


def test_own_stop_words_from_a_file(sotu, tmp_path, capsys):
    from tests.factories import curated_project
    from topicdesk.project.store import open_project, save_project

    project = tmp_path / "study.topicdesk"
    save_project(curated_project(sotu.head(200)), project)
    words = tmp_path / "mine.txt"
    words.write_text("# forms of address\nGentlemen\n\nfellow citizens\n", encoding="utf-8")
    out = tmp_path / "own.topicdesk"
    assert main(["fit", str(project), "-o", str(out), "--stop-words", str(words)]) == 0
    saved = open_project(out)
    assert saved.state.stop_words == ("fellow citizens", "gentlemen")
    keywords = [w for t in saved.state.topics.values() for w in t.keywords]
    assert "gentlemen" not in keywords and "fellow citizens" not in keywords
    assert main(["fit", str(project), "-o", str(out), "--stop-words", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_every_command_reaches_the_command_line_not_the_app():
    """`topicdesk report ...` once opened the desktop app, which refused the arguments."""
    import argparse

    from topicdesk.__main__ import CLI_WORDS
    from topicdesk.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) <= CLI_WORDS
