"""The topic inspector: list contents and order, choice, button enabling and every signal."""

from __future__ import annotations

from PySide6.QtCore import Qt

from topicdesk.core.selection import TopicChoice
from topicdesk.core.state import UNASSIGNED, Topic
from topicdesk.gui.models.topic_list_model import FOUND, KEYWORDS, SIZE, TOPIC_ID_ROLE
from topicdesk.gui.views.topic_inspector import TopicInspector


def make_topics() -> tuple[list[Topic], dict[int, int]]:
    topics = [
        Topic(
            0,
            "Markets",
            keywords=["shares", "profit", "bank", "market", "growth", "firm"],
            weights=[0.3, 0.2, 0.1, 0.1, 0.05, 0.01],
            representatives=[0, 2],
        ),
        Topic(
            1,
            "Football",
            keywords=["club", "match"],
            weights=[0.4, 0.2],
            representatives=[1],
            note="check",
        ),
        Topic(2, "Elections", keywords=["vote", "party"], weights=[0.3, 0.3]),
    ]
    return topics, {0: 40, 1: 1200, 2: 7, UNASSIGNED: 15}


TEXTS = ["Shares rose sharply on Monday.", "The club won the match.", "Profit fell at the bank."]


def make(qtbot) -> TopicInspector:
    inspector = TopicInspector()
    qtbot.addWidget(inspector)
    inspector.resize(520, 700)
    topics, sizes = make_topics()
    inspector.set_topics(topics, sizes, TEXTS)
    return inspector


def ids_in_view(inspector: TopicInspector) -> list[int]:
    model = inspector.model
    return [model.data(model.index(r, 0), TOPIC_ID_ROLE) for r in range(model.rowCount())]


def click_row(qtbot, inspector: TopicInspector, topic_id: int, modifier=Qt.NoModifier) -> None:
    index = inspector.model.index_of_topic(topic_id, 1)
    rect = inspector.tree.visualRect(index)
    qtbot.mouseClick(inspector.tree.viewport(), Qt.LeftButton, modifier, rect.center())


def test_list_rows_and_sorting_keeps_unassigned_last(qtbot):
    inspector = make(qtbot)
    model = inspector.model
    assert ids_in_view(inspector) == [0, 1, 2, UNASSIGNED]
    assert model.data(model.index(0, KEYWORDS)) == "shares, profit, bank, market, growth"
    assert model.data(model.index(1, SIZE)) == "1,200"
    assert model.data(model.index(3, 1)) == "Unassigned"
    inspector.choose_topics([2])
    inspector.tree.sortByColumn(SIZE, Qt.DescendingOrder)
    assert ids_in_view(inspector) == [1, 0, 2, UNASSIGNED]
    assert inspector.chosen_topics() == [2]
    inspector.tree.sortByColumn(SIZE, Qt.AscendingOrder)
    assert ids_in_view(inspector) == [2, 0, 1, UNASSIGNED]


def test_choice_by_mouse_emits_and_shows_details(qtbot):
    inspector = make(qtbot)
    inspector.show()
    qtbot.waitExposed(inspector)
    chosen = []
    inspector.topicsChosen.connect(chosen.append)
    click_row(qtbot, inspector, 0)
    assert chosen[-1] == [0]
    assert inspector.label_edit.text() == "Markets"
    assert "profit" in inspector.keywords.text() and "0.200" in inspector.keywords.text()
    assert "Shares rose sharply" in inspector.examples.text()
    click_row(qtbot, inspector, 2, Qt.ControlModifier)
    assert chosen[-1] == [0, 2]
    assert not inspector.rename_button.isEnabled()


def test_choice_keeps_the_order_topics_were_chosen_in(qtbot):
    """Merging goes into the topic chosen first, even if it is lower in the list."""
    inspector = make(qtbot)
    inspector.show()
    qtbot.waitExposed(inspector)
    click_row(qtbot, inspector, 2)
    click_row(qtbot, inspector, 0, Qt.ControlModifier)
    assert inspector.chosen_topics() == [2, 0]
    click_row(qtbot, inspector, 1, Qt.ControlModifier)
    assert inspector.chosen_topics() == [2, 0, 1]
    click_row(qtbot, inspector, 0, Qt.ControlModifier)  # unchoose
    assert inspector.chosen_topics() == [2, 1]


def test_bound_choice_drives_the_list_both_ways(qtbot):
    inspector = make(qtbot)
    choice = TopicChoice()
    inspector.bind(choice)
    choice.set([1])
    assert inspector.chosen_topics() == [1] and inspector.label_edit.text() == "Football"
    inspector.show()
    qtbot.waitExposed(inspector)
    click_row(qtbot, inspector, 0, Qt.ControlModifier)
    assert choice.ids == [1, 0]


def test_choose_topics_is_silent_and_survives_new_topics(qtbot):
    inspector = make(qtbot)
    chosen = []
    inspector.topicsChosen.connect(chosen.append)
    inspector.choose_topics([1])
    assert chosen == [] and inspector.chosen_topics() == [1]
    assert inspector.note_edit.toPlainText() == "check"
    topics, sizes = make_topics()
    inspector.set_topics(topics[1:], sizes, TEXTS)
    assert inspector.chosen_topics() == [1]
    inspector.set_topics(topics[2:], sizes, TEXTS)
    assert inspector.chosen_topics() == []
    assert chosen == []


def test_signals_carry_the_right_arguments(qtbot):
    inspector = make(qtbot)
    inspector.choose_topics([1])

    with qtbot.waitSignal(inspector.renameRequested) as rename:
        inspector.label_edit.setText("  Premier League ")
        qtbot.keyClick(inspector.label_edit, Qt.Key_Return)
    assert rename.args == [1, "Premier League"]
    with qtbot.waitSignal(inspector.noteRequested) as note:
        inspector.note_edit.setPlainText("mostly transfers")
        qtbot.mouseClick(inspector.note_button, Qt.LeftButton)
    assert note.args == [1, "mostly transfers"]
    with qtbot.waitSignal(inspector.documentActivated) as activated:
        inspector.examples.linkActivated.emit("1")
    assert activated.args == [1]


def test_rename_to_the_same_name_does_nothing(qtbot):
    inspector = make(qtbot)
    inspector.choose_topics([0])
    renamed = []
    inspector.renameRequested.connect(lambda *args: renamed.append(args))
    qtbot.mouseClick(inspector.rename_button, Qt.LeftButton)
    inspector.label_edit.setText("   ")
    qtbot.mouseClick(inspector.rename_button, Qt.LeftButton)
    assert renamed == []


def test_sub_topics_sit_under_their_parent_with_sizes_added(qtbot):
    topics, sizes = make_topics()
    topics[2].parent = 0
    topics[0].stability, topics[0].runs_found, topics[0].runs_total = 0.81, 4, 5
    inspector = TopicInspector()
    qtbot.addWidget(inspector)
    inspector.set_topics(topics, sizes, TEXTS)
    model = inspector.model
    assert ids_in_view(inspector) == [0, 1, UNASSIGNED]  # the top level
    parent = model.index_of_topic(0)
    child = model.index(0, 0, parent)
    assert model.topic_id(child) == 2 and model.parent(child) == parent
    assert model.data(parent.siblingAtColumn(SIZE)) == "47"  # 40 of its own + 7 below
    assert model.data(parent.siblingAtColumn(FOUND)) == "4/5"
    assert model.data(model.index_of_topic(1, FOUND)) == "–"
    inspector.choose_topics([2])
    assert inspector.title.text() == "Topic 2 · in topic 0"
    inspector.choose_topics([0])
    assert "found in 4 of 5 runs" in inspector.stability.text()
    assert model.topic_ids() == [0, 2, 1, UNASSIGNED]
