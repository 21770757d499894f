"""The B2BUA's part of the transaction user: new INVITEs and in-dialog requests (RFC 3261 §6).

A new INVITE is authenticated here (401/403, RFC 8760 digest), admitted (calls per user and per
source, free RTP ports: :mod:`pbx_core.signaling.admission`) and answered 100; its number is
converted (the organisation's number conversions, :mod:`pbx_core.numbering`); its route (names,
the callee's phones) is looked up through the endpoint's
:class:`~pbx_core.signaling.callstore.CallStore`, and the call machine takes it from there.
Everything the machine returns is performed by the endpoint, the one asyncio driver.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable, Iterator

from pbx_core.signaling.admission import AdmissionPolicy, admit
from pbx_core.signaling.authenticator import DigestAuthenticator
from pbx_core.signaling.callmachine import ALLOW, ECHO_EXTENSION
from pbx_core.signaling.endpoint import SipEndpoint
from pbx_core.signaling.useragent import ServerTransactionHandle

__all__ = ["ALLOW", "ECHO_EXTENSION", "B2bua"]

_log = logging.getLogger(__name__)


class B2bua:
    """Feeds the call machine the requests that start or continue calls."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        authenticator: DigestAuthenticator,
        *,
        admission: AdmissionPolicy | None = None,
        free_port_pairs: Callable[[], int] | None = None,
    ) -> None:
        self._endpoint = endpoint
        self._auth = authenticator
        self.registry = endpoint.machine.registry
        self.admission = admission or AdmissionPolicy()
        self.free_port_pairs = free_port_pairs
        # (callee extension, caller number) -> the callee blocked that caller (address books)
        self.blocked: Callable[[str, str], bool] | None = None
        # a dialled number -> what it becomes (number conversion: "656" -> "+4533123456")
        self.convert: Callable[[str], str] | None = None
        self._starting: Counter[tuple[str, str]] = Counter()  # admitted, route not known yet

    def on_invite(self, tx: ServerTransactionHandle) -> None:
        """An INVITE outside any dialog: authenticate, admit, then route it."""
        outcome = self._auth.check(tx.request, tx.source)
        if not outcome.ok:
            tx.reply(outcome.status, outcome.reason, extra_headers=list(outcome.headers))
            return
        caller = outcome.extension or ""
        free = self.free_port_pairs() if self.free_port_pairs is not None else None
        refusal = admit(self.admission, caller, tx.source.host, self._active(), free)
        if refusal is not None:
            _log.info("INVITE from %s at %s refused: %s", caller, tx.source, refusal.reason)
            tx.reply(refusal.status, refusal.reason, extra_headers=list(refusal.headers))
            return
        tx.reply(100)
        self._convert(tx, caller)
        key = (caller, tx.source.host)
        self._starting[key] += 1
        self._endpoint.spawn(self._route(tx, caller, key))

    def _convert(self, tx: ServerTransactionHandle, caller: str) -> None:
        """Rewrite the Request-URI's number as the number conversions say (before routing)."""
        dialled = tx.request.uri.user
        if self.convert is None or not dialled:
            return
        converted = self.convert(dialled)
        if converted != dialled:
            _log.info("call from %s: %s converted to %s", caller, dialled, converted)
            tx.request.uri = dataclasses.replace(tx.request.uri, user=converted)

    def _active(self) -> Iterator[tuple[str, str]]:
        for call in self.registry.calls.values():
            if not call.ended:
                yield call.caller, call.a.destination.host
        yield from self._starting.elements()

    async def _route(self, tx: ServerTransactionHandle, caller: str, key: tuple[str, str]) -> None:
        endpoint = self._endpoint
        try:
            route = await endpoint.store.route(caller, tx.request.uri.user or "")
        except BaseException:
            if not tx.final_sent:
                tx.reply(500, "Server Internal Error - route lookup failed")
            raise
        finally:
            self._starting[key] -= 1
            if self._starting[key] <= 0:
                del self._starting[key]
        dialled = tx.request.uri.user or ""
        if route.callee_exists and self.blocked is not None and self.blocked(dialled, caller):
            _log.info("INVITE from %s to %s refused: blocked by the callee", caller, dialled)
            if not tx.final_sent:
                tx.reply(603, "Decline")
            return
        endpoint.run(endpoint.machine.new_call(tx, caller, route))

    def on_in_dialog(self, tx: ServerTransactionHandle) -> None:
        """BYE, re-INVITE, INFO, OPTIONS... inside a call's dialog."""
        self._endpoint.run(self._endpoint.machine.in_dialog(tx))
