"""One search for the map and the table: typing in either finds the same whole words."""

from __future__ import annotations

import re

from tests.factories import curated_project


def test_search_typed_in_the_table_shows_on_the_map_and_back(make_window, sotu, qtbot):
    window = make_window()
    project = curated_project(sotu.head(300))
    window.session.replace(project, None)
    texts = project.corpus.texts
    whole = [i for i, t in enumerate(texts) if re.search(r"(?<!\w)tax(?!\w)", t, re.IGNORECASE)]
    prefix = [i for i, t in enumerate(texts) if re.search(r"(?<!\w)tax", t, re.IGNORECASE)]
    assert 0 < len(whole) < len(prefix)

    qtbot.keyClicks(window.table.filter_edit, "TAX")
    assert window.map.search.text() == "TAX"
    assert window.table.model.visible_rows().tolist() == whole
    assert window.map.search_count.text() == f"{len(whole)} documents contain “TAX”"

    prefix_mode = next(a for a in window.map.search_box._modes.actions() if a.data() == "prefix")
    prefix_mode.trigger()
    assert window.search.query.mode == "prefix"
    assert window.table.model.visible_rows().tolist() == prefix

    window.map.search.clear()
    assert window.table.filter_edit.text() == "" and window.table.model.rowCount() == 300
