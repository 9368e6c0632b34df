"""Take the screenshots in the README and the user guide from the real app.

Runs offscreen on the bundled sample corpus (about two minutes, most of it the fit):

    QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

from topicdesk.core.project import Project
from topicdesk.core.settings import suggest_min_topic_size
from topicdesk.gui.app import make_application
from topicdesk.gui.dialogs.fit_dialog import FitDialog
from topicdesk.gui.dialogs.import_dialog import ImportDialog
from topicdesk.gui.main_window import MainWindow
from topicdesk.io.readers import load_corpus
from topicdesk.pipeline.runner import apply_fit, fit_project
from topicdesk.resources import resources_root

OUT = Path(__file__).resolve().parent / "images"


def grab(widget, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    make_application([])
    QStandardPaths.setTestModeEnabled(True)
    sample = resources_root() / "sample_sotu.csv"
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "screenshots.ini"), QSettings.IniFormat)
    window = MainWindow(settings=settings)
    window.resize(1400, 900)
    window.reset_layout()
    grab(window, "start.png")

    dialog = ImportDialog(sample, window)
    dialog.resize(1000, 620)
    grab(dialog, "import.png")

    corpus = load_corpus(sample, text_column="text", date_column="date", group_column="party")
    project = Project(corpus)
    chosen = project.settings.replace(min_topic_size=suggest_min_topic_size(int(corpus.has_text.sum())))
    fit = FitDialog(chosen, len(corpus), window)
    grab(fit, "fit.png")

    apply_fit(project, fit_project(project, chosen), chosen)
    window.session.replace(project, None, dirty=True)
    window.reset_layout()
    state = project.state
    largest = max((t for t in state.topics), key=lambda t: len(state.members(t)))
    window.show_topics([largest])
    grab(window, "map.png")

    # Lasso the densest part of the largest topic, make it a topic of its own and name it.
    window.show_topics([])
    coords = project.row_coords()
    members = state.members(largest)
    centre = np.median(coords[members], axis=0)
    spread = np.std(coords[members], axis=0) * 0.6
    polygon = np.array([centre + spread * [np.cos(a), np.sin(a)] for a in np.linspace(0, 2 * np.pi, 40)])
    window.map.lasso_select(polygon)
    new_id = window.session.new_topic(window.selection.rows, "My hand-made topic")
    window.show_topics([new_id])
    grab(window, "curate.png")
    window.session.replace(None, None)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
