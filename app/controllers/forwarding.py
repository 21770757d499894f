"""Forwarding from the desktop: loaded at sign-in, set from the top bar's dialog, turned off by
a click on the indicator, kept current by the server's ``forwarding.changed`` events (also when
it is changed with ``*21*<number>*`` / ``#21#*`` on a desk phone).

A server without forwarding (404) simply shows no indicator; the reason is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.connection import Connection
from app.errors import ServerRejected
from app.server_events import ForwardingChanged
from app.stores.forwarding import Forwarding, ForwardingStore
from app.tasks import TaskRunner

__all__ = ["FLOWS_PATH", "PATH", "ForwardingController", "call_flows_of", "forwarding_of"]

_log = logging.getLogger(__name__)
PATH = "/api/v1/me/forwarding"
FLOWS_PATH = "/api/v1/me/call-flows"


def forwarding_of(body: object) -> Forwarding:
    """The API's ``{"enabled": bool, "number": str|null}``; ValueError for anything else."""
    if not isinstance(body, dict):
        raise ValueError("forwarding: not an object")
    enabled, number = body.get("enabled"), body.get("number")
    if not isinstance(enabled, bool) or (number is not None and not isinstance(number, str)):
        raise ValueError("forwarding: enabled must be true or false, number a string or null")
    return Forwarding(enabled, number)


def call_flows_of(body: object) -> dict[str, str]:
    """The API's ``{"flows": {status: flow}}``; ValueError for anything else."""
    flows = body.get("flows") if isinstance(body, dict) else None
    if not isinstance(flows, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in flows.items()
    ):
        raise ValueError("call flows: flows must map statuses to texts")
    return {str(k): str(v) for k, v in flows.items()}


class ForwardingController:
    def __init__(
        self,
        store: ForwardingStore,
        connection: Connection,
        runner: TaskRunner,
        me: Callable[[], str | None],
    ) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._me = me

    def load(self) -> None:
        self._runner.spawn(self._load(), "loading the forwarding")

    async def _load(self) -> None:
        try:
            body = await self._conn.require_api().request("GET", PATH)
        except ServerRejected as exc:
            if exc.status != 404:
                raise
            _log.info("the server has no forwarding (404): %s", exc)
            return
        self._store.set(forwarding_of(body))
        flows = await self._conn.require_api().request("GET", FLOWS_PATH)
        self._store.set_call_flows(call_flows_of(flows))

    def set_call_flows(self, flows: dict[str, str]) -> None:
        """Set what each status does with calls ("default", "voicemail", "forward to <n>")."""
        self._runner.spawn(self._send_flows(flows), "changing the call flows")

    async def _send_flows(self, flows: dict[str, str]) -> None:
        body = {"flows": flows}
        answer = await self._conn.require_api().request("PUT", FLOWS_PATH, json=body)
        self._store.set_call_flows(call_flows_of(answer))

    def forward_to(self, number: str) -> None:
        """Forward my calls to ``number`` (an extension or an outside number)."""
        self._put(Forwarding(True, number.strip()))

    def turn_off(self) -> None:
        self._put(Forwarding(False, self._store.forwarding.number))

    def _put(self, wanted: Forwarding) -> None:
        self._runner.spawn(self._send(wanted), "changing the forwarding")

    async def _send(self, wanted: Forwarding) -> None:
        body = {"enabled": wanted.enabled, "number": wanted.number}
        answer = await self._conn.require_api().request("PUT", PATH, json=body)
        self._store.set(forwarding_of(answer))

    def on_changed(self, event: ForwardingChanged) -> None:
        """A ``forwarding.changed`` event: mine updates the store, a colleague's is ignored."""
        if event.extension != self._me():
            return
        number = event.number if event.enabled else self._store.forwarding.number
        self._store.set(Forwarding(event.enabled, number))
