"""The B2BUA's part of the transaction user: new INVITEs and in-dialog requests (RFC 3261 §6).

A new INVITE is authenticated here (401/403, RFC 8760 digest) and answered 100; its route
(names, the callee's phones) is looked up through the endpoint's
:class:`~pbx_core.signaling.callstore.CallStore`, and the call machine takes it from there.
Everything the machine returns is performed by the endpoint, the one asyncio driver.
"""

from __future__ import annotations

from pbx_core.signaling.authenticator import DigestAuthenticator
from pbx_core.signaling.callmachine import ALLOW, ECHO_EXTENSION
from pbx_core.signaling.endpoint import SipEndpoint
from pbx_core.signaling.useragent import ServerTransactionHandle

__all__ = ["ALLOW", "ECHO_EXTENSION", "B2bua"]


class B2bua:
    """Feeds the call machine the requests that start or continue calls."""

    def __init__(self, endpoint: SipEndpoint, authenticator: DigestAuthenticator) -> None:
        self._endpoint = endpoint
        self._auth = authenticator
        self.registry = endpoint.machine.registry

    def on_invite(self, tx: ServerTransactionHandle) -> None:
        """An INVITE outside any dialog: authenticate, then route it."""
        outcome = self._auth.check(tx.request, tx.source)
        if not outcome.ok:
            tx.reply(outcome.status, outcome.reason, extra_headers=list(outcome.headers))
            return
        tx.reply(100)
        self._endpoint.spawn(self._route(tx, outcome.extension or ""))

    async def _route(self, tx: ServerTransactionHandle, caller: str) -> None:
        endpoint = self._endpoint
        route = await endpoint.store.route(caller, tx.request.uri.user or "")
        endpoint.run(endpoint.machine.new_call(tx, caller, route))

    def on_in_dialog(self, tx: ServerTransactionHandle) -> None:
        """BYE, re-INVITE, INFO, OPTIONS... inside a call's dialog."""
        self._endpoint.run(self._endpoint.machine.in_dialog(tx))
