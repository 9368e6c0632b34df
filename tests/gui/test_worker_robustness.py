"""A real fit that fails inside a stage, and a real app closed in the middle of a fit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_SOTU
from tests.gui.fit_stand_ins import HERE
from tests.gui.test_worker import SETTINGS, small_project
from topicdesk.application.fit_process import TARGET

ROOT = Path(__file__).resolve().parents[2]


def test_a_stage_that_raises_leaves_the_app_usable_and_the_next_fit_works(
    make_window, sotu_slice, qtbot, isolated
):
    window = make_window()
    window.session.replace(small_project(sotu_slice), None, dirty=True)
    window.fits.target = f"{HERE}:fit_that_runs_out_of_memory"  # after real embedding and UMAP
    with qtbot.waitSignal(window.fits.failed, timeout=240_000):
        window.fitting.start_fit(SETTINGS)
    qtbot.waitUntil(lambda: bool(isolated), timeout=5_000)
    assert "not enough memory" in isolated[-1] and "Traceback" not in isolated[-1]
    qtbot.waitUntil(lambda: not window.fits.running, timeout=5_000)
    assert not window.session.project.fitted and window.actions["fit"].isEnabled()

    window.fits.target = TARGET
    with qtbot.waitSignal(window.fits.finished, timeout=240_000):
        window.fitting.start_fit(SETTINGS)  # embeddings from the failed run are not needed again
    project = window.session.project
    assert project.fitted and project.state.topics
    tid = min(project.state.topics)
    window.session.rename(tid, "Still works")
    assert project.state.topics[tid].label == "Still works"


CHILD = """
import multiprocessing, sys, threading, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import pandas as pd
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.gui.app import make_application
from topicdesk.gui.main_window import MainWindow
from tests.gui.test_worker import SETTINGS

app = make_application(["topicdesk"])
window = MainWindow()
table = pd.read_csv({csv!r}, dtype=str, keep_default_na=False).head(400)
window.session.replace(Project(Corpus(table, "text")), None, dirty=False)
window.show()
window.fitting.start_fit(SETTINGS)
stages = []

def seen(event):
    if not stages:
        print("FIT_PID", window.fits._process._process.pid, flush=True)
    stages.append(event.stage)
    if event.stage == "Embedding documents" and len(stages) == stages.index(event.stage) + 2:
        QTimer.singleShot(0, window.close)  # in the middle of embedding, after a batch

window.fits.progress.connect(seen)
QTimer.singleShot(90_000, app.quit)  # a safety net: the test fails if it is needed
app.exec()
thread = window.fits._thread
print("STAGES", sorted(set(stages)), "FITTED", window.session.project is not None and window.session.project.fitted)
print("RUNNING", bool(thread is not None and thread.isRunning()), window.fits.running)
print("THREADS", [t.name for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon])
print("PROCESSES", [p.name for p in multiprocessing.active_children()])
print("CLOSED_AT", round(time.monotonic(), 1))
"""


def test_closing_the_real_app_during_a_real_fit_exits_cleanly(tmp_path):
    code = CHILD.format(root=str(ROOT), csv=str(SAMPLE_SOTU))
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
    )
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr[-3000:]
    assert "Embedding documents" in out  # it was closed during the fit, not before it
    assert "Choosing keywords" not in out and "FITTED True" not in out  # and not after it
    assert "RUNNING False False" in out  # no thread left running
    assert "THREADS []" in out  # and no Python thread keeping the process alive
    assert "PROCESSES []" in out  # nor a fitting process
    if sys.platform == "linux":  # and it is gone, not orphaned
        assert not Path(f"/proc/{out.split('FIT_PID ')[1].split()[0]}").exists()
