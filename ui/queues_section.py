"""Puts the ACD queues (S6) into the main window: a "Queues" section in the side bar with the
number of callers waiting in the user's queues as its badge (:func:`install_queues`).

The section shows only for a user who is an agent or supervisor of a queue, as seed 000
("Zijbalk": Queues shows when you are a member of one or more queues): most users never work in
one, and a button that always leads to "No queues available" would be clutter. The
empty state still shows when the user's last queue goes while the page is open (removed, or
the user taken off it); the button then goes once the user leaves the section.

The context's ``queues`` and ``queues_ctl`` are looked up, not required: a context without them
(the fakes of the UI tests and of tools/screenshots.py) has no Queues section.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from app.bus import Changes
from app.controllers.queues import QueuesController
from app.protocols import UiContext
from app.stores import ConnectionState
from app.stores.queues import QueuesStore
from ui.queues_page import QueuesPage
from ui.side_bar import SideBar

__all__ = ["install_queues"]


def install_queues(
    context: UiContext,
    pages: QStackedWidget,
    side_bar: SideBar,
    sections: dict[str, QWidget],
) -> QueuesPage | None:
    """Add the "queues" section after the ones already there; the page, or None."""
    store = getattr(context, "queues", None)
    actions = getattr(context, "queues_ctl", None)
    if not isinstance(store, QueuesStore) or not isinstance(actions, QueuesController):
        return None
    session, directory = context.session, context.directory

    def me() -> str | None:
        return session.me.extension if session.me is not None else None

    def in_call(extension: str) -> bool:
        user = directory.index.user(extension)
        return user is not None and user.line_state in ("busy", "in_call")

    page = QueuesPage(store, actions, me, in_call, pages, region=context.settings.region)
    pages.addWidget(page)
    sections["queues"] = page
    button = side_bar.add_section("queues", "users")
    page.side_button = button
    page.retranslate()

    def refresh(_names: object = None) -> None:
        side_bar.set_badge("queues", store.waiting_total)
        button.setVisible(bool(store.queues) or pages.currentWidget() is page)

    def on_changes(changes: Changes) -> None:
        if changes.touches("session"):
            page.set_offline(
                session.state in (ConnectionState.OFFLINE, ConnectionState.SERVER_RESTARTING)
            )
        if changes.touches("directory"):
            page.refresh_calls_in_progress()

    store.changed.connect(refresh)
    pages.currentChanged.connect(lambda _index: refresh())
    context.changes.subscribe(on_changes, owner=page)
    refresh()
    return page
