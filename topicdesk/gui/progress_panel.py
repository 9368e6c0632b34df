"""Progress of a running fit: the stage and how far it is, elapsed time, time left, Cancel;
while it embeds in chunks, the chunks saved, the documents a second and what Cancel keeps."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from topicdesk.pipeline.progress import ChunkCount, DocumentRate, ProgressEvent, TimeLeft

ESTIMATING = "estimating time left…"


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def chunk_sentence(chunks: ChunkCount, per_second: float | None) -> str:
    """How far the chunked embedding is, and its speed once there is evidence of it."""
    before = f", {chunks.resumed:,} of them from a stopped fit" if chunks.resumed else ""
    text = (
        f"{chunks.saved:,} of {chunks.chunks:,} chunks saved "
        f"({chunks.embedded:,} of {chunks.documents:,} documents{before})"
    )
    if per_second is not None:
        rate = f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.1f}"
        text += f", {rate} documents a second"
    return text


def keep_sentence(chunks: ChunkCount) -> str:
    """What Cancel keeps: the chunks on disk, which the app's next fit of the same corpus
    and model settings resumes from (application.fitting.fit resumes by default)."""
    kept = (
        f"Cancel keeps the {chunks.embedded:,} documents embedded so far"
        if chunks.embedded
        else "Cancel keeps every chunk saved by then"
    )
    return f"{kept}: the next fit of this corpus with the same model settings resumes from them."


class ProgressPanel(QWidget):
    """Shown while a fit runs; hidden otherwise.

    The bar is the running stage's own progress (each stage has its own pace, so one bar
    for the whole fit would mislead); the time left comes from :class:`TimeLeft` and says
    "estimating" rather than guess. A fit that embeds more than one chunk shows two more
    lines instead of the stage's message (which would make the first line as wide as the
    window): chunks saved, documents a second, and that Cancel keeps what is saved.
    """

    cancelRequested = Signal()

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock or time.monotonic
        self.label = QLabel("")
        self.label.setMinimumWidth(320)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(160)
        self.timing = QLabel("")
        self.timing.setStyleSheet("color: #555;")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the fit; the current topics stay as they are")
        self.cancel_button.clicked.connect(self._cancel)
        self.chunk_line = QLabel("")
        self.keep_line = QLabel("")
        self.keep_line.setStyleSheet("color: #555;")
        row = QHBoxLayout()
        for widget in (self.label, self.bar, self.timing, self.cancel_button):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        for line in (self.chunk_line, self.keep_line):
            line.setVisible(False)
            layout.addWidget(line)
        self._started = 0.0
        self._left = TimeLeft(clock=self._clock)
        self._rate = DocumentRate(clock=self._clock)
        self.kept: ChunkCount | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timing)
        self.setVisible(False)

    def busy(self, text: str) -> None:
        """Short work that cannot report how far it is: a moving bar and what it does."""
        self._tick.stop()
        self.label.setText(text + "…")
        self.bar.setRange(0, 0)
        self.timing.setText("")
        self.cancel_button.setVisible(False)
        self.setVisible(True)

    def start(self) -> None:
        self.bar.setRange(0, 1000)
        self.cancel_button.setVisible(True)
        self._started = self._clock()
        self._left = TimeLeft(clock=self._clock)
        self._rate = DocumentRate(clock=self._clock)
        self.kept: ChunkCount | None = None  # what a cancel leaves on disk for the next fit
        self._show_chunks(None)
        self.label.setText("Starting…")
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.setVisible(True)
        self._tick.start()
        self._update_timing()

    def stop(self) -> None:
        self._tick.stop()
        self._show_chunks(None)
        self.bar.setRange(0, 1000)
        self.cancel_button.setVisible(True)
        self.setVisible(False)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.label.setText("Cancelling after the current batch…")
        self.cancelRequested.emit()

    def show_event(self, event: ProgressEvent) -> None:
        self._left.observe(event)
        self._rate.observe(event)
        self._show_chunks(event.chunks)
        self.bar.setValue(int(event.fraction * 1000))
        text = f"Step {event.index + 1} of {event.total}: {event.stage}, {event.fraction:.0%}"
        if event.message and self.chunk_line.isHidden():  # else the chunk line says it
            text += f" ({event.message})"
        if self.cancel_button.isEnabled():
            self.label.setText(text)
        self._update_timing()

    def _update_timing(self) -> None:
        left = self._left.seconds_left()
        text = f"{_clock(self._clock() - self._started)} elapsed, "
        text += ESTIMATING if left is None else f"about {_clock(left)} left"
        self.timing.setText(text)

    def _show_chunks(self, chunks: ChunkCount | None) -> None:
        """The chunk lines while a corpus of several chunks is embedded, else nothing."""
        shown = chunks is not None and chunks.chunks > 1
        if shown:
            self.kept = chunks
            self.chunk_line.setText(chunk_sentence(chunks, self._rate.per_second()))
            self.keep_line.setText(keep_sentence(chunks))
        for line in (self.chunk_line, self.keep_line):
            line.setVisible(shown)
