"""The project's own stop words: one word or phrase per line, typed or loaded from a file."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from topicdesk.application.curation import normalise_stop_words, read_stop_words
from topicdesk.errors import TopicDeskError

HINT = (
    "Words and phrases typed here are left out of every topic's keywords, for example "
    "forms of address in speeches (hon, gentleman) or the name of the survey. Keywords "
    "are recomputed for all topics; names you gave topics stay. Undo puts the old list back."
)


class StopWordsDialog(QDialog):
    """Edits a stop-word list; ``words()`` is the list to use, ``changed()`` whether it differs."""

    def __init__(self, words: list[str] | tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Stop words of this project")
        self.resize(460, 480)
        self._original = normalise_stop_words(words)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.editor = QPlainTextEdit("\n".join(self._original))
        self.editor.setPlaceholderText("One word or phrase per line, e.g.\nhon\nright honourable")
        self.editor.textChanged.connect(self._update_count)
        self.count = QLabel("")
        self.count.setStyleSheet("color: #444;")
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: 600;")
        self.error.setVisible(False)
        self.load_button = QPushButton("Add from file…")
        self.load_button.setToolTip("Add the words of a text file with one word or phrase per line")
        self.load_button.clicked.connect(self._choose_file)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.editor.clear)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Use these words")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        tools = QHBoxLayout()
        tools.addWidget(self.load_button)
        tools.addWidget(self.clear_button)
        tools.addStretch(1)
        tools.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.editor, 1)
        layout.addLayout(tools)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update_count()

    def words(self) -> list[str]:
        """The list as the project will keep it (trimmed, lower case, each once)."""
        return normalise_stop_words(self.editor.toPlainText().splitlines())

    def changed(self) -> bool:
        return self.words() != self._original

    def add_from_file(self, path: str) -> bool:
        """Add the words of a stop-word file; False (and the reason shown) if unreadable."""
        try:
            loaded = read_stop_words(path)
        except TopicDeskError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return False
        self.error.setVisible(False)
        self.editor.setPlainText("\n".join(normalise_stop_words([*self.words(), *loaded])))
        return True

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Add stop words from a file", "", "Text files (*.txt *.csv);;All files (*)"
        )
        if path:
            self.add_from_file(path)

    def _update_count(self) -> None:
        n = len(self.words())
        self.count.setText(f"{n} word{'' if n == 1 else 's'} or phrase{'' if n == 1 else 's'}")
