"""Wiring call routing into a running PBX: the B2BUA asks the routing service where each new
call goes, the call machine answers the forwarding codes. Called once per PBX (``server/app.py``
through ``server/routes_forwarding.py``)."""

from __future__ import annotations

from pbx_core.ids import CallId
from pbx_core.pbx import Pbx
from pbx_core.routing.b2bua import RoutingB2bua
from pbx_core.routing.service import RoutingService
from pbx_core.telephony import Telephony

__all__ = ["attach"]


def attach(pbx: Pbx) -> RoutingService | None:
    """Start call routing on ``pbx`` (None when its telephony is not the SIP one)."""
    telephony = pbx.telephony
    if not isinstance(telephony, Telephony) or not isinstance(telephony.b2bua, RoutingB2bua):
        return None
    endpoint = telephony.endpoint

    def end_call(call_id: str) -> None:
        endpoint.run(endpoint.machine.hang_up(CallId(call_id)))

    service = RoutingService(
        pbx.store,
        pbx.bus,
        pbx.presence,
        pbx.contacts,
        machine=endpoint.machine,
        is_registered=telephony.is_registered,
        media=telephony.media,
        end_call=end_call,
        language=pbx.config.prompt_language,
    )
    telephony.b2bua.reroute = service.reroute
    telephony.presence.forwarding = service.forwarding_target  # seen (C4)
    endpoint.machine.forwarding_codes = True
    if pbx.started:
        service.load()
    return service
