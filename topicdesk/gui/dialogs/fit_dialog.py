"""Fit settings in plain language, with the technical knobs folded away.

Every row is made from a :class:`~topicdesk.core.settings.SettingSpec`, so the dialog,
the command line and the checks always agree on labels, ranges and help texts.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from topicdesk.application.projects import ProjectSummary
from topicdesk.core.settings import DEFAULT_MODEL, SPEC_BY_NAME, SPECS, FitSettings, SettingSpec
from topicdesk.errors import TopicDeskError

LARGEST_SPIN = 10**7


class _ModelField(QWidget):
    """The model name or folder, with a button to choose a folder."""

    def __init__(self, value: str) -> None:
        super().__init__()
        self.edit = QLineEdit(value)
        browse = QPushButton("Choose folder…")
        browse.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Choose a sentence-transformers model folder"
        )
        if folder:
            self.edit.setText(folder)

    def value(self) -> str:
        return self.edit.text().strip() or DEFAULT_MODEL


def _widget_for(spec: SettingSpec, value: object) -> QWidget:
    if spec.kind == "int":
        box = QSpinBox()
        box.setRange(int(spec.low or 0), int(spec.high if spec.high is not None else LARGEST_SPIN))
        box.setValue(int(value or 0))
        return box
    if spec.kind == "float":
        box = QDoubleSpinBox()
        box.setRange(spec.low or 0.0, spec.high if spec.high is not None else LARGEST_SPIN)
        box.setSingleStep(spec.step)
        box.setDecimals(2)
        box.setValue(float(value))
        return box
    if spec.kind == "bool":
        box = QCheckBox(spec.label)
        box.setChecked(bool(value))
        return box
    if spec.kind == "choice":
        box = QComboBox()
        # wide enough for the longest choice, which the form would otherwise cut short
        box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(max(len(name) for _, name in spec.choices))
        for key, name in spec.choices:
            box.addItem(name, key)
        box.setCurrentIndex(max(0, box.findData(value)))
        return box
    return _ModelField(str(value))


def _changed(widget: QWidget) -> SignalInstance:
    """The signal a control sends when its value changes."""
    if isinstance(widget, QCheckBox):
        return widget.toggled
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.valueChanged
    assert isinstance(widget, _ModelField)
    return widget.edit.textChanged


def _value_of(spec: SettingSpec, widget: QWidget) -> object:
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QDoubleSpinBox):
        return round(widget.value(), 3)
    if isinstance(widget, QSpinBox):
        value = widget.value()
        return None if spec.zero_means_none and value == 0 else value
    assert isinstance(widget, _ModelField)
    return widget.value()


class FitDialog(QDialog):
    """Edits a :class:`FitSettings`; ``settings()`` returns the result.

    ``widgets`` maps each setting's name to its control. ``reuses`` tells whether a fit
    with given settings would take the project's saved embeddings, so the dialog can say
    when a change (another model, say) means embedding every text again.
    """

    def __init__(
        self,
        settings: FitSettings,
        summary: ProjectSummary,
        parent: QWidget | None = None,
        reuses: Callable[[FitSettings], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fit topics")
        self.setMinimumWidth(520)
        self._base = settings
        self._result = settings
        self._summary = summary
        self._reuses = reuses
        intro = QLabel()
        intro.setWordWrap(True)
        self.intro = intro

        self.widgets: dict[str, QWidget] = {}
        basic = QFormLayout()
        self.advanced = QGroupBox()
        advanced = QFormLayout(self.advanced)
        for spec in SPECS:
            widget = _widget_for(spec, getattr(settings, spec.name))
            widget.setToolTip(spec.help)
            self.widgets[spec.name] = widget
            form = advanced if spec.advanced else basic
            if spec.kind == "bool":
                form.addRow(widget)
            else:
                form.addRow(spec.label, widget)
        for widget in self.widgets.values():
            _changed(widget).connect(lambda *_: self._describe())
        self._describe()
        for spec in SPECS:
            if spec.requires:
                switch = self.widgets[spec.requires]
                assert isinstance(switch, QCheckBox)
                target = self.widgets[spec.name]
                switch.toggled.connect(target.setEnabled)
                target.setEnabled(switch.isChecked())

        # the advanced rows scroll inside the dialog, so its buttons stay on screen
        self.advanced_scroll = QScrollArea()
        self.advanced_scroll.setWidget(self.advanced)
        self.advanced_scroll.setWidgetResizable(True)
        self.advanced_scroll.setFrameShape(QScrollArea.NoFrame)
        self.advanced_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.advanced_scroll.setVisible(False)
        toggle = QToolButton(text="▸ Advanced settings", checkable=True)
        toggle.setAutoRaise(True)
        toggle.toggled.connect(self._show_advanced)
        self.advanced_toggle = toggle

        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Fit topics")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SetMinimumSize)  # never narrower than its rows
        layout.addWidget(intro)
        layout.addLayout(basic)
        layout.addWidget(toggle)
        layout.addWidget(self.advanced_scroll)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _describe(self) -> None:
        """What will be read, whether it must be embedded, and what happens to long texts,
        with the settings chosen now."""
        mode = _value_of(SPEC_BY_NAME["long_texts"], self.widgets["long_texts"])
        summary = replace(self._summary, long_text_mode=mode)
        if self._reuses is not None:
            chosen = self._chosen()
            summary = replace(summary, embedded=chosen is not None and self._reuses(chosen))
        self.intro.setText(
            "TopicDesk will read the documents, place similar ones close together and group "
            "them into topics. Everything runs on this computer.<br><br>"
            f"<span style='color:#555'>{html.escape(summary.documents_sentence())}</span>"
        )

    def _show_advanced(self, on: bool) -> None:
        self.advanced_toggle.setText(("▾" if on else "▸") + " Advanced settings")
        if on:
            rows = self.advanced.sizeHint()
            bar = self.advanced_scroll.verticalScrollBar().sizeHint().width()
            self.advanced_scroll.setMinimumWidth(rows.width() + bar)
            self.advanced_scroll.setMinimumHeight(min(rows.height(), self._room_for_rows()))
        self.advanced_scroll.setVisible(on)
        self.adjustSize()
        area, frame = self.screen().availableGeometry(), self.frameGeometry()
        # grown past the screen's foot or right edge: moved back onto it
        left = self.x() - max(0, frame.right() - area.right())
        top = self.y() - max(0, frame.bottom() - area.bottom())
        self.move(max(area.left(), left), max(area.top(), top))

    def _room_for_rows(self) -> int:
        """Height left for the advanced rows on this screen, with the title bar and the
        rest of the dialog (intro, basic rows, buttons: its size while the rows are
        hidden, as they are when this is asked) above and below them."""
        screen = self.screen().availableGeometry().height()
        title_bar = 2 * self.fontMetrics().height() + 16
        rest = self.sizeHint().height()
        return max(4 * self.fontMetrics().height(), screen - title_bar - rest)

    def settings(self) -> FitSettings:
        return self._result

    def _values(self) -> dict[str, object]:
        return {spec.name: _value_of(spec, self.widgets[spec.name]) for spec in SPECS}

    def _chosen(self) -> FitSettings | None:
        """The settings as the controls stand, or None while they do not fit together."""
        try:
            return self._base.replace(**self._values())
        except TopicDeskError:
            return None

    def accept(self) -> None:
        try:
            self._result = self._base.replace(**self._values())
        except TopicDeskError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
