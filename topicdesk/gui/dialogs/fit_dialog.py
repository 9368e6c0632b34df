"""Fit settings in plain language, with the technical knobs folded away."""

from __future__ import annotations

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
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from topicdesk.core.settings import DEFAULT_MODEL, FitSettings
from topicdesk.errors import TopicDeskError

LANGUAGE_NAMES = {"english": "English", "german": "German", "none": "No stop words"}


def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    return box


class FitDialog(QDialog):
    """Edits a :class:`FitSettings`; ``settings()`` returns the result."""

    def __init__(
        self, settings: FitSettings, n_documents: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fit topics")
        self.setMinimumWidth(480)
        self._base = settings
        intro = QLabel(
            f"TopicDesk will read all {n_documents:,} documents, place similar ones close together "
            "and group them into topics. Everything runs on this computer."
        )
        intro.setWordWrap(True)

        self.min_size = _spin(
            2,
            100000,
            settings.min_topic_size,
            "The smallest group of documents that counts as a topic. Larger values give fewer, broader topics.",
        )
        self.neighbours = _spin(
            2,
            200,
            settings.n_neighbors,
            "How many similar documents each document looks at. Small values find local detail, "
            "large values the broad structure of the corpus.",
        )
        self.seed = _spin(
            0,
            2**31 - 1,
            settings.seed,
            "Fits with the same seed and settings give the same topics. Change it to see how stable the topics are.",
        )
        self.language = QComboBox()
        for key, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, key)
        self.language.setCurrentIndex(list(LANGUAGE_NAMES).index(settings.language))
        self.language.setToolTip(
            "Common words of this language (the, and, der, und…) are left out of the keywords"
        )
        self.reduce_outliers = QCheckBox("Put outliers into the nearest topic")
        self.reduce_outliers.setChecked(settings.reduce_outliers)
        self.reduce_outliers.setToolTip(
            "Documents that fit no topic well join the most similar topic, "
            "if they are similar enough (threshold below)"
        )
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(settings.outlier_threshold)
        self.threshold.setToolTip("How similar (0–1) an outlier must be to a topic to join it")
        self.reduce_outliers.toggled.connect(self.threshold.setEnabled)
        self.threshold.setEnabled(settings.reduce_outliers)

        basic = QFormLayout()
        basic.addRow("Smallest topic (documents):", self.min_size)
        basic.addRow("Neighbours (local vs global structure):", self.neighbours)
        basic.addRow("Stop-word language:", self.language)
        basic.addRow("Random seed:", self.seed)
        basic.addRow(self.reduce_outliers)
        basic.addRow("Outlier similarity threshold:", self.threshold)

        self.advanced = QGroupBox()
        advanced = QFormLayout(self.advanced)
        self.ngram = _spin(
            1, 3, settings.ngram_max, "Keywords can be phrases of up to this many words"
        )
        self.min_df = _spin(
            1, 1000, settings.min_df, "A keyword must appear in at least this many documents"
        )
        self.min_samples = _spin(
            0,
            1000,
            settings.min_samples or 0,
            "How conservative the clustering is (0 = same as the smallest topic). "
            "Larger values leave more documents unassigned.",
        )
        self.batch = _spin(
            1, 1024, settings.batch_size, "Documents embedded at once; lower it if memory is short"
        )
        self.max_tokens = _spin(
            16,
            512,
            settings.max_seq_length,
            "Longer texts are cut to this many word pieces when embedded",
        )
        self.exact = QCheckBox("Full-precision embeddings (slower)")
        self.exact.setChecked(settings.precision == "float32")
        self.exact.setToolTip(
            "Off: on processors with native bfloat16 arithmetic the text embeddings are "
            "computed two to two and a half times as fast, checked to stay within 1% of "
            "full precision each time the model loads"
        )
        self.model = QLineEdit(settings.model)
        self.model.setToolTip(
            f"'{DEFAULT_MODEL}' is built in. Or choose a folder with a sentence-transformers model."
        )
        browse = QPushButton("Choose folder…")
        browse.clicked.connect(self._choose_model)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(browse)
        self.allow_download = QCheckBox("Allow downloading the model from the internet")
        self.allow_download.setChecked(settings.allow_download)
        self.allow_download.setToolTip(
            "Off by default: TopicDesk then never connects to the internet"
        )
        advanced.addRow("Keyword phrase length:", self.ngram)
        advanced.addRow("Minimum documents per keyword:", self.min_df)
        advanced.addRow("Min samples:", self.min_samples)
        advanced.addRow("Batch size:", self.batch)
        advanced.addRow("Max tokens per text:", self.max_tokens)
        advanced.addRow(self.exact)
        advanced.addRow("Embedding model:", model_row)
        advanced.addRow(self.allow_download)
        self.advanced.setVisible(False)
        toggle = QToolButton(text="▸ Advanced settings", checkable=True)
        toggle.setAutoRaise(True)
        toggle.toggled.connect(
            lambda on: (
                self.advanced.setVisible(on),
                toggle.setText(("▾" if on else "▸") + " Advanced settings"),
                self.adjustSize(),
            )
        )

        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Fit topics")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(basic)
        layout.addWidget(toggle)
        layout.addWidget(self.advanced)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._result = settings

    def _choose_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Choose a sentence-transformers model folder"
        )
        if folder:
            self.model.setText(folder)

    def settings(self) -> FitSettings:
        return self._result

    def accept(self) -> None:
        try:
            self._result = self._base.replace(
                min_topic_size=self.min_size.value(),
                n_neighbors=self.neighbours.value(),
                seed=self.seed.value(),
                language=self.language.currentData(),
                reduce_outliers=self.reduce_outliers.isChecked(),
                outlier_threshold=round(self.threshold.value(), 3),
                ngram_max=self.ngram.value(),
                min_df=self.min_df.value(),
                min_samples=self.min_samples.value() or None,
                batch_size=self.batch.value(),
                max_seq_length=self.max_tokens.value(),
                precision="float32" if self.exact.isChecked() else "auto",
                model=self.model.text().strip() or DEFAULT_MODEL,
                allow_download=self.allow_download.isChecked(),
            )
        except TopicDeskError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
