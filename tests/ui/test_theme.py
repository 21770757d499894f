"""The dark scheme outlines text fields and radio buttons so they can be seen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

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
