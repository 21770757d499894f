"""Headset buttons drive real calls: the app core with its embedded PBX, a pjsua2 agent as 202.

Each vendor's recorded report descriptor (tests/headset/devices/) is loaded into a software HID
node that stands in for the operating system's; the input reports it replays are built from that
descriptor's own fields. Answer, mute, hang-up and reject must reach the agent as SIP; a second
call answered from the headset holds the first; an unplug during a call leaves the call alone and
a re-plug gets the LEDs back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from app.bus import Changes
from app.context import AppContext
from app.headless import headless
from app.headset import BACKEND_ENV
from app.stores import ConnectionState
from headset import DeviceInfo, SoftwareBackend, SoftwareDevice
from headset.controls import ControlSet
from headset.descriptor import ReportKind, parse_descriptor
from headset.device import BUS_USB
from headset.usages import Role
from tests.component.app._wait import until
from tests.headset.conftest import load
from tests.support.agent import Agent, start_agent

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]

SETTLE_S = 0.6  # past the controller's 0.5 s echo window after the app changed Off-Hook
GAP_S = 0.05  # between two reports: past the 5 ms repeat filter


@dataclass(frozen=True, slots=True)
class Vendor:
    """A recorded headset: its descriptor file, IDs, the input report ID and reject press."""

    file: str
    vendor_id: int
    product_id: int
    manufacturer: str
    product: str
    report_id: int
    reject: tuple[dict[Role, int], ...]


VENDORS = [
    Vendor(
        "jabra-evolve-link-ms", 0x0B0E, 0x0307, "Jabra", "EVOLVE LINK MS", 2,
        ({Role.REJECT: 1}, {}),
    ),
    Vendor(
        "plantronics-blackwire-c5220", 0x047F, 0xC053, "Plantronics", "Blackwire 5220", 8,
        ({}, {}),  # no reject button: two on-hook reports while ringing
    ),
    Vendor(
        "epos-impact-d1", 0x1395, 0x009C, "EPOS", "IMPACT D1", 2,
        ({Role.DROP: 1}, {}),
    ),
    Vendor(
        "yealink-wh66", 0x6993, 0xB02B, "Yealink", "WH66", 2,
        ({Role.REJECT: 1}, {}),
    ),
]  # fmt: skip


class Headset:
    """A software HID node with the vendor's descriptor; reports built from its fields."""

    def __init__(self, vendor: Vendor) -> None:
        descriptor = load(vendor.file)
        self.vendor = vendor
        self.controls = ControlSet(parse_descriptor(descriptor))
        info = DeviceInfo(
            f"/dev/hidraw-{vendor.file}".encode(),
            vendor.vendor_id,
            vendor.product_id,
            vendor.manufacturer,
            vendor.product,
            "S-" + vendor.file,
            0x0B,
            0x05,
            BUS_USB,
        )
        self.device = SoftwareDevice(info, descriptor)

    def report(self, held: dict[Role, int]) -> bytes:
        """The input report with these buttons held (everything else released)."""
        rid = self.vendor.report_id
        length = self.controls.descriptor.report_length(ReportKind.INPUT, rid)
        bits = 0
        for role, value in held.items():
            control = next(
                c for c in self.controls.by_role(role, ReportKind.INPUT) if c.report_id == rid
            )
            bits |= value << control.bit_offset
        return bytes([rid]) + bits.to_bytes(length, "little")

    async def press(self, *states: dict[Role, int]) -> None:
        for state in states:
            self.device.press(self.report(state))
            await asyncio.sleep(GAP_S)

    def led(self, role: Role) -> int | None:
        """The LED's value in the last output report written for it (None: never written)."""
        controls = self.controls.by_role(role, ReportKind.OUTPUT)
        for report in reversed(self.device.written):
            for c in controls:
                if c.report_id == report[0]:
                    return (int.from_bytes(report[1:], "little") >> c.bit_offset) & 1
        return None


@dataclass(slots=True)
class Phone:
    ctx: AppContext
    loop: asyncio.AbstractEventLoop
    agent: Agent
    backend: SoftwareBackend

    def run(self, coro: Any) -> None:
        self.loop.run_until_complete(coro)
        settle(self.ctx, self.loop)

    async def plug(self, headset: Headset) -> None:
        self.backend.plug(headset.device)
        self.ctx.headset_ctl.refresh()
        device_id = headset.device.info.device_id
        await until(
            lambda: (
                self.ctx.headset.current is not None
                and self.ctx.headset.current.device_id == device_id
            ),
            5,
            "headset in use",
        )

    async def unplug(self, headset: Headset) -> None:
        self.backend.unplug(headset.device)
        store = self.ctx.headset
        await until(lambda: store.current is None and not store.devices, 5, "headset gone")

    async def incoming(self) -> tuple[int, str]:
        """The agent calls the app; returns the agent's call index and the app's call key."""
        known = {c.key for c in self.ctx.calls.calls}
        reply = await asyncio.to_thread(self.agent.send, "call", uri="201")

        def ringing() -> str | None:
            return next(
                (
                    c.key
                    for c in self.ctx.calls.calls
                    if c.key not in known and c.state == "incoming"
                ),
                None,
            )

        await until(ringing, 10, "incoming call listed")
        key = ringing()
        assert key is not None
        return int(reply["call"]), key

    async def agent_event(self, name: str, **match: Any) -> dict[str, Any]:
        return await asyncio.to_thread(self.agent.wait_event, name, timeout=10, **match)

    def call(self, key: str) -> Any:
        return self.ctx.calls.get(key)


def settle(ctx: AppContext, loop: asyncio.AbstractEventLoop) -> None:
    """Let the app's background work (the loads at sign-in, a refresh after a call) finish
    before control leaves the loop: pytest-qt processes Qt events between a test and the next
    step, and a task stepped there has no running loop."""
    assert ctx.runner is not None
    loop.run_until_complete(ctx.runner.settle(20))


def _online(ctx: AppContext) -> bool:
    return ctx.session.state is ConnectionState.ONLINE and ctx.session.registration.registered


@pytest.fixture(scope="module")
def phone(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Phone]:
    tmp = tmp_path_factory.mktemp("headset")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(BACKEND_ENV, "software")
        with headless(tmp / "data", demo=True) as (ctx, loop):

            async def online() -> None:
                ctx.session_ctl.start()
                await until(lambda: _online(ctx), 40, "signed in and registered")
                await until(lambda: ctx.headset_ctl.manager is not None, 5, "headset control")

            loop.run_until_complete(online())
            settle(ctx, loop)
            backend = ctx.headset_ctl.backend
            assert isinstance(backend, SoftwareBackend)
            assert ctx.headset.devices == [] and ctx.headset.current is None
            assert ctx.headset.status == "No headset with call control found"
            info = ctx.session_ctl.embedded.info if ctx.session_ctl.embedded else None
            assert info is not None
            with start_agent(tmp, "bram") as agent:
                agent.send(
                    "register",
                    host="127.0.0.1",
                    port=info.sip_udp,
                    user="202",
                    password="Demo-202!",
                )
                agent.wait_event("registered", timeout=10)
                yield Phone(ctx, loop, agent, backend)


@pytest.mark.parametrize("vendor", VENDORS, ids=[v.file for v in VENDORS])
def test_answer_mute_hang_up_and_reject_from_the_headset(phone: Phone, vendor: Vendor) -> None:
    headset = Headset(vendor)
    ctx = phone.ctx

    presses: list[tuple[str, int]] = []

    def on_headset(changes: Changes) -> None:
        press = ctx.headset.last_press
        if changes.touches("headset", "press") and press is not None:
            presses.append((press.role, press.value))

    unhook = ctx.changes.subscribe(on_headset)

    async def scenario() -> None:
        await phone.plug(headset)
        assert ctx.headset.current is not None
        assert ctx.headset.current.vendor_id == vendor.vendor_id
        assert headset.led(Role.LED_OFF_HOOK) == 0  # the LEDs start in the app's state

        # ringing: the Ring LED; answer from the headset, the agent's call is confirmed
        call, key = await phone.incoming()
        await until(lambda: headset.led(Role.LED_RING) == 1, 5, "ring LED on")
        await asyncio.sleep(SETTLE_S)
        await headset.press({Role.HOOK: 1})
        await phone.agent_event("call_state", call=call, state="CONFIRMED")
        await until(lambda: phone.call(key).state == "connected", 10, "answered")
        await until(lambda: headset.led(Role.LED_OFF_HOOK) == 1, 5, "off-hook LED on")
        assert headset.led(Role.LED_RING) == 0
        assert ("hook", 1) in presses  # the "press a button to test" indicator saw it

        # mute: the app mutes the call and lights the mute LED (the device's request answered)
        await asyncio.sleep(SETTLE_S)
        await headset.press({Role.HOOK: 1, Role.MUTE: 1}, {Role.HOOK: 1})
        await until(lambda: phone.call(key).muted, 5, "muted")
        await until(lambda: headset.led(Role.LED_MUTE) == 1, 5, "mute LED on")
        assert phone.call(key).state == "connected"

        # hang up: the agent sees the call end
        await headset.press({})
        await phone.agent_event("call_state", call=call, state="DISCONNECTED")
        await until(lambda: ctx.calls.idle, 10, "idle after hang-up")
        await until(lambda: headset.led(Role.LED_OFF_HOOK) == 0, 5, "off-hook LED off")
        assert headset.led(Role.LED_MUTE) == 0

        # reject while ringing: the caller gets a busy/decline final response
        await asyncio.sleep(SETTLE_S)
        call, key = await phone.incoming()
        await until(lambda: headset.led(Role.LED_RING) == 1, 5, "ring LED on")
        await headset.press(*vendor.reject)
        ended = await phone.agent_event("call_state", call=call, state="DISCONNECTED")
        assert ended["code"] in (486, 603)
        await until(lambda: ctx.calls.idle, 10, "idle after reject")
        await until(lambda: headset.led(Role.LED_RING) == 0, 5, "ring LED off")
        await phone.unplug(headset)

    try:
        phone.run(scenario())
    finally:
        unhook()


def test_second_call_answered_from_the_headset_holds_the_first(phone: Phone) -> None:
    headset = Headset(VENDORS[0])
    ctx = phone.ctx

    async def scenario() -> None:
        await phone.plug(headset)
        first, first_key = await phone.incoming()
        await asyncio.sleep(SETTLE_S)
        await headset.press({Role.HOOK: 1})
        await phone.agent_event("call_state", call=first, state="CONFIRMED")
        await until(lambda: phone.call(first_key).state == "connected", 10, "first answered")

        phone.agent.drain()
        second, second_key = await phone.incoming()
        await until(lambda: headset.led(Role.LED_RING) == 1, 5, "ring LED on")
        assert headset.led(Role.LED_OFF_HOOK) == 0
        await headset.press({})  # the Jabra follows the cleared Off-Hook LED: an echo
        await asyncio.sleep(SETTLE_S)
        await headset.press({Role.HOOK: 1})
        await phone.agent_event("media_state", call=first, status="REMOTE_HOLD")
        await phone.agent_event("call_state", call=second, state="CONFIRMED")
        await until(lambda: phone.call(first_key).state == "held", 10, "first held")
        await until(lambda: phone.call(second_key).state == "connected", 10, "second answered")
        await until(lambda: headset.led(Role.LED_OFF_HOOK) == 1, 5, "off-hook LED on")

        # hang up the connected one from the headset; the held one goes on
        await asyncio.sleep(SETTLE_S)
        await headset.press({})
        await phone.agent_event("call_state", call=second, state="DISCONNECTED")
        await until(lambda: not phone.call(second_key).live, 10, "second ended")
        assert phone.call(first_key).state == "held"
        await until(lambda: headset.led(Role.LED_HOLD) == 1, 5, "hold LED on")
        assert headset.led(Role.LED_OFF_HOOK) == 1  # hold keeps Off-Hook set
        ctx.calls_ctl.hangup(first_key)
        await phone.agent_event("call_state", call=first, state="DISCONNECTED")
        await until(lambda: ctx.calls.idle, 10, "idle")
        await phone.unplug(headset)

    phone.run(scenario())


def test_unplug_during_a_call_and_replug(phone: Phone) -> None:
    headset = Headset(VENDORS[0])
    ctx = phone.ctx

    async def scenario() -> None:
        await phone.plug(headset)
        call, key = await phone.incoming()
        await asyncio.sleep(SETTLE_S)
        await headset.press({Role.HOOK: 1})
        await phone.agent_event("call_state", call=call, state="CONFIRMED")
        await until(lambda: phone.call(key).state == "connected", 10, "answered")

        phone.agent.drain()
        await phone.unplug(headset)
        await asyncio.sleep(0.5)
        assert phone.call(key).state == "connected"  # the call goes on without the headset
        assert not [e for e in phone.agent.drain() if e.get("event") == "call_state"]
        ctx.calls_ctl.set_mute(key, True)  # muted on screen meanwhile
        await until(lambda: phone.call(key).muted, 5, "muted on screen")

        headset.device.written.clear()
        await phone.plug(headset)
        await until(lambda: headset.led(Role.LED_OFF_HOOK) == 1, 5, "off-hook LED re-sent")
        assert headset.led(Role.LED_MUTE) == 1 and headset.led(Role.LED_MICROPHONE) == 1
        assert headset.led(Role.LED_RING) == 0

        await headset.press({Role.HOOK: 1})  # the device follows the re-sent Off-Hook
        await asyncio.sleep(SETTLE_S)
        await headset.press({})
        await phone.agent_event("call_state", call=call, state="DISCONNECTED")
        await until(lambda: ctx.calls.idle, 10, "idle after hang-up")
        await phone.unplug(headset)

    phone.run(scenario())
