"""Which colourings the map offers for the open project, and applying the chosen one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from topicdesk.application import stability_check, variables
from topicdesk.errors import TopicDeskError

if TYPE_CHECKING:
    from topicdesk.gui.main_window import MainWindow


class MapColouring(QObject):
    """Keeps the map's "Colour by" choices in step with the project's variables."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.map.colour_by.changed.connect(self.apply)

    def options(self) -> list[tuple[str, str]]:
        project = self.window.session.project
        out = [("topic", "Topic")]
        if project is None or not project.fitted:
            return out
        corpus = project.corpus
        if corpus.group_column:
            out.append(("group", f"Group ({corpus.group_column})"))
        if corpus.date_column:
            out.append(("period", f"Period ({corpus.date_column})"))
        if stability_check.has_document_stability(project):
            out.append(("stability", "Stability"))
        return out

    def refresh(self) -> None:
        """Offer the colourings the project allows now, and redraw with the chosen one."""
        self.window.map.colour_by.set_options(self.options())
        self.apply(self.window.map.colour_by.current())

    def after_edit(self) -> None:
        """An edit may add or change the stability figures; other colourings stay as drawn
        (the map recolours only the topics an edit touched)."""
        self.window.map.colour_by.set_options(self.options())
        if self.window.map.colour_by.current() == "stability":
            self.apply("stability")

    def apply(self, key: str) -> None:
        project = self.window.session.project
        colouring, title = None, ""
        try:
            if project is not None and key == "group":
                colouring, title = variables.colour_by_group(project), project.corpus.group_column
            elif project is not None and key == "stability":
                colouring = stability_check.colour_by_stability(project)
                title = "Kept in its topic"
            elif project is not None and key == "period":
                colouring = variables.colour_by_period(project)
                title = f"{project.corpus.date_column} by {variables.current_period(project)}"
        except TopicDeskError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
        self.window.map.set_colouring(colouring)
        entries = self.window.map.legend() if colouring is not None else []
        self.window.map.legend_overlay.show_entries(str(title), entries)
