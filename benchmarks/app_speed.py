"""The desktop app where a person waits: the 100,000-point map, launch, opening a project.

    QT_QPA_PLATFORM=offscreen python benchmarks/app_speed.py [--points 100000] [--repeat 5]
        [--large 1000000]

Map figures are medians over ``--repeat`` runs in this process; "redraw" renders the
whole map widget into an image after a pan/zoom (what the screen does on each frame).
Launch is measured in new processes: start to a shown main window, and which heavy
libraries are loaded by then. The 25,000-document project is made from the SOTU
paragraphs with 384-dimensional embeddings, as a real fit would save it. The ``--large``
map (synthetic layout: 40 topics of varied size and shape, 12% unassigned spread wide)
is drawn as density at full view and as points zoomed in (gui/views/map_density.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import table

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HEAVY = ("torch", "sentence_transformers", "umap", "hdbscan", "sklearn", "numba")
LAUNCH = """
import sys, time
start = time.perf_counter()
from PySide6.QtWidgets import QApplication
from topicdesk.gui.app import make_application
from topicdesk.gui.main_window import MainWindow
app = make_application(["topicdesk"])
window = MainWindow()
window.show()
app.processEvents()
window.grab()
shown = time.perf_counter() - start
heavy = [m for m in {heavy!r} if m in sys.modules]
print(f"RESULT {{shown:.3f}} {{','.join(heavy) or '-'}}")
"""


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def map_figures(n: int, repeat: int) -> list[list[object]]:
    import pyqtgraph as pg
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QApplication

    from topicdesk.core.palette import colour_for
    from topicdesk.gui.views.document_map import DocumentMap

    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    n_topics = 40
    topics = rng.integers(-1, n_topics, n)
    centres = rng.uniform(-50, 50, size=(n_topics + 1, 2))
    coords = (centres[topics + 1] + rng.normal(size=(n, 2))).astype(np.float32)
    colours = {t: colour_for(t) for t in range(n_topics)}
    labels = {t: f"topic {t}" for t in range(n_topics)}
    view = DocumentMap()
    view.resize(900, 700)
    view.show()
    app.processEvents()

    rows = []
    baseline = pg.ScatterPlotItem(pxMode=True, pen=None)  # the straightforward way, for scale
    view._view.addItem(baseline)
    palette = [pg.mkBrush(colour_for(t)) for t in range(n_topics + 1)]
    per_point = [palette[t + 1] for t in topics.tolist()]
    rows.append(
        [
            "baseline: one pyqtgraph item, a brush per point: set",
            median_ms(lambda: baseline.setData(x=coords[:, 0], y=coords[:, 1], brush=per_point), 3),
            "-",
        ]
    )
    shifted = [palette[(t + 2) % len(palette)] for t in topics.tolist()]
    rows.append(
        ["baseline: recolour every point", median_ms(lambda: baseline.setBrush(shifted), 3), "-"]
    )
    view._view.removeItem(baseline)
    set_ms = median_ms(lambda: view.set_points(coords, topics, colours, labels, [""] * n), repeat)
    rows.append(["set 100,000 points" if n == 100_000 else f"set {n:,} points", set_ms, "-"])

    box = view._view
    ranges = [QRectF(-60, -60, 120, 120), QRectF(-20, -20, 40, 40), QRectF(0, -30, 60, 60)]
    state = {"i": 0}

    def pan_zoom_and_render() -> None:
        box.setRange(rect=ranges[state["i"] % len(ranges)], padding=0)
        state["i"] += 1
        view._plot.grab()

    pan_zoom_and_render()
    rows.append(
        ["redraw after pan/zoom (render the map)", median_ms(pan_zoom_and_render, repeat), "< 33"]
    )

    angle = np.linspace(0, 2 * np.pi, 200, endpoint=False)
    radius = 25 + 5 * np.sin(7 * angle)
    polygon = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    got: list[np.ndarray] = []
    view.selectionRequested.connect(lambda r, _mode: got.append(r))
    rows.append(
        [
            "lasso, 200-point path (hit test)",
            median_ms(lambda: view.lasso_select(polygon), repeat),
            "< 50",
        ]
    )
    selected = got[-1]
    rows.append(
        [
            f"selection highlight ({len(selected):,} documents)",
            median_ms(lambda: view.set_selection(selected), repeat),
            "< 100",
        ]
    )

    merged = topics.copy()
    merged[merged == 5] = 3

    def merge() -> None:
        view.update_topics(topics, colours, labels)
        view.update_topics(merged, colours, labels)

    rows.append(
        ["recolour after merging two topics (and back)", median_ms(merge, repeat) / 2, "< 100"]
    )
    renamed = {t: (c if t % 2 else "#222222") for t, c in colours.items()}

    def recolour_all() -> None:
        view.update_topics(topics, renamed, labels)
        view.update_topics(topics, colours, labels)

    rows.append(
        ["recolour when every topic's colour changes", median_ms(recolour_all, repeat) / 2, "< 100"]
    )
    moved = topics.copy()
    picked = rng.random(n) < 0.02  # 2% of documents, from and to every topic
    moved[picked] = rng.integers(0, n_topics, int(picked.sum()))

    def move_everywhere() -> None:
        view.update_topics(moved, colours, labels)
        view.update_topics(topics, colours, labels)

    rows.append(
        [
            "recolour after an edit touching every topic",
            median_ms(move_everywhere, repeat) / 2,
            "< 100",
        ]
    )
    view.close()
    return rows


def large_map_figures(n: int, repeat: int) -> list[list[object]]:
    """The density map: full view, pan/zoom, zooming in to points, lasso, edits."""
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QApplication

    from topicdesk.core.palette import colour_for
    from topicdesk.gui.views.document_map import DocumentMap

    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(1)
    n_topics = 40
    shares = rng.dirichlet(np.ones(n_topics) * 1.5)
    topics = rng.choice(np.arange(-1, n_topics), size=n, p=np.r_[0.12, shares * 0.88])
    centres = rng.uniform(-12, 12, (n_topics + 1, 2))
    spread = rng.uniform(0.3, 1.6, (n_topics + 1, 2))
    coords = centres[topics + 1] + rng.normal(size=(n, 2)) * spread[topics + 1]
    coords[topics < 0] = rng.normal(scale=7, size=(int((topics < 0).sum()), 2))
    coords = coords.astype(np.float32)
    colours = {t: colour_for(t) for t in range(n_topics)}
    labels = {t: f"topic {t}" for t in range(n_topics)}
    view = DocumentMap()
    view.resize(900, 700)
    view.show()
    app.processEvents()
    label = f"{n:,} points:"
    rows = [
        [
            f"{label} set (density at full view)",
            median_ms(lambda: view.set_points(coords, topics, colours, labels, [""] * n), 3),
            "-",
        ]
    ]
    box = view._view
    ranges = [QRectF(-26, -20, 52, 40), QRectF(-15, -12, 30, 24), QRectF(-5, -15, 40, 30)]
    state = {"i": 0}

    def pan_zoom(render: bool) -> None:
        box.setRange(rect=ranges[state["i"] % len(ranges)], padding=0)
        state["i"] += 1
        view._refresh_level() if not render else view._plot.grab()

    pan_zoom(True)
    rows.append(
        [
            f"{label} redraw after pan/zoom (render the map)",
            median_ms(lambda: pan_zoom(True), repeat),
            "< 33",
        ]
    )
    rows.append(
        [
            f"{label} count the blocks again once the view rests",
            median_ms(lambda: pan_zoom(False), repeat),
            "-",
        ]
    )
    centre = np.median(coords[topics == 4], axis=0)
    zooms = [QRectF(centre[0] - w, centre[1] - 0.75 * w, 2 * w, 1.5 * w) for w in (3, 2.5)]

    def zoom_in() -> None:
        box.setRange(rect=zooms[state["i"] % 2], padding=0)
        state["i"] += 1
        view._refresh_level()
        view._plot.grab()

    zoom_in()
    rows.append(
        [
            f"{label} zoom in to points ({int(view._density.in_window.sum()):,} drawn), render",
            median_ms(zoom_in, repeat),
            "-",
        ]
    )
    view.reset_view()
    angle = np.linspace(0, 2 * np.pi, 200, endpoint=False)
    got: list[np.ndarray] = []
    view.selectionRequested.connect(lambda r, _mode: got.append(r))
    selections = []
    for radius, what in ((6, "part of the map"), (30, "the whole map")):
        ring = radius + radius / 5 * np.sin(7 * angle)
        polygon = np.column_stack([ring * np.cos(angle), ring * np.sin(angle)])
        ms = median_ms(lambda shape=polygon: view.lasso_select(shape), repeat)
        selections.append(got[-1])
        rows.append([f"{label} lasso around {what} ({len(got[-1]):,} selected)", ms, "< 100"])
    for selected in selections:
        rows.append(
            [
                f"{label} selection highlight ({len(selected):,}, drawn as density)",
                median_ms(lambda chosen=selected: view.set_selection(chosen), repeat),
                "< 100",
            ]
        )
    view.set_selection(np.empty(0, np.int64))
    merged = topics.copy()
    merged[merged == 5] = 3

    def merge() -> None:
        view.update_topics(merged, colours, labels)
        view.update_topics(topics, colours, labels)

    rows.append(
        [f"{label} recolour after merging two topics", median_ms(merge, repeat) / 2, "< 100"]
    )
    moved = topics.copy()
    picked = rng.random(n) < 0.02
    moved[picked] = rng.integers(0, n_topics, int(picked.sum()))

    def move_everywhere() -> None:
        view.update_topics(moved, colours, labels)
        view.update_topics(topics, colours, labels)

    rows.append(
        [
            f"{label} recolour after an edit touching every topic",
            median_ms(move_everywhere, repeat) / 2,
            "< 100",
        ]
    )
    renamed = {t: (c if t % 2 else "#222222") for t, c in colours.items()}

    def recolour_all() -> None:
        view.update_topics(topics, renamed, labels)
        view.update_topics(topics, colours, labels)

    rows.append(
        [
            f"{label} recolour when every topic's colour changes",
            median_ms(recolour_all, repeat) / 2,
            "< 100",
        ]
    )
    view.close()
    return rows


def project_figures(repeat: int) -> list[list[object]]:
    import pandas as pd
    from common import DATA

    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project, StageCache
    from topicdesk.core.state import Topic, TopicState
    from topicdesk.project.store import open_project, save_project

    frame = pd.read_csv(DATA / "sotu_paragraphs.csv")
    frame = pd.concat([frame, frame.head(25_000 - len(frame))], ignore_index=True)
    corpus = Corpus(frame, "text", source_name="sotu_paragraphs.csv")
    texts, _ = corpus.unique_texts()
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(texts), 384)).astype(np.float32)
    state = TopicState.empty(len(corpus))
    state.assignments[:] = rng.integers(-1, 40, len(corpus))
    for t in range(40):
        state.topics[t] = Topic(
            id=t, label=f"topic {t}", keywords=[f"w{t}"] * 10, weights=[0.1] * 10
        )
    cache = StageCache(
        embeddings=(vectors, "e"),
        reduced=(vectors[:, :5].copy(), "r"),
        coords=(vectors[:, :2].copy(), "c"),
    )
    project = Project(corpus, state=state, cache=cache)
    project.fitted = True
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.topicdesk"
        save_ms = median_ms(lambda: save_project(project, path), repeat)
        open_ms = median_ms(lambda: open_project(path), repeat)
        size = path.stat().st_size / 2**20
    return [
        [f"open a {len(corpus):,}-document project ({size:.0f} MB)", open_ms, "< 1000"],
        ["save it", save_ms, "-"],
    ]


def launch_figures(repeat: int) -> list[list[object]]:
    code = LAUNCH.format(heavy=HEAVY)
    times, heavy = [], "-"
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        ).stdout
        line = next(ln for ln in out.splitlines() if ln.startswith("RESULT "))
        seconds, heavy = line.split()[1:3]
        times.append(float(seconds))
    return [
        [
            f"launch to a shown main window (heavy libraries loaded by then: {heavy})",
            1000 * statistics.median(times),
            "< 2000",
        ]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large", type=int, default=1_000_000, help="0 leaves it out")
    args = parser.parse_args()
    rows = map_figures(args.points, args.repeat)
    if args.large:
        rows += large_map_figures(args.large, args.repeat)
    rows += project_figures(max(3, args.repeat // 2))
    rows += launch_figures(3)
    print(f"Desktop app timings, medians, {time.strftime('%Y-%m-%d')}\n")
    print(table(["what", "ms", "target ms"], rows))


if __name__ == "__main__":
    main()
