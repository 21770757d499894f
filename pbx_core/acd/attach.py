"""Wiring the queues into a running PBX: the driver becomes the call machine's queue desk, hears
the bus, and confirms queue codes by voice. Called once per PBX when it starts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

import holidays

from pbx_core.acd.driver import Parts, QueueDriver, QueueSource
from pbx_core.acd.model import AgentStatus
from pbx_core.acd.queue_events import LogCall
from pbx_core.ids import CallId, LegId
from pbx_core.media.player import WavPlayer
from pbx_core.media.prompts import prompt_path
from pbx_core.media.tones import Silence
from pbx_core.pbx import Pbx
from pbx_core.telephony import Telephony

__all__ = ["attach"]

_log = logging.getLogger(__name__)
_WATCH_S = 0.1
_MAX_PROMPT_S = 10.0


def _holidays(region: str) -> Callable[[date], bool]:
    """Whether a day is a public holiday in ``region`` (the PBX's country)."""
    try:
        days = holidays.country_holidays(region)
    except NotImplementedError:
        _log.warning("no public holidays known for %s: queues never close for them", region)
        return lambda day: False
    return lambda day: day in days


def attach(
    pbx: Pbx,
    source: QueueSource,
    *,
    set_status: Callable[[str, str, AgentStatus, str], None],
    log_call: Callable[[str, LogCall], None],
    changed: Callable[[str], None] = lambda number: None,
    local_now: Callable[[], datetime] | None = None,
) -> QueueDriver | None:
    """Start the queues on ``pbx`` (None when its telephony is not the SIP one).
    ``local_now``: the organisation's local time (opening hours); UTC when not given."""
    telephony = pbx.telephony
    if not isinstance(telephony, Telephony):
        return None
    endpoint = telephony.endpoint
    store = pbx.store
    tasks: set[asyncio.Task[None]] = set()

    def name_of(extension: str) -> str | None:
        user = store.user_by_extension(extension)
        return user.display_name if user is not None else None

    async def confirm(call_id: CallId, leg_id: LegId, names: tuple[str, ...]) -> None:
        """Say ``names`` ("You are logged in to the queue. Goodbye.") and hang up."""
        leg = telephony.media.get_leg(leg_id)
        if leg is not None and not leg.closed:
            files = [prompt_path(n, pbx.config.prompt_language) for n in names]
            player = WavPlayer([f for f in files if f is not None], then=Silence())
            leg.feed(player)
            waited = 0.0
            while not player.finished and not leg.closed and waited < _MAX_PROMPT_S:
                await asyncio.sleep(_WATCH_S)
                waited += _WATCH_S
            await asyncio.sleep(0.3)  # the last packets of the prompt reach the phone
        endpoint.run(endpoint.machine.hang_up(call_id))

    def confirm_code(call_id: CallId, leg_id: LegId, names: tuple[str, ...]) -> None:
        task = asyncio.get_running_loop().create_task(confirm(call_id, leg_id, names))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    parts = Parts(
        machine=endpoint.machine,
        run=endpoint.run,
        bindings=telephony.registrar.bindings,
        name_of=name_of,
        is_available=lambda extension: pbx.presence.get(extension).status == "available",
        line_busy=lambda extension: telephony.line_state(extension) != "idle",
        local_now=local_now or (lambda: datetime.now(UTC)),
        holiday=_holidays(pbx.config.region),
    )
    driver = QueueDriver(
        source,
        parts,
        set_status=set_status,
        log_call=log_call,
        changed=changed,
        confirm_code=confirm_code,
    )
    endpoint.machine.queue_desk = driver
    unsubscribe = pbx.bus.subscribe(driver.on_event)

    def detach() -> None:
        unsubscribe()
        if endpoint.machine.queue_desk is driver:
            endpoint.machine.queue_desk = None

    driver.on_stop.append(detach)
    driver.load()
    _log.info("queues started: %s", ", ".join(sorted(driver.machines)) or "none")
    return driver
