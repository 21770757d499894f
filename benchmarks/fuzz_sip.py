"""A long fuzzing run of the SIP parser and transaction layer: 10^6 mutated messages by default.

Seeds are the parser's fixtures and the RFC 4475 corpus; each input is a seed with 1 to 8
mutations (byte flips, cuts, inserted separators, repeated slices) or plain random bytes. Every
input must parse or raise ``SipParseError``; what parses must serialise and parse again. With
``--layer ua`` each input goes to the user-agent layer instead (transactions, 482 merges,
CANCEL, 2xx re-sends, RFC 2543 keys): it must never raise, every request it hands up is
answered (a random status, now or a few inputs later), the clock moves 10 ms per input and the
timers fire as they fall due, and at the end, once 128 s have passed, no transaction, merge or
INVITE usage may be left (state bounded). The run reports inputs per second, the slowest input
(a hang would show here), the outcome counts and the RSS before and after (memory must stay
flat).

    .venv/bin/python -m benchmarks.fuzz_sip [--inputs 1000000] [--seed 1] [--layer parser|ua]
"""

from __future__ import annotations

import argparse
import heapq
import logging
import random
import resource
import sys
import time
from pathlib import Path

from pbx_core.signaling._ua_actions import ArmTimer, DisarmTimer, RequestReceived, UaAction
from pbx_core.signaling.message import SipParseError, parse_message
from pbx_core.signaling.transport import Address
from pbx_core.signaling.useragent import ServerTransactionHandle, TimerOwner, UserAgent

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
_INSERTS = [b"\r\n", b" ", b";", b":", b"<", b">", b'"', b"\x00", b",", b"\\", b"%", b"=", b"@"]


def _seeds() -> list[bytes]:
    files = sorted((FIXTURES / "sip").glob("*.sip")) + sorted((FIXTURES / "rfc4475").glob("*.dat"))
    return [p.read_bytes() for p in files]


def _mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    if rng.random() < 0.05:
        return rng.randbytes(rng.randrange(0, 1024))
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        at = rng.randrange(len(data))
        action = rng.random()
        if action < 0.35:
            data[at] = rng.randrange(256)
        elif action < 0.6:
            del data[at : at + rng.randint(1, 24)]
        elif action < 0.85:
            data[at:at] = rng.choice(_INSERTS)
        else:
            data[at:at] = data[at : at + rng.randint(1, 64)]
    return bytes(data)


_PHONE = Address("udp", "192.0.2.10", 5062)
_STATUSES = (180, 200, 200, 404, 486, 603)


class _UaDriver:
    """One UserAgent on a fake clock: timers in a heap, requests answered by a random status."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = 0.0
        self.ua = UserAgent(host="192.0.2.1", clock=lambda: self.now)
        self.ua.ports = {"udp": 5060, "tcp": 5060}
        self._timers: list[tuple[float, int, TimerOwner, str]] = []
        self._armed: dict[tuple[int, str], int] = {}
        self._seq = 0
        self._waiting: list[ServerTransactionHandle] = []

    def feed(self, data: bytes) -> None:
        """One input, then the answers due and 10 ms of time."""
        self._perform(self.ua.receive(data, _PHONE))
        self._answer_some()
        self.advance(self.now + 0.01)

    def _perform(self, actions: list[UaAction]) -> None:
        for action in actions:
            if isinstance(action, ArmTimer):
                self._seq += 1
                key = (id(action.owner), action.name)
                self._armed[key] = self._seq
                due = self.now + action.delay
                heapq.heappush(self._timers, (due, self._seq, action.owner, action.name))
            elif isinstance(action, DisarmTimer):
                self._armed.pop((id(action.owner), action.name), None)
            elif isinstance(action, RequestReceived):
                self._waiting.append(action.handle)

    def _answer_some(self) -> None:
        keep = []
        for handle in self._waiting:
            if handle.final_sent:
                continue
            if self.rng.random() < 0.3:
                keep.append(handle)  # answered with a later input
                continue
            status = self.rng.choice(_STATUSES)
            handle.reply(status, to_tag="fz1")
            if status < 200:
                keep.append(handle)
        self._waiting = keep
        self._perform(self.ua.flush())

    def advance(self, until: float) -> None:
        while self._timers and self._timers[0][0] <= until:
            due, seq, owner, name = heapq.heappop(self._timers)
            if self._armed.get((id(owner), name)) != seq:
                continue  # disarmed or re-armed since
            del self._armed[(id(owner), name)]
            self.now = max(self.now, due)
            self._perform(self.ua.timer_fired(owner, name))
        self.now = max(self.now, until)

    def left_behind(self) -> dict[str, int]:
        """Answer whatever still waits, let 128 s pass: what state is left."""
        for handle in self._waiting:
            if not handle.final_sent:
                handle.reply(500)
        self._waiting = []
        self._perform(self.ua.flush())
        self.advance(self.now + 64.0)
        self.advance(self.now + 64.0)
        ua = self.ua
        return {
            "server": len(ua._server),
            "client": len(ua._client),
            "merges": len(ua._merges),
            "usages": len(ua._usages),
        }


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layer", choices=("parser", "ua"), default="parser")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    driver = _UaDriver(random.Random(args.seed + 1)) if args.layer == "ua" else None
    if driver is not None:  # "no ACK for 2xx" and the like are the layer doing its job
        logging.getLogger("pbx_core").setLevel(logging.ERROR)
    seeds = _seeds()
    counts = {"parsed": 0, "refused": 0, "crashed": 0}
    slowest = (0.0, b"")
    rss_start = _rss_mib()
    started = time.perf_counter()
    for n in range(args.inputs):
        data = _mutate(rng, seeds)
        t0 = time.perf_counter()
        try:
            if driver is not None:
                driver.feed(data)  # must not raise, whatever the input
            message = parse_message(data)
            again = parse_message(bytes(message))
            assert bytes(again) == bytes(message)
            counts["parsed"] += 1
        except SipParseError:
            counts["refused"] += 1
        except Exception as exc:  # a finding: print it with the input
            counts["crashed"] += 1
            print(f"input {n}: {type(exc).__name__}: {exc}\n{data!r}", file=sys.stderr)
        spent = time.perf_counter() - t0
        if spent > slowest[0]:
            slowest = (spent, data)
        if n and n % 100_000 == 0:
            print(f"{n} inputs, RSS {_rss_mib():.1f} MiB", flush=True)
    elapsed = time.perf_counter() - started
    print(f"inputs: {args.inputs} in {elapsed:.1f} s ({args.inputs / elapsed:,.0f}/s)")
    print(f"parsed {counts['parsed']}, refused {counts['refused']}, crashed {counts['crashed']}")
    print(f"slowest input: {slowest[0] * 1000:.2f} ms ({len(slowest[1])} bytes)")
    print(f"max RSS: {rss_start:.1f} MiB before, {_rss_mib():.1f} MiB after")
    if driver is None:
        return 1 if counts["crashed"] else 0
    left = driver.left_behind()
    print("left after 128 s: " + ", ".join(f"{k} {v}" for k, v in left.items()))
    return 1 if counts["crashed"] or any(left.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
