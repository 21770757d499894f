"""Headset button to SIP: how long from the answer press to the 200 OK sent.

The desktop app core runs headless with its embedded PBX; a pjsua2 agent (202) calls the app
(201) again and again; a software HID node loaded with the recorded Jabra EVOLVE LINK MS
descriptor stands in for the operating system's and delivers the Hook Switch report. Measured
per press, on one monotonic clock (CLOCK_MONOTONIC is shared by the processes of the machine):

- press → 200 OK sent: the report leaving the HID node's read() to the app's SIP engine having
  sent the 200 (its answer job done on the engine thread);
- press → caller confirmed: the same press to the caller's pjsua2 seeing the call CONFIRMED
  (the 200 relayed by the PBX's B2BUA), as read by this process.

``python benchmarks/headset_latency.py [--presses 20]`` writes the section "## Headset (…)"
of docs/benchmarks.md (the file's other sections are kept).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ACME_HEADSET_BACKEND"] = "software"

from _docs import replace_section  # noqa: E402 - benchmarks/ is the script folder

from app.headless import headless  # noqa: E402
from app.stores import ConnectionState  # noqa: E402
from headset import DeviceInfo, SoftwareBackend, SoftwareDevice  # noqa: E402
from headset.hexfile import read_descriptor_bytes  # noqa: E402
from tests.component.app._wait import until  # noqa: E402
from tests.support.agent import start_agent  # noqa: E402

HEADING = "## Headset (benchmarks/headset_latency.py)"
DESCRIPTOR = ROOT / "tests" / "headset" / "devices" / "jabra-evolve-link-ms.hex"
ANSWER = bytes.fromhex("020100")  # report 2: Hook Switch off-hook
HANG_UP = bytes.fromhex("020000")
SETTLE_S = 0.6  # past the 0.5 s window in which hook reports are taken as LED echoes


class TimedDevice(SoftwareDevice):
    """Stamps the moment each input report leaves read(), as the OS node would hand it over."""

    def __init__(self, info: DeviceInfo, descriptor: bytes) -> None:
        super().__init__(info, descriptor)
        self.delivered: list[tuple[bytes, float]] = []

    def read(self, timeout_ms: int) -> bytes:
        report = super().read(timeout_ms)
        if report:
            self.delivered.append((report, time.monotonic()))
        return report


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _measure(ctx: Any, agent: Any, device: TimedDevice, presses: int) -> dict[str, Any]:
    sent: list[float] = []
    engine = ctx.engine
    original = engine.answer

    def answer(call_id: Any) -> Any:
        future = original(call_id)
        future.add_done_callback(lambda _f: sent.append(time.monotonic()))
        return future

    engine.answer = answer
    to_sent: list[float] = []
    to_confirmed: list[float] = []
    for _ in range(presses):
        reply = await asyncio.to_thread(agent.send, "call", uri="201")
        call = int(reply["call"])
        await until(lambda: any(c.state == "incoming" for c in ctx.calls.calls), 10, "ringing")
        await asyncio.sleep(SETTLE_S)
        device.delivered.clear()
        sent.clear()
        device.press(ANSWER)
        confirmed = await asyncio.to_thread(
            agent.wait_event, "call_state", call=call, state="CONFIRMED", timeout=10
        )
        await until(lambda: bool(sent), 5, "200 OK sent")
        pressed = device.delivered[0][1]
        to_sent.append((sent[0] - pressed) * 1000)
        to_confirmed.append((float(confirmed["_t"]) - pressed) * 1000)
        await until(lambda: any(c.state == "connected" for c in ctx.calls.calls), 10, "connected")
        await asyncio.sleep(SETTLE_S)
        device.press(HANG_UP)
        await asyncio.to_thread(
            agent.wait_event, "call_state", call=call, state="DISCONNECTED", timeout=10
        )
        await until(lambda: ctx.calls.idle, 10, "idle")
        agent.drain()
    return {"sent": to_sent, "confirmed": to_confirmed}


def run(presses: int) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        headless(Path(tmp) / "data", demo=True) as (
            ctx,
            loop,
        ),
    ):

        async def online() -> None:
            ctx.session_ctl.start()
            await until(
                lambda: (
                    ctx.session.state is ConnectionState.ONLINE
                    and ctx.session.registration.registered
                ),
                40,
                "online",
            )
            await until(lambda: ctx.headset_ctl.manager is not None, 5, "headset control")

        loop.run_until_complete(online())
        backend = ctx.headset_ctl.backend
        assert isinstance(backend, SoftwareBackend)
        info = DeviceInfo(b"/dev/hidraw-bench", 0x0B0E, 0x0307, "Jabra", "EVOLVE LINK MS", "B1")
        device = TimedDevice(info, read_descriptor_bytes(DESCRIPTOR.read_bytes()))
        backend.plug(device)
        ctx.headset_ctl.refresh()
        loop.run_until_complete(until(lambda: ctx.headset.current is not None, 5, "headset"))
        embedded = ctx.session_ctl.embedded
        assert embedded is not None and embedded.info is not None
        with start_agent(Path(tmp), "bench") as agent:
            agent.send(
                "register",
                host="127.0.0.1",
                port=embedded.info.sip_udp,
                user="202",
                password="Demo-202!",
            )
            agent.wait_event("registered", timeout=10)
            return loop.run_until_complete(_measure(ctx, agent, device, presses))


def _section(result: dict[str, Any], presses: int) -> str:
    sent, confirmed = result["sent"], result["confirmed"]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    cpu = platform.processor() or platform.machine()
    return (
        f"{HEADING}\n\n"
        f"Measured {now} on {platform.machine()} ({cpu}), {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load} at the start. {presses} answer "
        "presses on a software HID node with the recorded Jabra EVOLVE LINK MS descriptor; "
        "the desktop app core headless with its embedded PBX; the caller a pjsua2 agent on "
        "loopback. Target: under 50 ms from the press to the 200 OK sent.\n\n"
        "| figure | median | p95 | max |\n|---|---|---|---|\n"
        f"| press → 200 OK sent by the app | {statistics.median(sent):.1f} ms | "
        f"{_percentile(sent, 0.95):.1f} ms | {max(sent):.1f} ms |\n"
        f"| press → caller's call confirmed (200 through the PBX) | "
        f"{statistics.median(confirmed):.1f} ms | {_percentile(confirmed, 0.95):.1f} ms | "
        f"{max(confirmed):.1f} ms |\n\n"
        "How: `python benchmarks/headset_latency.py --presses 20`. The press time is when the "
        "report leaves the HID node's read() on the reader thread; it then goes through the "
        "headset state machine, hops to the GUI/asyncio loop (call_soon_threadsafe), the calls "
        "controller's answer task, and the SIP engine's worker thread, whose answer job ends "
        "once pjsua2 has sent the 200 OK. The caller's figure is stamped when its CONFIRMED "
        "event is read here.\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    result = run(args.presses)
    text = _section(result, args.presses)
    print(text)
    if not args.no_write:
        replace_section(HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
