"""The intrusion test, taken one task at a time without seeing the answer.

The researcher names themselves, draws tasks (or continues a saved test), and picks the
odd one out of each task; every answer and its time is saved in the project at once, so
closing the window pauses the test and opening it again resumes where it stopped. The
results appear when the last task is answered. Nothing says whether an answer was right.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from topicdesk.analysis.validation import TOPIC, WORD, IntrusionTask
from topicdesk.application import validation as val
from topicdesk.gui.dialogs.blind_session import BlindSessionDialog
from topicdesk.gui.dialogs.validation_results import tell

INTRO = (
    "Each task shows a few words, or a document with a few groups of words. One of them "
    "does not belong: pick it. Word tasks test whether a topic's words hang together "
    "(Chang et al. 2009); document tasks test whether the topics given to a document fit "
    "it (Ying, Montgomery and Stewart 2022). Work at your own pace; your answers and their "
    "times are saved as you go, and you can close this window to pause."
)


class IntrusionDialog(BlindSessionDialog):
    """Start or resume a test, take its tasks one by one, then see the scores."""

    TITLE = "Intrusion test"
    INTRO = INTRO
    ITEM = "Task"
    NEW_BUTTON = "Draw new tasks"
    RESUME_BUTTON = "Continue the saved test"
    REPLACE_TITLE = "Replace the saved test?"
    REPLACE_TEXT = "New tasks replace the saved test and every answer to it."
    DRAW_FAILED = "Could not draw tasks"
    PAUSE_BUTTON = "Pause (answers are saved)"

    shown_at = 0.0  # when the task on screen appeared (time.monotonic)

    # ----- start -------------------------------------------------------------------
    def _add_choices(self, form: QFormLayout, layout: QVBoxLayout) -> None:
        self.per_topic.setRange(1, 20)
        self.per_topic.setValue(2)
        self.per_topic.setToolTip("More tasks per topic give narrower intervals per topic.")
        form.addRow("Tasks per topic and kind:", self.per_topic)
        self.word_kind = QCheckBox("Word intrusion (which word does not belong?)")
        self.word_kind.setChecked(True)
        self.topic_kind = QCheckBox("Topic intrusion (which topic does not fit the document?)")
        self.topic_kind.setChecked(True)
        form.addRow("Tasks:", self.word_kind)
        form.addRow("", self.topic_kind)

    def _kinds(self) -> list[str]:
        return [
            k for k, box in ((WORD, self.word_kind), (TOPIC, self.topic_kind)) if box.isChecked()
        ]

    def _saved(self) -> tuple[int, int] | None:
        test = val.intrusion_test(self.project)
        return (len(test.tasks), test.seed) if test else None

    def _saved_text(self, size: int, seed: int, left: int, who: str) -> str:
        return (
            f"This project holds a test of {size} tasks (seed {seed}); "
            f"{left} of them are still open for {who}."
        )

    def _nothing_saved(self) -> str:
        return "This project holds no intrusion test yet."

    def _has_answers(self) -> bool:
        return any(val.intrusion_answers(self.project).values())

    def _can_draw(self) -> bool:
        if self._kinds():
            return True
        tell(self, "Choose a kind of task", "Tick word intrusion, topic intrusion or both.")
        return False

    def _draw(self, replace: bool) -> None:
        val.start_intrusion_test(
            self.project, self.per_topic.value(), kinds=self._kinds(), replace=replace
        )

    def _open_items(self, researcher: str) -> list[IntrusionTask]:
        return val.open_tasks(self.project, researcher)

    # ----- tasks -------------------------------------------------------------------
    def _add_work(self, layout: QVBoxLayout) -> None:
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setStyleSheet("font-weight: bold")
        layout.addWidget(self.question)
        self.document = QTextBrowser()
        layout.addWidget(self.document, 1)
        self.options_box = QVBoxLayout()
        layout.addLayout(self.options_box)
        self.task_layout, self.room = layout, layout.count()
        layout.addStretch(0)  # takes the document's room when a word task hides it
        self.option_buttons: list[QPushButton] = []
        pause = QHBoxLayout()
        pause.addStretch(1)
        self.pause_button = self._pause_button()
        pause.addWidget(self.pause_button)
        layout.addLayout(pause)

    def _show(self, task: IntrusionTask) -> None:
        for button in self.option_buttons:
            self.options_box.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.option_buttons = []
        if task.kind == WORD:
            self.question.setText("Which word does not belong with the others?")
            self.document.hide()
        else:
            self.question.setText("Which group of words does not fit this document?")
            self.document.setPlainText(self.project.corpus.texts[task.row])
            self.document.show()
        self.task_layout.setStretch(self.room, int(task.kind == WORD))
        for i, option in enumerate(task.options):
            button = QPushButton(f"{i + 1}.  {', '.join(option)}")
            button.setStyleSheet("text-align: left; padding: 6px")
            button.clicked.connect(lambda _=False, choice=i: self.answer(choice))
            self.options_box.addWidget(button)
            self.option_buttons.append(button)
        self.shown_at = time.monotonic()

    def answer(self, choice: int) -> None:
        """Save the choice for the task on screen, with the seconds since it was shown."""
        task = self.current()
        if task is None:
            return
        seconds = time.monotonic() - self.shown_at
        val.record_answer(self.project, self.researcher(), task.id, choice, seconds)
        self._answered()

    def keyPressEvent(self, event) -> None:
        """Keys 1 to 6 choose an option; Escape pauses, like the Pause button."""
        task = self.current()
        choice = event.key() - Qt.Key_1
        if task is not None and 0 <= choice < len(task.options):
            self.answer(choice)
            return
        if event.key() == Qt.Key_Escape:
            self.accept()
            return
        super().keyPressEvent(event)
