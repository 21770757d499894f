"""Mailboxes on a real store: a message kept (and one of only silence discarded), counts for
MWI on the bus, heard and delete, retention, a full mailbox, and the e-mail with the audio
received by a local SMTP server (aiosmtpd on loopback), or without it, or none, as the user
chose."""

from __future__ import annotations

import asyncio
import dataclasses
import email
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from aiosmtpd.controller import Controller

from pbx_core.bus import EventBus
from pbx_core.errors import NotFound
from pbx_core.events import Event, VoicemailAnswered
from pbx_core.ids import CallId, LegId
from pbx_core.media.recorder import RecordingResult, write_wav
from pbx_core.store import NewUser, Store
from pbx_core.voicemail import repository
from pbx_core.voicemail.notify import Mailer
from pbx_core.voicemail.service import VoicemailOptions, VoicemailService
from pbx_core.voicemail.session import State


class _Inbox:
    def __init__(self) -> None:
        self.mails: list[Message] = []
        self.arrived = asyncio.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.mails.append(email.message_from_bytes(envelope.content))
        self.arrived.set()
        return "250 OK"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'pbx.sqlite3'}")
    await store.aio.open()
    new = NewUser(
        "202",
        "Bram Jansen",
        "bram@acme.example",
        "Support",
        (),
        "x",
        "acme.local",
        "0" * 32,
        "0" * 64,
    )
    await store.aio.add_user(new)
    yield store
    await store.aio.close()


def _service(
    store: Store, tmp_path: Path, bus: EventBus, mailer: Mailer | None = None, **options: Any
) -> VoicemailService:
    return VoicemailService(
        store,
        bus,
        tmp_path,
        VoicemailOptions(**options),
        leg_of=lambda leg_id: None,
        end_call=lambda call_id: None,
        mailer=mailer,
    )


def _recording(tmp_path: Path, name: str, level: float) -> RecordingResult:
    path = tmp_path / "voicemail" / "202" / name
    t = np.arange(16000 * 2) / 16000
    write_wav(path, np.rint(level * np.sin(2 * np.pi * 800 * t)).astype(np.int16))
    return RecordingResult(path, 2.0, level < 100, "dtmf")


async def test_messages_counts_heard_delete_and_retention(store: Store, tmp_path: Path) -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    service = _service(store, tmp_path, bus)
    await service.start()
    assert service.counts("202") == (0, 0)

    silent = _recording(tmp_path, "silent.wav", 0.0)
    assert await service.store_message("202", "201", "Anna", silent) is None
    first = await service.store_message("202", "201", "Anna", _recording(tmp_path, "a.wav", 5000))
    second = await service.store_message("202", "203", None, _recording(tmp_path, "b.wav", 5000))
    assert first is not None and second is not None
    assert service.counts("202") == (2, 0)
    assert [e.kind for e in seen].count("voicemail.new") == 2
    assert seen[-1].kind == "voicemail.counts"

    assert [m.id for m in await service.messages("202")] == [second.id, first.id]
    await service.set_heard("202", first.id)
    assert service.counts("202") == (1, 1)
    with pytest.raises(NotFound):
        await service.set_heard("201", second.id)  # not 201's message
    await service.delete("202", second.id)
    assert service.counts("202") == (0, 1)
    assert not (tmp_path / second.audio).exists()

    # a heard message older than the retention goes, with its file
    later = datetime.now(UTC) + timedelta(days=31)
    assert await store.aio.call(repository.expired, store, datetime.now(UTC), 30.0) == []
    gone = await store.aio.call(repository.expired, store, later, 30.0)
    assert [m.id for m in gone] == [first.id]


async def test_a_full_mailbox_takes_no_message(store: Store, tmp_path: Path) -> None:
    service = _service(store, tmp_path, EventBus(), max_inbox_mb=0.05)
    call = VoicemailAnswered(CallId("c1"), LegId("leg-1"), "202", "201", None, "deposit", "busy")
    assert (await service.session_for(call)).state is State.GREETING
    await service.store_message("202", "201", None, _recording(tmp_path, "a.wav", 5000))
    assert await store.aio.call(repository.inbox_bytes, store, "202") > 50_000
    refused = await service.session_for(call)
    assert refused.state is State.GOODBYE and refused.greeting == ("unavailable", "goodbye")
    unknown = await service.session_for(dataclasses.replace(call, mailbox="299"))
    assert unknown.state is State.GOODBYE


async def test_the_email_carries_the_message(store: Store, tmp_path: Path) -> None:
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port for the SMTP server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailer = Mailer("127.0.0.1", port, "voicemail@acme.local")
        service = _service(store, tmp_path, EventBus(), mailer=mailer)
        result = _recording(tmp_path, "c.wav", 5000)
        saved = await service.store_message("202", "201", "Anna de Vries", result)
        assert saved is not None
        await asyncio.wait_for(inbox.arrived.wait(), 10)
    finally:
        controller.stop()
    (mail,) = inbox.mails
    assert mail["To"] == "bram@acme.example"
    assert mail["Subject"] == "New voicemail from Anna de Vries (201)"
    (attachment,) = [p for p in mail.walk() if p.get_content_type() == "audio/wav"]
    assert attachment.get_payload(decode=True) == result.path.read_bytes()  # type: ignore[union-attr]


async def test_each_user_chooses_the_email_of_a_new_message(store: Store, tmp_path: Path) -> None:
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()

    async def next_mail(count: int) -> Message:
        while len(inbox.mails) < count:
            inbox.arrived.clear()
            await asyncio.wait_for(inbox.arrived.wait(), 10)
        return inbox.mails[count - 1]

    try:
        service = _service(store, tmp_path, EventBus(), mailer=Mailer("127.0.0.1", port, "vm@x"))
        assert await service.email_notification("202") == "with_audio"  # the default
        await service.set_email_notification("202", "without_audio")
        assert await service.email_notification("202") == "without_audio"
        await service.store_message(
            "202", "201", "Anna de Vries", _recording(tmp_path, "d.wav", 5000)
        )
        plain = await next_mail(1)
        assert plain["Subject"] == "New voicemail from Anna de Vries (201)"
        assert not [p for p in plain.walk() if p.get_content_type() == "audio/wav"]

        await service.set_email_notification("202", "off")
        quiet = await service.store_message("202", "203", None, _recording(tmp_path, "e.wav", 5000))
        assert quiet is not None  # kept, not mailed
        await service.set_email_notification("202", "with_audio")
        await service.store_message("202", "204", None, _recording(tmp_path, "f.wav", 5000))
        full = await next_mail(2)
    finally:
        controller.stop()
    assert full["Subject"] == "New voicemail from 204"  # 203's message sent no mail
    assert [p for p in full.walk() if p.get_content_type() == "audio/wav"]
    assert [m["Subject"] for m in inbox.mails] == [plain["Subject"], full["Subject"]]
