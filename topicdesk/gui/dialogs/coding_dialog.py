"""Blind coding: the researcher codes a sample of documents without seeing the model's topic.

The sample's size is chosen with a note in plain words on what it can show. Documents
then come one at a time, with the topics (names and keywords) to choose from, "none of
these" and "unsure"; the model's topic for the document is never shown. Codes are saved
in the project as they are made, so closing the window pauses the coding.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from topicdesk.analysis.blind_coding import NONE, UNSURE
from topicdesk.application import validation as val
from topicdesk.gui.dialogs.blind_session import BlindSessionDialog

INTRO = (
    "A random sample of documents from every topic (and from the documents without one) is "
    "shown one at a time. For each, choose the topic it belongs to, 'None of these' if no "
    "topic fits, or 'Unsure'. The topic the model gave it stays hidden, so your codes are an "
    "independent check of the topics."
)


class BlindCodingDialog(BlindSessionDialog):
    """Draw or continue a sample, code it blind, then see precision, recall and kappa."""

    TITLE = "Blind coding"
    SIZE = (820, 620)
    INTRO = INTRO
    ITEM = "Document"
    NEW_BUTTON = "Draw a new sample"
    RESUME_BUTTON = "Continue the saved sample"
    REPLACE_TITLE = "Replace the saved sample?"
    REPLACE_TEXT = "A new sample replaces the saved one and every code made for it."
    DRAW_FAILED = "Could not draw a sample"
    PAUSE_BUTTON = "Pause (codes are saved)"

    # ----- start -------------------------------------------------------------------
    def _add_choices(self, form: QFormLayout, layout: QVBoxLayout) -> None:
        self.per_topic.setRange(1, 200)
        self.per_topic.setValue(20)
        self.per_topic.valueChanged.connect(self._update_note)
        form.addRow("Documents per topic:", self.per_topic)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self._update_note()

    def _update_note(self) -> None:
        self.note.setText(val.sample_note(self.project, self.per_topic.value()))

    def _saved(self) -> tuple[int, int] | None:
        sample = val.coding_sample(self.project)
        return (len(sample.rows), sample.seed) if sample else None

    def _saved_text(self, size: int, seed: int, left: int, who: str) -> str:
        return (
            f"This project holds a sample of {size} documents (seed {seed}); "
            f"{left} are still to code for {who}."
        )

    def _nothing_saved(self) -> str:
        return "This project holds no coding sample yet."

    def _has_answers(self) -> bool:
        return any(val.all_codes(self.project).values())

    def _draw(self, replace: bool) -> None:
        val.draw_coding_sample(self.project, self.per_topic.value(), replace=replace)

    def _open_items(self, researcher: str) -> list[int]:
        return val.uncoded_rows(self.project, researcher)

    # ----- coding ------------------------------------------------------------------
    def _add_work(self, layout: QVBoxLayout) -> None:
        self.document = QTextBrowser()
        layout.addWidget(self.document, 3)
        layout.addWidget(QLabel("Which topic does this document belong to?"))
        self.topics = QListWidget()
        self.topics.setAlternatingRowColors(True)  # tells one topic's two lines from the next
        self.topics.itemDoubleClicked.connect(lambda _item: self.code_selected())
        self.topics.currentItemChanged.connect(
            lambda item, _old: self.code_button.setEnabled(item is not None)
        )
        layout.addWidget(self.topics, 2)
        buttons = QHBoxLayout()
        self.pause_button = self._pause_button()
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

    def _before_work(self) -> None:
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

    def _show(self, row: int) -> None:
        self.document.setPlainText(self.project.corpus.texts[row])
        self.topics.setCurrentItem(None)
        self.topics.clearSelection()
        self.code_button.setEnabled(False)

    def code_selected(self) -> None:
        item = self.topics.currentItem()
        if item is not None:
            self.code(int(item.data(Qt.UserRole)))

    def code(self, code: int) -> None:
        """Save the code for the document on screen and show the next one."""
        row = self.current()
        if row is None:
            return
        val.record_code(self.project, self.researcher(), row, code)
        self._answered()
