"""REFI-QDA export: valid against the schema, and read back as codes, sources and codings."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lxml import etree

from tests.factories import curated_project
from tests.subject_project import subject_project
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.state import BY_HUMAN
from topicdesk.errors import TopicDeskError
from topicdesk.io import qdpx

SCHEMA = Path(qdpx.__file__).parent / "refi_qda" / "Project.xsd"
NS = {"q": qdpx.PROJECT_NS}


def read_back(path: Path) -> tuple[etree._Element, dict[str, str]]:
    """The project element, validated with lxml against the shipped schema, and the sources."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {
            name.removeprefix("Sources/"): archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("Sources/")
        }
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(root)
    return root, texts


@pytest.fixture(scope="module")
def project(sotu_slice: pd.DataFrame) -> Project:
    project = subject_project(sotu_slice)
    project.state.doc_notes[20] = "Quote for chapter 2 <b>&</b>\x07"
    return project


def test_a_codes_description_carries_its_stability_figures(project: Project, tmp_path: Path):
    from topicdesk.core.state import LeftOut

    checked = copy.deepcopy(project)
    topic = checked.state.sorted_topics()[0]
    topic.stability, topic.runs_found, topic.runs_total = 0.91, 5, 5
    topic.left_out = LeftOut(0.1, 0.6, 2, 5, 0.023, 0.113)
    path = tmp_path / "checked.qdpx"
    qdpx.export_qdpx(checked, path)
    root, _ = read_back(path)
    code = next(
        c for c in root.iterfind("q:CodeBook/q:Codes/q:Code", NS) if c.get("name") == topic.label
    )
    assert (
        "Stability: found in 5 of 5 runs, overlap 0.91; found in 2 of 5 runs with 10% of the "
        "documents left out, overlap 0.60, holding 2.3-11.3% of the documents."
    ) in code.findtext("q:Description", namespaces=NS)


def test_the_qdpx_is_valid_and_reads_back_as_codes_sources_and_codings(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "out.qdpx"
    qdpx.export_qdpx(project, path, description="Methods paragraph.")
    root, texts = read_back(path)
    state, corpus = project.state, project.corpus
    codes = {c.get("guid"): c for c in root.iterfind("q:CodeBook/q:Codes/q:Code", NS)}
    by_name = {c.get("name"): c for c in codes.values()}
    assert set(by_name) == {t.label for t in state.topics.values()}
    for topic in state.topics.values():
        code = by_name[topic.label]
        assert code.get("color") == topic.colour
        description = code.findtext("q:Description", namespaces=NS)
        assert ", ".join(topic.keywords) in description and topic.note in description
        assert ("Stability: " in description) == bool(topic.stability_lines())
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    assert sorted(users.values()) == [qdpx.RESEARCHER_USER, qdpx.MODEL_USER]
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert len(sources) == int(corpus.has_text.sum())
    coded = {}
    for source in sources:
        row = int(source.get("name").split()[-1]) - 1
        text = texts[source.get("plainTextPath").removeprefix("internal://")]
        assert text == corpus.texts[row]
        selection = source.find("q:PlainTextSelection", NS)
        if selection is None:
            continue
        assert (selection.get("startPosition"), selection.get("endPosition")) == (
            "0",
            str(len(text)),
        )
        coding = selection.find("q:Coding", NS)
        code = codes[coding.find("q:CodeRef", NS).get("targetGUID")]
        coded[row] = (code.get("name"), users[coding.get("creatingUser")])
    expected = {
        row: (
            state.topics[int(t)].label,
            qdpx.RESEARCHER_USER if state.assigned_by[row] == BY_HUMAN else qdpx.MODEL_USER,
        )
        for row, t in enumerate(state.assignments)
        if t >= 0
    }
    assert coded == expected
    assert {who for _, who in coded.values()} == {qdpx.MODEL_USER, qdpx.RESEARCHER_USER}
    assert root.findtext("q:Description", namespaces=NS) == "Methods paragraph."


def test_notes_are_memos_and_columns_typed_variables(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "out.qdpx"
    qdpx.export_qdpx(project, path)
    root, _ = read_back(path)
    note = root.find("q:Notes/q:Note", NS)
    assert note.findtext("q:PlainTextContent", namespaces=NS) == "Quote for chapter 2 <b>&</b>"
    source = next(
        s for s in root.iterfind("q:Sources/q:TextSource", NS) if s.get("name").endswith(" 021")
    )
    assert source.find("q:NoteRef", NS).get("targetGUID") == note.get("guid")
    kinds = {
        v.get("name"): v.get("typeOfVariable") for v in root.iterfind("q:Variables/q:Variable", NS)
    }
    assert kinds == {
        "para_id": "Text",
        "president": "Text",
        "party": "Text",
        "date": "Date",
        "year": "Text",
        "sotu_type": "Text",
    }
    values = {
        root.find(
            f"q:Variables/q:Variable[@guid='{v.find('q:VariableRef', NS).get('targetGUID')}']", NS
        ).get("name"): v[1].text
        for v in source.iterfind("q:VariableValue", NS)
    }
    assert values["date"] == project.corpus.table["date"][20]
    assert values["party"] == project.corpus.table["party"][20]


def test_numbers_booleans_and_datetimes_keep_their_types(tmp_path: Path) -> None:
    n = 8
    table = pd.DataFrame(
        {
            "text": [f"text number {i}" for i in range(n - 1)] + [""],
            "count": pd.array([3, None] + list(range(n - 2)), dtype="Int64"),
            "score": [0.5, np.nan, 1e-7] + [1.0] * (n - 3),
            "flag": [True, False] * (n // 2),
            "when": pd.to_datetime(["2020-01-02 03:04:05"] + [None] * (n - 1)),
        }
    )
    project = curated_project(table, n_topics=3)
    path = tmp_path / "typed.qdpx"
    qdpx.export_qdpx(project, path)
    root, texts = read_back(path)
    kinds = {
        v.get("name"): v.get("typeOfVariable") for v in root.iterfind("q:Variables/q:Variable", NS)
    }
    assert kinds == {"count": "Integer", "score": "Float", "flag": "Boolean", "when": "DateTime"}
    first = root.find("q:Sources/q:TextSource", NS)
    assert [v[1].text for v in first.iterfind("q:VariableValue", NS)] == [
        "3",
        "0.5",
        "true",
        "2020-01-02T03:04:05",
    ]
    second = root.findall("q:Sources/q:TextSource", NS)[1]
    assert [v[1].text for v in second.iterfind("q:VariableValue", NS)] == ["false"]
    assert len(texts) == n - 1  # the empty text is no source


def test_guids_are_stable_across_exports(project: Project, tmp_path: Path) -> None:
    qdpx.export_qdpx(project, tmp_path / "a.qdpx")
    qdpx.export_qdpx(project, tmp_path / "b.qdpx")
    guids = [
        [e.get("guid") for e in read_back(tmp_path / n)[0].iter() if e.get("guid")]
        for n in ("a.qdpx", "b.qdpx")
    ]
    assert guids[0] == guids[1] and len(set(guids[0])) == len(guids[0])


def test_the_codebook_alone(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "topics.qdc"
    qdpx.export_codebook(project, path)
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{qdpx.CODEBOOK_NS}}}CodeBook"
    names = [
        c.get("name")
        for c in root.iterfind(f"{{{qdpx.CODEBOOK_NS}}}Codes/{{{qdpx.CODEBOOK_NS}}}Code")
    ]
    assert names == [t.label for t in project.state.sorted_topics()]


def test_wrong_names_and_unfitted_projects_are_refused(project: Project, tmp_path: Path) -> None:
    with pytest.raises(TopicDeskError, match=r"ending in \.qdpx"):
        qdpx.export_qdpx(project, tmp_path / "out.zip")
    with pytest.raises(TopicDeskError, match=r"ending in \.qdc"):
        qdpx.export_codebook(project, tmp_path / "out.xml")
    unfitted = Project(Corpus(pd.DataFrame({"text": ["a b"]}), "text"))
    with pytest.raises(TopicDeskError, match="fit topics first"):
        qdpx.export_qdpx(unfitted, tmp_path / "out.qdpx")
    assert list(tmp_path.iterdir()) == []
