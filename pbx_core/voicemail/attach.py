"""Wiring the voicemail service into a running PBX: the call machine routes to voicemail, the
service drives the legs. Called once per PBX (``server/app.py`` through
``server/routes_voicemail.py``)."""

from __future__ import annotations

import dataclasses
import logging

from pbx_core.ids import CallId
from pbx_core.pbx import Pbx
from pbx_core.signaling.callmachine import VoicemailRouting
from pbx_core.telephony import Telephony
from pbx_core.voicemail.notify import Mailer
from pbx_core.voicemail.service import VoicemailOptions, VoicemailService

__all__ = ["attach"]

_log = logging.getLogger(__name__)


def attach(pbx: Pbx) -> VoicemailService | None:
    """Start voicemail on ``pbx`` (None when its telephony is not the SIP one, or voicemail
    is switched off)."""
    telephony = pbx.telephony
    config = pbx.config
    if not isinstance(telephony, Telephony) or not config.voicemail_enabled:
        return None
    endpoint = telephony.endpoint

    def end_call(call_id: CallId) -> None:
        endpoint.run(endpoint.machine.hang_up(call_id))

    def switched(off: frozenset[str]) -> None:
        routing = endpoint.machine.voicemail
        if routing is not None:
            endpoint.machine.voicemail = dataclasses.replace(routing, off=off)

    def grouped(numbers: frozenset[str]) -> None:
        routing = endpoint.machine.voicemail
        if routing is not None:
            endpoint.machine.voicemail = dataclasses.replace(routing, groups=numbers)

    async def reroute(call_id: CallId, target: str) -> None:
        """1 or 2: ring ``target``'s phones as they are registered (no call flow, no DND)."""
        route = await endpoint.store.route("", target)
        endpoint.run(endpoint.machine.reroute(call_id, target, route))

    mailer = (
        Mailer(config.smtp_host, config.smtp_port, config.smtp_sender) if config.smtp_host else None
    )
    service = VoicemailService(
        pbx.store,
        pbx.bus,
        config.data_dir,
        VoicemailOptions(
            max_seconds=config.voicemail_max_seconds,
            retention_days=config.voicemail_retention_days,
            max_inbox_mb=config.voicemail_max_inbox_mb,
            language=config.prompt_language,
        ),
        leg_of=telephony.media.get_leg,
        end_call=end_call,
        mailer=mailer,
        on_switch=switched,
        reroute=reroute,
        on_groups=grouped,
        presence_of=lambda extension: (
            (found := pbx.presence.get(extension)).status,
            found.until,
        ),
    )
    endpoint.machine.voicemail = VoicemailRouting(delay_seconds=config.voicemail_delay_seconds)
    pbx.queues.check_numbers_with(
        lambda number: (
            f"{number} is the number of a group inbox" if number in service.groups.numbers else None
        )
    )
    if pbx.started:
        try:
            service.spawn(service.start())
        except RuntimeError:  # no running loop: the counts are learnt as mailboxes change
            _log.debug("voicemail attached outside the loop")
    return service
