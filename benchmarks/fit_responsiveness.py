"""Does the window keep drawing during a fit? The longest event-loop gaps, stage by stage.

    QT_QPA_PLATFORM=offscreen python benchmarks/fit_responsiveness.py [--texts 3000] [--runs 3]
    QT_QPA_PLATFORM=offscreen python benchmarks/fit_responsiveness.py --warm-up

A 10 ms timer in the window's thread records when it fires while the real main window
fits SOTU paragraphs from resources/sample_sotu.csv: first cold, then refits (a new
minimum topic size, then new neighbours, which redoes the layouts). Each gap between two
ticks is put under the stage that was running when it began; "window adopts the result"
is the window's own work once the result has arrived (a gap across the moment a stage
starts or the result arrives is split there). Two designs, each in a new
process so both load the model cold: "thread", the fit on a worker thread of the
window's process (as before fits got their own process), and "process", the app's
FitController. Also printed: an idle stretch before the fit (the machine's noise) and
the stage timings of the cold fit (the shares behind the time-left estimate).

``--warm-up`` measures the start-up warm-up instead (UMAP's compiled code loaded, or
compiled on a computer's first run, before the first fit): on a thread of the window's
process (``pipeline.warmup.warm_up`` on a thread, as the app did) against the fitting process's
(``FitController.warm_up``). For a computer's first run, give each ``--mode`` its own
empty XDG_CACHE_HOME (the first one would fill the cache for the second).
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE_MS = 10
STALL_S = 0.1


class InThread:
    """The fit run by the worker thread itself, in the window's process: the old design."""

    def __init__(self) -> None:
        self._progress = None

    def fit(self, project, settings, on_progress, target):
        from topicdesk.application import fitting
        from topicdesk.pipeline.progress import Progress

        self._progress = Progress(on_progress)
        return fitting.fit(project, settings, self._progress)

    def cancel(self) -> None:
        if self._progress is not None:
            self._progress.cancel()

    terminate = cancel

    def close(self, timeout: float = 0.0) -> None:
        self.cancel()


def measure(mode: str, n: int, runs: int) -> dict:
    import pandas as pd
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project
    from topicdesk.core.settings import FitSettings

    app = QApplication(["topicdesk"])
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.Discard)
    from topicdesk.gui.main_window import MainWindow

    settings_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"fit-responsiveness-{os.getpid()}.ini"
    window = MainWindow(settings=QSettings(str(settings_file), QSettings.IniFormat))
    window.autosaver.timer.stop()  # a save is a stall of its own, not the fit's
    if mode == "thread":
        window.fits._process = InThread()
    window.resize(1400, 900)
    window.show()
    table = pd.read_csv(ROOT / "resources" / "sample_sotu.csv", dtype=str, keep_default_na=False)
    window.session.replace(Project(Corpus(table.head(n), "text")), None, dirty=False)
    first = FitSettings(min_topic_size=max(5, n // 150))
    plans = [first, first.replace(min_topic_size=first.min_topic_size + 2)]
    plans.append(first.replace(n_neighbors=first.n_neighbors + 5))
    plans = plans[:runs]

    ticks: list[float] = []
    marks: list[tuple[float, str]] = []
    timings: list[dict] = []
    timer = QTimer()
    timer.setTimerType(Qt.PreciseTimer)
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    run = {"i": 0}

    def mark(label: str) -> None:
        marks.append((time.perf_counter(), f"fit {run['i'] + 1}: {label}"))

    def arrived(result, _settings) -> None:  # on the worker thread, as the result arrives
        mark("window adopts the result")
        timings.append(dict(result.timings))

    def begin() -> None:
        mark("starting")
        window.fitting.start_fit(plans[run["i"]])
        window.fits._worker.finished.connect(arrived, Qt.DirectConnection)

    def adopted(*_args) -> None:
        QTimer.singleShot(0, lambda: mark("idle after"))
        run["i"] += 1
        QTimer.singleShot(1000, begin if run["i"] < len(plans) else app.quit)

    window.fits.progress.connect(lambda event: mark(event.stage))
    window.fits.finished.connect(adopted)
    window.fits.failed.connect(lambda message, details: (print(message, details), app.quit()))

    def idle() -> None:
        timer.start()
        marks.append((time.perf_counter(), "idle, before the first fit"))
        QTimer.singleShot(3000, begin)

    QTimer.singleShot(500, idle)
    app.exec()
    window.fits.shutdown()
    marks.sort()
    times = [t for t, _ in marks]
    gaps: dict[str, list[float]] = defaultdict(list)
    spans: dict[str, float] = defaultdict(float)
    for a, b in pairwise(ticks):  # a gap across a mark is split there
        first, last = bisect.bisect_right(times, a), bisect.bisect_right(times, b)
        cuts = [a, *times[first:last], b]
        for i, (start, end) in enumerate(pairwise(cuts)):
            gaps[marks[first - 1 + i][1]].append(end - start)
    for i, (t, label) in enumerate(marks):
        spans[label] += (marks[i + 1][0] if i + 1 < len(marks) else ticks[-1]) - t
    labels = list(dict.fromkeys(label for _, label in marks))
    return {
        "mode": mode,
        "texts": n,
        "load": os.getloadavg()[0],
        "rows": [
            [
                label,
                spans[label],
                max(gaps[label], default=0.0),
                [g for g in gaps[label] if g > STALL_S],
            ]
            for label in labels
        ],
        "timings": timings[0] if timings else {},
    }


def measure_warm_up(mode: str) -> dict:
    """Longest gap while the warm-up runs, from its start until it is done."""
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(["topicdesk"])
    import threading

    from topicdesk.gui.main_window import MainWindow
    from topicdesk.pipeline.warmup import warm_up

    settings_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"fit-responsiveness-{os.getpid()}.ini"
    window = MainWindow(settings=QSettings(str(settings_file), QSettings.IniFormat))
    window.show()
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    span: dict[str, float] = {}

    def start() -> None:
        span["start"] = time.perf_counter()
        if mode == "thread":
            thread = threading.Thread(target=warm_up, daemon=True)
            thread.start()
            done = lambda: not thread.is_alive()
        else:
            window.fits.warm_up()
            process = window.fits._process
            done = lambda: process._conn.poll()  # its "ready" has arrived

        def check() -> None:
            if done():
                span["end"] = time.perf_counter()
                QTimer.singleShot(500, app.quit)
            else:
                QTimer.singleShot(20, check)

        check()

    timer.start(PROBE_MS)
    QTimer.singleShot(1000, start)
    app.exec()
    window.fits.shutdown()
    inside = [t for t in ticks if span["start"] <= t <= span["end"]]
    gaps = [b - a for a, b in pairwise(inside)]
    return {
        "mode": mode,
        "seconds": span["end"] - span["start"],
        "longest": max(gaps),
        "stalls": [g for g in gaps if g > STALL_S],
    }


def report(result: dict) -> None:
    print(f"\n{result['mode']}: {result['texts']:,} texts, load average {result['load']:.1f}")
    print(f"{'':44s} {'seconds':>8s} {'longest gap':>12s} {'gaps > 100 ms':>14s}")
    for label, span, longest, stalls in result["rows"]:
        print(
            f"{label:44s} {span:8.1f} {1000 * longest:9.0f} ms "
            f"{len(stalls):5d} ({sum(stalls):4.1f} s)"
        )
    timings = {k: v for k, v in result["timings"].items() if not k.startswith("Loading")}
    total = sum(timings.values()) or 1.0
    print("cold fit's stage shares (without loading the model):")
    print("  " + ", ".join(f"{k} {v / total:.3f}" for k, v in timings.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3, choices=(1, 2, 3))
    parser.add_argument("--mode", choices=("thread", "process"))
    parser.add_argument("--warm-up", action="store_true")
    args = parser.parse_args()
    if args.mode:
        run = measure_warm_up(args.mode) if args.warm_up else None
        print(json.dumps(run or measure(args.mode, args.texts, args.runs)))
        return
    if args.warm_up:
        for mode in ("thread", "process"):
            out = subprocess.run(
                [sys.executable, __file__, "--mode", mode, "--warm-up"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(
                f"warm-up on the {mode}: {r['seconds']:.1f} s, longest gap "
                f"{1000 * r['longest']:.0f} ms, {len(r['stalls'])} over 100 ms "
                f"({sum(r['stalls']):.1f} s)"
            )
        return
    for mode in ("thread", "process"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--mode",
                mode,
                "--texts",
                str(args.texts),
                "--runs",
                str(args.runs),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        report(json.loads(out.strip().splitlines()[-1]))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
