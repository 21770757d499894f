"""Desktop app figures: cold start to the first painted window, memory, idle CPU, call audio.

``.venv/bin/python benchmarks/desktop.py [--runs 5] [--idle 30] [--call 10] [--write]``

Runs under its own Xvfb display. 1) ``python -m app --demo --data-dir TMP`` (a fresh folder
each run) with ``ACME_BENCH_MARK=1``: the app prints the monotonic time of its first paint; the
median of the runs is the cold start. 2) One more app run: RSS of the app and of its embedded
PBX after 15 s (``/proc/<pid>/status``), then CPU over ``--idle`` seconds from
``/proc/<pid>/stat`` (utime + stime) and the context switches of each thread (who wakes).
3) In this process, the real app (context and main window) with the loopback sound devices
(``ACME_AUDIO_BACKEND=loopback``; there is no sound card here) dials 9000 (the echo test) while
a timer keeps the GUI thread busy; the bridge's added latency and its under/overruns are read
from ``AudioBridge.stats()`` and the round trip microphone → PBX → speaker by correlation.
``--write`` replaces the "Desktop app" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import inspect
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from _docs import replace_section  # benchmarks/ is the script folder
from _xvfb import start_xvfb

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Desktop app (benchmarks/desktop.py)"
TICK = os.sysconf("SC_CLK_TCK")
MARK = "bench-mark first-paint "
SETTLE_S = 2.0  # priming and the bridge's first adjustments, left out of the steady counts


# -- Xvfb and processes ---------------------------------------------------------------------


def app_env(display: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=display, ACME_BENCH_MARK="1", PYTHONPATH=str(ROOT), **extra)
    return env


def launch(display: str, data: Path) -> tuple[subprocess.Popen[str], float]:
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--demo", "--data-dir", str(data)],
        cwd=ROOT,
        env=app_env(display),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    return proc, t0


def first_paint(proc: subprocess.Popen[str], t0: float, timeout: float = 30.0) -> float:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the app ended before its first paint")
        if line.startswith(MARK):
            return float(line[len(MARK) :]) - t0
    raise RuntimeError("no first paint within the timeout")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(t) for t in text]
    return found


def pbx_pid(app_pid: int, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children(app_pid):
            cmd = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if b"server" in cmd:
                return child
        time.sleep(0.2)
    raise RuntimeError("the embedded PBX did not start")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def thread_switches(pid: int) -> dict[str, int]:
    """Voluntary + involuntary context switches per thread, keyed ``name/tid``."""
    out: dict[str, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            total = 0
            for line in (task / "status").read_text().splitlines():
                if line.endswith("ctxt_switches:") or "ctxt_switches:" in line:
                    total += int(line.split()[1])
            out[f"{name}/{task.name}"] = total
        except OSError:
            continue
    return out


# -- 1 and 2: cold start, memory, idle ------------------------------------------------------
@dataclass(slots=True)
class Idle:
    app_rss: float
    pbx_rss: float
    app_cpu: float
    pbx_cpu: float
    app_wakeups: list[tuple[str, float]]
    pbx_wakeups: list[tuple[str, float]]


def cold_starts(display: str, runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            proc, t0 = launch(display, Path(tmp) / "data")
            try:
                times.append(first_paint(proc, t0))
            finally:
                stop(proc)
    return times


def wake_rates(before: dict[str, int], after: dict[str, int], seconds: float) -> list[Any]:
    rates = [(k, (after[k] - before.get(k, 0)) / seconds) for k in after]
    return sorted((r for r in rates if r[1] >= 0.5), key=lambda r: -r[1])


def idle_figures(display: str, idle_s: float) -> Idle:
    with tempfile.TemporaryDirectory() as tmp:
        proc, t0 = launch(display, Path(tmp) / "data")
        try:
            first_paint(proc, t0)
            pbx = pbx_pid(proc.pid)
            time.sleep(max(0.0, 15.0 - (time.monotonic() - t0)))
            app_rss, pbx_rss = rss_mib(proc.pid), rss_mib(pbx)
            ticks = cpu_ticks(proc.pid), cpu_ticks(pbx)
            switches = thread_switches(proc.pid), thread_switches(pbx)
            time.sleep(idle_s)
            app_cpu = (cpu_ticks(proc.pid) - ticks[0]) / TICK / idle_s * 100
            pbx_cpu = (cpu_ticks(pbx) - ticks[1]) / TICK / idle_s * 100
            app_w = wake_rates(switches[0], thread_switches(proc.pid), idle_s)
            pbx_w = wake_rates(switches[1], thread_switches(pbx), idle_s)
        finally:
            stop(proc)
    return Idle(app_rss, pbx_rss, app_cpu, pbx_cpu, app_w, pbx_w)


# -- 3: a call to 9000 with the GUI kept busy -----------------------------------------------
@dataclass(slots=True)
class CallAudio:
    label: str
    latency_ms: float
    round_trip_ms: float
    mic_under: int
    mic_over: int
    spk_under: int
    spk_over: int
    gui_ticks: int
    steady: tuple[int, int, int, int]  # the same four counts after SETTLE_S


def _round_trip_ms(backend: Any, rate: int, period: int) -> float:
    """Delay of the clicks' echo: the speaker's onsets against the microphone's (mod period)."""
    played = backend.played()
    if backend.speaker_start is None or backend.mic_start is None or len(played) < 2 * rate:
        return float("nan")
    tail = np.abs(played[-2 * rate :])
    start = len(played) - 2 * rate
    onsets = np.flatnonzero((tail[1:] > 0.05) & (tail[:-1] <= 0.05)) + 1 + start
    if not len(onsets):
        return float("nan")
    offset = (backend.speaker_start - backend.mic_start) * rate
    delays = ((onsets + offset) % period) / rate * 1000
    return float(np.median(delays))


def call_audio(seconds: float, busy_ms: float) -> list[CallAudio]:
    os.environ["ACME_AUDIO_BACKEND"] = "loopback"
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.context import build_context
    from app.stores import ConnectionState

    rate, period = 48000, 48000 // 2  # one click every 0.5 s

    def clicks(start: int, count: int, _rate: int) -> np.ndarray:
        index = np.arange(start, start + count) % period
        return np.where(index < 96, 0.5, 0.0).astype(np.float32)  # a 2 ms pulse

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    results: list[CallAudio] = []
    with tempfile.TemporaryDirectory() as tmp:
        args = argparse.Namespace(data_dir=str(Path(tmp) / "data"), demo=True)
        ctx = build_context(args, loop=loop)
        import ui.main

        ui.main.run(ctx, args)
        devices = ctx.audio_devices
        assert devices is not None
        devices.backend.source = clicks  # type: ignore[attr-defined]
        ticks = [0]

        def busy() -> None:  # the GUI thread repaints and computes, holding the GIL
            ticks[0] += 1
            end = time.perf_counter() + busy_ms / 1000
            for w in QApplication.topLevelWidgets():
                if w.isVisible():
                    w.repaint()
            while time.perf_counter() < end:
                sum(i * i for i in range(500))

        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(busy)

        async def wait(cond: Any, within: float) -> None:
            for _ in range(int(within / 0.05)):
                if cond():
                    return
                await asyncio.sleep(0.05)
            raise RuntimeError("timed out")

        async def scenario() -> None:
            ctx.session_ctl.start()
            await wait(
                lambda: (
                    ctx.session.state is ConnectionState.ONLINE
                    and ctx.session.registration.registered
                ),
                60,
            )
            busy_label = f"GUI busy ({busy_ms:.0f} ms / 20 ms)"
            for label, load in (("GUI idle", False), (busy_label, True)):
                ctx.calls_ctl.dial("9000")
                await wait(lambda: ctx.calls.calls and ctx.calls.calls[-1].state == "connected", 15)
                key = ctx.calls.calls[-1].key
                ticks[0] = 0
                if load:
                    timer.start()
                await asyncio.sleep(SETTLE_S)
                early = devices.bridge.stats()
                await asyncio.sleep(max(0.0, seconds - SETTLE_S))
                timer.stop()
                s = devices.bridge.stats()
                rt = _round_trip_ms(devices.backend, rate, period)
                results.append(
                    CallAudio(
                        label,
                        s.latency_ms,
                        rt,
                        s.mic_underruns,
                        s.mic_overruns,
                        s.speaker_underruns,
                        s.speaker_overruns,
                        ticks[0],
                        (
                            s.mic_underruns - early.mic_underruns,
                            s.mic_overruns - early.mic_overruns,
                            s.speaker_underruns - early.speaker_underruns,
                            s.speaker_overruns - early.speaker_overruns,
                        ),
                    )
                )
                ctx.calls_ctl.hangup(key)
                await wait(lambda: ctx.calls.idle, 10)
                await wait(lambda: not devices.bridge.in_use, 5)
            await ctx.session_ctl.quit()

        loop.run_until_complete(scenario())
    return results


# -- report ---------------------------------------------------------------------------------
def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def report(starts: list[float], idle: Idle, calls: list[CallAudio], idle_s: float) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    lines = [
        HEADING,
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, no sound card; Python "
        f"{platform.python_version()}, Xvfb; {when}.",
        "",
        "| figure | this app | Linphone desktop 4.4 |",
        "|---|---|---|",
        f"| first painted main window, median of {len(starts)} "
        f"(`python -m app --demo`, fresh data folder) | {statistics.median(starts):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in starts)}) | ~1.0 s |",
        f"| RSS after 15 s: app / embedded PBX | {idle.app_rss:.0f} MiB / {idle.pbx_rss:.0f} MiB "
        f"(together {idle.app_rss + idle.pbx_rss:.0f} MiB) | 253 MiB |",
        f"| idle CPU over {idle_s:.0f} s: app / PBX (% of one core) | {idle.app_cpu:.2f} % / "
        f"{idle.pbx_cpu:.2f} % | 0.6 % |",
        "",
        "Threads waking while idle (context switches per second, `name/tid`):",
        "",
        "- app: " + (", ".join(f"{k} {v:.1f}/s" for k, v in idle.app_wakeups[:6]) or "none"),
        "- PBX: " + (", ".join(f"{k} {v:.1f}/s" for k, v in idle.pbx_wakeups[:6]) or "none"),
        "",
        "Call to 9000 (echo test) on the loopback devices (48 kHz device, 16 kHz clock, 10 ms "
        f"frames, {_block_ms()} ms device blocks); the busy GUI repaints every window and "
        "computes for the given time every 20 ms, holding the GIL; under/overruns over the "
        f"call, in brackets after its first {SETTLE_S:.0f} s:",
        "",
        "| GUI | bridge added latency (mean) | round trip mic → PBX → speaker | mic under/over "
        "| speaker under/over |",
        "|---|---|---|---|---|",
    ]
    for c in calls:
        lines.append(
            f"| {c.label} | {c.latency_ms:.1f} ms | {c.round_trip_ms:.0f} ms | "
            f"{c.mic_under}/{c.mic_over} ({c.steady[0]}/{c.steady[1]}) | "
            f"{c.spk_under}/{c.spk_over} ({c.steady[2]}/{c.steady[3]}) |"
        )
    lines += ["", *_NOTES, ""]
    return "\n".join(lines)


def _block_ms() -> int:
    from sip.audio.bridge import AudioBridge

    return int(inspect.signature(AudioBridge).parameters["block_ms"].default)


_NOTES = (
    "Idle: no pjmedia thread runs without a call. The conference bridge's clock (the null sound "
    "device, 100 ticks a second) starts when a call gets media and stops 0.5 s after the last "
    "one (`sip/_clock.py`); RTP shares the SIP ioqueue, read by the engine thread's "
    "`libHandleEvents` (no media worker polling every 10 ms); the engine thread waits up to "
    "`idle_poll_ms = 1000` between wake-ups and a queued command cuts the wait short with a "
    "keep-alive datagram to its own SIP port (`sip/_waker.py`). What still wakes: the engine "
    "thread about once a second, the app's asyncio housekeeping, and the PBX's own loop. Before "
    "these changes the idle app used 2.73 % of a core: `clock` 100/s, `media` 98/s and the "
    "engine thread 20/s (a 50 ms back-off).",
    "",
    "Audio: the bridge's added latency is `AudioBridge.stats().latency_ms` (the rings' mean "
    "fill, the resamplers and one device block per side; it matches the click measurement of "
    "benchmarks/audio_bridge.py within about 1 ms). The round trip adds the PBX's echo path "
    "and pjmedia's jitter buffers on both legs. With the GUI thread busy 60 % of the time in "
    "Python the bridge's callbacks wait for the GIL (switch interval 1 ms while a call has "
    "audio); a ring that runs dry grows its cushion by a block, so the latency rises by a few "
    "ms instead of clicking on.",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--call", type=float, default=10.0)
    parser.add_argument("--busy-ms", type=float, default=12.0)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is needed (apt-get install xvfb)")
    xvfb, display = start_xvfb(range(90, 140))
    try:
        starts = cold_starts(display, args.runs)
        idle = idle_figures(display, args.idle)
        os.environ["DISPLAY"] = display
        os.environ.pop("QT_QPA_PLATFORM", None)
        calls = call_audio(args.call, args.busy_ms)
    finally:
        xvfb.terminate()
        xvfb.wait(5)
    text = report(starts, idle, calls, args.idle)
    print(text)
    if args.write:
        replace_section(HEADING, text)


if __name__ == "__main__":
    main()
