"""The intrusion test, taken one task at a time without seeing the answer.

The researcher names themselves, draws tasks (or continues a saved test), and picks the
odd one out of each task; every answer and its time is saved in the project at once, so
closing the window pauses the test and opening it again resumes where it stopped. The
results appear when the last task is answered. Nothing says whether an answer was right.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from topicdesk.analysis.validation import TOPIC, WORD, IntrusionTask
from topicdesk.application import validation as val
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError
from topicdesk.gui.dialogs.validation_results import ValidationResultsView, tell

INTRO = (
    "Each task shows a few words, or a document with a few groups of words. One of them "
    "does not belong: pick it. Word tasks test whether a topic's words hang together "
    "(Chang et al. 2009); document tasks test whether the topics given to a document fit "
    "it (Ying, Montgomery and Stewart 2022). Work at your own pace; your answers and their "
    "times are saved as you go, and you can close this window to pause."
)


class IntrusionDialog(QDialog):
    """Start or resume a test, take its tasks one by one, then see the scores."""

    changed = Signal()  # an answer or a new test was saved in the project

    def __init__(self, project: Project, researcher: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Intrusion test")
        self.resize(760, 560)
        self.project = project
        self.queue: list[IntrusionTask] = []
        self.total = 0
        self.shown_at = 0.0
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._start_page(researcher))
        self.pages.addWidget(self._task_page())
        self.results = ValidationResultsView(project)
        self.pages.addWidget(self.results)
        self._update_start()

    # ----- start -------------------------------------------------------------------
    def _start_page(self, researcher: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(researcher or val.DEFAULT_RESEARCHER)
        self.name.setToolTip("Each researcher answers under their own name; results combine.")
        self.name.textChanged.connect(self._update_start)
        form.addRow("Your name or initials:", self.name)
        self.per_topic = QSpinBox()
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
        layout.addLayout(form)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        layout.addWidget(self.saved)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("Draw new tasks")
        self.new_button.clicked.connect(self.start_new)
        self.resume_button = QPushButton("Continue the saved test")
        self.resume_button.setDefault(True)
        self.resume_button.clicked.connect(self.resume)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.resume_button)
        layout.addLayout(buttons)
        return page

    def researcher(self) -> str:
        return " ".join(self.name.text().split())

    def _update_start(self) -> None:
        test = val.intrusion_test(self.project)
        if test is None:
            self.saved.setText("This project holds no intrusion test yet.")
            self.resume_button.setEnabled(False)
            return
        left = len(val.open_tasks(self.project, self.researcher())) if self.researcher() else 0
        self.saved.setText(
            f"This project holds a test of {len(test.tasks)} tasks (seed {test.seed}); "
            f"{left} of them are still open for {self.researcher() or 'you'}."
        )
        self.resume_button.setEnabled(bool(self.researcher()))

    def start_new(self) -> None:
        kinds = [
            k for k, box in ((WORD, self.word_kind), (TOPIC, self.topic_kind)) if box.isChecked()
        ]
        if not kinds:
            tell(self, "Choose a kind of task", "Tick word intrusion, topic intrusion or both.")
            return
        replace = False
        if any(val.intrusion_answers(self.project).values()):
            box = QMessageBox(
                QMessageBox.Question,
                "Replace the saved test?",
                "New tasks replace the saved test and every answer to it.",
                QMessageBox.Discard | QMessageBox.Cancel,
                self,
            )
            if box.exec() != QMessageBox.Discard:
                return
            replace = True
        try:
            val.start_intrusion_test(
                self.project, self.per_topic.value(), kinds=kinds, replace=replace
            )
        except TopicDeskError as exc:
            tell(self, "Could not draw tasks", str(exc), QMessageBox.Warning)
            return
        self.changed.emit()
        self.resume()

    def resume(self) -> None:
        if not self.researcher():
            tell(self, "Your name", "Enter your name or initials before starting.")
            return
        test = val.intrusion_test(self.project)
        self.total = len(test.tasks) if test else 0
        self.queue = val.open_tasks(self.project, self.researcher())
        self._next()

    # ----- tasks -------------------------------------------------------------------
    def _task_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress = QLabel()
        layout.addWidget(self.progress)
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
        self.pause_button = QPushButton("Pause (answers are saved)")
        self.pause_button.clicked.connect(self.accept)
        pause.addWidget(self.pause_button)
        layout.addLayout(pause)
        return page

    def current(self) -> IntrusionTask | None:
        return self.queue[0] if self.queue and self.pages.currentIndex() == 1 else None

    def _next(self) -> None:
        if not self.queue:
            self.results.refresh()
            self.pages.setCurrentIndex(2)
            return
        task = self.queue[0]
        for button in self.option_buttons:
            self.options_box.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.option_buttons = []
        done = self.total - len(self.queue)
        self.progress.setText(f"Task {done + 1} of {self.total}")
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
        self.pages.setCurrentIndex(1)
        self.shown_at = time.monotonic()

    def answer(self, choice: int) -> None:
        """Save the choice for the task on screen, with the seconds since it was shown."""
        task = self.current()
        if task is None:
            return
        seconds = time.monotonic() - self.shown_at
        val.record_answer(self.project, self.researcher(), task.id, choice, seconds)
        self.queue.pop(0)
        self.changed.emit()
        self._next()

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
