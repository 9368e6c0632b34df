"""The icon set, desktop entry and file type shipped for installers are well formed."""

from __future__ import annotations

import configparser
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ICONS = REPO / "resources" / "icons"
LINUX = REPO / "packaging" / "linux"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_png_size_is_present_and_square() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert png_size((ICONS / f"topicdesk-{size}.png").read_bytes()) == (size, size)


def test_ico_holds_png_images_from_16_to_256_pixels() -> None:
    data = (ICONS / "topicdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        side = width or 256
        assert (height or 256) == side and (planes, bits) == (1, 32)
        assert png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_desktop_entry_opens_project_files() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(LINUX / "topicdesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == "topicdesk %f"
    assert desktop["Icon"] == "topicdesk"
    assert "application/x-topicdesk" in desktop["MimeType"].split(";")


def test_mime_type_matches_the_project_extension() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(LINUX / "topicdesk-mime.xml").getroot()
    mime = root.find("m:mime-type", ns)
    assert mime is not None and mime.get("type") == "application/x-topicdesk"
    globs = [g.get("pattern") for g in mime.findall("m:glob", ns)]
    assert globs == ["*.topicdesk"]
