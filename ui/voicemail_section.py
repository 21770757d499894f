"""Puts the Voicemail page into the main window: a side-bar section with the unheard count as
badge, and the voicemail button of the Calls page's missed calls.

The context's ``voicemail`` and ``voicemail_ctl`` are looked up, not required: a context without
them (the fakes of the UI tests and of tools/screenshots.py) simply has no Voicemail section.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from app.protocols import UiContext
from app.stores.history import HistoryEntry
from app.stores.voicemail import VoicemailStore
from ui.calls_page import CallsPage
from ui.side_bar import SideBar
from ui.voicemail_page import VoicemailActions, VoicemailPage

__all__ = ["install_voicemail"]


def install_voicemail(
    context: UiContext,
    pages: QStackedWidget,
    side_bar: SideBar,
    sections: dict[str, QWidget],
    calls_page: CallsPage | None = None,
) -> VoicemailPage | None:
    """Add the "voicemail" section after the ones already there; the page, or None."""
    store = getattr(context, "voicemail", None)
    actions: VoicemailActions | None = getattr(context, "voicemail_ctl", None)
    if not isinstance(store, VoicemailStore) or actions is None:
        return None
    chat_ctl = getattr(context, "chat_ctl", None)

    def chat_with(extension: str) -> None:
        if chat_ctl is not None and "chat" in side_bar.buttons:
            chat_ctl.start_direct(extension)
            side_bar.buttons["chat"].click()

    page = VoicemailPage(
        store,
        actions,
        context.calls_ctl,
        context.directory.name_for,
        pages,
        region=context.settings.region,
        chat_with=chat_with if chat_ctl is not None else None,
    )
    pages.addWidget(page)
    sections["voicemail"] = page
    page.side_button = side_bar.add_section("voicemail", "voicemail")
    page.retranslate()

    def badge(_names: object) -> None:
        side_bar.set_badge("voicemail", store.unheard)

    store.changed.connect(badge)
    badge(None)
    context.changes.subscribe(page.on_calls_changed, owner=page)
    if calls_page is not None:

        def message_of(entry: HistoryEntry) -> int | None:
            if entry.direction != "missed":
                return None
            # by the call's id where the server gives it (else by caller and time)
            message = store.for_call(entry.number, entry.started_at, entry.call_id)
            return message.id if message is not None else None

        def play(ident: int) -> None:
            side_bar.buttons["voicemail"].click()
            page.play(ident)

        calls_page.voicemail_of = message_of
        calls_page.play_voicemail = play
        store.changed.connect(lambda names: calls_page.voicemail_changed())
    return page
