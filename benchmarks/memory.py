"""Peak resident memory of a 100,000-document fit, with its stage timings.

    python benchmarks/memory.py [--documents 100000]

The corpus is built from the shared data: the SOTU paragraphs (40 characters or more),
then sentences of the SOTU addresses and of the BBC articles (40 characters or more),
distinct texts only, in that order until the count is reached. The fit runs in this
process exactly as the app runs it (suggested minimum topic size, default settings).
"""

from __future__ import annotations

import argparse
import re
import time

import pandas as pd
from common import DATA, bbc_news, peak_rss_mib, sotu_paragraphs, table

SENTENCE = re.compile(r"(?<=[.!?])\s+")


def big_corpus(n: int) -> list[str]:
    texts = dict.fromkeys(sotu_paragraphs())
    sources = [*pd.read_csv(DATA / "sotu_addresses.csv")["text"].astype(str), *bbc_news()[0]]
    for document in sources:
        for sentence in SENTENCE.split(document):
            sentence = " ".join(sentence.split())
            if len(sentence) >= 40:
                texts.setdefault(sentence)
            if len(texts) >= n:
                return list(texts)[:n]
    return list(texts)


def high_water_mib() -> float:
    """Peak resident memory of this process so far, as Linux reports it (VmHWM)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return peak_rss_mib()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline.progress import Progress
    from topicdesk.pipeline.runner import apply_fit, fit_project

    texts = big_corpus(args.documents)
    before = peak_rss_mib()
    project = Project(Corpus(pd.DataFrame({"text": texts}), "text", source_name="memory"))
    settings = FitSettings(min_topic_size=suggest_min_topic_size(len(texts)))
    start = time.perf_counter()
    peaks: dict[str, float] = {}
    state = {"stage": "start"}

    def watch(event) -> None:
        """Peak memory so far, each time a stage begins: the growth belongs to the last one."""
        if event.stage != state["stage"]:
            peaks[state["stage"]] = high_water_mib()
            state["stage"] = event.stage

    result = fit_project(project, settings, Progress(watch))
    peaks[state["stage"]] = high_water_mib()
    apply_fit(project, result, settings)
    total = time.perf_counter() - start
    rows = [
        [f"{stage} (s; peak memory by its end)", f"{seconds:.1f}; {peaks.get(stage, 0):,.0f} MiB"]
        for stage, seconds in result.timings.items()
    ]
    rows += [
        ["total", f"{total:.1f}"],
        ["topics", len(project.state.topics)],
        ["unassigned", f"{100 * (project.state.assignments < 0).mean():.1f}%"],
        ["peak resident memory, corpus loaded", f"{before:,.0f} MiB"],
        ["peak resident memory, whole fit", f"{peak_rss_mib():,.0f} MiB"],
    ]
    print(f"Fit of {len(texts):,} documents, {time.strftime('%Y-%m-%d')}\n")
    print(table(["what", "figure"], rows))


if __name__ == "__main__":
    main()
