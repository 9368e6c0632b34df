"""Menus, shortcuts, toolbar and inspector buttons, declared as one table with their rules.

Each :class:`ActionSpec` names the window method it runs (a dotted path such as
``files.save``) and the rule that enables it (from
:mod:`topicdesk.application.enablement`). The same QAction serves the menu, its
shortcut, the toolbar and any button in the panels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar

from topicdesk.application import enablement as rules
from topicdesk.application.enablement import Rule, Situation


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    slot: str
    shortcuts: tuple[QKeySequence.StandardKey | str, ...] = ()
    tip: str = ""
    icon: QStyle.StandardPixmap | None = None
    toolbar: bool = False
    when: Rule = rules.always
    short: str = ""  # on buttons in panels, where the menu text is too long


SUBMENU = "submenu"

MENUS: dict[str, list[ActionSpec | None]] = {
    "&File": [
        ActionSpec(
            "new",
            "&New from spreadsheet…",
            "files.import_spreadsheet",
            (QKeySequence.New,),
            "Open an Excel, CSV or OpenDocument file",
            QStyle.SP_FileIcon,
            True,
        ),
        ActionSpec(
            "open",
            "&Open project…",
            "files.open_project_dialog",
            (QKeySequence.Open,),
            "Open a .topicdesk project",
            QStyle.SP_DialogOpenButton,
            True,
        ),
        ActionSpec("recent", "Open &recent", SUBMENU),
        None,
        ActionSpec(
            "save",
            "&Save",
            "files.save",
            (QKeySequence.Save,),
            "Save the project",
            QStyle.SP_DialogSaveButton,
            True,
            rules.has_project,
        ),
        ActionSpec(
            "save_as",
            "Save &as…",
            "files.save_as",
            (QKeySequence.SaveAs,),
            "Save the project under a new name",
            when=rules.has_project,
        ),
        None,
        ActionSpec(
            "export",
            "&Export annotated spreadsheet…",
            "files.export_spreadsheet",
            ("Ctrl+E",),
            "Your table with a topic for every row, as .xlsx or .csv",
            QStyle.SP_DriveFDIcon,
            True,
            rules.fitted,
        ),
        ActionSpec(
            "export_report",
            "Export &report…",
            "publish.export_report",
            (),
            "A methods paragraph, the codebook, the map and charts in one web page to print or share",
            when=rules.fitted,
        ),
        ActionSpec(
            "export_qda",
            "Export for &QDA software…",
            "publish.export_qda",
            (),
            "A REFI-QDA project (.qdpx) or codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA or QualCoder",
            when=rules.fitted,
        ),
        ActionSpec(
            "export_map",
            "Export &map image…",
            "files.export_map",
            (),
            "All topics in full colour with a legend, as PNG or SVG",
            when=rules.fitted,
        ),
        None,
        ActionSpec("quit", "&Quit", "close", (QKeySequence.Quit,)),
    ],
    "&Edit": [
        ActionSpec("undo", "&Undo", "", (QKeySequence.Undo,), icon=QStyle.SP_ArrowBack),
        ActionSpec(
            "redo",
            "&Redo",
            "",
            (QKeySequence.Redo, "Ctrl+Shift+Z", "Ctrl+Y"),
            icon=QStyle.SP_ArrowForward,
        ),
        None,
        ActionSpec(
            "find",
            "&Find words…",
            "focus_search",
            (QKeySequence.Find,),
            "Find documents containing words, on the map and in the table",
            when=rules.fitted,
        ),
    ],
    "&Topics": [
        ActionSpec(
            "fit",
            "&Fit topics…",
            "fitting.fit_dialog",
            ("Ctrl+R",),
            "Find topics in the documents",
            QStyle.SP_MediaPlay,
            True,
            rules.can_fit,
        ),
        None,
        ActionSpec(
            "rename",
            "&Rename topic…",
            "topics.rename_dialog",
            ("F2",),
            "Give the chosen topic a name",
            when=rules.one_topic,
        ),
        ActionSpec(
            "merge",
            "&Merge chosen topics",
            "topics.merge_chosen",
            ("Ctrl+M",),
            "Merge the chosen topics into the one chosen first",
            when=rules.several_topics,
            short="Merge",
        ),
        ActionSpec(
            "new_topic",
            "&New topic from selection…",
            "topics.new_topic_from_selection",
            ("Ctrl+T",),
            "Make a topic of the selected documents",
            when=rules.documents_selected,
            short="New topic…",
        ),
        ActionSpec(
            "move_here",
            "Move selection &into chosen topic",
            "topics.move_to_chosen",
            ("Ctrl+Shift+H",),
            "Put the selected documents into the topic chosen in the list",
            when=rules.documents_and_one_topic,
            short="Move selection here",
        ),
        ActionSpec(
            "move",
            "Mo&ve selection to topic…",
            "topics.move_dialog",
            ("Ctrl+Shift+M",),
            "Put the selected documents into a topic you pick",
            when=rules.documents_selected,
        ),
        ActionSpec(
            "split",
            "S&plit topic…",
            "topics.split_topic",
            ("Ctrl+Shift+P",),
            "Cluster the chosen topic's documents again into sub-topics; preview before applying",
            when=rules.one_topic_idle,
        ),
        ActionSpec(
            "merge_parent",
            "Merge into &parent",
            "topics.merge_into_parent",
            (),
            "Give the chosen sub-topic's documents back to the topic it was split from",
            when=rules.one_sub_topic,
        ),
        ActionSpec(
            "delete",
            "&Delete topic…",
            "topics.delete_chosen",
            (),
            "Remove the chosen topic; its documents become unassigned",
            when=rules.one_topic,
            short="Delete…",
        ),
        ActionSpec(
            "check_stability",
            "Check s&tability…",
            "fitting.check_stability",
            (),
            "Run the clustering again with five other seeds, then with each also leaving out a "
            "tenth of the documents, and see which topics come back (ten re-runs: about ten "
            "times as long as the clustering of a fit; Cancel stops it)",
            when=rules.fitted_idle,
        ),
        ActionSpec(
            "stop_words",
            "&Stop words…",
            "topics.stop_words_dialog",
            (),
            "Your own words and phrases to leave out of every topic's keywords",
            when=rules.has_project,
        ),
        ActionSpec(
            "recompute",
            "Re&compute keywords",
            "topics.recompute_keywords",
            (),
            "Find keywords again for the documents each topic now holds; your names stay",
            when=rules.fitted,
            short="Recompute keywords",
        ),
    ],
    "&Project": [
        ActionSpec(
            "variables",
            "&Variables…",
            "variables_dialog",
            (),
            "Choose the date and group columns that topics are compared by",
            when=rules.has_project,
        ),
        None,
        ActionSpec(
            "show_over_time",
            "Topics &over time",
            "show_over_time",
            ("Ctrl+2",),
            "Each topic's share of the documents per period",
            when=rules.fitted,
        ),
        ActionSpec(
            "show_by_group",
            "Topics by &group",
            "show_by_group",
            ("Ctrl+3",),
            "Each topic's share of the documents per group",
            when=rules.fitted,
        ),
        ActionSpec(
            "show_map", "Document &map", "show_map", ("Ctrl+1",), "The map of all documents"
        ),
    ],
    "&Validate": [
        ActionSpec(
            "intrusion",
            "&Intrusion test…",
            "publish.intrusion_test",
            (),
            "Spot the word or topic that does not belong: do the topics mean what they seem to?",
            when=rules.fitted,
        ),
        ActionSpec(
            "blind_coding",
            "&Blind coding…",
            "publish.blind_coding",
            (),
            "Code a sample of documents yourself, then compare with the model",
            when=rules.fitted,
        ),
        ActionSpec(
            "validation_results",
            "Validation &results…",
            "publish.validation_results",
            (),
            "Scores of the intrusion tests and blind coding, with a co-researcher's copy",
            when=rules.fitted,
        ),
    ],
    "&View": [
        ActionSpec("reset_view", "Reset &map view", "reset_map", ("Ctrl+0",), when=rules.fitted),
        ActionSpec("reset_layout", "Reset &layout", "reset_layout"),
    ],
    "&Help": [
        ActionSpec("guide", "&User guide", "open_guide", (QKeySequence.HelpContents,)),
        ActionSpec("about", "&About TopicDesk", "about"),
    ],
}


def _keys(specs: tuple[QKeySequence.StandardKey | str, ...]) -> list[QKeySequence]:
    """Every key sequence once: a standard key may already hold one of the others."""
    seen: list[QKeySequence] = []
    for spec in specs:
        keys = (
            QKeySequence.keyBindings(spec)
            if isinstance(spec, QKeySequence.StandardKey)
            else [QKeySequence(spec)]
        )
        seen.extend(k for k in keys if not k.isEmpty() and k not in seen)
    return seen


def _resolve(window: object, dotted: str) -> Callable:
    return reduce(getattr, dotted.split("."), window)


class ActionTable:
    """The window's actions by name, and their rules, applied together."""

    def __init__(self, actions: dict[str, QAction], specs: dict[str, ActionSpec]) -> None:
        self.actions = actions
        self._specs = specs

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self.actions

    def update(self, situation: Situation) -> None:
        """Enable each action (undo and redo follow their stack) by its rule."""
        for name, spec in self._specs.items():
            if name in ("undo", "redo"):
                continue
            self.actions[name].setEnabled(spec.when(situation))


def build_actions(
    window: QMainWindow, undo: QAction, redo: QAction
) -> tuple[ActionTable, dict[str, QMenu], QToolBar]:
    """Create menus and toolbar on ``window``; slots are found on it by their dotted names."""
    actions: dict[str, QAction] = {"undo": undo, "redo": redo}
    specs: dict[str, ActionSpec] = {}
    menus: dict[str, QMenu] = {}
    toolbar = QToolBar("Main toolbar", window)
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    style = window.style()
    for title, entries in MENUS.items():
        menu = window.menuBar().addMenu(title)
        menus[title] = menu
        for spec in entries:
            if spec is None:
                menu.addSeparator()
                continue
            if spec.slot == SUBMENU:
                menus[spec.name] = menu.addMenu(spec.text)
                continue
            action = actions.get(spec.name) or QAction(spec.text, window)
            action.setObjectName(f"action_{spec.name}")
            if spec.name not in ("undo", "redo"):  # their stack writes "Undo <what>"
                action.setText(spec.text)
            if spec.short:
                action.setIconText(spec.short)
            action.setShortcuts(_keys(spec.shortcuts))
            if spec.tip:
                action.setStatusTip(spec.tip)
                action.setToolTip(spec.tip)
            if spec.icon is not None:
                action.setIcon(style.standardIcon(spec.icon))
            if spec.slot:
                slot = _resolve(window, spec.slot)
                action.triggered.connect(lambda _checked=False, s=slot: s())
            menu.addAction(action)
            actions[spec.name] = action
            specs[spec.name] = spec
            if spec.toolbar:
                toolbar.addAction(action)
    toolbar.addSeparator()
    for name in ("undo", "redo"):
        toolbar.addAction(actions[name])
    return ActionTable(actions, specs), menus, toolbar
