"""Draw the TopicDesk app icon: resources/icons/topicdesk.svg, PNGs, .ico and .icns.

The icon is a small topic map: three coloured clusters of documents on a dark tile, one
of them caught by a lasso. One geometry feeds both levels of detail: the full drawing for
48 px and up, and a bolder one (fewer, larger dots, a thicker lasso) for 16-32 px, where
fine detail would blur into mush. The SVG text is written here and the PNGs are rendered
from it with Qt's SVG renderer, so every file shows the same picture.

Run from the repository root: ``python packaging/make_icons.py`` (needs PySide6; runs on
the offscreen platform, no display needed).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
SMALL_LIMIT = 32  # sizes up to this use the bold drawing

TILE_TOP = "#26355a"
TILE_BOTTOM = "#141c33"
LASSO = "#ffffff"
# Cluster colours from the app's topic palette (blue, orange, green), a touch lighter so
# they stand out on the dark tile.
BLUE, ORANGE, GREEN = "#4a9be0", "#ff9a2e", "#47c25a"
NOISE = "#8a94ab"

Dot = tuple[float, float, float, str]  # x, y, radius, colour on a 512 x 512 canvas

FULL_DOTS: tuple[Dot, ...] = (
    # blue cluster, lower left
    (150, 318, 22, BLUE),
    (196, 300, 19, BLUE),
    (128, 366, 18, BLUE),
    (176, 350, 24, BLUE),
    (218, 344, 16, BLUE),
    (150, 410, 17, BLUE),
    (200, 392, 19, BLUE),
    (108, 322, 14, BLUE),
    # orange cluster, upper right (the one in the lasso)
    (318, 160, 22, ORANGE),
    (364, 150, 18, ORANGE),
    (298, 206, 19, ORANGE),
    (346, 196, 24, ORANGE),
    (392, 194, 16, ORANGE),
    (330, 244, 17, ORANGE),
    (376, 236, 19, ORANGE),
    # green cluster, lower right
    (336, 356, 20, GREEN),
    (380, 340, 17, GREEN),
    (360, 394, 22, GREEN),
    (404, 384, 16, GREEN),
    (318, 404, 15, GREEN),
    # a few documents in no topic
    (118, 166, 11, NOISE),
    (170, 208, 10, NOISE),
    (218, 252, 10, NOISE),
    (266, 420, 10, NOISE),
    (428, 288, 10, NOISE),
    (196, 126, 9, NOISE),
)

SMALL_DOTS: tuple[Dot, ...] = (
    (150, 318, 44, BLUE),
    (196, 392, 40, BLUE),
    (356, 194, 56, ORANGE),
    (354, 386, 44, GREEN),
)

# The lasso: a closed, slightly irregular loop around the orange cluster (cubic Bezier
# segments), then a short tail trailing off towards the lower left like a drawn stroke.
FULL_LASSO = (
    "M 246 332 C 240 300 252 274 272 252 C 246 204 262 126 344 112 "
    "C 416 100 454 156 444 210 C 434 266 372 292 318 286 "
    "C 290 282 268 266 258 240"
)
SMALL_LASSO = (
    "M 252 194 C 252 120 312 86 374 96 C 436 108 466 168 454 222 "
    "C 440 282 372 306 312 290 C 270 278 252 240 252 194"
)


def svg_text(small: bool) -> str:
    """The icon as SVG; ``small`` picks the bold drawing for tiny sizes."""
    dots = SMALL_DOTS if small else FULL_DOTS
    lasso = SMALL_LASSO if small else FULL_LASSO
    lasso_width = 30 if small else 13
    radius = 104 if small else 100
    inset = 12 if small else 28
    side = 512 - 2 * inset
    circles = "\n".join(
        f'    <circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="{c}"/>' for x, y, r, c in dots
    )
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" \
viewBox="0 0 512 512">
  <title>TopicDesk</title>
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="{TILE_TOP}"/>
      <stop offset="1" stop-color="{TILE_BOTTOM}"/>
    </linearGradient>
  </defs>
  <rect x="{inset}" y="{inset}" width="{side}" height="{side}" rx="{radius}" \
fill="url(#tile)"/>
  <g>
{circles}
  </g>
  <path d="{lasso}" fill="none" stroke="{LASSO}" stroke-width="{lasso_width}" \
stroke-linecap="round" stroke-linejoin="round" opacity="0.95"/>
</svg>
"""


def render(svg: str, size: int) -> QImage:
    """Rasterise the SVG to a square, transparent, antialiased image."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise RuntimeError("the generated icon SVG does not parse")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    """PNG encoding of an image, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG-compressed images (valid since Windows Vista).

    Layout: a 6-byte header (reserved 0, type 1 = icon, count), one 16-byte entry per
    image (width and height with 0 meaning 256, colour count, reserved, planes, bits per
    pixel, data size, data offset), then the PNG data itself.
    """
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = pngs[size]
        side = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def write_icns(image: QImage, path: Path) -> None:
    """The macOS icon through Qt's icns plugin, which builds every size from one image."""
    writer = QImageWriter(str(path), b"icns")
    if not writer.write(image):
        raise RuntimeError(f"Qt could not write {path.name}: {writer.errorString()}")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    full_svg, small_svg = svg_text(small=False), svg_text(small=True)
    (ICON_DIR / "topicdesk.svg").write_text(full_svg, encoding="utf-8")
    (ICON_DIR / "topicdesk-small.svg").write_text(small_svg, encoding="utf-8")
    pngs: dict[int, bytes] = {}
    for size in PNG_SIZES:
        image = render(small_svg if size <= SMALL_LIMIT else full_svg, size)
        pngs[size] = png_bytes(image)
        (ICON_DIR / f"topicdesk-{size}.png").write_bytes(pngs[size])
    (ICON_DIR / "topicdesk.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    write_icns(render(full_svg, 1024), ICON_DIR / "topicdesk.icns")
    del app
    print(f"icons written to {ICON_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
