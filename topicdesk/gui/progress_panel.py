"""Progress of a running fit: the stage and how far it is, elapsed time, time left, Cancel."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from topicdesk.pipeline.progress import ProgressEvent, TimeLeft

ESTIMATING = "estimating time left…"


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressPanel(QWidget):
    """Shown while a fit runs; hidden otherwise.

    The bar is the running stage's own progress (each stage has its own pace, so one bar
    for the whole fit would mislead); the time left comes from :class:`TimeLeft` and says
    "estimating" rather than guess.
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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.timing, self.cancel_button):
            layout.addWidget(widget)
        self._started = 0.0
        self._left = TimeLeft(clock=self._clock)
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
        self.label.setText("Starting…")
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.setVisible(True)
        self._tick.start()
        self._update_timing()

    def stop(self) -> None:
        self._tick.stop()
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
        self.bar.setValue(int(event.fraction * 1000))
        text = f"Step {event.index + 1} of {event.total}: {event.stage}, {event.fraction:.0%}"
        if event.message:
            text += f" ({event.message})"
        if self.cancel_button.isEnabled():
            self.label.setText(text)
        self._update_timing()

    def _update_timing(self) -> None:
        left = self._left.seconds_left()
        text = f"{_clock(self._clock() - self._started)} elapsed, "
        text += ESTIMATING if left is None else f"about {_clock(left)} left"
        self.timing.setText(text)
