"""Light and dark look: a Fusion palette plus a small style sheet, following the system scheme.

`QStyleHints.colorScheme()` tells the system's choice; `apply_theme` is called at start and on
`colorSchemeChanged`, and widgets read colours for painted parts (dots, icons) from `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from ui.icons import ICON_DIR

__all__ = ["DARK", "LIGHT", "Theme", "apply_theme", "current", "presence_color", "system_is_dark"]


@dataclass(frozen=True, slots=True)
class Theme:
    """The colours of one scheme."""

    dark: bool
    window: str
    base: str
    alt_base: str
    panel: str
    sidebar: str
    text: str
    muted: str
    border: str
    field: str
    """The outline of text fields and radio buttons: stronger than `border`, seen on `base`."""
    accent: str
    accent_text: str
    green: str
    red: str
    amber: str
    highlight: str


LIGHT = Theme(
    dark=False,
    window="#f4f6f9",
    base="#ffffff",
    alt_base="#f8fafc",
    panel="#ffffff",
    sidebar="#e9edf3",
    text="#1f2933",
    muted="#66707c",
    border="#d5dbe3",
    field="#9aa5b4",
    accent="#1d5fd1",
    accent_text="#ffffff",
    green="#16a34a",
    red="#dc2626",
    amber="#d97706",
    highlight="#dbe7fb",
)

DARK = Theme(
    dark=True,
    window="#1d2026",
    base="#24282f",
    alt_base="#2a2f37",
    panel="#2a2f37",
    sidebar="#171a1f",
    text="#e6e9ee",
    muted="#9aa3ae",
    border="#3a404a",
    field="#6b7585",
    accent="#5b8def",
    accent_text="#ffffff",
    green="#22c55e",
    red="#ef4444",
    amber="#f59e0b",
    highlight="#2f4a78",
)

_current: list[Theme] = [LIGHT]


def current() -> Theme:
    """The theme in force."""
    return _current[0]


def system_is_dark() -> bool:
    """True when the system asks for a dark scheme."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def presence_color(status: str | None) -> str:
    """Green when free, red when not to be disturbed, amber for the away states, grey unknown."""
    t = current()
    if status == "available":
        return t.green
    if status in ("dnd", "busy", "in_call"):
        return t.red
    if not status or status in ("offline", "unknown", "not_registered"):
        return t.muted
    return t.amber


def _palette(t: Theme) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(t.window))
    p.setColor(role.WindowText, QColor(t.text))
    p.setColor(role.Base, QColor(t.base))
    p.setColor(role.AlternateBase, QColor(t.alt_base))
    p.setColor(role.ToolTipBase, QColor(t.panel))
    p.setColor(role.ToolTipText, QColor(t.text))
    p.setColor(role.Text, QColor(t.text))
    p.setColor(role.PlaceholderText, QColor(t.muted))
    p.setColor(role.Button, QColor(t.panel))
    p.setColor(role.ButtonText, QColor(t.text))
    p.setColor(role.BrightText, QColor(t.red))
    p.setColor(role.Highlight, QColor(t.accent))
    p.setColor(role.HighlightedText, QColor(t.accent_text))
    p.setColor(role.Link, QColor(t.accent))
    p.setColor(role.Mid, QColor(t.border))
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(t.muted))
    return p


def _style_sheet(t: Theme) -> str:
    return f"""
QWidget#TopBar {{ background: {t.panel}; border-bottom: 1px solid {t.border}; }}
QWidget#SideBar {{ background: {t.sidebar}; }}
QToolButton#SideButton {{ border: none; border-radius: 8px; padding: 6px 2px;
    color: {t.muted}; font-size: 11px; }}
QToolButton#SideButton:checked {{ background: {t.highlight}; color: {t.text}; }}
QToolButton#SideButton:hover {{ background: {t.highlight}; }}
QLineEdit#SearchField {{ border: 1px solid {t.border}; border-radius: 16px;
    padding: 5px 12px; background: {t.alt_base}; }}
QLineEdit#SearchField:focus {{ border-color: {t.accent}; }}
QToolButton#TopButton {{ border: 1px solid {t.border}; border-radius: 16px;
    padding: 4px 10px; background: {t.alt_base}; }}
QToolButton#TopButton:hover {{ border-color: {t.accent}; }}
QToolButton#TopButton::menu-indicator {{ image: none; width: 0; }}
QFrame#Popup {{ background: {t.panel}; border: 1px solid {t.border}; border-radius: 10px; }}
QFrame#CallWindow {{ background: {t.panel}; border: 1px solid {t.border};
    border-radius: 12px; }}
QWidget#CallHeader {{ background: {t.highlight}; border-top-left-radius: 12px;
    border-top-right-radius: 12px; }}
QPushButton {{ padding: 5px 12px; border-radius: 6px; border: 1px solid {t.border};
    background: {t.alt_base}; }}
QPushButton:hover {{ border-color: {t.accent}; }}
QPushButton:checked {{ background: {t.highlight}; border-color: {t.accent}; }}
QPushButton#GreenButton {{ background: {t.green}; color: white; border: none; }}
QPushButton#RedButton {{ background: {t.red}; color: white; border: none; }}
QPushButton#PrimaryButton {{ background: {t.accent}; color: white; border: none; }}
QPushButton#KeyButton {{ font-size: 16px; min-width: 44px; min-height: 36px;
    border-radius: 18px; }}
QFrame#Banner {{ background: {t.amber}; color: #1b1200; }}
QFrame#Banner QLabel {{ color: #1b1200; }}
QFrame#Toast {{ background: {t.panel}; border: 1px solid {t.border}; border-radius: 8px; }}
QLabel#Muted {{ color: {t.muted}; }}
QLabel#ErrorText {{ color: {t.red}; }}
QLabel#Heading {{ font-size: 18px; font-weight: 600; }}
QLabel#SubHeading {{ font-size: 13px; font-weight: 600; }}
QLabel#EmptyState {{ color: {t.muted}; font-size: 14px; }}
QLabel#CallName {{ font-size: 15px; font-weight: 600; }}
QLabel#CallTimer {{ font-size: 14px; font-family: monospace; }}
QListView {{ border: none; background: {t.base}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; border: none; }}
QScrollBar::handle:vertical {{ background: {t.border}; border-radius: 4px; min-height: 28px;
    margin: 2px; }}
QScrollBar::handle:vertical:hover {{ background: {t.muted}; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; border: none; }}
QScrollBar::handle:horizontal {{ background: {t.border}; border-radius: 4px; min-width: 28px;
    margin: 2px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QLabel#CallStatus {{ font-size: 13px; }}
QGroupBox {{ font-weight: 600; border: 1px solid {t.border}; border-radius: 8px;
    margin-top: 14px; padding: 12px 10px 10px 10px; background: {t.base}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; }}
""" + (_dark_fields(t) if t.dark else "")


def _dark_fields(t: Theme) -> str:
    """Text fields, radio buttons and check boxes with an outline one sees on a dark
    background (Fusion draws theirs from the window colour, nearly black in dark)."""
    tick = (ICON_DIR / "check-on-accent.svg").as_posix()
    return f"""
QLineEdit {{ border: 1px solid {t.field}; border-radius: 4px; padding: 3px 5px;
    background: {t.base}; }}
QLineEdit:focus {{ border-color: {t.accent}; }}
QLineEdit:disabled {{ border-color: {t.border}; color: {t.muted}; }}
QRadioButton::indicator {{ width: 14px; height: 14px; border-radius: 8px;
    border: 1px solid {t.field}; background: {t.base}; }}
QRadioButton::indicator:hover {{ border-color: {t.accent}; }}
QRadioButton::indicator:checked {{ border-color: {t.accent};
    background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
        stop: 0 {t.accent}, stop: 0.5 {t.accent}, stop: 0.6 {t.base}, stop: 1 {t.base}); }}
QRadioButton::indicator:disabled {{ border-color: {t.border}; }}
QCheckBox::indicator {{ width: 14px; height: 14px; border-radius: 3px;
    border: 1px solid {t.field}; background: {t.base}; }}
QCheckBox::indicator:hover {{ border-color: {t.accent}; }}
QCheckBox::indicator:checked {{ border-color: {t.accent}; background: {t.accent};
    image: url("{tick}"); }}
QCheckBox::indicator:disabled {{ border-color: {t.border}; }}
"""


def apply_theme(app: QApplication, dark: bool | None = None) -> Theme:
    """Set Fusion, the palette and the style sheet for the system's (or the given) scheme."""
    t = DARK if (system_is_dark() if dark is None else dark) else LIGHT
    _current[0] = t
    app.setStyle("Fusion")
    app.setPalette(_palette(t))
    app.setStyleSheet(_style_sheet(t))
    return t
