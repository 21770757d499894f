"""Puts the Chat page into the main window: a side-bar section with the unread count as badge.

The context's ``chat`` and ``chat_ctl`` are looked up, not required: a context without them
(the fakes of the UI tests and of tools/screenshots.py) simply has no Chat section.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from app.protocols import UiContext
from app.stores.chat import ChatStore
from ui.chat_page import ChatPage
from ui.side_bar import SideBar

__all__ = ["install_chat"]


def install_chat(
    context: UiContext, pages: QStackedWidget, side_bar: SideBar, sections: dict[str, QWidget]
) -> ChatPage | None:
    """Add the "chat" section after the ones already there; the page, or None without chat."""
    store = getattr(context, "chat", None)
    actions = getattr(context, "chat_ctl", None)
    if not isinstance(store, ChatStore) or actions is None:
        return None
    page = ChatPage(store, actions, pages)
    directory = context.directory

    def colleagues(text: str) -> list[tuple[str, str]]:
        # the directory's copy now: a full sync swaps in a new one
        return [
            (e.extension, e.name)
            for e in directory.index.search(text, 30)
            if e.kind == "user" and e.extension and e.extension != store.me
        ]

    page.colleagues = colleagues
    pages.addWidget(page)
    sections["chat"] = page
    page.side_button = side_bar.add_section("chat", "message-circle")
    page.retranslate()

    def badge(_names: object) -> None:
        side_bar.set_badge("chat", store.unread_total)

    store.changed.connect(badge)
    badge(None)
    return page
