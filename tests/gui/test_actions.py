"""Actions and their rules: menus, shortcuts and panel buttons agree, and do what they say."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from tests.factories import curated_project
from topicdesk.application import enablement as rules
from topicdesk.application.enablement import Situation
from topicdesk.gui.actions import MENUS


@pytest.fixture
def window(make_window, sotu, qtbot):
    window = make_window()
    window.session.replace(curated_project(sotu.head(60), n_topics=4), None)
    window.show()
    qtbot.waitExposed(window)
    return window


def click_topic(qtbot, window, topic_id: int, modifier=Qt.NoModifier) -> None:
    tree = window.inspector.tree
    rect = tree.visualRect(window.inspector.model.index_of_topic(topic_id, 1))
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, modifier, rect.center())


def test_topic_commands_follow_the_choice_made_in_the_list(window, qtbot):
    actions = window.actions
    assert not actions["rename"].isEnabled() and not actions["merge"].isEnabled()
    click_topic(qtbot, window, 1)
    assert actions["rename"].isEnabled() and actions["delete"].isEnabled()
    assert not actions["merge"].isEnabled()
    click_topic(qtbot, window, 2, Qt.ControlModifier)
    assert actions["merge"].isEnabled() and not actions["rename"].isEnabled()


def test_f2_renames_the_topic_chosen_in_the_list(window, qtbot, monkeypatch):
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: ("Budget & taxes", True))
    )
    click_topic(qtbot, window, 1)
    qtbot.keyClick(window.inspector.tree, Qt.Key_F2)
    assert window.session.project.state.topics[1].label == "Budget & taxes"
    # "&" is a mnemonic sign in menus: the Undo item must still show it
    assert window.actions["undo"].text() == "&Undo Rename topic 1 to “Budget && taxes”"
    assert window.session.undo_stack.text(0) == "Rename topic 1 to “Budget & taxes”"


def test_ctrl_m_merges_into_the_topic_chosen_first(window, qtbot):
    state = window.session.project.state
    names = {t: state.topics[t].label for t in (1, 3)}
    members = set(state.members(1)) | set(state.members(3))
    click_topic(qtbot, window, 3)
    click_topic(qtbot, window, 1, Qt.ControlModifier)
    qtbot.keyClick(window.inspector.tree, Qt.Key_M, Qt.ControlModifier)
    assert 1 not in state.topics and state.topics[3].label == names[3]
    assert set(state.members(3)) == members
    assert window.choice.ids == [3]


def test_redo_answers_both_shortcuts_without_ambiguity(window, qtbot, qtlog):
    window.session.rename(0, "First")
    for key, modifiers in (
        (Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier),
        (Qt.Key_Y, Qt.ControlModifier),
    ):
        window.actions["undo"].trigger()
        assert window.session.project.state.topics[0].label != "First"
        qtbot.keyClick(window.inspector.tree, key, modifiers)
        assert window.session.project.state.topics[0].label == "First"
    assert not [r for r in qtlog.records if "Ambiguous shortcut" in r.message]
    redo_keys = [k.toString() for k in window.actions["redo"].shortcuts()]
    assert len(redo_keys) == len(set(redo_keys))


def test_panel_buttons_are_the_menu_actions(window, qtbot):
    for name, button in window.inspector.buttons.items():
        assert button.defaultAction() is window.actions[name]
    window.selection.select(np.arange(5))
    assert not window.inspector.buttons["move_here"].isEnabled()
    click_topic(qtbot, window, 2)
    assert window.inspector.buttons["move_here"].isEnabled()
    assert window.actions["move_here"].text() == "Move 5 selected documents into chosen topic"
    assert window.inspector.buttons["move_here"].text() == "Move 5 selected here"
    qtbot.mouseClick(window.inspector.buttons["move_here"], Qt.LeftButton)
    assert set(window.session.project.state.members(2)) >= set(range(5))


def test_every_action_has_a_rule_and_rules_read_the_situation():
    specs = [s for entries in MENUS.values() for s in entries if s is not None]
    assert len({s.name for s in specs}) == len(specs)
    none = Situation()
    busy = Situation(has_project=True, fitted=True, running=True, chosen=(1, 2), selected=3)
    assert not rules.can_fit(busy) and rules.several_topics(busy) and not rules.one_topic(busy)
    assert not any(
        rule(none) for rule in (rules.fitted, rules.has_project, rules.documents_selected)
    )
    one = Situation(has_project=True, fitted=True, chosen=(4,), selected=2)
    assert rules.documents_and_one_topic(one) and rules.one_topic(one)


def test_report_and_qda_export_from_the_file_menu(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    for name, suffix in (("export_report", "report.html"), ("export_qda", "study.qdpx")):
        target = tmp_path / suffix
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, t=target, **k: (str(t), ""))
        )
        window.actions[name].trigger()
        assert target.is_file() and target.stat().st_size > 1000
    assert window.statusBar().currentMessage() == "Exported study.qdpx"


def test_validation_work_marks_the_project_unsaved(window, monkeypatch):
    from topicdesk.gui.dialogs.intrusion_dialog import IntrusionDialog

    window.settings.setValue("researcher", "MK")
    seen = {}

    def take_test(dialog):
        seen["name"] = dialog.name.text()
        dialog.changed.emit()
        return 0

    monkeypatch.setattr(IntrusionDialog, "exec", take_test)
    assert not window.isWindowModified()
    window.actions["intrusion"].trigger()
    assert seen == {"name": "MK"} and window.isWindowModified() and window.session.dirty
