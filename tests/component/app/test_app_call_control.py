"""Call control through the whole app core: embedded PBX, the real SIP engine, an agent as 202.

Consult (the first call held), swap, merge into a local conference, quality from the stream;
park over REFER (the PBX parks the call in 7001, the parked list shows it, dialling the slot
brings it back) and its failure path; the parked calls list at sign-in.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.context import AppContext
from tests.component.app._session import online, register_phone
from tests.component.app._wait import until
from tests.support.agent import Agent, start_agent

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(180)]





def _transfer_of(ctx: AppContext, key: str) -> str:
    """The call's transfer state; "gone" once the store dropped it."""
    call = ctx.calls.get(key)
    return "gone" if call is None else str(call.transfer)


async def _call_bram(ctx: AppContext, agent: Agent) -> str:
    ctx.calls_ctl.dial("202")
    await asyncio.to_thread(agent.wait_event, "incoming_call", timeout=10)
    await asyncio.to_thread(agent.send, "answer", code=200)
    await until(lambda: any(c.state == "connected" for c in ctx.calls.calls), 10, "connected")
    return next(c.key for c in ctx.calls.calls if c.state == "connected")


def test_consult_swap_merge_and_quality(
    app_and_loop: tuple[AppContext, asyncio.AbstractEventLoop], tmp_path: Path
) -> None:
    ctx, loop = app_and_loop

    async def scenario() -> None:
        ctx.session_ctl.start()
        await until(lambda: online(ctx), 40, "signed in and registered")
        await until(lambda: ctx.parked.calls == [], 5, "no parked calls")
        with start_agent(tmp_path, "bram") as agent:
            await asyncio.to_thread(register_phone, agent, ctx)
            bram = await _call_bram(ctx, agent)
            await until(lambda: ctx.calls.get(bram).quality is not None, 10, "quality")  # type: ignore[union-attr]

            ctx.calls_ctl.consult(bram, "9000")  # the echo test answers at once
            await until(lambda: len(ctx.calls.calls) == 2, 10, "the consult call")
            echo = next(c.key for c in ctx.calls.calls if c.key != bram)
            await until(lambda: ctx.calls.get(echo).state == "connected", 10, "consulting")  # type: ignore[union-attr]
            await until(lambda: ctx.calls.get(bram).held, 10, "Bram held")  # type: ignore[union-attr]
            pair = ctx.calls.model.consult_pair(echo)
            assert pair is not None and [c.key for c in pair] == [bram, echo]

            ctx.calls_ctl.swap(bram)  # back to Bram: the echo test waits
            await until(lambda: ctx.calls.get(echo).held, 10, "echo held")  # type: ignore[union-attr]
            await until(lambda: ctx.calls.get(bram).state == "connected", 10, "Bram back")  # type: ignore[union-attr]

            ctx.calls_ctl.merge(bram, echo)
            await until(
                lambda: all(c.conference == (bram, echo) for c in ctx.calls.calls),
                10,
                "one conference",
            )
            await until(
                lambda: all(c.state == "connected" for c in ctx.calls.calls), 10, "both talking"
            )
            assert ctx.calls.model.consult_pair(bram) is None  # merged: no transfer pending
            ctx.calls_ctl.remove_from_conference(echo)
            await until(lambda: ctx.calls.get(bram).conference == (), 10, "conference over")  # type: ignore[union-attr]
            ctx.calls_ctl.hangup(bram)
            await until(lambda: ctx.calls.idle, 10, "idle")

    loop.run_until_complete(scenario())


def test_park_reports_the_pbx_answer_and_keeps_a_refused_call(
    app_and_loop: tuple[AppContext, asyncio.AbstractEventLoop], tmp_path: Path
) -> None:
    """Without the PBX's REFER the park fails and the call stays; with it, the call ends."""
    ctx, loop = app_and_loop

    async def scenario() -> None:
        ctx.session_ctl.start()
        await until(lambda: online(ctx), 40, "signed in and registered")
        with start_agent(tmp_path, "bram") as agent:
            await asyncio.to_thread(register_phone, agent, ctx)
            bram = await _call_bram(ctx, agent)
            ctx.calls_ctl.park(bram)
            await until(
                lambda: _transfer_of(ctx, bram) in ("gone", "failed", "transferred"),
                20,
                "the PBX's answer to the REFER",
            )
            call = ctx.calls.get(bram)
            if call is not None and call.transfer == "failed":
                assert call.live and call.transfer_kind == "park"
                ctx.calls_ctl.hangup(bram)
            await until(lambda: ctx.calls.idle, 20, "idle")

    loop.run_until_complete(scenario())


def test_park_succeeds_and_the_call_ends(
    app_and_loop: tuple[AppContext, asyncio.AbstractEventLoop], tmp_path: Path
) -> None:
    ctx, loop = app_and_loop

    async def scenario() -> None:
        ctx.session_ctl.start()
        await until(lambda: online(ctx), 40, "signed in and registered")
        with start_agent(tmp_path, "bram") as agent:
            await asyncio.to_thread(register_phone, agent, ctx)
            bram = await _call_bram(ctx, agent)
            ctx.calls_ctl.park(bram)
            try:
                await _parked_and_picked_up(ctx, bram)
            finally:  # end what is left, whatever happened, before the app closes
                for call in ctx.calls.calls:
                    if call.live:
                        ctx.calls_ctl.hangup(call.key)
                await until(lambda: ctx.calls.idle, 20, "idle")

    loop.run_until_complete(scenario())


async def _parked_and_picked_up(ctx: AppContext, bram: str) -> None:
    """The PBX took the call into slot 7001; dialling the slot brings it back."""
    await until(
        lambda: _transfer_of(ctx, bram) in ("gone", "transferred"),
        20,
        "parked",
    )
    await until(lambda: ctx.calls.idle, 20, "the call handed to the park")
    await until(lambda: [c.slot for c in ctx.parked.calls] == ["7001"], 10, "listed")
    ctx.calls_ctl.pickup_parked("7001")
    await until(lambda: any(c.in_call for c in ctx.calls.calls), 10, "picked up")
