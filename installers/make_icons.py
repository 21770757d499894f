"""The program icon, drawn at build time: the Lucide phone in white on the accent blue.

    python installers/make_icons.py [OUT_DIR]      (default build/icons)

Writes ``acmephone.ico`` (Windows: the exe, the MSI's Add/Remove Programs and shortcut icon),
``acmephone.icns`` (the macOS .app) and ``acmephone.png`` (256 px, the Linux menu entry). Drawn
with Qt (offscreen), so nothing binary is kept in the repository; ICO and ICNS hold PNG images,
as Windows Vista+ and macOS 10.7+ read them.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLYPH = ROOT / "resources" / "icons" / "phone.svg"
ACCENT = "#1d5fd1"  # ui/theme.py, light theme accent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256, b"ic09": 512,
              b"ic10": 1024}  # fmt: skip


def _png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(ACCENT))
    margin = size * 0.06
    square = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.drawRoundedRect(square, size * 0.22, size * 0.22)
    svg = GLYPH.read_text(encoding="utf-8").replace("currentColor", "#ffffff")
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    glyph = size * 0.56
    renderer.render(painter, QRectF((size - glyph) / 2, (size - glyph) / 2, glyph, glyph))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes, Qt wants str
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per size + the PNGs."""
    sizes = sorted(images)
    offset = 6 + 16 * len(sizes)
    head = struct.pack("<HHH", 0, 1, len(sizes))
    entries, blobs = b"", b""
    for size in sizes:
        png = images[size]
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    return head + entries + blobs


def icns(images: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size]
        for kind, size in ICNS_TYPES.items()
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def build(out: Path) -> dict[str, Path]:
    """Write the three icon files into ``out``; their paths by suffix."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons"])
    sizes = sorted(set(ICO_SIZES) | set(ICNS_TYPES.values()))
    images = {size: _png(size) for size in sizes}
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "ico": out / "acmephone.ico",
        "icns": out / "acmephone.icns",
        "png": out / "acmephone.png",
    }
    paths["ico"].write_bytes(ico({s: images[s] for s in ICO_SIZES}))
    paths["icns"].write_bytes(icns(images))
    paths["png"].write_bytes(images[256])
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    for path in build(target).values():
        print(path)
