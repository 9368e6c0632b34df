"""The methods report, the publishing exports and the workbook's validation sheet."""

from __future__ import annotations

import copy
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.subject_project import subject_project
from topicdesk.application import publishing
from topicdesk.application import validation as val
from topicdesk.application.methods import curation_counts, methods_paragraphs
from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import MergeTopics, RenameTopic
from topicdesk.core.project import Project
from topicdesk.core.refit_edits import RecordStability
from topicdesk.errors import TopicDeskError


class Page(HTMLParser):
    """Text by element, table rows and every URL-bearing attribute of a report."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.text: list[str] = []
        self.urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href", "xlink:href") and v]
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.cell = []
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def _answered(table: pd.DataFrame) -> Project:
    project = subject_project(table)
    test = val.start_intrusion_test(project, per_topic=2, seed=3)
    for i, task in enumerate(test.tasks):
        val.record_answer(
            project,
            "Ana",
            task.id,
            task.intruder if i % 4 else (task.intruder + 1) % len(task.options),
            5.0,
        )
    sample = val.draw_coding_sample(project, per_topic=3, seed=2)
    for i, (row, model) in enumerate(zip(sample.rows, sample.model)):
        val.record_code(project, "Ana", row, model if i % 5 else -1)
    return project


@pytest.fixture(scope="module")
def answered(sotu_slice: pd.DataFrame) -> Project:
    return _answered(sotu_slice)


def test_the_report_is_one_self_contained_page_with_every_topic(
    answered: Project, tmp_path: Path
) -> None:
    path = tmp_path / "report.html"
    publishing.write_report(answered, path)
    html = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    assert "script" not in page.tags and "link" not in page.tags
    assert all(u.startswith(("data:", "#")) for u in page.urls)
    assert "http://" not in html.replace("http://www.w3.org/", "") and "https://" not in html
    assert "@media print" in html
    assert html.count("<svg") == 3  # map, over time, by group
    codebook = next(i for i, r in enumerate(page.rows) if r[:2] == ["Topic", "Name"])
    rows = [r for r in page.rows[codebook + 1 : codebook + 1 + len(answered.state.topics)]]
    for topic, row in zip(answered.state.sorted_topics(), rows):
        assert row[0] == str(topic.id) and row[1] == topic.label
        assert ", ".join(topic.keywords) in row[2]
        assert row[3] == f"{(answered.state.assignments == topic.id).sum():,}"
    assert "Paragraphs on schooling and universities." in rows[0][2]
    text = " ".join(page.text)
    assert "Revenue & debt <public finance>" in text  # escaped in the file, read back whole
    assert "<public finance>" not in html
    assert "†" not in html  # no check with documents left out: nothing marked


def test_the_reports_scores_match_the_validation_results(answered: Project, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    publishing.write_report(answered, path)
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    overall = [s for s in val.intrusion_scores(answered) if s.topic_id is None]
    rows = [r for r in page.rows if r[:3] == ["word intrusion", "Ana", "all topics"]]
    word = next(s for s in overall if s.kind == "word")
    assert rows == [
        [
            "word intrusion",
            "Ana",
            "all topics",
            str(word.answered),
            str(word.found),
            f"{100 * word.share:.0f}%",
            f"{100 * word.low:.0f}–{100 * word.high:.0f}%",
            "5.0",
        ]
    ]
    result = val.coding_result(answered, "Ana")
    kappa = [r for r in page.rows if len(r) > 2 and r[2] == "Cohen's kappa"]
    assert kappa[0][4] == f"{result.kappa:.2f}"
    assert "Cohen's kappa" in " ".join(
        page.text
    ) and f"seed {answered.records['validation']['coding']['sample']['seed']}" in " ".join(
        page.text
    )


def test_the_methods_paragraph_says_what_was_done(answered: Project) -> None:
    first, second, third = methods_paragraphs(answered)
    assert "sotu_slice.csv, 300 rows" in first and "all-MiniLM-L6-v2" in first
    assert "bfloat16 through OpenVINO" in first and "seed 42" in first
    assert "12 documents (4% of those with text) have no topic" in first
    assert "without links, e-mail addresses, @handles" in first
    assert "mean of the windows' embeddings" in first
    assert "renamed 2 topics" in second and "moved documents between topics once" in second
    assert "Chang et al. 2009" in third and "Ying, Montgomery and Stewart (2022)" in third
    assert "Cohen's kappa" in third


def test_the_methods_paragraph_names_the_consensus_warnings_and_own_stop_words(
    answered: Project,
) -> None:
    project = copy.deepcopy(answered)
    project.provenance.update(
        runs=5,
        smallest_topic=9,
        warnings=["Most documents (60%) form one broad theme."],
        cluster_epochs=200,
    )
    project.state.stop_words = ("hon", "gentleman")
    first = methods_paragraphs(project)[0]
    assert "leaf clusters of at least 9 documents" in first
    assert "cosine distance, 200 optimisation epochs)" in first
    assert "This was done 5 times, each on its own UMAP reduction" in first
    assert "Strehl and Ghosh 2002" in first
    assert "Most documents (60%) form one broad theme." in first
    assert "and 2 further words chosen by the researcher" in first
    project.provenance["runs"] = 1
    assert "This was done" not in methods_paragraphs(project)[0]
    project.provenance["embedding_precision"] = "int8 (OpenVINO)"
    assert (
        "in 8-bit integers (post-training static quantisation with NNCF"
        in (methods_paragraphs(project)[0])
    )


def test_figures_with_documents_left_out_reach_the_methods_codebook_and_workbook(
    answered: Project, tmp_path: Path
) -> None:
    project = copy.deepcopy(answered)
    ids = sorted(project.state.topics)
    n = len(project.state)
    sizes, with_text = project.state.sizes(), int(project.corpus.has_text.sum())
    own = {t: sizes[t] / with_text for t in ids}
    # each topic's counterparts held its own share, give or take 1 and 3 points (topic 0: 6)
    held = {t: (own[t] - 0.01, own[t] + (0.06 if t == ids[0] else 0.03)) for t in ids}
    project.history.do(
        RecordStability(
            topics=[[t, 0.9, 5, 5] for t in ids],
            documents=[None] * n,
            seeds=[43, 44, 45, 46, 47],
            left_out=0.1,
            left_out_topics=[
                [t, 0.5 + 0.1 * (i % 3), 5 if i % 3 else 2, 5, *held[t]]
                for i, t in enumerate(ids)
            ],
        )
    )
    first = methods_paragraphs(project)[0]
    every = sum(1 for i in range(len(ids)) if i % 3)
    assert "ranged from 0.90 to 0.90" in first  # the refits on the same documents
    assert (
        "In 5 further refits with those seeds that each left out a different 10% of the "
        f"documents, it ranged from 0.50 to 0.70 (median 0.60), and {every} of {len(ids)} "
        "topics were found"
    ) in first
    assert (
        "differed from the topic's own share by up to 3.0 percentage points for the median "
        "topic and 6.0 at most."
    ) in first
    path = tmp_path / "report.html"
    publishing.write_report(project, path)
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    head = next(r for r in page.rows if r[:2] == ["Topic", "Name"])
    assert head[-2:] == ["Stability", "Stability, 10% left out"]
    rows = {r[0]: r for r in page.rows if r and r[0] in {str(t) for t in ids}}
    assert rows[str(ids[1])][-2:] == ["0.90", "0.60"]
    low, high = held[ids[1]]
    assert rows[str(ids[1])][-3].endswith(f"%{100 * low:.1f}-{100 * high:.1f}%")  # under it
    text = " ".join(page.text)
    assert "a different 10% of the documents" in text
    # the shares of topics not found in every such refit are marked in both figures
    note = "†: found in fewer than all 5 re-runs that each left out 10% of the documents"
    assert text.count(note) == 2
    marked = {f.caption: f for f in publishing.prevalence_figures(project)}
    assert len(marked) == 2 and all(note in f.note for f in marked.values())
    panels = publishing._panels(project, publishing.variables.prevalence_over_time(project))
    assert {p.title.split()[0] for p in panels if p.mark == " †"} == {
        str(t) for i, t in enumerate(ids) if i % 3 == 0
    }
    book = tmp_path / "topics.xlsx"
    publishing.export_any(project, book)
    topics = list(load_workbook(book)["topics"].iter_rows(values_only=True))
    column = topics[0].index("found_in_runs_left_out")
    assert topics[1][column] == "2 of 5" and topics[1][column - 2] == 0.1
    assert topics[1][column + 1 : column + 3] == pytest.approx(held[ids[0]])


def test_curation_counts_follow_the_log_net_of_undo(sotu_slice: pd.DataFrame) -> None:
    project = subject_project(sotu_slice, curate=False)
    history = project.history
    history.do(RenameTopic(topic_id=1, label="Farming"))
    history.do(RenameTopic(topic_id=1, label="Farms"))
    history.do(MergeTopics(topic_ids=[2, 4]))
    history.undo()
    history.redo()
    history.do(RenameTopic(topic_id=3, label="Money"))
    history.undo()
    counts = curation_counts(project)
    assert counts["rename_topic"] == 1 and counts["merge_topics"] == 1
    assert "merged topics once" in methods_paragraphs(project)[1]


def test_exports_by_file_name(answered: Project, tmp_path: Path) -> None:
    publishing.export_any(answered, tmp_path / "out.qdpx")
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        assert "Cohen's kappa" in archive.read("project.qde").decode("utf-8")
    publishing.export_any(answered, tmp_path / "codes.qdc")
    publishing.export_any(answered, tmp_path / "out.xlsx")
    book = load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert {"documents", "topics", "settings", "over_time", "by_group", "validation"} <= set(
        book.sheetnames
    )
    sheet = pd.read_excel(tmp_path / "out.xlsx", sheet_name="validation")
    kappa = sheet[sheet["test_or_measure"] == "cohen_kappa"]
    assert kappa["value"].iloc[0] == pytest.approx(
        val.coding_result(answered, "Ana").kappa, abs=1e-4
    )
    assert sheet["section"].str.contains("methods paragraph").sum() == 3
    with pytest.raises(TopicDeskError, match=r"\.qdpx, \.qdc or \.html"):
        publishing.export_any(answered, tmp_path / "out.pdf")


def test_an_unfitted_project_is_refused_in_one_sentence(tmp_path: Path) -> None:
    project = Project(Corpus(pd.DataFrame({"text": ["a b c"]}), "text"))
    for name in ("r.html", "o.qdpx", "c.qdc"):
        with pytest.raises(TopicDeskError, match="fit topics first"):
            publishing.export_any(project, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_coding_alone_points_to_the_second_table(sotu_slice: pd.DataFrame, tmp_path: Path) -> None:
    project = subject_project(sotu_slice)
    sample = val.draw_coding_sample(project, per_topic=2, seed=5)
    for row, model in zip(sample.rows, sample.model):
        val.record_code(project, "Ana", row, model)
    third = methods_paragraphs(project)[2]
    assert "(Table S2)" in third and "intrusion" not in third
    publishing.write_report(project, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Table S2. Blind coding" in html and "Table S3" not in html
