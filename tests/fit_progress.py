"""Made-up progress of fits with known timings, for testing the time-left estimate."""

from __future__ import annotations

from dataclasses import dataclass

from topicdesk.pipeline.progress import ProgressEvent

LOAD, EMBED, REDUCE = "Loading the language model", "Embedding documents", "Reducing dimensions"
CLUSTER, OUTLIERS, KEYWORDS = "Finding topics", "Placing outliers", "Choosing keywords"
ORDER = [LOAD, EMBED, REDUCE, CLUSTER, OUTLIERS, KEYWORDS]


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


def cold_fit(
    embed_s: float = 65.0, reduce_s: float = 27.0, cluster_s: float = 0.6, refit: bool = False
) -> list[tuple[float, ProgressEvent]]:
    """A cold fit as the runner reports it (3,000 SOTU paragraphs on 2 cores by default):
    the model loads, 94 batches, the neighbours then six layouts two at a time, five
    clustering runs that each report 100% when they end, then the last quick stages.
    A ``refit`` reuses the saved embeddings and makes the layouts again (new neighbours)."""
    events: list[tuple[float, ProgressEvent]] = []

    def at(t: float, stage: str, fraction: float, message: str = "") -> None:
        events.append((t, ProgressEvent(stage, ORDER.index(stage), 6, fraction, message)))

    if refit:
        for stage, message in ((LOAD, "not needed"), (EMBED, "reused 3,000 saved embeddings")):
            at(0.0, stage, 0.0)
            at(0.0, stage, 1.0, message)
        t = 0.0
    else:
        at(0.0, LOAD, 0.0)
        at(15.0, LOAD, 1.0)
        at(15.0, EMBED, 0.0)
        for batch in range(1, 95):
            at(15.0 + embed_s * batch / 94, EMBED, batch / 94)
        t = 15.0 + embed_s
    at(t, REDUCE, 0.0)
    at(t, REDUCE, 0.05, "finding each document's nearest neighbours")
    for pair in (1, 2, 3):
        at(t + reduce_s * pair / 3, REDUCE, (2 * pair - 1) / 6, f"{2 * pair - 1} of 6 layouts made")
        at(t + reduce_s * pair / 3 + 0.2, REDUCE, 2 * pair / 6, f"{2 * pair} of 6 layouts made")
    t += reduce_s + 0.2
    at(t, REDUCE, 1.0)
    at(t, CLUSTER, 0.0)
    for run in range(1, 6):
        at(t + cluster_s * run / 5, CLUSTER, 1.0)
        at(t + cluster_s * run / 5, CLUSTER, run / 6, f"run {run} of 5")
    t += cluster_s
    at(t, CLUSTER, 1.0)
    at(t, OUTLIERS, 0.0)
    at(t, OUTLIERS, 1.0)
    at(t, KEYWORDS, 0.0)
    at(t + 0.9, KEYWORDS, 1.0)
    return events
