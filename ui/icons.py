"""Icons from the Lucide set in resources/icons, recoloured at run time for light and dark.

The SVGs draw with ``currentColor``; we substitute a concrete colour and render with QtSvg so one
file serves every theme and state (green call, red hang-up, muted text).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.paths import resource

__all__ = ["ICON_DIR", "icon", "pixmap"]

ICON_DIR = resource("icons")
_SIZES = (16, 20, 24, 32, 48, 64)


@lru_cache(maxsize=32)
def _svg(name: str) -> str:
    path = ICON_DIR / f"{name}.svg"
    if not path.is_file():
        raise ValueError(f"unknown icon: {name!r}")
    return path.read_text(encoding="utf-8")


def _renderer(name: str, color: str) -> QSvgRenderer:
    data = _svg(name).replace("currentColor", color)
    return QSvgRenderer(QByteArray(data.encode("utf-8")))


def pixmap(name: str, color: str | QColor, size: int, ratio: float = 1.0) -> QPixmap:
    """Render one icon at ``size`` logical pixels for a screen with ``ratio`` device pixels."""
    hex_color = color.name() if isinstance(color, QColor) else color
    renderer = _renderer(name, hex_color)
    side = max(1, round(size * ratio))
    pm = QPixmap(side, side)
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    pm.setDevicePixelRatio(ratio)
    return pm


_cache: dict[tuple[str, str, str | None], QIcon] = {}


def icon(name: str, color: str | QColor, disabled: str | QColor | None = None) -> QIcon:
    """A QIcon of ``name`` in ``color`` (and a greyed variant for disabled buttons)."""
    hex_color = color.name() if isinstance(color, QColor) else color
    hex_disabled = disabled.name() if isinstance(disabled, QColor) else disabled
    key = (name, hex_color, hex_disabled)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    result = QIcon()
    for size in _SIZES:
        for ratio in (1.0, 2.0):
            result.addPixmap(pixmap(name, hex_color, size, ratio), QIcon.Mode.Normal)
            if hex_disabled:
                result.addPixmap(pixmap(name, hex_disabled, size, ratio), QIcon.Mode.Disabled)
    _cache[key] = result
    return result
