"""The B2BUA with call routing: before a new INVITE is routed, the routing service may send it
elsewhere (a forwarding target, the callee's voicemail) by rewriting the dialled number; the
call machine then handles it as if that number had been dialled."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable

from pbx_core.signaling.b2bua import B2bua
from pbx_core.signaling.useragent import ServerTransactionHandle

__all__ = ["Reroute", "RoutingB2bua"]

_log = logging.getLogger(__name__)

Reroute = Callable[[str, str], Awaitable[str | None]]
"""(caller, dialled) -> the number the call goes to instead, or None (as dialled)."""


class RoutingB2bua(B2bua):
    """A :class:`B2bua` whose new calls go where ``reroute`` says (None: as dialled)."""

    reroute: Reroute | None = None

    async def _route(self, tx: ServerTransactionHandle, caller: str, key: tuple[str, str]) -> None:
        reroute = self.reroute
        dialled = tx.request.uri.user or ""
        if reroute is not None and dialled:
            try:
                instead = await reroute(caller, dialled)
            except Exception:  # routing must never lose the call: ring as dialled
                _log.exception("routing of a call from %s to %s failed", caller, dialled)
                instead = None
            if instead is not None and instead != dialled and not tx.final_sent:
                _log.info("call from %s to %s goes to %s", caller, dialled, instead)
                tx.request.uri = dataclasses.replace(tx.request.uri, user=instead)
        await super()._route(tx, caller, key)
