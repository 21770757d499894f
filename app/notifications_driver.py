"""The driver of desktop notifications: :mod:`desktop_notifier` on the app's asyncio loop.

``desktop-notifier`` speaks to the operating system's notification centre (on Linux
``org.freedesktop.Notifications`` on the D-Bus session bus, through ``dbus-fast``; on macOS the
UserNotifications framework; on Windows WinRT toasts), with buttons and a reply field typed
in the notification itself. What to show comes from :mod:`app.notifications`; this only shows,
takes back, and routes the user's answers (a button, a reply, a click) to the app.

No notification service (no session bus, nobody owning the name) is a state, not an error:
logged once, every later note dropped, the app works on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from desktop_notifier import Button, DesktopNotifier, Icon, Notification, ReplyField, Urgency

from app.bus import Bus, ChangeHub, Changes
from app.controllers.chat import ChatEventReceived
from app.notifications import (
    Note,
    Situation,
    VoicemailReceived,
    Withdraw,
    chat_note,
    missed_call_notes,
    notes_for_calls,
    register_voicemail_events,
    voicemail_note,
)
from app.stores._base import tr
from app.stores.chat import ChatMessage, ChatStore
from app.stores.history import HistoryStore

__all__ = ["APP_NAME", "NoteHandlers", "Notifications", "follow"]

_log = logging.getLogger(__name__)

APP_NAME = "Acme Phone"
"""The name the notification centre shows (on Linux it should match the desktop entry)."""
APP_ICON = Icon(name="call-start")
"""A freedesktop.org standard icon name (Linux); the other systems show the app's own icon."""


def _nothing(_text: str) -> None:
    return None


@dataclass(slots=True)
class NoteHandlers:
    """What the user's answers to a notification do, set by the composition root."""

    answer: Callable[[str], None] = _nothing
    """The call key."""
    decline: Callable[[str], None] = _nothing
    call_back: Callable[[str], None] = _nothing
    """The number."""
    reply: Callable[[int, str], None] = lambda _cid, _text: None
    """The conversation id and the typed text."""
    open: Callable[[Note], None] = lambda _note: None
    """Bring the app to the front at what the note is about."""


async def _leave_bus(notifier: DesktopNotifier) -> None:
    """Close the D-Bus connection the Linux backend opened (there is no public way)."""
    bus = getattr(getattr(notifier, "_backend", None), "bus", None)
    disconnect = getattr(bus, "disconnect", None)
    if not callable(disconnect):
        return
    with contextlib.suppress(Exception):
        disconnect()
        waiting = getattr(bus, "wait_for_disconnect", None)
        if callable(waiting):
            await waiting()


class Notifications:
    """Shows :class:`Note`, takes back :class:`Withdraw`, in the order given."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        handlers: NoteHandlers | None = None,
        notifier: Callable[[], DesktopNotifier] = lambda: DesktopNotifier(APP_NAME, APP_ICON),
    ) -> None:
        self._loop = loop
        self.handlers = handlers or NoteHandlers()
        self._make = notifier
        self._notifier: DesktopNotifier | None = None
        self.available: bool | None = None
        """None until the service was asked; False: none there (notes are dropped)."""
        self.shown: dict[str, str] = {}
        """Note key → the notifier's identifier of what is on screen now."""
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    def apply(self, items: Iterable[Note | Withdraw]) -> None:
        """Show or take back each item (asynchronously, in this order)."""
        for item in items:
            task = self._loop.create_task(self._apply(item), name="notification")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every item given so far reached the notification centre."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Take back what is shown and leave the session bus (at quit)."""
        await self.idle()
        notifier, self._notifier = self._notifier, None
        if notifier is None or not self.available:
            return
        try:
            await notifier.clear_all()
        except Exception:
            _log.warning("taking the notifications back failed", exc_info=True)
        self.shown.clear()
        await _leave_bus(notifier)

    async def _ready(self) -> DesktopNotifier | None:
        if self.available is False:
            return None
        if self._notifier is None:
            try:
                self._notifier = self._make()
                capabilities = await self._notifier.get_capabilities()
            except Exception as exc:  # no bus, no service, no backend: all the same to us
                self.available = False
                if self._notifier is not None:
                    await _leave_bus(self._notifier)
                _log.warning("desktop notifications are off: no notification service (%s)", exc)
                return None
            self.available = True
            _log.info("desktop notifications through %s", sorted(c.name for c in capabilities))
        return self._notifier

    async def _apply(self, item: Note | Withdraw) -> None:
        async with self._lock:
            notifier = await self._ready()
            if notifier is None:
                return
            try:
                old = self.shown.pop(item.key, None)
                if old is not None:
                    await notifier.clear(old)
                if isinstance(item, Note):
                    self.shown[item.key] = await notifier.send_notification(self._native(item))
            except Exception:
                _log.warning("a desktop notification failed", exc_info=True)

    def _native(self, note: Note) -> Notification:
        def done() -> None:
            self.shown.pop(note.key, None)

        def pressed(name: str) -> Callable[[], None]:
            def act() -> None:
                done()
                self._act(note, name)

            return act

        def replied(text: str) -> None:
            done()
            if note.kind == "chat" and text.strip():
                self.handlers.reply(int(note.target), text)

        def clicked() -> None:
            done()
            self.handlers.open(note)

        buttons = [Button(a.label, on_pressed=pressed(a.name)) for a in note.actions]
        reply = (
            ReplyField(title=note.reply, button_title=tr("Send"), on_replied=replied)
            if note.reply is not None
            else None
        )
        return Notification(
            note.title,
            note.body,
            urgency=Urgency.Critical if note.urgent else Urgency.Normal,
            buttons=tuple(buttons),
            reply_field=reply,
            on_clicked=clicked,
            on_dismissed=done,
        )

    def _act(self, note: Note, name: str) -> None:
        h = self.handlers
        if name == "answer":
            h.answer(note.target)
        elif name == "decline":
            h.decline(note.target)
        elif name == "call_back":
            h.call_back(note.target)
        else:
            h.open(note)


def follow(
    notifications: Notifications,
    changes: ChangeHub,
    bus: Bus,
    chat: ChatStore,
    history: HistoryStore,
    situation: Callable[[], Situation],
    name_for: Callable[[str], str | None] = lambda _number: None,
) -> None:
    """Feed ``notifications`` from the app: call and history changes on the hub, chat messages
    and new voicemail on the bus. ``situation``: asked at each event (status, chat in view);
    ``name_for``: a colleague's name by extension (the directory), for a chat not loaded yet."""
    register_voicemail_events()

    known: frozenset[int] | None = None

    def on_changes(change: Changes) -> None:
        nonlocal known
        if change.calls:
            notifications.apply(notes_for_calls(change.calls, situation()))
        if change.touches("history", "entries"):
            notes, known = missed_call_notes(history.entries, known, situation())
            notifications.apply(notes)

    def on_chat(event: ChatEventReceived) -> None:
        if event.type != "chat.message":
            return
        try:
            message = ChatMessage.from_api(event.data)
        except ValueError:
            return
        conv = chat.get(message.conversation_id)
        name = conv.member_name(message.sender) if conv is not None else None
        if name is None or name == message.sender:  # a new chat: not loaded yet
            name = name_for(message.sender) or message.sender
        group = conv.title(chat.me) if conv is not None and conv.kind == "group" else None
        note = chat_note(
            message.conversation_id,
            message.sender,
            message.text,
            me=chat.me,
            sender_name=name,
            chat_title=group,
            situation=situation(),
        )
        if note is not None:
            notifications.apply([note])

    def on_voicemail(event: VoicemailReceived) -> None:
        note = voicemail_note(event, situation())
        if note is not None:
            notifications.apply([note])

    changes.subscribe(on_changes)
    bus.subscribe(ChatEventReceived, on_chat)
    bus.subscribe(VoicemailReceived, on_voicemail)
