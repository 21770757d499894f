"""Round avatars: a picture clipped to a circle, or the initials on the accent colour.

A group's picture travels as an http(s) URL or as a small image inline (a ``data:`` URL, see
``pbx_core.chat.records.MAX_PICTURE``); the app shows inline ones and draws initials for a URL,
so it never fetches an address someone typed. :func:`image_data_url` turns a file the user
picks into such a data URL: cropped to a square, 96 px, JPEG.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPainterPath, QPixmap

from ui import theme

__all__ = ["PICTURE_PX", "avatar_icon", "avatar_pixmap", "image_data_url", "initials"]

PICTURE_PX = 96
"""The side of a picture the app sends: sharp at 48 px on a 2x screen, a few KB as JPEG."""
_MAX_DATA_URL = 32_000  # the server's limit (pbx_core.chat.MAX_PICTURE)
_DATA_PREFIXES = ("data:image/png;base64,", "data:image/jpeg;base64,")
_cache: dict[tuple[str, str, int, bool], QPixmap] = {}


def initials(name: str) -> str:
    """Up to two capital letters: first and last word ("Anna de Vries" -> "AV")."""
    words = [w for w in name.split() if w]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def picture_image(picture: str | None) -> QImage | None:
    """The image of an inline picture; None for no picture, a URL or broken data."""
    if not picture or not picture.startswith(_DATA_PREFIXES):
        return None
    try:
        raw = base64.b64decode(picture.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    image = QImage.fromData(QByteArray(raw))
    return None if image.isNull() else image


def avatar_pixmap(name: str, size: int, picture: str | None = None) -> QPixmap:
    """A ``size`` px round avatar (drawn at 2x): the picture when there is one, else initials."""
    t = theme.current()
    key = (name, picture or "", size, t.dark)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    pm = QPixmap(size * 2, size * 2)
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    circle = QRectF(0, 0, size, size)
    image = picture_image(picture)
    if image is not None:
        path = QPainterPath()
        path.addEllipse(circle)
        p.setClipPath(path)
        p.drawImage(circle, image)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(t.accent))
        p.drawEllipse(circle)
        font = QFont()
        font.setPixelSize(int(size * 0.42))
        font.setWeight(QFont.Weight.DemiBold)
        p.setFont(font)
        p.setPen(QColor(t.accent_text))
        p.drawText(circle, Qt.AlignmentFlag.AlignCenter, initials(name))
    p.end()
    if len(_cache) > 512:
        _cache.clear()
    _cache[key] = pm
    return pm


def avatar_icon(name: str, size: int = 32, picture: str | None = None) -> QIcon:
    """:func:`avatar_pixmap` as an icon."""
    return QIcon(avatar_pixmap(name, size, picture))


def image_data_url(path: str | Path) -> str:
    """A picture file as a data URL the server takes; ValueError in plain words when the file
    is not an image Qt can read."""
    image = QImage(str(path))
    if image.isNull():
        raise ValueError(f"{Path(path).name} is not a picture this app can read")
    side = min(image.width(), image.height())
    square = image.copy(
        (image.width() - side) // 2, (image.height() - side) // 2, side, side
    ).scaled(
        PICTURE_PX,
        PICTURE_PX,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    for quality in (85, 70, 50):
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        square.convertToFormat(QImage.Format.Format_RGB32).save(buffer, "JPEG", quality)  # type: ignore[call-overload]
        url = "data:image/jpeg;base64," + base64.b64encode(bytes(data.data())).decode("ascii")
        if len(url) <= _MAX_DATA_URL:
            return url
    raise ValueError(f"{Path(path).name} is too detailed to send as a picture")
