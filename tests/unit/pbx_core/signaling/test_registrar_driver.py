"""The registrar's driver: the 200 waits for the store, a failed write is 500, the expiry timer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from pbx_core.bus import EventBus
from pbx_core.events import BindingRemoved, Event
from pbx_core.ids import Extension
from pbx_core.signaling.authenticator import AuthOutcome
from pbx_core.signaling.message import SipRequest
from pbx_core.signaling.registrar import Registrar
from pbx_core.signaling.transport import Address
from pbx_core.store import BindingRecord
from tests.unit.pbx_core.signaling.test_registration import CONTACT, PHONE, T0, _register

_Job = tuple[asyncio.Future[None], Callable[..., None], tuple[object, ...]]


class _Gateway:
    def __init__(self) -> None:
        self.pending: list[_Job] = []
        self.queued: list[tuple[Callable[..., object], tuple[object, ...]]] = []

    def submit(self, fn: Callable[..., None], *args: object) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((future, fn, args))
        return future

    def soon(self, what: str, fn: Callable[..., object], *args: object) -> None:
        self.queued.append((fn, args))


@dataclass
class _Store:
    saved: list[BindingRecord] = field(default_factory=list)
    deleted: list[tuple[str, str]] = field(default_factory=list)
    aio: _Gateway = field(default_factory=_Gateway)

    def load_bindings(self) -> list[BindingRecord]:
        return []

    def write_bindings(self, writes: list[BindingRecord | tuple[str, str]]) -> None:
        for write in writes:
            if isinstance(write, BindingRecord):
                self.saved.append(write)
            else:
                self.deleted.append(write)


@dataclass
class _Tx:
    request: SipRequest
    source: Address
    replies: list[int] = field(default_factory=list)

    def reply(self, status: int, reason: str | None = None, **kwargs: object) -> None:
        self.replies.append(status)


class _Auth:
    def check(self, request: SipRequest) -> AuthOutcome:
        return AuthOutcome(request.from_addr.uri.user)


def _registrar(store: _Store, bus: EventBus, clock: Callable[[], datetime]) -> Registrar:
    return Registrar(cast(Any, store), cast(Any, _Auth()), bus, clock=clock)


async def test_the_200_waits_for_the_writes_and_a_failed_write_is_500() -> None:
    store = _Store()
    registrar = _registrar(store, EventBus(), lambda: T0)
    ok = _Tx(_register(f"<{CONTACT}>"), PHONE)
    registrar.handle(cast(Any, ok))
    assert ok.replies == []  # not yet committed
    future, write, args = store.aio.pending.pop()
    write(*args)
    future.set_result(None)
    await asyncio.sleep(0)
    assert ok.replies == [200]
    assert [str(b.contact) for b in registrar.bindings("201")] == [CONTACT]
    assert [b.source for b in store.saved] == [str(PHONE)]

    failed = _Tx(_register(f"<{CONTACT}>", cseq=2), PHONE)
    registrar.handle(cast(Any, failed))
    future, _, _ = store.aio.pending.pop()
    future.set_exception(OSError("disk full"))
    await asyncio.sleep(0)
    assert failed.replies == [500]
    registrar.stop()


async def test_registers_arriving_during_a_commit_are_committed_together() -> None:
    store = _Store()
    registrar = _registrar(store, EventBus(), lambda: T0)
    first, second, third = (_Tx(_register(f"<{CONTACT}>", cseq=n), PHONE) for n in (1, 2, 3))
    registrar.handle(cast(Any, first))
    registrar.handle(cast(Any, second))
    registrar.handle(cast(Any, third))
    assert len(store.aio.pending) == 1  # the first commit runs; the others wait for it
    future, write, args = store.aio.pending.pop()
    write(*args)
    future.set_result(None)
    await asyncio.sleep(0)
    assert (first.replies, second.replies, third.replies) == ([200], [], [])
    ((future, write, args),) = store.aio.pending  # the two that waited, in one job
    assert [b.cseq for b in args[0]] == [2, 3]  # type: ignore[attr-defined]
    store.aio.pending.clear()
    future.set_exception(OSError("disk full"))
    await asyncio.sleep(0)
    # a failed batch is retried one REGISTER at a time: only the bad one is 500
    (ok, _, _), (bad, _, _) = store.aio.pending
    ok.set_result(None)
    bad.set_exception(OSError("disk full"))
    await asyncio.sleep(0)
    assert (second.replies, third.replies) == ([200], [500])
    registrar.stop()


async def test_the_expiry_timer_is_armed_and_removes_the_binding() -> None:
    store = _Store()
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    now = [T0]
    registrar = _registrar(store, bus, lambda: now[0])
    tx = _Tx(_register(f"<{CONTACT}>", expires=60), PHONE)
    registrar.handle(cast(Any, tx))
    future, write, args = store.aio.pending.pop()
    write(*args)
    future.set_result(None)
    await asyncio.sleep(0)
    timer = registrar._timer
    assert timer is not None
    assert 59 < timer.when() - asyncio.get_running_loop().time() <= 60
    now[0] = T0 + timedelta(seconds=60)
    registrar.expire()  # what the timer calls
    assert registrar.bindings("201") == []
    assert BindingRemoved(Extension("201"), CONTACT, True) in seen
    future, write, args = store.aio.pending.pop()
    write(*args)
    future.set_result(None)
    assert store.deleted == [("201", CONTACT)]
    assert registrar._timer is None
