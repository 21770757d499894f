"""Two registrars on one database, as two cluster nodes: a phone registered on one is known to
the other after its ``sync`` (real stores on one SQLite file, their worker threads)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, cast

from pbx_core.bus import EventBus
from pbx_core.events import BindingAdded, BindingRemoved, Event
from pbx_core.ids import Extension
from pbx_core.signaling.registrar import Registrar
from pbx_core.store import Store
from tests.support.users import new_user
from tests.unit.pbx_core.signaling.test_registrar_driver import _Auth, _Tx
from tests.unit.pbx_core.signaling.test_registration import CONTACT, PHONE, T0, _register


def _store(url: str) -> Store:
    store = Store(url)
    store.open()
    return store


async def test_a_node_learns_the_other_nodes_phone_and_its_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pbx.sqlite3'}"
    a, b = _store(url), _store(url)
    a.add_user(new_user("201", name="Anna de Vries"))
    seen: list[Event] = []
    bus = EventBus()
    bus.subscribe(seen.append)
    node_a = Registrar(a, cast(Any, _Auth()), EventBus(), clock=lambda: T0)
    node_b = Registrar(b, cast(Any, _Auth()), bus, clock=lambda: T0)
    try:
        register = _register(f"<{CONTACT}>")
        register.headers.add("Path", "<sip:192.0.2.1;lr>")
        tx = _Tx(register, PHONE)
        node_a.handle(cast(Any, tx))
        for _ in range(200):
            if tx.replies:
                break
            await asyncio.sleep(0.01)
        assert tx.replies == [200]
        assert node_b.bindings("201") == []
        await node_b.sync()
        (binding,) = node_b.bindings("201")
        assert binding.path == ("<sip:192.0.2.1;lr>",)
        assert BindingAdded(Extension("201"), CONTACT) in seen
        # unregistered on A: gone from B at its next sync
        bye = _Tx(_register(f"<{CONTACT}>", cseq=2, expires=0), PHONE)
        node_a.handle(cast(Any, bye))
        for _ in range(200):
            if bye.replies:
                break
            await asyncio.sleep(0.01)
        await node_b.sync()
        assert node_b.bindings("201") == []
        assert BindingRemoved(Extension("201"), CONTACT, False) in seen
    finally:
        node_a.stop()
        node_b.stop()
        b.close()
        a.close()
