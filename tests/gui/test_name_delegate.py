"""Topic names in narrow columns end after a whole keyword, with the full name kept."""

from __future__ import annotations

from PySide6.QtWidgets import QProxyStyle, QStyle

from topicdesk.core.state import Topic
from topicdesk.gui.models.topic_list_model import LABEL
from topicdesk.gui.views.short_names import short, whole_keywords
from topicdesk.gui.views.topic_inspector import TopicInspector

NAME = "government, federal, congress, states"


class DrawnTexts(QProxyStyle):
    """Records the text of every item cell the view asks the style to draw."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def drawControl(self, element, option, painter, widget=None) -> None:
        if element == QStyle.CE_ItemViewItem:
            self.texts.append(option.text)
        super().drawControl(element, option, painter, widget)


def test_whole_keywords_cuts_between_keywords_or_inside_a_lone_first_one():
    assert whole_keywords(NAME, lambda t: len(t) <= 24) == "government, federal…"
    assert whole_keywords(NAME, lambda t: len(t) <= 60) == NAME
    assert whole_keywords("verwaltungsgerichtshof, urteil", lambda t: len(t) <= 8) == "verwalt…"
    assert short(NAME, 24) == "government, federal…"


def test_topic_list_draws_whole_keywords_and_keeps_the_name_in_the_tooltip(qtbot):
    inspector = TopicInspector()
    qtbot.addWidget(inspector)
    inspector.resize(520, 500)
    inspector.set_topics([Topic(0, NAME, keywords=["government"])], {0: 12}, ["text"])
    style = DrawnTexts()
    inspector.tree.setStyle(style)
    inspector.show()
    qtbot.waitExposed(inspector)

    inspector.tree.header().resizeSection(LABEL, 190)
    inspector.tree.grab()
    assert "government, federal…" in style.texts
    assert not any(t.startswith("government, federal, c") for t in style.texts)

    style.texts.clear()
    inspector.tree.header().resizeSection(LABEL, 420)
    inspector.tree.grab()
    assert NAME in style.texts

    index = inspector.model.index(0, LABEL)
    assert inspector.model.data(index) == NAME
    assert inspector.model.data(index, 3) == NAME  # Qt.ToolTipRole


def test_corpus_table_topic_column_draws_whole_keywords(qtbot):
    import numpy as np
    import pandas as pd

    from topicdesk.gui.views.corpus_table import CorpusTable

    table = CorpusTable()
    qtbot.addWidget(table)
    frame = pd.DataFrame({"text": ["One text.", "Another text."]})
    table.model.set_corpus(frame, "text", frame["text"].tolist())
    table.model.set_topics(np.array([0, 0]), {0: NAME}, {0: "#1f77b4"})
    style = DrawnTexts()
    table.view.setStyle(style)
    table.resize(700, 300)
    table.view.setColumnWidth(0, 190)
    table.view.grab()
    assert "government, federal…" in style.texts
    assert table.model.data(table.model.index(0, 0), 3) == NAME  # Qt.ToolTipRole
