"""Progress of a running fit: stage, counts, elapsed time, an estimate, and Cancel."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from topicdesk.pipeline.progress import ProgressEvent

# Rough share of a cold fit's time per stage, for the overall bar and the estimate.
STAGE_WEIGHTS = {
    "Loading the language model": 0.04,
    "Embedding documents": 0.70,
    "Reducing dimensions": 0.20,
    "Finding topics": 0.03,
    "Placing outliers": 0.01,
    "Choosing keywords": 0.02,
}


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressPanel(QWidget):
    """Shown while a fit runs; hidden otherwise."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("")
        self.label.setMinimumWidth(320)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(220)
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
        self._fraction = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timing)
        self.setVisible(False)

    def start(self) -> None:
        self._started = time.monotonic()
        self._fraction = 0.0
        self.label.setText("Starting…")
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.setVisible(True)
        self._tick.start()
        self._update_timing()

    def stop(self) -> None:
        self._tick.stop()
        self.setVisible(False)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.label.setText("Cancelling after the current batch…")
        self.cancelRequested.emit()

    def show_event(self, event: ProgressEvent) -> None:
        names = list(STAGE_WEIGHTS)
        done = (
            sum(STAGE_WEIGHTS[n] for n in names[: names.index(event.stage)])
            if event.stage in STAGE_WEIGHTS
            else 0
        )
        self._fraction = min(1.0, done + STAGE_WEIGHTS.get(event.stage, 0) * event.fraction)
        self.bar.setValue(int(self._fraction * 1000))
        text = f"Step {event.index + 1} of {event.total}: {event.stage}"
        if event.message:
            text += f" — {event.message}"
        if self.cancel_button.isEnabled():
            self.label.setText(text)
        self._update_timing()

    def _update_timing(self) -> None:
        elapsed = time.monotonic() - self._started
        text = f"{_clock(elapsed)} elapsed"
        if self._fraction > 0.05 and elapsed > 3:
            text += f", about {_clock(elapsed * (1 - self._fraction) / self._fraction)} left"
        self.timing.setText(text)
