"""Take the pictures in the README and the user guide from the real app.

Drives the main window through its own commands on the bundled sample corpus
(3,000 State of the Union paragraphs with date and party columns): import, Project ›
Variables, a fit in the fitting process, Topics › Check stability, Split topic, the
Over time and By group tabs, an intrusion test and the HTML methods report. Runs
offscreen; the report is rendered by a headless Chromium (``chromium`` on the PATH).

    python docs/make_screenshots.py                       # the default fit, a few minutes
    python docs/make_screenshots.py --project /tmp/s.topicdesk   # keep the fit for next time

With ``--project`` the fitted project is saved there and opened again on the next run, so
only the first run waits for the fit (and takes the stability check's picture). Pictures
are written as 256-colour PNGs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PIL import Image
from PySide6.QtCore import QPoint, QRect, QSettings, QStandardPaths, QTimer
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from topicdesk.analysis.validation import WORD
from topicdesk.application import publishing, variables
from topicdesk.application.projects import open_project, start_project
from topicdesk.core.state import UNASSIGNED
from topicdesk.gui.app import make_application
from topicdesk.gui.dialogs.import_dialog import ImportDialog
from topicdesk.gui.main_window import MainWindow
from topicdesk.gui.views.map_hover import place
from topicdesk.io.readers import load_corpus
from topicdesk.pipeline.embed import set_offline
from topicdesk.project.store import save_project
from topicdesk.resources import resources_root

OUT = Path(__file__).resolve().parent / "images"
SAMPLE = resources_root() / "sample_sotu.csv"
WINDOW = (1400, 900)
FIT_TIMEOUT_S = 1800
FAILURES: list[str] = []  # set inside Qt's slots, raised in the script's own steps


def save_png(image, name: str) -> None:
    """Write a QImage or QPixmap as a 256-colour PNG (a fraction of the full-colour size)."""
    full = Path(tempfile.mkdtemp()) / name
    image.save(str(full))
    with Image.open(full) as picture:
        picture.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE).save(
            OUT / name, optimize=True
        )
    print(f"wrote {OUT / name} ({(OUT / name).stat().st_size // 1024} KiB)")


def settle(seconds: float = 0.3) -> None:
    """Let Qt lay out, draw and deliver queued signals."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)
    if FAILURES:
        raise SystemExit(FAILURES[0])


def grab(widget: QWidget, name: str) -> None:
    widget.ensurePolished()
    settle()
    save_png(widget.grab(), name)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = FIT_TIMEOUT_S) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if FAILURES:
            raise SystemExit(FAILURES[0])
        if time.monotonic() > end:
            raise SystemExit(f"error: gave up waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.05)


class Dialogs:
    """Answers modal dialogs by their title as they open (the command that opened one
    waits in exec() meanwhile); any other dialog stops the run with its text."""

    def __init__(self) -> None:
        self.handlers: dict[str, Callable[[QWidget], None]] = {}
        self.busy = False
        self.timer = QTimer(interval=50)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def expect(self, title: str, handle: Callable[[QWidget], None]) -> None:
        self.handlers[title] = handle

    def poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or self.busy:
            return
        self.busy = True
        try:
            handle = self.handlers.pop(dialog.windowTitle(), None)
            if handle is None:
                text = getattr(dialog, "text", lambda: "")()
                FAILURES.append(f"error: unexpected dialog '{dialog.windowTitle()}': {text}")
                dialog.reject()
                return
            settle()
            handle(dialog)
        finally:
            self.busy = False


def grab_and(name: str, finish: str = "accept") -> Callable[[QWidget], None]:
    """A dialog handler: take its picture, then accept or reject it."""

    def handle(dialog: QWidget) -> None:
        grab(dialog, name)
        getattr(dialog, finish)()

    return handle


# ----- steps ----------------------------------------------------------------------------
def variables_and_fit(window: MainWindow, dialogs: Dialogs) -> None:
    """The import dialog, Project › Variables… (date and party), then Topics › Fit topics…
    with the suggested settings, run in the fitting process, unless already fitted."""
    dialog = ImportDialog(SAMPLE, window)
    dialog.resize(1000, 620)
    grab(dialog, "import.png")
    dialog.reject()
    if window.session.project is None:
        corpus = load_corpus(SAMPLE, None, "text")  # the variables are chosen below, as in the app
        window.session.replace(start_project(corpus), None, dirty=True)

    def choose(dialog: QWidget) -> None:
        dialog.date_combo.setCurrentIndex(dialog.date_combo.findData("date"))
        dialog.group_combo.setCurrentIndex(dialog.group_combo.findData("party"))
        grab(dialog, "variables.png")
        dialog.accept()

    dialogs.expect("Variables", choose)
    window.variables_dialog()
    fitted = window.session.project.fitted
    dialogs.expect("Fit topics", grab_and("fit.png", "reject" if fitted else "accept"))
    dialogs.expect("Topics fitted", lambda box: box.accept())  # when a fit warns (not here)
    window.fitting.fit_dialog()
    wait_until(lambda: window.session.project.fitted and not window.fits.running, "the fit")
    settle(1.0)
    dialogs.handlers.pop("Topics fitted", None)


def check_stability(window: MainWindow, dialogs: Dialogs) -> None:
    """Topics › Check stability…: five more clustering runs in the fitting process."""
    dialogs.expect("Stability", grab_and("stability-check.png"))
    window.fitting.check_stability()
    wait_until(lambda: "Stability" not in dialogs.handlers, "the stability check")
    settle(1.0)


def largest_topic(window: MainWindow) -> int:
    sizes = window.session.project.state.sizes()
    return max((t for t in sizes if t != UNASSIGNED), key=sizes.get)


def split(window: MainWindow, dialogs: Dialogs, topic_id: int) -> None:
    """Topics › Split topic… on a topic: the preview dialog, applied with its names."""
    window.show_topics([topic_id])
    dialogs.expect("Split topic", grab_and("split.png"))
    window.topics.split_topic()
    wait_until(lambda: "Split topic" not in dialogs.handlers, "the split preview", timeout=600)
    settle(0.5)


def main_window_picture(window: MainWindow, topic_id: int) -> None:
    """The map, the topic tree and the inspector on a sub-topic, with the hover card of
    one of its documents (a card is a window of its own, so it is painted in)."""
    window.show_map()
    window.show_topics([topic_id])
    window.reset_map()
    settle(0.5)
    project = window.session.project
    members = project.state.members(topic_id)
    coords = project.row_coords()[members]
    row = int(members[np.argmin(np.linalg.norm(coords - np.median(coords, axis=0), axis=1))])
    card = window.map._card
    card.show_row(row, window.map.tooltip_for(row), QPoint(0, 0))
    settle()
    x, y = project.row_coords()[row]
    pointer = window.map.viewport.mapTo(window, window.map.data_to_widget(float(x), float(y)))
    area = QRect(window.map.viewport.mapTo(window, QPoint(0, 0)), window.map.viewport.size())
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(place(pointer, card.size(), area), card.grab())
    painter.end()
    card.dismiss()
    save_png(picture, "main.png")


def most_changing(table, n: int, rows: np.ndarray | None = None) -> list[int]:
    """The ``n`` topics whose share differs most between the table's rows (all by default)."""
    rows = np.arange(len(table.categories)) if rows is None else rows
    spread = {
        int(tid): float(np.ptp(table.shares[rows, j]))
        for j, tid in enumerate(table.topic_ids)
        if tid != UNASSIGNED
    }
    return sorted(spread, key=spread.get, reverse=True)[:n]


def charts(window: MainWindow) -> None:
    """Over time: the topics that change most between decades of 100 documents or more;
    by group: the topics that differ most between Democrats and Republicans."""
    project = window.session.project
    window.outer.setSizes([700, 160])  # the charts' three panels in full
    over_time = variables.prevalence_over_time(project)
    window.show_topics(most_changing(over_time, 3, np.flatnonzero(over_time.totals >= 100)))
    window.show_over_time()
    grab(window, "over-time.png")
    by_group = variables.prevalence_by_group(project)
    parties = [by_group.categories.index(p) for p in ("Democratic", "Republican")]
    window.show_topics(most_changing(by_group, 6, np.array(parties)))
    view = window.by_group
    view.group_a.setCurrentIndex(view.group_a.findText("Democratic"))
    view.group_b.setCurrentIndex(view.group_b.findText("Republican"))
    window.show_by_group()
    grab(window, "by-group.png")
    window.show_map()
    window.reset_layout()


def stability_map(window: MainWindow) -> None:
    window.show_topics([])
    combo = window.map.colour_by.combo
    combo.setCurrentIndex(combo.findData("stability"))
    settle(0.5)
    grab(window, "stability-map.png")
    combo.setCurrentIndex(combo.findData("topic"))


def intrusion(window: MainWindow, dialogs: Dialogs) -> None:
    """Validate › Intrusion test…: new tasks drawn, a word-intrusion task on screen."""

    def take(dialog: QWidget) -> None:
        dialog.start_new()
        dialog.queue.sort(key=lambda task: task.kind != WORD)
        dialog._next()
        dialog.resize(700, 400)  # a word task needs less room than a document task
        grab(dialog, "intrusion.png")
        dialog.reject()

    dialogs.expect("Intrusion test", take)
    window.publish.intrusion_test()


def report(window: MainWindow, folder: Path) -> None:
    """The HTML methods report (File › Export report…), rendered by headless Chromium."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("skipped report.png: no chromium on the PATH")
        return
    page = folder / "report.html"
    publishing.write_report(window.session.project, page)
    shot = folder / "report.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    save_png(QImage(str(shot)), "report.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--project", type=Path, help="keep the fitted project here and reuse it on the next run"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    set_offline(True)
    make_application([])
    QStandardPaths.setTestModeEnabled(True)
    folder = Path(tempfile.mkdtemp())
    window = MainWindow(settings=QSettings(str(folder / "screenshots.ini"), QSettings.IniFormat))
    window.resize(*WINDOW)
    window.reset_layout()
    window.show()
    grab(window, "start.png")

    dialogs = Dialogs()
    reuse = args.project is not None and args.project.is_file()
    if reuse:
        window.session.replace(open_project(args.project), args.project)
    variables_and_fit(window, dialogs)
    if not reuse:  # the stability check's picture comes from a run that fits
        check_stability(window, dialogs)
        if args.project is not None:
            save_project(window.session.project, args.project)

    parent = largest_topic(window)
    report(window, folder)
    stability_map(window)
    split(window, dialogs, parent)
    children = [t.id for t in window.session.project.state.sorted_topics() if t.parent == parent]
    main_window_picture(window, children[0] if children else parent)
    charts(window)
    intrusion(window, dialogs)
    window.session.replace(None, None)
    window.fits.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
