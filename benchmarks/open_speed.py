"""Saving and opening a large project: file format 4 (the per-document data as arrays)
against format 3 (one SQLite row per document, each column one JSON list), each save and
each open in a fresh process.

    python benchmarks/open_speed.py --rows 1000000

The project: the texts of ``scale.py``'s ``build_corpus`` (needs the shared data), a
date column ('YYYY-MM-DD' strings, as a spreadsheet gives them) and a group column (one
of six party names), 384-d float32 embeddings and the fit's other arrays (5-d reduced,
2-d map, 20-d consensus spaces; random numbers, which size and speed do not care about),
30 topics, and per document a topic, a confidence and a stability share, with 1% moved
by hand. Format 3 is written and read by ``topicdesk/project/store.py`` and
``array_parts.py`` as of commit ``FORMAT_3_COMMIT`` (taken from git), format 4 by the
current code; every open but the old code's goes through
``topicdesk.application.projects.open_project``, timed around that call alone (wall
seconds, and CPU seconds of all the process's threads, which a loaded machine changes
less). Memory: VmRSS before the save and VmHWM (the peak) by its end.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import numpy as np
import pandas as pd
from memory import high_water_mib

ROOT = Path(__file__).resolve().parents[1]
FORMAT_3_COMMIT = "f5dcb5b"  # the last commit that wrote file format 3
PARTIES = ["Democratic", "Republican", "Whig", "Federalist", "SPD", "CDU/CSU"]


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def format3_store() -> types.ModuleType:
    """store.py as it was at FORMAT_3_COMMIT, with that commit's array_parts."""
    folder = Path(tempfile.mkdtemp(prefix="format3-"))

    def module(path: str, name: str) -> types.ModuleType:
        source = folder / f"{name}.py"
        source.write_bytes(
            subprocess.run(
                ["git", "show", f"{FORMAT_3_COMMIT}:{path}"],
                cwd=ROOT,
                check=True,
                capture_output=True,
            ).stdout
        )
        spec = importlib.util.spec_from_file_location(name, source)
        made = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(made)
        return made

    store = module("topicdesk/project/store.py", "store_format3")
    store.array_parts = module("topicdesk/project/array_parts.py", "array_parts_format3")
    return store


def make_project(n: int):
    """The benchmark's project of ``n`` documents (see the module's docstring)."""
    from scale import build_corpus

    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project, StageCache
    from topicdesk.core.state import BY_HUMAN, Topic, TopicState

    texts, _ = build_corpus(n)
    rng = np.random.default_rng(0)
    days = rng.integers(0, 365 * 30, n)
    dates = (np.datetime64("1990-01-01") + days).astype(str)
    table = pd.DataFrame(
        {
            "text": pd.Series(texts, dtype="str"),
            "date": pd.Series(dates, dtype="str"),
            "party": pd.Series(np.array(PARTIES)[rng.integers(0, len(PARTIES), n)], dtype="str"),
        }
    )
    corpus = Corpus(
        table, "text", source_name="scale.csv", date_column="date", group_column="party"
    )
    rows = len(corpus.unique_texts()[0])
    cache = StageCache(
        embeddings=(rng.standard_normal((rows, 384), dtype=np.float32), "e"),
        reduced=(rng.standard_normal((rows, 5), dtype=np.float32), "r"),
        coords=(rng.standard_normal((rows, 2), dtype=np.float32), "c"),
        reduced_runs=(rng.standard_normal((rows, 20), dtype=np.float32), "x"),
    )
    state = TopicState.empty(n)
    state.assignments[:] = rng.integers(-1, 30, n)
    state.confidence[:] = np.where(state.assignments >= 0, rng.random(n), np.nan)
    state.doc_stability[:] = rng.random(n)
    for row in rng.choice(n, n // 100, replace=False).tolist():
        state.assigned_by[row] = BY_HUMAN
    state.doc_notes = {int(r): f"note {r}" for r in rng.choice(n, 50, replace=False)}
    for tid in range(30):
        state.topics[tid] = Topic(id=tid, label=f"topic {tid}", keywords=[f"w{tid}", "x"])
    project = Project(corpus, state=state, cache=cache)
    project.fitted = True
    return project


def step(name: str, n: int, path: str) -> dict:
    """One measured step, run in this process."""
    if name.startswith("save"):
        project = make_project(n)
        save = format3_store().save_project if name == "save3" else None
        if save is None:
            from topicdesk.project.store import save_project as save
        before = rss_mib()
        start, cpu = time.perf_counter(), time.process_time()
        save(project, path)
        seconds = time.perf_counter() - start
        return {
            "seconds": seconds,
            "cpu_seconds": time.process_time() - cpu,
            "held_before_mib": before,
            "peak_mib": high_water_mib(),
            "file_mib": Path(path).stat().st_size / 2**20,
        }
    if name == "open3-old":
        read = format3_store().open_project
    else:
        from topicdesk.application.projects import open_project as read
    start, cpu = time.perf_counter(), time.process_time()
    project = read(path)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mib": high_water_mib(),
        "documents": len(project.corpus),
    }


def run(name: str, n: int, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--step", name, "--rows", str(n), "--path", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(name, json.dumps({k: round(v, 2) for k, v in result.items()}), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=None, help="where the projects go")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.rows, args.path)))
        return
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        old, new = Path(folder) / "format3.topicdesk", Path(folder) / "format4.topicdesk"
        run("save3", args.rows, old)
        run("open3-old", args.rows, old)
        run("open3-new", args.rows, old)
        old.unlink()
        run("save4", args.rows, new)
        run("open4", args.rows, new)
        run("open4", args.rows, new)


if __name__ == "__main__":
    main()
