"""Undo/redo stacks over a topic state, with a timestamped log of every step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from topicdesk.core.edits import Edit
from topicdesk.core.state import TopicState


@dataclass(frozen=True)
class LogEntry:
    """One line of the edit log: what was done, undone or redone, and when."""

    time: str
    action: str  # "do", "undo" or "redo"
    kind: str
    description: str
    params: dict


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class History:
    """Linear undo history: doing a new edit drops the redo stack, as in every editor.

    ``listeners`` are called after each change so views can refresh.
    """

    def __init__(self, state: TopicState, log: list[LogEntry] | None = None) -> None:
        self.state = state
        self.done: list[Edit] = []
        self.undone: list[Edit] = []
        self.log: list[LogEntry] = list(log or [])
        self.listeners: list[Callable[[Edit], None]] = []

    def _record(self, action: str, edit: Edit) -> None:
        self.log.append(LogEntry(_now(), action, edit.kind, edit.describe(), edit.params()))
        for listener in list(self.listeners):
            listener(edit)

    def do(self, edit: Edit) -> Edit:
        """Apply a new edit; nothing changes if it raises."""
        edit.apply(self.state)
        self.done.append(edit)
        self.undone.clear()
        self._record("do", edit)
        return edit

    def undo(self) -> Edit | None:
        if not self.done:
            return None
        edit = self.done.pop()
        edit.revert(self.state)
        self.undone.append(edit)
        self._record("undo", edit)
        return edit

    def redo(self) -> Edit | None:
        if not self.undone:
            return None
        edit = self.undone.pop()
        edit.apply(self.state)
        self.done.append(edit)
        self._record("redo", edit)
        return edit

    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)
