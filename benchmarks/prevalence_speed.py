"""Topics over time and by group at 100,000 documents: how long an update after an edit takes.

    QT_QPA_PLATFORM=offscreen python benchmarks/prevalence_speed.py [--documents 100000] [--repeat 7]

The project is made here: 40 topics, dates written as day/month/year over 30 years
(10,950 distinct dates), seven parties. "Update" is what the window does after a move,
merge or split: recount (application layer) and redraw the view, rendered into an image
as the screen would be. The baseline is the straightforward pandas way of the same
count (``pd.crosstab`` of period by topic), measured in the same process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import pandas as pd
from common import table

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def make_project(n: int):
    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project
    from topicdesk.core.state import Topic, TopicState

    rng = np.random.default_rng(0)
    days = pd.date_range("1990-01-01", periods=30 * 365, freq="D")
    dates = days[rng.integers(0, len(days), n)].strftime("%d/%m/%Y")
    parties = np.array(["CDU/CSU", "SPD", "FDP", "GRUENE", "LINKE", "AfD", "independent"])
    party = parties[np.minimum(rng.geometric(0.35, n) - 1, len(parties) - 1)]
    frame = pd.DataFrame(
        {"date": dates, "party": party, "text": [f"document {i}" for i in range(n)]}
    )
    corpus = Corpus(frame, "text")
    state = TopicState.empty(n)
    state.assignments[:] = rng.integers(-1, 40, n)
    for t in range(40):
        state.topics[t] = Topic(id=t, label=f"topic {t}: words, more words", keywords=["w"])
    project = Project(corpus, state=state)
    project.fitted = True
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from topicdesk.application import variables
    from topicdesk.core.edits import MoveDocuments
    from topicdesk.core.selection import Selection, TopicChoice
    from topicdesk.gui.views.topics_by_group import TopicsByGroup
    from topicdesk.gui.views.topics_over_time import TopicsOverTime

    app = QApplication.instance() or QApplication([])
    n, repeat = args.documents, args.repeat
    project = make_project(n)
    rows = []
    start = time.perf_counter()
    report = variables.set_variables(project, "date", "party")
    rows.append(
        [
            "choose the columns (parse 100,000 dates once, code groups)",
            1000 * (time.perf_counter() - start),
            "-",
        ]
    )
    assert report.dates.readable == n

    dates = variables.parsed_dates(project).dates
    years = pd.Series(dates).dt.year

    def baseline() -> None:
        pd.crosstab(years, project.state.assignments, normalize="index")

    base = median_ms(baseline, repeat)
    rows.append(["baseline: pd.crosstab of year by topic (shares, no intervals)", base, "-"])
    recount = median_ms(lambda: variables.prevalence_over_time(project, "year"), repeat)
    rows.append(
        [
            f"recount over time by year with Wilson intervals ({base / recount:.1f}x faster)",
            recount,
            "< 100",
        ]
    )
    by_group = median_ms(lambda: variables.prevalence_by_group(project), repeat)
    rows.append(["recount by group with intervals", by_group, "< 100"])

    selection, choice = Selection(), TopicChoice()
    moved = np.flatnonzero(project.state.assignments == 5)[:2000].tolist()
    edits = [MoveDocuments(rows=moved, topic_id=7)]
    for cls, name in ((TopicsOverTime, "topics over time"), (TopicsByGroup, "topics by group")):
        view = cls()
        view.bind(selection, choice)
        view.resize(1100, 700)
        view.show()
        view.show_project(project)
        app.processEvents()
        for chosen, what in (([], "all 40 topics"), ([3, 5, 7], "3 chosen topics")):
            choice.set(chosen)
            app.processEvents()

            def update(view=view) -> None:
                project.history.do(
                    edits[0]
                ) if not project.history.can_undo else project.history.undo()
                view.refresh(project)
                view.grab()

            rows.append(
                [
                    f"{name}: edit, recount, redraw and render ({what})",
                    median_ms(update, repeat),
                    "< 100",
                ]
            )
        view.close()
    print(
        f"Topics over time and by group, {n:,} documents, medians of {repeat}, {time.strftime('%Y-%m-%d')}\n"
    )
    print(table(["what", "ms", "target ms"], rows))


if __name__ == "__main__":
    main()
