"""The app core in embedded mode against a pjsua2 agent registered as 202.

Calls out and in through the real embedded PBX, mute and hold seen by the agent, history after
hang-up, SIGKILL of the embedded server with recovery, and no child left after quitting.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from app.context import AppContext
from app.headless import headless
from app.stores import ConnectionState
from tests.component.app._session import online, register_phone
from tests.component.app._wait import until
from tests.support.agent import start_agent
from tests.support.processes import pid_alive

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(180)]





def test_calls_hold_mute_history_and_incoming(
    app_and_loop: tuple[AppContext, asyncio.AbstractEventLoop], tmp_path: Path
) -> None:
    ctx, loop = app_and_loop

    async def scenario() -> None:
        ctx.session_ctl.start()
        await until(lambda: online(ctx), 40, "signed in and registered")
        assert ctx.session.me is not None and ctx.session.me.name == "Anna de Vries"
        with start_agent(tmp_path, "bram") as agent:
            await asyncio.to_thread(register_phone, agent, ctx)

            # outgoing: dial 202, the agent answers
            ctx.calls_ctl.dial("ext. 202")
            await asyncio.to_thread(agent.wait_event, "incoming_call", timeout=10)
            await until(lambda: bool(ctx.calls.calls), 10, "call listed")
            call = ctx.calls.calls[0]
            assert (call.direction, call.number) == ("outgoing", "202")
            assert call.name == "Bram Jansen"
            await until(lambda: ctx.calls.calls[0].state == "ringing", 10, "ringing")
            assert ctx.calls.calls[0].connected_at is None
            await asyncio.to_thread(agent.send, "answer", code=200)
            await until(lambda: ctx.calls.calls[0].state == "connected", 10, "connected")
            assert ctx.calls.calls[0].connected_at is not None

            ctx.calls_ctl.set_mute(call.key, True)
            await until(lambda: ctx.calls.calls[0].muted, 5, "muted")
            agent.drain()
            ctx.calls_ctl.hold(call.key)
            await asyncio.to_thread(
                agent.wait_event, "media_state", status="REMOTE_HOLD", timeout=10
            )
            await until(lambda: ctx.calls.calls[0].state == "held", 10, "held")
            ctx.calls_ctl.resume(call.key)
            await asyncio.to_thread(agent.wait_event, "media_active", timeout=10)
            await until(lambda: ctx.calls.calls[0].state == "connected", 10, "resumed")

            ctx.calls_ctl.hangup(call.key)
            await until(lambda: ctx.calls.idle, 10, "idle after hang-up")
            await asyncio.to_thread(
                agent.wait_event, "call_state", state="DISCONNECTED", timeout=10
            )
            await until(
                lambda: any(
                    e.direction == "outgoing" and e.number == "202" for e in ctx.history.entries
                ),
                10,
                "call in history",
            )
            await until(lambda: not ctx.calls.calls, 5, "ended call dropped")

            # incoming from 202, answered through the controller
            await asyncio.to_thread(agent.send, "call", uri="201")
            await until(lambda: bool(ctx.calls.calls), 10, "incoming call listed")
            incoming = ctx.calls.calls[0]
            assert (incoming.direction, incoming.state, incoming.number) == (
                "incoming",
                "incoming",
                "202",
            )
            ctx.calls_ctl.answer(incoming.key)
            await until(lambda: ctx.calls.calls[0].state == "connected", 10, "answered")
            await asyncio.to_thread(agent.wait_event, "call_state", state="CONFIRMED", timeout=10)
            await asyncio.to_thread(agent.send, "hangup")
            await until(lambda: ctx.calls.idle, 10, "idle after remote hang-up")
            await until(
                lambda: any(e.direction == "incoming" for e in ctx.history.entries),
                10,
                "incoming call in history",
            )

    loop.run_until_complete(scenario())


def test_embedded_server_killed_recovers_and_quit_leaves_no_child(tmp_path: Path) -> None:
    states: list[ConnectionState] = []
    with headless(tmp_path / "data", demo=True) as (ctx, loop):
        ctx.changes.subscribe(
            lambda changes: states.append(ctx.session.state) if changes.touches("session") else None
        )

        async def scenario() -> int:
            ctx.session_ctl.start()
            await until(lambda: online(ctx), 40, "online")
            embedded = ctx.session_ctl.embedded
            assert embedded is not None and embedded.pid is not None
            first = embedded.pid
            os.kill(first, signal.SIGKILL)
            await until(
                lambda: ctx.session.state is ConnectionState.SERVER_RESTARTING, 10, "restarting"
            )
            assert ctx.session.message == "The phone system stopped unexpectedly; restarting…"
            await until(lambda: online(ctx), 40, "online again")
            assert embedded.pid != first and not pid_alive(first)
            return int(embedded.pid or 0)

        second = loop.run_until_complete(scenario())
        assert pid_alive(second)
    assert not pid_alive(second)
    assert ConnectionState.SERVER_RESTARTING in states
    assert states[-1] is ConnectionState.SIGNED_OUT
