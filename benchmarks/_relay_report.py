"""The media relay benchmark's figures: one step's result, the ladder's best, the doc section.

Pure: ``Step`` holds what ``media_relay.run_step`` measured; ``report`` writes the "Media relay"
section of docs/benchmarks.md from all steps of a run.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass

from _conference import RoomStep, conference_line  # benchmarks/ is the script folder
from _rtp_load import FRAME_NS, LoadResult

SECTION = "## Media relay (benchmarks/media_relay.py)"
MAX_LOSS = 0.001
MAX_JITTER_MS = 2.0
MAX_LATE_MS = 5.0  # senders further behind than this (p99): the machine was busy elsewhere
OFFERED_LATE_MS = 20.0  # further behind: the offered load was not the nominal one, no figure
FRAMES_PER_SECOND = 1_000_000_000 // FRAME_NS


@dataclass(frozen=True, slots=True)
class Step:
    calls: int
    load: LoadResult
    cpu_s_per_s: float  # relay process CPU seconds per second over the measured window
    generator_cpu: float  # senders and receivers together, same unit
    loadavg: str

    @property
    def cpu_per_call_pct(self) -> float:
        return 100 * self.cpu_s_per_s / self.calls

    @property
    def us_per_packet(self) -> float:
        return 1e6 * self.cpu_s_per_s / (2 * self.calls * FRAMES_PER_SECOND)

    @property
    def passed(self) -> bool:
        """The target: loss under 0.1 % and added jitter p99 under 2 ms."""
        return self.load.loss < MAX_LOSS and self.load.jitter_p99_ms < MAX_JITTER_MS

    @property
    def holds(self) -> bool:
        """Loss under 0.1 %, whatever the jitter: the relay keeps up."""
        return self.load.loss < MAX_LOSS

    @property
    def offered(self) -> bool:
        """The senders kept within a frame of their schedule: the load was the nominal one."""
        return self.load.late_p99_ms < OFFERED_LATE_MS

    @property
    def disturbed(self) -> bool:
        """The senders fell behind their schedule: the machine was short of CPU."""
        return self.load.late_p99_ms > MAX_LATE_MS

    def line(self) -> str:
        mark = "" if self.passed else " ✗" if self.holds else " ✗✗"
        late = f", senders late p99 {self.load.late_p99_ms:.0f} ms" if self.disturbed else ""
        return (
            f"{self.calls}{mark} (loss {100 * self.load.loss:.3f} %, jitter p99 "
            f"{self.load.jitter_p99_ms:.2f} ms, CPU {100 * self.cpu_s_per_s:.0f} %{late})"
        )


def describe(step: Step) -> str:
    load = step.load
    if math.isnan(load.jitter_p99_ms):  # transcoded: counted only
        verdict = "held" if step.holds else "LOST PACKETS"
    else:
        verdict = "pass" if step.passed else "FAIL"
    return (
        f"{step.calls} calls {verdict}: loss {100 * load.loss:.3f} % "
        f"({load.expected - load.received} of {load.expected}), added jitter p50/p99/max "
        f"{load.jitter_p50_ms:.2f}/{load.jitter_p99_ms:.2f}/{load.jitter_max_ms:.1f} ms, "
        f"delay p50/p99 {load.delay_p50_ms:.2f}/{load.delay_p99_ms:.2f} ms; relay CPU "
        f"{100 * step.cpu_s_per_s:.0f} % of a core = {step.cpu_per_call_pct:.3f} % per call "
        f"({step.us_per_packet:.1f} µs per packet); generator CPU "
        f"{100 * step.generator_cpu:.0f} %, sender late p99 {load.late_p99_ms:.1f} ms; "
        f"load {step.loadavg}"
    )


def best(steps: Sequence[Step], holds: bool = False) -> Step | None:
    """The highest count reached without a gap: every count up to it had a run that passed."""
    top: Step | None = None
    for calls in sorted({s.calls for s in steps}):
        runs = [
            s for s in steps if s.calls == calls and s.offered and (s.holds if holds else s.passed)
        ]
        if not runs:
            break
        top = min(runs, key=lambda s: s.load.jitter_p99_ms)
    return top


@dataclass(slots=True)
class Results:
    date: str
    machine: str
    load_start: str
    pbx: list[Step]
    transcoded: Step | None
    rooms: list[RoomStep]
    reference: list[Step]
    reference_name: str
    reference_note: str
    args: argparse.Namespace


def _cpu(step: Step | None) -> str:
    if step is None:
        return "no step held"
    return (
        f"{step.cpu_per_call_pct:.3f} % of a core at {step.calls} calls "
        f"({step.us_per_packet:.1f} µs per relayed packet; one core ≈ "
        f"{100 / step.cpu_per_call_pct:.0f} calls)"
    )


def _highest(steps: Sequence[Step], holds: bool) -> str:
    top = best(steps, holds)
    if top is None:
        return "none" if steps else "not run"
    tried = max(s.calls for s in steps)
    ended = "" if top.calls < tried else f"; the ladder ended at {tried}"
    above = [s for s in steps if s.calls > top.calls]
    if above and not any(s.offered for s in above if s.calls == min(a.calls for a in above)):
        ended = "; above it the senders could not offer the load on this machine"
    return (
        f"**{top.calls}** (loss {100 * top.load.loss:.3f} %, jitter p99 "
        f"{top.load.jitter_p99_ms:.2f} ms{ended})"
    )


def _common(pbx: Sequence[Step], ref: Sequence[Step]) -> tuple[Step, Step] | None:
    """The runs at the highest count both relays held (lowest jitter run of each)."""
    ours, theirs = best(pbx, holds=True), best(ref, holds=True)
    if ours is None or theirs is None:
        return None
    calls = min(ours.calls, theirs.calls)
    pick = [
        min((s for s in steps if s.calls == calls and s.holds), key=lambda s: s.cpu_s_per_s)
        for steps in (pbx, ref)
    ]
    return pick[0], pick[1]


def report(results: Results) -> str:
    args = results.args
    pbx, ref = results.pbx, results.reference
    lines = [
        SECTION,
        "",
        f"Measured {results.date} on {results.machine}; load average {results.load_start} at "
        "the start (other jobs were using the machine). The relay, the senders and the "
        "receivers share the 2 cores.",
        "",
    ]
    header = "| figure | PBX |"
    if ref:
        header += f" {results.reference_name} (reference, same run) |"
    lines += [header, "|---|---|" + ("---|" if ref else "")]

    def row(name: str, ours: str, theirs: str = "") -> None:
        lines.append(f"| {name} | {ours} |" + (f" {theirs} |" if ref else ""))

    row(
        "relayed G.711 calls, loss < 0.1 % and added jitter p99 < 2 ms (target ≥ 300)",
        _highest(pbx, holds=False),
        _highest(ref, holds=False),
    )
    row(
        "relayed G.711 calls, loss < 0.1 % (any jitter)",
        _highest(pbx, holds=True),
        _highest(ref, holds=True),
    )
    row(
        "CPU per relayed call, at the highest count held",
        _cpu(best(pbx, holds=True)),
        _cpu(best(ref, holds=True)),
    )
    common = _common(pbx, ref)
    if common is not None:
        ours, theirs = common
        if (ours, theirs) != (best(pbx, holds=True), best(ref, holds=True)):
            row(f"CPU per relayed call at {ours.calls} calls", _cpu(ours), _cpu(theirs))
        strict_ours, strict_theirs = best(pbx), best(ref)
        if strict_ours is not None and strict_theirs is not None:
            strict = f"calls meeting the target {strict_ours.calls / strict_theirs.calls:.2f} times"
        else:
            strict = "calls meeting the target: " + ("none" if strict_ours is None else "-")
        row(
            "ours / rtpengine",
            f"{strict}; CPU per call at {ours.calls} calls "
            f"{ours.cpu_per_call_pct / theirs.cpu_per_call_pct:.1f} times",
            "",
        )
    t = results.transcoded
    if t is not None:
        row(
            f"CPU per transcoded call (PCMU ⇄ G.722), {t.calls} calls",
            f"{t.cpu_per_call_pct:.3f} % of a core ({t.us_per_packet:.1f} µs per packet), "
            f"loss {100 * t.load.loss:.3f} %",
            "",
        )
    for codec in ("PCMU", "G722"):
        steps = [r for r in results.rooms if r.codec == codec]
        if steps:
            name = "G.722" if codec == "G722" else codec
            row(
                f"CPU per conference party ({name}, rooms of {steps[0].size})",
                "; ".join(_party(r) for r in steps),
                "",
            )
    lines += [
        "",
        "Steps (calls; ✗ missed the jitter target, ✗✗ lost packets too; a step that misses "
        "runs again, up to three times while the senders fall behind their schedule (p99 over "
        "5 ms: the machine was short of CPU; over 20 ms the offered load was not the nominal "
        "one and the run gives no figure); CPU = the relay process, % of one core):",
        "",
    ]
    lines.append(f"- PBX: {', '.join(s.line() for s in pbx)}")
    lines += [f"- PBX conference: {conference_line(r)}" for r in results.rooms]
    if ref:
        lines.append(f"- {results.reference_name}: {', '.join(s.line() for s in ref)}")
    if results.reference_note:
        lines += ["", results.reference_note]
    command = "python benchmarks/media_relay.py" + (" --quick" if args.quick else "")
    loop = "uvloop, as the server runs" if args.loop == "uvloop" else "the standard asyncio loop"
    lines += [
        "",
        f"How: `{command}` ({args.warm:g} s warm-up and {args.seconds:g} s measured per step). "
        f"Each call is two legs of the media engine in one process on its own loop ({loop}; "
        "G.722 by libg722) (`benchmarks/_pbx_relay.py`: `open_leg`, the caller's offer "
        "answered, the callee "
        "offered the caller's codecs and its answer applied, `Connect`), the same calls through "
        "rtpengine (Debian's `rtpengine-daemon`, `apt-get install rtpengine-daemon`) in "
        "userspace (`table = -1`, ng `offer`/`answer`, its default worker threads). "
        "Every call sends 50 packets a second each way (RTP header and 160 octets), the "
        "streams spread evenly over each 20 ms; the payload carries the send time, and the "
        "receivers take the kernel's receive timestamp (SO_TIMESTAMPNS), so the delay is the "
        "relay's, not the receiver's scheduling. Added jitter: each packet's delay minus the "
        "lowest delay of its stream, p99 over all packets of the step; a packet still in the "
        "relay 0.5 s after the last one was sent counts as lost. CPU: the relay "
        "process's user+system time from /proc over the measured seconds (all of rtpengine's "
        "threads). Transcoded calls: the caller offers PCMU only and the callee answers "
        "G.722, so both directions are decoded, resampled and encoded; counted by packets "
        "(the payload is rewritten, so no delay figure). Conference: each party is a leg "
        "answered with the room's codec and joined to its room (`JoinRoom`, no tones) and a "
        "socket of its own; one process sends every party's tone (its own pitch, -24 dBFS, "
        "50 packets a second), one receives the mixes with kernel timestamps. CPU per party: "
        "the relay process over the measured seconds divided by the parties; loss in: the legs' "
        "receive counters against packets sent; loss out: mixed packets against 50 a second "
        "per party; ticks late: gaps over 30 ms between a party's mixed packets; heard: the "
        "last second of each party's mix decoded, every party above -50 dBFS.",
    ]
    return "\n".join(lines) + "\n"


def _party(step: RoomStep) -> str:
    late = f"{100 * step.late_ticks:.1f} % of ticks late" if step.late_ticks else "no tick late"
    heard = "all heard" if not step.silent else f"{step.silent} heard silence"
    return (
        f"{step.rooms} room{'s' if step.rooms > 1 else ''}: **{step.cpu_per_party_pct:.2f} %** "
        "of a core "
        f"(loss in/out {100 * step.loss_in:.2f}/{100 * step.loss_out:.2f} %, {late}, {heard})"
    )
