"""Progress and cancellation handle passed to every pipeline stage, and the time-left estimate.

Stages call ``update`` as they go and ``check`` between batches; the GUI's worker turns
the callback into a Qt signal, the CLI prints it. ``cancel`` may be called from any thread,
and, with a shared event (``multiprocessing`` Event), from another process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from topicdesk.errors import Cancelled

# Expected share of a fit's corpus-dependent time per stage, in a fit's order. Embedding
# and layouts as measured in five cold fits of 3,000 SOTU paragraphs on 2 cores (0.67-0.76
# and 0.23-0.32; docs/benchmarks.md, "Window during a fit"); the last three stages are set
# above the 0.5%, 0.0% and 0.6% measured there, because clustering grows faster with the
# corpus than embedding does, and a figure too low near the end is the one that misleads.
# Loading the model costs about the same for any corpus, so it has no share and predicts
# nothing about the rest.
STAGE_SHARES = {
    "Loading the language model": 0.0,
    "Embedding documents": 0.70,
    "Reducing dimensions": 0.28,
    "Finding topics": 0.03,
    "Placing outliers": 0.005,
    "Choosing keywords": 0.02,
}
# A stage's own progress is trusted once it is this far and this long in: a fraction
# reported at the start of a step (5% "finding neighbours") says nothing about speed.
MIN_FRACTION = 0.1
MIN_SECONDS = 1.0
# A stage without reports of its own is expected to take its share of the time, but the
# shares are rough (long texts make embedding dearer, large corpora the layouts): only the
# first half of that expectation is counted down, so a misjudged stage never shows a
# figure near zero while it still has most of its work ahead.
EXPECTATION_USED = 0.5


@dataclass(frozen=True)
class ChunkCount:
    """How far embedding in chunks is: what is on disk (kept if the fit stops) and what
    this fit found there when it started."""

    saved: int  # chunks written to disk
    chunks: int  # chunks the corpus needs
    embedded: int  # documents in the chunks written to disk
    documents: int  # documents to embed
    resumed: int = 0  # documents found on disk when the fit started

    def computed(self, fraction: float) -> float:
        """Documents this fit has embedded itself when its embedding is ``fraction`` done
        (the fraction counts only the work left at the start)."""
        return fraction * (self.documents - self.resumed)


@dataclass(frozen=True)
class ProgressEvent:
    """Where a fit is: which stage (by name and number) and how far into it, and while
    it embeds in chunks, how many are saved."""

    stage: str
    index: int
    total: int
    fraction: float
    message: str = ""
    chunks: ChunkCount | None = None


class CancelFlag(Protocol):
    """What ``Progress`` needs of a cancel flag: ``threading.Event`` and
    ``multiprocessing.Event`` both fit."""

    def set(self) -> None: ...

    def is_set(self) -> bool: ...


class Progress:
    """Reports progress to a callback and carries the cancel flag."""

    def __init__(
        self,
        callback: Callable[[ProgressEvent], None] | None = None,
        cancel_flag: CancelFlag | None = None,
    ) -> None:
        self._callback = callback
        self._cancel = cancel_flag if cancel_flag is not None else threading.Event()
        self._stage = ""
        self._index = 0
        self._total = 1

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()

    def begin(self, stage: str, index: int, total: int) -> None:
        self.check()
        self._stage, self._index, self._total = stage, index, total
        self.update(0.0)

    def update(self, fraction: float, message: str = "", chunks: ChunkCount | None = None) -> None:
        if self._callback is not None:
            self._callback(
                ProgressEvent(
                    self._stage,
                    self._index,
                    self._total,
                    min(max(fraction, 0.0), 1.0),
                    message,
                    chunks,
                )
            )


class TimeLeft:
    """Seconds left in a fit, from the running stage's own progress and, for the stages
    still to come, their expected share of the time relative to the stages already seen.

    The running stage's end is projected from its latest report (elapsed time over the
    fraction done) and counted down from there; before it has reported ``MIN_FRACTION``
    at least ``MIN_SECONDS`` in, its share of the time is expected instead. Rather than
    count down to zero on a stage that has not said it is done, ``seconds_left`` is None
    ("estimating") once the projection has run out or half the expected time is used up,
    and also while there is no evidence at all (loading the model, the first second of a
    stage). A stage is over when the next one begins: a report of 100% inside a stage is
    no proof (each clustering run reports its end as the stage's). Stages that take under
    ``MIN_SECONDS`` (reused from the project) are no evidence of speed. A job of one
    repeated step that is not a fit stage (the stability check's re-runs, "step 3 of 10")
    expects each step still to come to take as long as the steps so far did.
    """

    def __init__(
        self,
        shares: dict[str, float] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.shares = dict(STAGE_SHARES if shares is None else shares)
        self._clock = clock
        self._stage: tuple[str, int] | None = None
        self._started = 0.0
        self._fraction = 0.0
        self._projected: float | None = None  # the running stage's length by its own reports
        self._seen: list[tuple[str, float]] = []  # earlier stages and their seconds
        self._steps_after = 0  # steps of the job still to come after the running one

    def observe(self, event: ProgressEvent) -> None:
        now = self._clock()
        key = (event.stage, event.index)
        if key != self._stage:
            if self._stage is not None:
                self._seen.append((self._stage[0], now - self._started))
            self._stage, self._started, self._projected = key, now, None
        self._fraction = event.fraction
        self._steps_after = max(event.total - event.index - 1, 0)
        elapsed = now - self._started
        if MIN_FRACTION <= event.fraction < 1.0 and elapsed >= MIN_SECONDS:
            self._projected = elapsed / event.fraction

    def _seconds_per_share(self) -> float | None:
        """Seconds one unit of share takes on this corpus and computer, from the evidence."""
        seen = [
            (self.shares[name], seconds)
            for name, seconds in self._seen
            if self.shares.get(name, 0) > 0 and seconds >= MIN_SECONDS
        ]
        if seen:
            return sum(s for _, s in seen) / sum(share for share, _ in seen)
        share = self.shares.get(self._stage[0], 0) if self._stage else 0
        if self._projected is not None and share > 0:
            return self._projected / share
        return None

    def seconds_left(self) -> float | None:
        if self._stage is None:
            return None
        name = self._stage[0]
        elapsed = self._clock() - self._started
        rate = self._seconds_per_share()
        if self._projected is not None:
            own = self._projected - elapsed
        elif rate is not None and self.shares.get(name, 0) > 0:
            expected = self.shares[name] * rate
            if elapsed > expected * EXPECTATION_USED:
                return None
            own = expected - elapsed
        else:
            return None
        if own <= 0:
            return None  # slower than its evidence, and silent: no honest figure
        if name not in self.shares:  # one step repeated: each one to come as long as these
            done = [s for n, s in self._seen if n == name and s >= MIN_SECONDS]
            step = sum(done) / len(done) if done else own + elapsed
            return own + self._steps_after * step
        later = self._later_stages(name)
        if later and rate is None:
            return None
        return own + sum(self.shares[n] for n in later) * (rate or 0.0)

    def _later_stages(self, name: str) -> list[str]:
        """The stages after ``name`` in a fit's order, as far as their shares are known."""
        order = list(self.shares)
        return order[order.index(name) + 1 :] if name in order else []


class DocumentRate:
    """Documents a second that the running fit embeds itself, for a panel to show.

    Measured from the start of the embedding stage over the documents computed so far
    (documents found on disk are not counted), and only after ``MIN_SECONDS``: the first
    reports of a stage say nothing about its speed.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._stage: tuple[str, int] | None = None
        self._started = 0.0
        self._rate: float | None = None

    def observe(self, event: ProgressEvent) -> None:
        now = self._clock()
        key = (event.stage, event.index)
        if key != self._stage:
            self._stage, self._started, self._rate = key, now, None
        if event.chunks is None:
            return
        elapsed = now - self._started
        computed = event.chunks.computed(event.fraction)
        if elapsed >= MIN_SECONDS and computed > 0:
            self._rate = computed / elapsed

    def per_second(self) -> float | None:
        """The latest rate, or None before there is evidence or outside chunked embedding."""
        return self._rate
