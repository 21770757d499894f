"""Move through the whole app core: embedded PBX, the real SIP engine, an agent as 202 to talk
to, and a second agent registered as the app's own user (another phone of the user).

The Move choices come from the server's device list (the app's own registration left out);
moving to an unknown phone is refused and the call stays; moving to the agent's phone makes it
ring, answering there connects it, and the app's call ends as moved; "pick up again" (``*7*``)
brings it back.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.context import AppContext
from app.devices import MoveChoice
from tests.component.app._session import online, register_phone
from tests.component.app._wait import until
from tests.support.agent import start_agent

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(180)]





def _other_phones(ctx: AppContext) -> list[MoveChoice]:
    return [c for c in ctx.calls_ctl.move_choices if c.device_id is not None]


def test_move_to_another_phone_of_the_user(
    app_and_loop: tuple[AppContext, asyncio.AbstractEventLoop], tmp_path: Path
) -> None:
    ctx, loop = app_and_loop

    async def scenario() -> None:
        ctx.session_ctl.start()
        await until(lambda: online(ctx), 40, "signed in and registered")
        await until(lambda: len(ctx.phones.devices) == 1, 10, "the app's own phone listed")
        assert _other_phones(ctx) == []  # the app's own registration is not offered
        with start_agent(tmp_path, "bram") as bram, start_agent(tmp_path, "desk") as desk:
            await asyncio.to_thread(register_phone, bram, ctx, "202")
            await asyncio.to_thread(register_phone, desk, ctx, "201")
            await until(lambda: len(_other_phones(ctx)) == 1, 10, "the second phone offered")
            (phone,) = _other_phones(ctx)
            assert phone.kind == "softphone"  # pjsua-test-agent/desk

            ctx.calls_ctl.dial("202")
            await asyncio.to_thread(bram.wait_event, "incoming_call", timeout=10)
            await asyncio.to_thread(bram.send, "answer", code=200)
            await until(lambda: any(c.state == "connected" for c in ctx.calls.calls), 10, "talk")
            key = next(c.key for c in ctx.calls.calls if c.state == "connected")
            try:
                ctx.calls_ctl.move(key, MoveChoice("phone", device_id="no-such-phone"))
                await until(lambda: ctx.calls.get(key).transfer == "failed", 10, "refused")  # type: ignore[union-attr]
                call = ctx.calls.get(key)
                assert call is not None and call.live and call.transfer_code == 409

                ctx.calls_ctl.move(key, phone)
                await until(lambda: ctx.calls.get(key).transfer is not None, 10, "asked")  # type: ignore[union-attr]
                await asyncio.to_thread(desk.wait_event, "incoming_call", timeout=10)
                await asyncio.to_thread(desk.send, "answer", code=200)
                await asyncio.to_thread(
                    desk.wait_event, "call_state", timeout=10, state="CONFIRMED"
                )
                await until(
                    lambda: ctx.calls.get(key) is None or not ctx.calls.get(key).live,  # type: ignore[union-attr]
                    20,
                    "the app's call ended",
                )
                call = ctx.calls.get(key)
                assert call is None or (call.transfer_kind, call.transfer) == (
                    "move",
                    "transferred",
                )
                # Bram still talks, now with the other phone
                calls = (await asyncio.to_thread(bram.send, "status"))["calls"]
                assert [c["state"] for c in calls] == ["CONFIRMED"], bram.log_tail()

                ctx.calls_ctl.pick_up_again()  # *7*: the call comes back to the app
                await until(
                    lambda: any(c.state == "connected" for c in ctx.calls.calls), 20, "back"
                )
                await asyncio.to_thread(
                    desk.wait_event, "call_state", timeout=10, state="DISCONNECTED"
                )
                calls = (await asyncio.to_thread(bram.send, "status"))["calls"]
                assert [c["state"] for c in calls] == ["CONFIRMED"], bram.log_tail()
            finally:
                for c in ctx.calls.calls:
                    if c.live:
                        ctx.calls_ctl.hangup(c.key)
                await until(lambda: ctx.calls.idle, 20, "idle")

    loop.run_until_complete(scenario())
