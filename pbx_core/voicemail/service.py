"""The voicemail service: the asyncio driver of :mod:`pbx_core.voicemail.session` and the
mailboxes in the store.

The call machine answers a call for voicemail and publishes
:class:`~pbx_core.events.VoicemailAnswered`; the service takes the caller's media leg, feeds it
prompts and messages (:class:`~pbx_core.media.WavPlayer`), records it
(:class:`~pbx_core.media.LegRecorder`), reads its digits (``leg.on_dtmf``) and, when the session
says so, ends the call through ``end_call``. A message is stored with its WAV under
``<data dir>/voicemail/<mailbox>/`` unless it held only silence; each change publishes
``voicemail.new`` / ``voicemail.changed`` and the mailbox's counts (:mod:`.mwi`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pbx_core.bus import EventBus
from pbx_core.demo import DEMO_USERS
from pbx_core.errors import NotFound
from pbx_core.events import (
    CallEnded,
    Event,
    VoicemailAnswered,
    VoicemailMessageAdded,
    VoicemailMessageChanged,
)
from pbx_core.ids import CallId
from pbx_core.media import MediaLeg, RecordingResult
from pbx_core.permissions import member_of
from pbx_core.store import Store
from pbx_core.voicemail import mwi, repository
from pbx_core.voicemail.greeting import save_greeting
from pbx_core.voicemail.groups import DEMO_GROUP_INBOXES, GroupInboxes, may_read
from pbx_core.voicemail.notify import EmailNotification, Mailer, email_notification_of
from pbx_core.voicemail.repository import GroupInbox, NewMessage, VoicemailMessage
from pbx_core.voicemail.run import CallRun
from pbx_core.voicemail.session import (
    Session,
    SessionMessage,
    State,
    greeting_prompts,
)
from pbx_core.voicemail.spoken import GROUP_GREETING

__all__ = ["PERSONAL_INBOX", "VoicemailOptions", "VoicemailService"]

_log = logging.getLogger(__name__)
PERSONAL_INBOX = "personal"


@dataclass(frozen=True, slots=True)
class VoicemailOptions:
    max_seconds: float = 120.0
    retention_days: float = 30.0
    max_inbox_mb: float = 50.0
    language: str = "en"


def _is_demo(store: Store) -> bool:
    """Does the store hold the demo organisation (which gets its group inboxes)?"""
    first = DEMO_USERS[0]
    user = store.user_by_extension(first.extension)
    return user is not None and user.email == first.email


class VoicemailService:
    """Runs every voicemail call and owns the mailboxes."""

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        data_dir: Path,
        options: VoicemailOptions,
        *,
        leg_of: Callable[[str], MediaLeg | None],
        end_call: Callable[[CallId], None],
        mailer: Mailer | None = None,
        on_switch: Callable[[frozenset[str]], None] | None = None,
        presence_of: Callable[[str], tuple[str, dt.datetime | None]] | None = None,
        reroute: Callable[[CallId, str], Coroutine[Any, Any, None]] | None = None,
        on_groups: Callable[[frozenset[str]], None] | None = None,
    ) -> None:
        self.store = store
        self.bus = bus
        self.data_dir = data_dir
        self.options = options
        self._leg_of = leg_of
        self._end_call = end_call
        self._mailer = mailer
        self._on_switch = on_switch
        self._presence_of = presence_of  # the activity said in the default greeting
        self._reroute = reroute  # 1 / 2: ring another number (the call machine through the PBX)
        self._on_groups = on_groups
        self.groups = GroupInboxes()
        self._used: dict[CallId, set[str]] = {}  # keys a call already used (1, 2): not again
        self._off: frozenset[str] = frozenset()
        self._runs: dict[CallId, CallRun] = {}
        self._starting: set[CallId] = set()  # answered, the session still being prepared
        self._counts: dict[str, tuple[int, int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._unsubscribe = bus.subscribe(self._on_event)

    async def start(self) -> None:
        """Delete expired messages and learn every mailbox's counts."""
        await self.expire()
        self._counts = await self.store.aio.call(repository.all_counts, self.store)
        self._switched(await self.store.aio.call(repository.disabled_mailboxes, self.store))
        inboxes = await self.store.aio.call(repository.group_inboxes, self.store)
        if not inboxes and _is_demo(self.store):
            for inbox in DEMO_GROUP_INBOXES:
                await self.store.aio.call(repository.set_group_inbox, self.store, inbox)
            inboxes = list(DEMO_GROUP_INBOXES)
        self.groups.replace(inboxes)
        self._grouped()

    def _grouped(self) -> None:
        if self._on_groups is not None:
            self._on_groups(self.groups.numbers)

    async def set_group(self, inbox: GroupInbox) -> None:
        await self.store.aio.call(repository.set_group_inbox, self.store, inbox)
        self.groups.put(inbox)
        self._grouped()

    async def remove_group(self, number: str) -> bool:
        gone = await self.store.aio.call(repository.remove_group_inbox, self.store, number)
        self.groups.remove(number)
        self._grouped()
        return gone

    def mailboxes_of(self, extension: str) -> dict[str, str]:
        """Mailbox → inbox name of what ``extension`` may read: their own ("personal") and
        the group inboxes they may read (their department's: pbx_core/permissions.py)."""
        user = self.store.user_by_extension(extension)
        found = {extension: PERSONAL_INBOX}
        if user is not None:
            found.update({g.number: g.department for g in self.groups.readable_by(member_of(user))})
        return found

    async def assistance_number(self, extension: str) -> str | None:
        return await self.store.aio.call(repository.assistance_number, self.store, extension)

    async def set_assistance_number(self, extension: str, number: str | None) -> None:
        await self.store.aio.call(
            repository.set_assistance_number, self.store, extension, number or None
        )

    async def email_notification(self, extension: str) -> EmailNotification:
        """How ``extension`` hears of a new message by e-mail (with ``--smtp``)."""
        stored = await self.store.aio.call(repository.email_notification, self.store, extension)
        return email_notification_of(stored)

    async def set_email_notification(self, extension: str, choice: EmailNotification) -> None:
        store = self.store
        await store.aio.call(repository.set_email_notification, store, extension, choice)

    def _switched(self, off: frozenset[str]) -> None:
        self._off = off
        if self._on_switch is not None:
            self._on_switch(off)

    def enabled(self, extension: str) -> bool:
        """Does ``extension`` take voicemail (the user did not turn it off)?"""
        return extension not in self._off

    async def set_enabled(self, extension: str, enabled: bool) -> None:
        await self.store.aio.call(repository.set_enabled, self.store, extension, enabled)
        self._switched(self._off - {extension} if enabled else self._off | {extension})

    def greeting_path(self, extension: str) -> Path:
        """Where the user's own greeting is kept (played instead of the spoken default)."""
        return self.data_dir / "voicemail" / extension / "greeting.wav"

    async def save_greeting(self, extension: str, wav: bytes) -> float:
        """Keep ``wav`` (16-bit PCM, any rate, at most 60 s) as the greeting; its length in
        seconds. ValueError for anything else."""
        return await asyncio.to_thread(save_greeting, self.greeting_path(extension), wav)

    def delete_greeting(self, extension: str) -> bool:
        path = self.greeting_path(extension)
        existed = path.is_file()
        path.unlink(missing_ok=True)
        return existed

    def close(self) -> None:
        self._unsubscribe()
        for task in list(self._tasks):
            task.cancel()

    def counts(self, extension: str) -> tuple[int, int]:
        """(new, old) of ``extension``'s mailbox and their group inboxes', from memory (for a
        new MWI subscription: the lamp shows group messages too)."""
        new = old = 0
        for mailbox in self.mailboxes_of(extension):
            n, o = self._counts.get(mailbox, (0, 0))
            new, old = new + n, old + o
        return new, old

    # -- mailboxes (the API) -------------------------------------------------------------

    async def messages(self, mailbox: str) -> list[VoicemailMessage]:
        """``mailbox``'s own messages (listening by phone)."""
        return await self.store.aio.call(repository.messages, self.store, mailbox)

    async def inbox_messages(
        self, extension: str, inbox: str | None = None
    ) -> list[VoicemailMessage]:
        """What ``extension`` lists: their own messages and their groups', newest first; with
        ``inbox`` ("personal", a group's name or number) only that inbox's."""
        mailboxes = self.mailboxes_of(extension)
        if inbox is not None:
            mailboxes = {m: name for m, name in mailboxes.items() if inbox in (m, name)}
        if not mailboxes:
            return []
        return await self.store.aio.call(repository.messages, self.store, *mailboxes)

    async def message(self, mailbox: str, message_id: int) -> VoicemailMessage:
        """One of the messages ``mailbox`` (a user's extension) may read: their own or their
        group inboxes'; NotFound for another's or none."""
        found = await self.store.aio.call(repository.message, self.store, message_id)
        if found is None or found.mailbox not in self.mailboxes_of(mailbox):
            raise NotFound(f"no voicemail message {message_id}")
        return found

    def audio_path(self, message: VoicemailMessage) -> Path:
        return self.data_dir / message.audio

    async def set_heard(self, mailbox: str, message_id: int, heard: bool = True) -> None:
        await self.message(mailbox, message_id)
        changed = await self.store.aio.call(repository.set_heard, self.store, message_id, heard)
        if changed is not None:
            self.bus.publish(
                VoicemailMessageChanged(
                    changed.id, changed.mailbox, heard, False, self.readers(changed.mailbox)
                )
            )
            await self._recount(changed.mailbox)

    async def delete(self, mailbox: str, message_id: int) -> None:
        await self.message(mailbox, message_id)
        gone = await self.store.aio.call(repository.delete_message, self.store, message_id)
        if gone is not None:
            self._remove_file(gone)
            self.bus.publish(
                VoicemailMessageChanged(
                    gone.id, gone.mailbox, gone.heard, True, self.readers(gone.mailbox)
                )
            )
            await self._recount(gone.mailbox)

    async def expire(self) -> None:
        """Delete heard messages older than the retention."""
        now = datetime.now(UTC)
        days = self.options.retention_days
        gone = await self.store.aio.call(repository.expired, self.store, now, days)
        for message in gone:
            self._remove_file(message)
            self.bus.publish(
                VoicemailMessageChanged(
                    message.id, message.mailbox, True, True, self.readers(message.mailbox)
                )
            )
        for mailbox in sorted({m.mailbox for m in gone}):
            await self._recount(mailbox)

    def _remove_file(self, message: VoicemailMessage) -> None:
        try:
            self.audio_path(message).unlink(missing_ok=True)
        except OSError:
            _log.warning("cannot delete %s", message.audio)

    def readers(self, mailbox: str) -> tuple[str, ...]:
        """Who reads ``mailbox``: its user, or every member of a group inbox's department (the
        event stream tells them alone of its messages)."""
        group = self.groups.get(mailbox)
        if group is None:
            return (mailbox,)
        return tuple(u.extension for u in self.store.users() if may_read(member_of(u), group))

    async def _recount(self, mailbox: str) -> None:
        new, old = await self.store.aio.call(repository.counts, self.store, mailbox)
        if self._counts.get(mailbox, (0, 0)) == (new, old):
            return
        self._counts[mailbox] = (new, old)
        group = self.groups.get(mailbox)
        if group is None:
            mwi.publish(self.bus, mailbox, *self.counts(mailbox))
            return
        for member in self.readers(mailbox):  # every member's lamp
            mwi.publish(self.bus, member, *self.counts(member))

    async def store_message(
        self,
        mailbox: str,
        caller: str,
        caller_name: str | None,
        result: RecordingResult,
        call_id: str | None = None,
    ) -> VoicemailMessage | None:
        """Keep a recorded message (not one of only silence)."""
        if result.silence_only or result.path is None:
            _log.info("voicemail for %s from %s: silence only, discarded", mailbox, caller)
            return None
        relative = result.path.relative_to(self.data_dir).as_posix()
        group = self.groups.get(mailbox)
        new = NewMessage(
            mailbox,
            group.department if group is not None else PERSONAL_INBOX,
            caller,
            caller_name,
            datetime.now(UTC),
            result.duration_s,
            relative,
            result.path.stat().st_size,
            call_id,
        )
        saved = await self.store.aio.call(repository.add_message, self.store, new)
        self.bus.publish(
            VoicemailMessageAdded(
                saved.id,
                mailbox,
                caller,
                caller_name,
                saved.received_at,
                saved.duration_s,
                saved.inbox,
                self.readers(mailbox),
            )
        )
        await self._recount(mailbox)
        if self._mailer is not None:
            await self._mail(self._mailer, saved, result.path)
        await self.expire()
        return saved

    async def _mail(self, mailer: Mailer, saved: VoicemailMessage, audio: Path) -> None:
        """E-mail the mailbox's user as they chose when the message came (a group inbox has no
        user: none); sent in the background."""
        user = self.store.user_by_extension(saved.mailbox)
        choice = await self.email_notification(saved.mailbox) if user is not None else "off"
        if user is not None and choice != "off":
            attach = choice == "with_audio"
            self.spawn(mailer.send(user.email, saved, audio, attach=attach))

    # -- calls ---------------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("voicemail task failed", exc_info=task.exception())

    def _on_event(self, event: Event) -> None:
        if isinstance(event, VoicemailAnswered):
            self._starting.add(event.call_id)
            self.spawn(self._begin(event))
        elif isinstance(event, CallEnded):
            self._starting.discard(event.call_id)  # hung up before the session began
            self._used.pop(event.call_id, None)
            run = self._runs.pop(event.call_id, None)
            if run is not None:
                run.hangup()

    async def _begin(self, event: VoicemailAnswered) -> None:
        leg = self._leg_of(event.leg_id)
        if leg is None or leg.closed:
            return
        session = await self.session_for(event)
        if event.call_id not in self._starting or leg.closed:
            return
        self._starting.discard(event.call_id)
        run = CallRun(self, event, leg, session)
        self._runs[event.call_id] = run
        run.start()

    async def session_for(self, event: VoicemailAnswered) -> Session:
        mailbox = event.mailbox
        if event.mode == "listen":
            found = await self.messages(mailbox)
            listed = [SessionMessage(m.id, self.data_dir / m.audio, m.heard) for m in found]
            return Session.listen(sorted(listed, key=lambda m: m.id))
        user = self.store.user_by_extension(mailbox)
        group = self.groups.get(mailbox)
        used = await self.store.aio.call(repository.inbox_bytes, self.store, mailbox)
        full = used >= self.options.max_inbox_mb * 1_000_000
        if (user is None and group is None) or full or not self.enabled(mailbox):
            refused = Session(State.GOODBYE)
            refused.greeting = ("unavailable", "goodbye")
            return refused
        own = self.greeting_path(mailbox)
        greeting: tuple[str | Path, ...]
        if own.is_file():
            greeting = (own,)
        elif group is not None:
            greeting = GROUP_GREETING
        else:
            status, until = self._presence_of(mailbox) if self._presence_of else ("available", None)
            greeting = greeting_prompts(mailbox, status, until, language=self.options.language)
        if group is not None or self._reroute is None:
            return Session.deposit(greeting, self.options.max_seconds)
        used_keys = self._used.get(event.call_id, set())
        assistance = await self.assistance_number(mailbox) if "1" not in used_keys else None
        bypass = "2" not in used_keys and event.reason != "not-registered"
        return Session.deposit(
            greeting, self.options.max_seconds, assistance=assistance, bypass=bypass
        )

    def reroute(self, call_id: CallId, mailbox: str, number: str | None) -> None:
        """The caller pressed 1 (``number``: the assistance number) or 2 (None: the user's
        phones again); the session is over, the call machine rings and may bring the call
        back (then neither key is offered again)."""
        self._runs.pop(call_id, None)
        self._used.setdefault(call_id, set()).add("1" if number else "2")
        if self._reroute is not None:
            self.spawn(self._reroute(call_id, number or mailbox))

    def end_call(self, call_id: CallId) -> None:
        self._runs.pop(call_id, None)
        self._end_call(call_id)
