"""Shipped files are found from a source checkout and from inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from topicdesk.errors import TopicDeskError
from topicdesk.resources import resource_path, resources_root

REPO = Path(__file__).resolve().parents[1]


def test_source_checkout_uses_the_repository_resources() -> None:
    assert resources_root() == REPO / "resources"
    sample = resource_path("sample_sotu.csv")
    assert sample.read_text(encoding="utf-8").startswith("para_id,")
    assert resource_path("icons", "topicdesk.svg").is_file()


def test_bundle_uses_the_unpacked_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    icon = tmp_path / "resources" / "icons" / "topicdesk.svg"
    icon.parent.mkdir(parents=True)
    icon.write_text("<svg/>", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("icons", "topicdesk.svg") == icon


def test_missing_file_is_a_user_facing_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(TopicDeskError, match=r"icons/none\.png .*reinstall"):
        resource_path("icons", "none.png")
