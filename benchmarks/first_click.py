"""First-click latency: from the click on Fit to the first embedded batch, in a fresh app.

    python benchmarks/first_click.py [--texts 300] [--pick 20] [--runs 2]
    PYTHONPATH=/path/to/older/checkout python benchmarks/first_click.py   # an older version

Each run starts a new fitting process the way the app does at start-up
(``FitProcess.warm_up``), waits ``--pick`` seconds (the researcher choosing a file), then
fits paragraphs of resources/sample_sotu.csv and records when the embedding stage reports
its first batch done. Against a version whose warm-up only compiles UMAP, this shows
what loading the model in the warm-up saves. The model store and numba's cache are
whatever the computer has (run the app or this script once first, so nothing is built).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

import topicdesk
from topicdesk.application.fit_process import FitProcess
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline.runner import EMBED

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample_sotu.csv"


def one_run(texts: list[str], pick: float) -> tuple[float, float, str, str]:
    """Seconds from the click to the first embedded batch and to the result, the
    precision, and when each stage began (seconds after the click)."""
    fits = FitProcess()
    try:
        fits.warm_up()
        time.sleep(pick)
        project = Project(Corpus(pd.DataFrame({"text": texts}), "text", source_name="sample"))
        first: list[float] = []
        began: dict[str, float] = {}

        def seen(event) -> None:
            began.setdefault(event.stage, time.perf_counter())
            if not first and event.stage == EMBED and event.fraction > 0:
                first.append(time.perf_counter())

        click = time.perf_counter()
        result = fits.fit(project, FitSettings(min_topic_size=5), seen)
        done = time.perf_counter()
        stages = ", ".join(f"{name} {at - click:.1f}" for name, at in began.items())
        precision = str(result.provenance.get("embedding_precision"))
        return first[0] - click, done - click, precision, stages
    finally:
        fits.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--pick", type=float, default=20.0, help="seconds before the click")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    texts = pd.read_csv(SAMPLE)["text"].astype(str).tolist()[: args.texts]
    runs = [one_run(texts, args.pick) for _ in range(args.runs)]
    print(f"topicdesk from {Path(topicdesk.__file__).parent}")
    for latency, total, precision, stages in runs:
        print(f"click -> first batch {latency:.2f} s, click -> result {total:.2f} s ({precision})")
        print(f"  stages began at: {stages}")
    print(f"median click -> first batch: {statistics.median(r[0] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
