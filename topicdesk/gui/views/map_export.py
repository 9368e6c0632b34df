"""The map drawn plain for export: every document in full colour at full view, without
selection, search hits, faded topics, lasso or card; what the screen showed comes back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from topicdesk.gui.views.map_density import EXPORT_BLOCK_PX

if TYPE_CHECKING:
    from topicdesk.gui.views.document_map import DocumentMap


@contextmanager
def plain(view: DocumentMap) -> Iterator[None]:
    """All documents in full colour, without selection, search hits, lasso or card;
    what the screen showed comes back afterwards. A large map is drawn as density with
    finer blocks (the picture is at least twice the screen's size)."""
    density = view._density
    overlays = (view._selected, view._highlight, view._view._item, view._hint)
    overlays += (density.selected, density.found)
    shown = [item.isVisible() for item in overlays]
    opacity = {tid: item.opacity() for tid, item in view._items.items()}
    view_range, chosen, found = view._view.viewRange(), view._chosen, view._found_rows
    view._card.dismiss()
    try:
        view._chosen, view._found_rows = set(), None
        view._fit_view()
        view._refresh_level(EXPORT_BLOCK_PX)
        for item in overlays:
            item.setVisible(False)
        for item in [*view._items.values(), density.base]:
            item.setOpacity(1.0)
        view._names.declutter()
        view._names.make_room()
        yield
    finally:
        view._chosen, view._found_rows = chosen, found
        for item, visible in zip(overlays, shown):
            item.setVisible(visible)
        for tid, item in view._items.items():
            item.setOpacity(opacity.get(tid, 1.0))
        view._view.setRange(xRange=view_range[0], yRange=view_range[1], padding=0)
        view._refresh_level()
        view._fade_base()
        view._names.declutter()
