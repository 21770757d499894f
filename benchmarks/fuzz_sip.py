"""A long fuzzing run of the SIP parser: 10^6 mutated messages by default.

Seeds are the parser's fixtures and the RFC 4475 corpus; each input is a seed with 1 to 8
mutations (byte flips, cuts, inserted separators, repeated slices) or plain random bytes. Every
input must parse or raise ``SipParseError``; what parses must serialise and parse again. The
run reports inputs per second, the slowest input (a hang would show here), the outcome counts
and the RSS before and after (memory must stay flat).

    .venv/bin/python -m benchmarks.fuzz_sip [--inputs 1000000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

from pbx_core.signaling.message import SipParseError, parse_message

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


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    seeds = _seeds()
    counts = {"parsed": 0, "refused": 0, "crashed": 0}
    slowest = (0.0, b"")
    rss_start = _rss_mib()
    started = time.perf_counter()
    for n in range(args.inputs):
        data = _mutate(rng, seeds)
        t0 = time.perf_counter()
        try:
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
    return 1 if counts["crashed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
