"""Move through the whole app core: embedded PBX, the real SIP engine, an agent as 202 to talk
to, and a second agent registered as the app's own user (another phone of the user).

The Move choices come from the server's device list (the app's own registration left out);
moving to an unknown phone is refused and the call stays; moving to the agent's phone makes it
ring, answering there connects it, and the app's call ends as moved; "pick up again" (``*7*``)
brings it back. Bram hears Anna (a tone file for her voice) before, the other phone after the
move and Anna again once she took it back, on his recordings.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.context import AppContext
from app.devices import MoveChoice
from sip import CallId
from tests.component.app._session import online, register_phone
from tests.component.app._wait import until
from tests.support.agent import Agent, start_agent
from tests.support.audio import write_tone_wav
from tests.support.listening import heard, mostly, record_phase

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(180)]

# Anna (the app, by a tone file for her voice), Bram, and Anna's other phone (the desk)
TONES = {"anna": 1110.0, "bram": 1290.0, "desk": 1470.0}


def _speaks(agent: Agent, workdir: Path) -> None:
    wav = write_tone_wav(workdir / f"{agent.name}-tone.wav", TONES[agent.name], 1.0, level=0.2)
    agent.send("play", file=str(wav))


async def _bram_hears(bram: Agent, workdir: Path, phase: str, who: str) -> None:
    """Bram hears ``who`` (Anna or the desk phone) and not the other."""
    (path,) = await asyncio.to_thread(record_phase, [bram], workdir, phase)
    other = "desk" if who == "anna" else "anna"
    assert mostly(heard(path, TONES[who])), f"{phase}: Bram does not hear {who}"
    assert not any(heard(path, TONES[other])), f"{phase}: Bram hears {other}"


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
            for agent in (bram, desk):
                _speaks(agent, tmp_path)
            anna_voice = write_tone_wav(tmp_path / "anna-tone.wav", TONES["anna"], 1.0, level=0.2)
            await until(lambda: len(_other_phones(ctx)) == 1, 10, "the second phone offered")
            (phone,) = _other_phones(ctx)
            assert phone.kind == "softphone"  # pjsua-test-agent/desk

            ctx.calls_ctl.dial("202")
            await asyncio.to_thread(bram.wait_event, "incoming_call", timeout=10)
            await asyncio.to_thread(bram.send, "answer", code=200)
            await until(lambda: any(c.state == "connected" for c in ctx.calls.calls), 10, "talk")
            key = next(c.key for c in ctx.calls.calls if c.state == "connected")
            await ctx.engine.play_wav(CallId(key), str(anna_voice), True)
            await _bram_hears(bram, tmp_path, "before", "anna")
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
                await asyncio.to_thread(desk.wait_event, "media_active", timeout=10)
                await _bram_hears(bram, tmp_path, "moved", "desk")

                ctx.calls_ctl.pick_up_again()  # *7*: the call comes back to the app
                await until(
                    lambda: any(c.state == "connected" for c in ctx.calls.calls), 20, "back"
                )
                await asyncio.to_thread(
                    desk.wait_event, "call_state", timeout=10, state="DISCONNECTED"
                )
                calls = (await asyncio.to_thread(bram.send, "status"))["calls"]
                assert [c["state"] for c in calls] == ["CONFIRMED"], bram.log_tail()
                back = next(c.key for c in ctx.calls.calls if c.state == "connected")
                await ctx.engine.play_wav(CallId(back), str(anna_voice), True)
                await _bram_hears(bram, tmp_path, "taken-back", "anna")
            finally:
                for c in ctx.calls.calls:
                    if c.live:
                        ctx.calls_ctl.hangup(c.key)
                await until(lambda: ctx.calls.idle, 20, "idle")

    loop.run_until_complete(scenario())
