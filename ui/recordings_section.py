"""Puts call recording on demand (P17) into the main window: a "Recordings" section in the side
bar (seed 003 "Nahrávky" is a section of its own, next to voicemail;
:func:`install_recordings`) and Record in every call window of the call layer
(:func:`record_in_call_windows`).

The context's ``recordings`` and ``recordings_ctl`` are looked up, not required: a context
without them (the fakes of the UI tests and of tools/screenshots.py) has no Recordings section
and no Record button.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.bus import Changes
from app.controllers.recordings import RecordingsController
from app.protocols import UiContext
from app.stores.recordings import RecordingsStore
from ui.call_layer import CallLayer
from ui.recordings_page import RecordingsPage
from ui.side_bar import SideBar

__all__ = ["install_recordings", "record_in_call_windows"]


def _parts(context: UiContext) -> tuple[RecordingsStore, RecordingsController] | None:
    store = getattr(context, "recordings", None)
    actions = getattr(context, "recordings_ctl", None)
    if not isinstance(store, RecordingsStore) or not isinstance(actions, RecordingsController):
        return None
    return store, actions


def install_recordings(
    context: UiContext,
    pages: QStackedWidget,
    side_bar: SideBar,
    sections: dict[str, QWidget],
) -> RecordingsPage | None:
    """Add the "recordings" section after the ones already there; the page, or None."""
    parts = _parts(context)
    if parts is None:
        return None
    store, actions = parts
    page = RecordingsPage(
        store,
        actions,
        context.calls_ctl,
        context.directory.name_for,
        pages,
        region=context.settings.region,
    )
    pages.addWidget(page)
    sections["recordings"] = page
    page.side_button = side_bar.add_section("recordings", "circle-dot")
    page.retranslate()
    return page


def record_in_call_windows(context: UiContext, calls_layer: CallLayer) -> bool:
    """Record in every call window of ``calls_layer`` (now and to come); False without
    recording in the context."""
    parts = _parts(context)
    if parts is None:
        return False
    store, actions = parts

    def bind_windows() -> None:
        for window in calls_layer.windows.values():
            if window._recording_state is None:
                window.bind_recording(store.live, actions.toggle)

    def refresh(_names: object) -> None:
        for window in calls_layer.windows.values():
            window.refresh_recording()

    def on_changes(changes: Changes) -> None:
        if changes.calls:
            QTimer.singleShot(0, bind_windows)  # after the call layer made its windows

    store.changed.connect(refresh)
    context.changes.subscribe(on_changes, owner=calls_layer)
    bind_windows()
    return True
