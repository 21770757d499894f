"""Puts the Calendar page into the main window as a side-bar section.

The context's ``calendar`` and ``calendar_ctl`` are looked up, not required: a context without
them (the fakes of the UI tests and of tools/screenshots.py) simply has no Calendar section.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.controllers.calendar import CalendarController
from app.protocols import UiContext
from app.stores.calendar import CalendarStore
from ui.calendar_page import CalendarPage
from ui.side_bar import SideBar

__all__ = ["install_calendar"]


class _Retitle(QObject):
    """Keeps the side button's text in the current language."""

    def __init__(self, page: CalendarPage, side_bar: SideBar) -> None:
        super().__init__(page)
        self._side_bar = side_bar
        page.installEventFilter(self)
        self.retitle()

    def retitle(self) -> None:
        self._side_bar.buttons["calendar"].setText(
            QCoreApplication.translate("CalendarPage", "Calendar")
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.retitle()
        return False


def install_calendar(
    context: UiContext, pages: QStackedWidget, side_bar: SideBar, sections: dict[str, QWidget]
) -> CalendarPage | None:
    """Add the "calendar" section after the ones already there; the page, or None."""
    store = getattr(context, "calendar", None)
    actions = getattr(context, "calendar_ctl", None)
    if not isinstance(store, CalendarStore) or not isinstance(actions, CalendarController):
        return None
    page = CalendarPage(store, actions, pages)
    pages.addWidget(page)
    sections["calendar"] = page
    side_bar.add_section("calendar", "calendar")
    _Retitle(page, side_bar)
    return page
