"""Menus, shortcuts and the toolbar, declared as one table so they stay consistent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    slot: str
    shortcut: QKeySequence.StandardKey | str | None = None
    tip: str = ""
    icon: QStyle.StandardPixmap | None = None
    toolbar: bool = False


MENUS: dict[str, list[ActionSpec | None]] = {
    "&File": [
        ActionSpec(
            "new",
            "&New from spreadsheet…",
            "import_spreadsheet",
            QKeySequence.New,
            "Open an Excel, CSV or OpenDocument file",
            QStyle.SP_FileIcon,
            True,
        ),
        ActionSpec(
            "open",
            "&Open project…",
            "open_project_dialog",
            QKeySequence.Open,
            "Open a .topicdesk project",
            QStyle.SP_DialogOpenButton,
            True,
        ),
        ActionSpec("recent", "Open &recent", ""),
        None,
        ActionSpec(
            "save",
            "&Save",
            "save",
            QKeySequence.Save,
            "Save the project",
            QStyle.SP_DialogSaveButton,
            True,
        ),
        ActionSpec(
            "save_as",
            "Save &as…",
            "save_as",
            QKeySequence.SaveAs,
            "Save the project under a new name",
        ),
        None,
        ActionSpec(
            "export",
            "&Export annotated spreadsheet…",
            "export_spreadsheet",
            "Ctrl+E",
            "Your table with a topic for every row, as .xlsx or .csv",
            QStyle.SP_DriveFDIcon,
            True,
        ),
        ActionSpec("export_map", "Export &map image…", "export_map", None, "The map as PNG or SVG"),
        None,
        ActionSpec("quit", "&Quit", "close", QKeySequence.Quit),
    ],
    "&Edit": [
        ActionSpec("undo", "&Undo", "", QKeySequence.Undo, icon=QStyle.SP_ArrowBack),
        ActionSpec("redo", "&Redo", "", "Ctrl+Shift+Z", icon=QStyle.SP_ArrowForward),
        None,
        ActionSpec(
            "find",
            "&Find on map",
            "focus_search",
            QKeySequence.Find,
            "Highlight documents containing a word",
        ),
    ],
    "&Topics": [
        ActionSpec(
            "fit",
            "&Fit topics…",
            "fit_dialog",
            "Ctrl+R",
            "Find topics in the documents",
            QStyle.SP_MediaPlay,
            True,
        ),
        None,
        ActionSpec(
            "rename", "&Rename topic…", "rename_dialog", "F2", "Give the chosen topic a name"
        ),
        ActionSpec(
            "merge",
            "&Merge chosen topics",
            "merge_chosen",
            "Ctrl+M",
            "Merge the topics chosen in the list",
        ),
        ActionSpec(
            "new_topic",
            "&New topic from selection",
            "new_topic_from_selection",
            "Ctrl+T",
            "Make a topic of the selected documents",
        ),
        ActionSpec(
            "move",
            "Mo&ve selection to topic…",
            "move_dialog",
            "Ctrl+Shift+M",
            "Put the selected documents into a topic",
        ),
        ActionSpec("delete", "&Delete topic", "delete_chosen", None, "Remove the chosen topic"),
        ActionSpec(
            "recompute",
            "Re&compute keywords",
            "recompute_keywords",
            None,
            "Find keywords again for the current topics",
        ),
    ],
    "&View": [
        ActionSpec("reset_view", "Reset &map view", "reset_map", "Ctrl+0"),
        ActionSpec("reset_layout", "Reset &layout", "reset_layout"),
    ],
    "&Help": [
        ActionSpec("guide", "&User guide", "open_guide", QKeySequence.HelpContents),
        ActionSpec("about", "&About TopicDesk", "about"),
    ],
}


def build_actions(
    window: QMainWindow, undo: QAction, redo: QAction
) -> tuple[dict[str, QAction], dict[str, QMenu], QToolBar]:
    """Create menus and toolbar on ``window``; slots are its methods named in the table."""
    actions: dict[str, QAction] = {"undo": undo, "redo": redo}
    menus: dict[str, QMenu] = {}
    toolbar = QToolBar("Main toolbar", window)
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    style = window.style()
    for title, specs in MENUS.items():
        menu = window.menuBar().addMenu(title)
        menus[title] = menu
        for spec in specs:
            if spec is None:
                menu.addSeparator()
                continue
            if spec.name == "recent":
                menus["recent"] = menu.addMenu(spec.text)
                continue
            action = actions.get(spec.name) or QAction(spec.text, window)
            action.setText(spec.text)
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            if spec.name == "redo":
                action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.Redo)])
            if spec.tip:
                action.setStatusTip(spec.tip)
                action.setToolTip(spec.tip)
            if spec.icon is not None:
                action.setIcon(style.standardIcon(spec.icon))
            if spec.slot:
                slot: Callable = getattr(window, spec.slot)
                action.triggered.connect(lambda _checked=False, s=slot: s())
            menu.addAction(action)
            actions[spec.name] = action
            if spec.toolbar:
                toolbar.addAction(action)
    toolbar.addSeparator()
    for name in ("undo", "redo"):
        toolbar.addAction(actions[name])
    return actions, menus, toolbar
