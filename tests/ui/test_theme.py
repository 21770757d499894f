"""The dark scheme outlines text fields, radio buttons and check boxes so they can be seen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox

from ui import theme
from ui.welcome import WelcomeDialog


@pytest.fixture
def dark(qapp: QApplication) -> Iterator[theme.Theme]:
    yield theme.apply_theme(qapp, dark=True)
    theme.apply_theme(qapp, dark=False)


def test_dark_fields_and_radio_buttons_have_a_visible_outline(
    qtbot, qapp: QApplication, dark: theme.Theme
) -> None:
    sheet = qapp.styleSheet()
    assert (
        "QRadioButton::indicator { width: 14px; height: 14px; border-radius: 8px;\n"
        f"    border: 1px solid {dark.field};" in sheet
    )
    assert f"QLineEdit {{ border: 1px solid {dark.field};" in sheet
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    image = dialog.grab().toImage()
    # the unchecked radio's ring: a pixel on its left edge is the field colour, not the window's
    radio = dialog.embedded
    ring = radio.mapTo(dialog, radio.rect().topLeft())
    window_lightness = QColor(dark.window).lightness()
    column = [
        image.pixelColor(ring.x() + dx, ring.y() + dy).lightness()
        for dx in range(4)
        for dy in range(radio.height())
    ]
    assert max(column) > window_lightness + 40


def test_light_scheme_keeps_fusion_fields(qapp: QApplication) -> None:
    theme.apply_theme(qapp, dark=False)
    assert "QRadioButton::indicator" not in qapp.styleSheet()


def test_dark_check_boxes_show_their_box_and_their_tick(
    qtbot, qapp: QApplication, dark: theme.Theme
) -> None:
    """The profile menu's "Private role": the empty box has an outline one sees, a ticked box
    is the accent colour with a white tick (the image exists and is drawn)."""
    box = QCheckBox("Private role")
    qtbot.addWidget(box)
    box.resize(160, 24)
    box.show()
    lightness = QColor(dark.window).lightness()
    empty = box.grab().toImage()
    left = [empty.pixelColor(x, y).lightness() for x in range(18) for y in range(24)]
    assert max(left) > lightness + 40  # the outline, not the window's near black
    box.setChecked(True)
    ticked = box.grab().toImage()
    pixels = [ticked.pixelColor(x, y) for x in range(18) for y in range(24)]
    accent = QColor(dark.accent)
    assert any(p == accent for p in pixels)
    assert any(p.red() > 240 and p.green() > 240 and p.blue() > 240 for p in pixels)
