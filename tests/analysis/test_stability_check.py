"""Checking stability re-runs the project's clustering with other seeds, on every document
and with some left out, reports per topic and per document, stores the figures as one
undoable step, and can be cancelled."""

from __future__ import annotations

import re
import threading

import numpy as np
import pytest

from tests.toy_fit import toy_project
from topicdesk.analysis.stability import check_stability, default_seeds, kept_rows
from topicdesk.core.edits import MoveDocuments
from topicdesk.core.project import Project
from topicdesk.core.state import LeftOut
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline.progress import Progress


@pytest.fixture(scope="module")
def fitted() -> Project:
    return toy_project(150, themes=3)


def test_clear_topics_are_found_in_every_re_run(fitted):
    events = []
    before = fitted.state.copy()
    report = check_stability(fitted, [3, 4, 5], Progress(events.append))
    assert fitted.state.equals(before)  # a check changes nothing by itself
    same, fewer = report.same_documents, report.fewer_documents
    assert report.seeds == [3, 4, 5] == fewer.seeds and len(same.topic_counts) == 3
    found = report.found()
    assert set(found) == set(fitted.state.topics) == set(fewer.found())
    assert all(k == 3 for k in found.values())
    assert all(k == 3 for k in fewer.found().values())  # clear themes survive a lost tenth
    assert min(report.stability().values()) > 0.8 and min(same.nmi) > 0.8
    assert min(fewer.stability().values()) > 0.8 and min(fewer.nmi) > 0.8
    documents = report.documents()
    assigned = fitted.state.assignments >= 0
    assert np.isfinite(documents[assigned]).all() and np.isnan(documents[~assigned]).all()
    assert {e.index for e in events} == set(range(6)) and {e.total for e in events} == {6}
    assert (
        events[-1].message
        == f"seed 5, 10% of the documents left out: {fewer.topic_counts[-1]} topics"
    )
    lines = report.summary_lines()
    assert lines[0].startswith("Re-ran the clustering with 3 other seeds (3, 4, 5) on every")
    k = len(found)
    assert lines[1] == (
        f"{k} of {k} topics were found in all 3 re-runs with other seeds, and {k} also when "
        "10% of the documents were left out."
    )
    assert lines[3].startswith("Other seeds, 10% left out: ") and "NMI" in lines[3]
    moves = fewer.share_moves()
    assert len(moves) == len(found) and all(m >= 0 for m in moves)
    assert lines[4] == (
        f"A topic's share of the documents moved by up to {np.median(moves):.1f} percentage "
        f"points in those re-runs for the median topic, {max(moves):.1f} at most."
    )
    assert "another source" in lines[-1]  # what it cannot show
    assert not any(line.startswith("Not found in every") for line in lines)  # all found


def test_each_re_run_leaves_out_its_own_tenth_and_is_compared_on_what_it_kept(fitted):
    n = len(fitted.corpus.unique_texts()[0])
    first, again, other = kept_rows(n, 0.1, 3), kept_rows(n, 0.1, 3), kept_rows(n, 0.1, 4)
    assert len(first) == n - round(n * 0.1) and np.array_equal(first, again)
    assert not np.array_equal(first, other) and (np.diff(first) > 0).all()
    report = check_stability(fitted, [3], leave_out=0.1)
    rows = report.fewer_documents.agreement
    assert rows.jaccard.shape == (len(fitted.state.topics), 1)
    only_seeds = check_stability(fitted, [3], leave_out=0.0)
    assert only_seeds.fewer_documents is None
    assert "only the random seed, on the same documents" in only_seeds.summary_lines()[-1]
    assert only_seeds.edit().left_out_topics == [] and report.edit().left_out == 0.1


def test_a_re_run_that_finds_no_topics_counts_as_finding_none(fitted, monkeypatch):
    """A small corpus less a tenth may give HDBSCAN nothing to cluster: that run found none
    of the topics, and the rest of the check still reports."""
    from topicdesk.pipeline import consensus

    original = consensus.final_labels
    n = len(fitted.corpus.unique_texts()[0])

    def final_labels(given, *args, **kwargs):
        if len(given) < n:
            raise TopicDeskError("No topics were found.")
        return original(given, *args, **kwargs)

    monkeypatch.setattr(consensus, "final_labels", final_labels)
    report = check_stability(fitted, [3, 4])
    assert set(report.found().values()) == {2}  # every document: found as before
    assert set(report.fewer_documents.found().values()) == {0}
    assert report.fewer_documents.topic_counts == [0, 0]
    assert report.summary_lines()[1].endswith("and 0 also when 10% of the documents were left out.")


def test_the_figures_are_stored_by_an_undoable_edit(fitted):
    project = toy_project(150, themes=3)
    project.history.do(MoveDocuments(rows=[0], topic_id=-1))
    before = project.state.copy()
    report = check_stability(project, [8, 9])
    project.history.do(report.edit())
    topic = project.state.topics[0]
    assert topic.runs_total == 2 and topic.runs_found == report.found()[0]
    assert topic.stability_words().startswith(f"found in {topic.runs_found} of 2 runs")
    fewer = report.fewer_documents
    low, high = fewer.prevalence_range()[0]
    assert topic.left_out == LeftOut(
        0.1, round(fewer.stability()[0], 4), fewer.found()[0], 2, low, high
    )
    # the topic's share now (of the documents with text) lies within what the re-runs held
    share = (project.state.assignments == 0).sum() / len(project.state)
    assert low - 0.05 <= share <= high + 0.05 and 0 < low <= high < 1
    assert topic.left_out.words() == (
        f"found in {fewer.found()[0]} of 2 runs with 10% of the documents left out, "
        f"overlap {topic.left_out.stability:.2f}, holding {100 * low:.1f}-{100 * high:.1f}% "
        "of the documents"
    )
    assert np.isnan(project.state.doc_stability[0])  # unassigned now: nothing to measure
    assert project.history.log[-1].description == (
        "Stability checked with 2 other seeds, also leaving 10% out"
    )
    project.history.undo()
    assert project.state.equals(before) and project.state.topics[0].left_out is None


def test_cancel_stops_the_check_and_an_unfitted_project_is_refused(fitted):
    progress = Progress()
    threading.Thread(target=progress.cancel).start()
    with pytest.raises(Cancelled):
        check_stability(fitted, [3, 4], progress)
    with pytest.raises(TopicDeskError, match="Fit topics first"):
        check_stability(Project(fitted.corpus))
    assert default_seeds(fitted, 3) == [43, 44, 45]


def test_a_sampled_fit_is_re_run_on_its_own_sample_only(monkeypatch):
    """Above the sample size the fit clustered a sample and placed the rest; the check
    re-runs that sample (with the sample's settings), never the whole corpus, and places
    the rest as the fit did in the runs on the whole sample."""
    from tests.toy_fit import SETTINGS
    from topicdesk.analysis.stability import rerun_both
    from topicdesk.pipeline import consensus, sampling

    project = toy_project(1_100, themes=3, settings=SETTINGS.replace(sample_above=1_000))
    embeddings = project.cache.embeddings
    sample = sampling.sample_rows(len(embeddings), project.settings)
    assert sample is not None and len(sample) == 1_000
    calls = []
    original = consensus.all_spaces
    monkeypatch.setattr(
        consensus,
        "all_spaces",
        lambda given, *a, **k: calls.append(len(given)) or original(given, *a, **k),
    )
    (runs, _), (fewer, _) = rerun_both(embeddings, project.settings, [7])
    assert calls == [1_000, 900]  # the sample, then the sample less a tenth
    assert (runs[0] != consensus.LEFT_OUT).all()  # the rest placed from the sample
    placed = np.setdiff1d(np.arange(len(embeddings)), sample)
    assert (fewer[0] != consensus.LEFT_OUT).sum() == 900  # a tenth of the sample left out
    assert (fewer[0][placed] == consensus.LEFT_OUT).all()
    report = check_stability(project, [7])
    assert report.same_documents.sample == 1_000
    lines = report.summary_lines()
    assert "on the fit's sample of 1,000 texts" in lines[0]
    missed = sorted(t for t, k in report.fewer_documents.found().items() if k == 0)
    said = next(line for line in lines if line.startswith("Not found in every re-run"))
    named = re.findall(r"\d+", said.split(":")[1].split(", marked")[0])
    assert missed and sorted(map(int, named)) == missed and said.endswith("the report.")
    # compared row by row with the right documents: misaligned rows would agree at NMI ~0
    assert min(report.same_documents.nmi) > 0.6 and min(report.fewer_documents.nmi) > 0.6
    assigned = project.state.assignments[placed] >= 0
    assert np.isfinite(report.documents()[placed][assigned]).all()
