"""Where the files shipped with TopicDesk (sample corpus, icons) live at run time.

From a source checkout or an editable install they sit in ``resources/`` at the
repository root; in an app built with PyInstaller they are unpacked under
``sys._MEIPASS/resources``. Code asks this module instead of building paths itself, so
it works the same in both.
"""

from __future__ import annotations

import sys
from pathlib import Path

from topicdesk.errors import TopicDeskError


def resources_root() -> Path:
    """The folder holding the shipped resources for this way of running the app."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("icons", "topicdesk.svg")``."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise TopicDeskError(
            f"The file {'/'.join(parts)} that ships with TopicDesk is missing; "
            "please reinstall TopicDesk."
        )
    return path
