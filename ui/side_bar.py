"""The side bar (seed 000 "Zijbalk"): one button per working section, with a red badge count."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.icons import icon

__all__ = ["SideBar"]


class SideBar(QWidget):
    """Section buttons; `section_chosen(name)` when the user picks one."""

    section_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SideBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 10, 6, 10)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        self.badges: dict[str, QLabel] = {}
        self._icons: dict[str, str] = {}
        self.setFixedWidth(84)

    def add_section(self, name: str, icon_name: str, at_bottom: bool = False) -> QToolButton:
        b = QToolButton(self)
        b.setObjectName("SideButton")
        b.setCheckable(True)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        b.setIconSize(QSize(22, 22))
        b.setSizePolicy(
            b.sizePolicy().horizontalPolicy().Expanding, b.sizePolicy().verticalPolicy()
        )
        b.clicked.connect(lambda _=False, n=name: self.section_chosen.emit(n))
        self._group.addButton(b)
        if at_bottom:
            self._layout.addWidget(b)
        else:
            self._layout.insertWidget(self._layout.count() - 1, b)
        badge = QLabel(b)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge.hide()
        self.buttons[name] = b
        self.badges[name] = badge
        self._icons[name] = icon_name
        self.restyle()
        return b

    def select(self, name: str) -> None:
        self.buttons[name].setChecked(True)

    def set_badge(self, name: str, count: int) -> None:
        """Show ``count`` in a red circle on the section's button (hidden at zero)."""
        badge = self.badges[name]
        text = str(count) if count < 100 else "99+"
        badge.setText(text)
        badge.setVisible(count > 0)
        badge.ensurePolished()
        # From the text, not sizeHint(): a fixed-size label's hint is its last size, so the
        # badge would grow with every update.
        w = max(18, badge.fontMetrics().horizontalAdvance(text) + 12)
        badge.setFixedSize(w, 18)
        self._place_badge(name)
        badge.raise_()

    def _place_badge(self, name: str) -> None:
        """Right of the icon's centre, but never past the button's edge ("99+")."""
        badge, width = self.badges[name], self.buttons[name].width()
        badge.move(max(0, min(width // 2 + 4, width - badge.width() - 2)), 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for name in self.badges:
            self._place_badge(name)

    def restyle(self) -> None:
        t = theme.current()
        for name, b in self.buttons.items():
            b.setIcon(icon(self._icons[name], t.text))
            self.badges[name].setStyleSheet(
                f"background:{t.red};color:white;border-radius:9px;font-size:10px;"
                "font-weight:600;padding:0 4px;"
            )
