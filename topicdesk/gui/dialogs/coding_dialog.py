"""Blind coding: the researcher codes a sample of documents without seeing the model's topic.

The sample's size is chosen with a note in plain words on what it can show. Documents
then come one at a time, with the topics (names and keywords) to choose from, "none of
these" and "unsure"; the model's topic for the document is never shown. Codes are saved
in the project as they are made, so closing the window pauses the coding.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from topicdesk.analysis.blind_coding import NONE, UNSURE
from topicdesk.application import validation as val
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError
from topicdesk.gui.dialogs.validation_results import ValidationResultsView, tell

INTRO = (
    "A random sample of documents from every topic (and from the documents without one) is "
    "shown one at a time. For each, choose the topic it belongs to, 'None of these' if no "
    "topic fits, or 'Unsure'. The topic the model gave it stays hidden, so your codes are an "
    "independent check of the topics."
)


class BlindCodingDialog(QDialog):
    """Draw or continue a sample, code it blind, then see precision, recall and kappa."""

    changed = Signal()  # a code or a new sample was saved in the project

    def __init__(self, project: Project, researcher: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Blind coding")
        self.resize(820, 620)
        self.project = project
        self.queue: list[int] = []
        self.total = 0
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._start_page(researcher))
        self.pages.addWidget(self._coding_page())
        self.results = ValidationResultsView(project)
        self.pages.addWidget(self.results)
        self._update_note()
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
        self.name.textChanged.connect(self._update_start)
        form.addRow("Your name or initials:", self.name)
        self.per_topic = QSpinBox()
        self.per_topic.setRange(1, 200)
        self.per_topic.setValue(20)
        self.per_topic.valueChanged.connect(self._update_note)
        form.addRow("Documents per topic:", self.per_topic)
        layout.addLayout(form)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        layout.addWidget(self.saved)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.new_button = QPushButton("Draw a new sample")
        self.new_button.clicked.connect(self.start_new)
        self.resume_button = QPushButton("Continue the saved sample")
        self.resume_button.setDefault(True)
        self.resume_button.clicked.connect(self.resume)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.resume_button)
        layout.addLayout(buttons)
        return page

    def researcher(self) -> str:
        return " ".join(self.name.text().split())

    def _update_note(self) -> None:
        self.note.setText(val.sample_note(self.project, self.per_topic.value()))

    def _update_start(self) -> None:
        sample = val.coding_sample(self.project)
        if sample is None:
            self.saved.setText("This project holds no coding sample yet.")
            self.resume_button.setEnabled(False)
            return
        left = len(val.uncoded_rows(self.project, self.researcher())) if self.researcher() else 0
        self.saved.setText(
            f"This project holds a sample of {len(sample.rows)} documents (seed {sample.seed}); "
            f"{left} are still to code for {self.researcher() or 'you'}."
        )
        self.resume_button.setEnabled(bool(self.researcher()))

    def start_new(self) -> None:
        replace = False
        if any(val.all_codes(self.project).values()):
            box = QMessageBox(
                QMessageBox.Question,
                "Replace the saved sample?",
                "A new sample replaces the saved one and every code made for it.",
                QMessageBox.Discard | QMessageBox.Cancel,
                self,
            )
            if box.exec() != QMessageBox.Discard:
                return
            replace = True
        try:
            val.draw_coding_sample(self.project, self.per_topic.value(), replace=replace)
        except TopicDeskError as exc:
            tell(self, "Could not draw a sample", str(exc), QMessageBox.Warning)
            return
        self.changed.emit()
        self.resume()

    def resume(self) -> None:
        if not self.researcher():
            tell(self, "Your name", "Enter your name or initials before starting.")
            return
        sample = val.coding_sample(self.project)
        self.total = len(sample.rows) if sample else 0
        self.queue = val.uncoded_rows(self.project, self.researcher())
        self._fill_topics()
        self._next()

    # ----- coding ------------------------------------------------------------------
    def _coding_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress = QLabel()
        layout.addWidget(self.progress)
        self.document = QTextBrowser()
        layout.addWidget(self.document, 3)
        layout.addWidget(QLabel("Which topic does this document belong to?"))
        self.topics = QListWidget()
        self.topics.itemDoubleClicked.connect(lambda _item: self.code_selected())
        self.topics.currentItemChanged.connect(
            lambda item, _old: self.code_button.setEnabled(item is not None)
        )
        layout.addWidget(self.topics, 2)
        buttons = QHBoxLayout()
        self.pause_button = QPushButton("Pause (codes are saved)")
        self.pause_button.clicked.connect(self.accept)
        self.unsure_button = QPushButton("Unsure")
        self.unsure_button.clicked.connect(lambda: self.code(UNSURE))
        self.none_button = QPushButton("None of these")
        self.none_button.clicked.connect(lambda: self.code(NONE))
        self.code_button = QPushButton("Code and next")
        self.code_button.clicked.connect(self.code_selected)
        buttons.addWidget(self.pause_button)
        buttons.addStretch(1)
        for button in (self.unsure_button, self.none_button, self.code_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        return page

    def _fill_topics(self) -> None:
        """The sample's topics in id order, by name and keywords: the codebook, not a hint."""
        self.topics.clear()
        sample = val.coding_sample(self.project)
        state = self.project.state
        for topic_id, label in sorted((sample.labels if sample else {}).items()):
            topic = state.topics.get(topic_id)
            words = ", ".join(topic.keywords[:8]) if topic else ""
            item = QListWidgetItem(f"{label}\n    {words}" if words else label)
            item.setData(Qt.UserRole, topic_id)
            self.topics.addItem(item)

    def current_row(self) -> int | None:
        return self.queue[0] if self.queue and self.pages.currentIndex() == 1 else None

    def _next(self) -> None:
        if not self.queue:
            self.results.refresh()
            self.pages.setCurrentIndex(2)
            return
        done = self.total - len(self.queue)
        self.progress.setText(f"Document {done + 1} of {self.total}")
        self.document.setPlainText(self.project.corpus.texts[self.queue[0]])
        self.topics.setCurrentItem(None)
        self.topics.clearSelection()
        self.code_button.setEnabled(False)
        self.pages.setCurrentIndex(1)

    def code_selected(self) -> None:
        item = self.topics.currentItem()
        if item is not None:
            self.code(int(item.data(Qt.UserRole)))

    def code(self, code: int) -> None:
        """Save the code for the document on screen and show the next one."""
        row = self.current_row()
        if row is None:
            return
        val.record_code(self.project, self.researcher(), row, code)
        self.queue.pop(0)
        self.changed.emit()
        self._next()
