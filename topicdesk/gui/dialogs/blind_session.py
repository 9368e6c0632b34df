"""What the intrusion test and blind coding share: a researcher's session over a saved set.

Both dialogs open on a start page where the researcher names themselves and draws a new
set (tasks or a sample) or continues the saved one, then show its items one at a time
with nothing that gives the answer away, save each answer at once (so closing the window
pauses), and end on the results. Subclasses say what the set is and show one item.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from topicdesk.application import validation as val
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError
from topicdesk.gui.busy import busy
from topicdesk.gui.dialogs.validation_results import ValidationResultsView, tell

START, WORK, RESULTS = range(3)  # the dialog's pages


class BlindSessionDialog(QDialog):
    """Start or continue a saved set, answer its items one by one, then see the results."""

    changed = Signal()  # an answer or a new set was saved in the project

    TITLE = ""
    SIZE = (760, 560)
    INTRO = ""
    ITEM = ""  # "Task", "Document": the progress line's word
    NEW_BUTTON = ""
    RESUME_BUTTON = ""
    REPLACE_TITLE = ""
    REPLACE_TEXT = ""
    DRAW_FAILED = ""
    PAUSE_BUTTON = ""

    def __init__(self, project: Project, researcher: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.TITLE)
        self.resize(*self.SIZE)
        self.project = project
        self.queue: list[Any] = []
        self.total = 0
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._start_page(researcher))
        self.pages.addWidget(self._work_page())
        self.results = ValidationResultsView(project)
        self.pages.addWidget(self.results)
        self._update_start()

    # ----- what a subclass says -------------------------------------------------------
    def _add_choices(self, form: QFormLayout, layout: QVBoxLayout) -> None:
        """Set up ``self.per_topic`` and add the set's other choices to the start page."""

    def _saved(self) -> tuple[int, int] | None:
        """The saved set's size and seed, or None without one."""
        raise NotImplementedError

    def _saved_text(self, size: int, seed: int, left: int, who: str) -> str:
        raise NotImplementedError

    def _nothing_saved(self) -> str:
        raise NotImplementedError

    def _has_answers(self) -> bool:
        raise NotImplementedError

    def _can_draw(self) -> bool:
        """Whether the choices allow a new set; if not, say so and return False."""
        return True

    def _draw(self, replace: bool) -> None:
        """Draw and save a new set (``replace`` the saved one and its answers)."""
        raise NotImplementedError

    def _open_items(self, researcher: str) -> list[Any]:
        raise NotImplementedError

    def _add_work(self, layout: QVBoxLayout) -> None:
        """Add the widgets that show one item (below the progress line)."""
        raise NotImplementedError

    def _show(self, item: Any) -> None:
        """Show ``item`` on the work page."""
        raise NotImplementedError

    def _before_work(self) -> None:
        """Anything the work page needs once the saved set is known."""

    # ----- start ---------------------------------------------------------------------
    def _start_page(self, researcher: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(self.INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(researcher or val.DEFAULT_RESEARCHER)
        self.name.setToolTip("Each researcher answers under their own name; results combine.")
        self.name.textChanged.connect(self._update_start)
        form.addRow("Your name or initials:", self.name)
        self.per_topic = QSpinBox()
        choices = QVBoxLayout()
        self._add_choices(form, choices)
        layout.addLayout(form)
        layout.addLayout(choices)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        layout.addWidget(self.saved)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.new_button = QPushButton(self.NEW_BUTTON)
        self.new_button.clicked.connect(self.start_new)
        self.resume_button = QPushButton(self.RESUME_BUTTON)
        self.resume_button.setDefault(True)
        self.resume_button.clicked.connect(self.resume)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.resume_button)
        layout.addLayout(buttons)
        return page

    def researcher(self) -> str:
        return " ".join(self.name.text().split())

    def _update_start(self) -> None:
        saved = self._saved()
        if saved is None:
            self.saved.setText(self._nothing_saved())
            self.resume_button.setEnabled(False)
            return
        who = self.researcher()
        left = len(self._open_items(who)) if who else 0
        self.saved.setText(self._saved_text(*saved, left, who or "you"))
        self.resume_button.setEnabled(bool(who))

    def start_new(self) -> None:
        if not self._can_draw():
            return
        replace = False
        if self._has_answers():
            box = QMessageBox(
                QMessageBox.Question,
                self.REPLACE_TITLE,
                self.REPLACE_TEXT,
                QMessageBox.Discard | QMessageBox.Cancel,
                self,
            )
            if box.exec() != QMessageBox.Discard:
                return
            replace = True
        try:
            with busy():  # drawing word tasks counts every topic's keywords: seconds, not instant
                self._draw(replace)
        except TopicDeskError as exc:
            tell(self, self.DRAW_FAILED, str(exc), QMessageBox.Warning)
            return
        self.changed.emit()
        self.resume()

    def resume(self) -> None:
        if not self.researcher():
            tell(self, "Your name", "Enter your name or initials before starting.")
            return
        saved = self._saved()
        self.total = saved[0] if saved else 0
        self.queue = self._open_items(self.researcher())
        self._before_work()
        self._next()

    # ----- work ----------------------------------------------------------------------
    def _work_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress = QLabel()
        layout.addWidget(self.progress)
        self._add_work(layout)
        return page

    def _pause_button(self) -> QPushButton:
        """The button that closes the window between items; answers are already saved."""
        button = QPushButton(self.PAUSE_BUTTON)
        button.clicked.connect(self.accept)
        return button

    def current(self) -> Any | None:
        """The item on screen, or None off the work page."""
        return self.queue[0] if self.queue and self.pages.currentIndex() == WORK else None

    def _next(self) -> None:
        if not self.queue:
            self.results.refresh()
            self.pages.setCurrentIndex(RESULTS)
            return
        done = self.total - len(self.queue)
        self.progress.setText(f"{self.ITEM} {done + 1} of {self.total}")
        self._show(self.queue[0])
        self.pages.setCurrentIndex(WORK)

    def _answered(self) -> None:
        """The item on screen was answered and saved: on to the next."""
        self.queue.pop(0)
        self.changed.emit()
        self._next()
