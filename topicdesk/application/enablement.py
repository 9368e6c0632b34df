"""When each command makes sense: the enable rules of menus, shortcuts and buttons.

The app builds one :class:`Situation` from its models whenever one of them changes and
asks every action's rule; a menu item, its shortcut and the inspector's button are one
action, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Situation:
    """What the rules look at: the project, the fit, the chosen topics, the selection."""

    has_project: bool = False
    fitted: bool = False
    running: bool = False
    chosen: tuple[int, ...] = ()  # real topics chosen in the list, in the order chosen
    selected: int = 0  # documents selected on the map or in the table
    sub_topic: bool = False  # the one topic chosen was split from another

    @property
    def single_topic(self) -> bool:
        return self.fitted and len(self.chosen) == 1


Rule = Callable[[Situation], bool]


def always(_: Situation) -> bool:
    return True


def has_project(s: Situation) -> bool:
    return s.has_project


def fitted(s: Situation) -> bool:
    return s.fitted


def can_fit(s: Situation) -> bool:
    return s.has_project and not s.running


def fitted_idle(s: Situation) -> bool:
    return s.fitted and not s.running


def one_topic(s: Situation) -> bool:
    return s.single_topic


def several_topics(s: Situation) -> bool:
    return s.fitted and len(s.chosen) >= 2


def documents_selected(s: Situation) -> bool:
    return s.fitted and s.selected > 0


def documents_and_one_topic(s: Situation) -> bool:
    return s.single_topic and s.selected > 0


def one_topic_idle(s: Situation) -> bool:
    return s.single_topic and not s.running


def one_sub_topic(s: Situation) -> bool:
    return s.single_topic and s.sub_topic
