"""The queue engine (:mod:`pbx_core.acd.attach`) run on the PBX's queue service
(``pbx.queues``): the engine reads the queues and agents the service keeps, stores the agents'
statuses and logs its calls there, and tells the queues' users when a queue changed; the service
shows the engine's live view (who waits, who is free) and passes on changed settings and agent
logins. Called once per PBX by the API (``server/routes_queues.py``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from pbx_core.acd.attach import attach
from pbx_core.acd.calls import OUTCOMES, NewQueueCall, Outcome
from pbx_core.acd.driver import QueueDriver
from pbx_core.acd.model import AgentState, AgentStatus
from pbx_core.acd.queue_events import LogCall
from pbx_core.acd.service import QueueService
from pbx_core.pbx import Pbx

__all__ = ["connect", "engine_row"]

_log = logging.getLogger(__name__)


def engine_row(number: str, row: LogCall, now: datetime) -> NewQueueCall:
    """The engine's row of a caller who left queue ``number`` at ``now`` (answered, hung up or
    sent away) as a call log entry: arrived ``waited_s`` before, answered or ended ``now``."""
    outcome: Outcome = row.outcome if row.outcome in OUTCOMES else "abandoned"
    return NewQueueCall(
        call_id=row.call_id, queue=number, caller=row.caller, caller_name=row.caller_name,
        arrived_at=now - timedelta(seconds=row.waited_s), outcome=outcome,
        waited_s=row.waited_s, answered_at=now if outcome == "answered" else None,
        ended_at=None if outcome == "answered" else now, agent=row.agent,
        overflow_reason=row.overflow_reason, forwarded_to=row.forwarded_to,
    )  # fmt: skip


def connect(pbx: Pbx, local_now: Callable[[], datetime] | None = None) -> QueueDriver | None:
    """Start the queue engine on ``pbx``'s queues (on the loop, the PBX started). None when the
    PBX has no SIP telephony or is not running. ``local_now``: the organisation's local time
    (opening hours)."""
    if not pbx.started:
        return None
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    queues: QueueService = pbx.queues

    def set_status(number: str, extension: str, status: AgentStatus, reason: str) -> None:
        queues.set_agent_status(number, extension, status, reason)  # ValueError: not a member

    driver = attach(
        pbx,
        queues,
        set_status=set_status,
        log_call=lambda number, row: queues.log_call(
            engine_row(number, row, datetime.now().astimezone())
        ),
        changed=queues.publish_updated,
        local_now=local_now,
    )
    if driver is None:
        return None
    running = [True]

    def reload(number: str) -> None:
        if running[0]:
            driver.load()

    def agent(state: AgentState) -> None:
        if running[0]:
            driver.agent_status(state.queue, state.extension, state.status)

    async def stop() -> None:
        running[0] = False
        queues.live = None
        driver.stop()

    queues.live, queues.live_clock = driver.live, loop.time
    queues.on_change(reload)
    queues.on_agent_change(agent)
    pbx.before_stop.append(stop)
    return driver
