"""Wiring call routing into a running PBX: the B2BUA asks the routing service where each new
call goes, the call machine answers the forwarding codes. Called once per PBX (``server/app.py``
through ``server/routes_forwarding.py``)."""

from __future__ import annotations

from pbx_core.ids import CallId
from pbx_core.pbx import Pbx
from pbx_core.presence import STATUSES
from pbx_core.routing.b2bua import RoutingB2bua
from pbx_core.routing.rulebook import RuleBook
from pbx_core.routing.runner import StepRunner
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

    store = pbx.store

    def name_of(extension: str) -> str | None:
        user = store.user_by_extension(extension)
        return user.display_name if user is not None else None

    rules = RuleBook(store, STATUSES)
    runner = StepRunner(
        endpoint.machine,
        endpoint.run,
        pbx.bus,
        bindings=telephony.registrar.bindings,
        name_of=name_of,
        mobile_of=rules.mobile,
    )
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
        runner=runner,
        rules=rules,
    )
    telephony.b2bua.reroute = service.route
    telephony.b2bua.runner = runner
    telephony.presence.forwarding = service.forwarding_target  # seen (C4)
    endpoint.machine.forwarding_codes = True
    if pbx.started:
        service.load()
    return service
