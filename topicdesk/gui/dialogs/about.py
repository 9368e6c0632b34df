"""About TopicDesk: versions, the model, and the promise that data stays on the computer."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from topicdesk import __version__
from topicdesk.core.settings import DEFAULT_MODEL
from topicdesk.versions import package_version

PRIVACY = (
    "Your data never leaves this computer: TopicDesk makes no network connections "
    "unless you explicitly allow a model download. Its model libraries run with their "
    "offline switches on (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE), and OpenVINO's usage "
    "reporting is switched off."
)


def about_text(model: str = DEFAULT_MODEL) -> str:
    rows = [
        ("TopicDesk", __version__),
        ("Embedding model", model),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("PyTorch", package_version("torch")),
        ("sentence-transformers", package_version("sentence-transformers")),
        ("OpenVINO", package_version("openvino")),
        ("UMAP", package_version("umap-learn")),
        ("HDBSCAN", package_version("hdbscan")),
        ("scikit-learn", package_version("scikit-learn")),
    ]
    table = "".join(
        f"<tr><td style='color:#666;padding-right:12px'>{k}</td><td>{v}</td></tr>" for k, v in rows
    )
    return (
        f"<h3>TopicDesk {__version__}</h3><p>Find, read and curate the topics in your own texts.</p>"
        f"<p><b>{PRIVACY}</b></p><table>{table}</table>"
        "<p style='color:#666'>MIT licence. The sample corpus comes from the American Presidency Project.</p>"
    )


def show_about(parent: QWidget, model: str = DEFAULT_MODEL) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle("About TopicDesk")
    box.setTextFormat(Qt.RichText)
    box.setText(about_text(model))
    box.exec()
