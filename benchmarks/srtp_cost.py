"""What SRTP adds per relayed packet: libsrtp (``pylibsrtp``) through the leg's transform.

A relayed packet of an SRTP call is unprotected on the leg it arrives on and protected again on
the leg it leaves by (``pbx_core/media/leg.py``); this measures both steps for a 20 ms G.711
packet (12-byte header + 160 bytes) with each suite, and for a 20 ms G.722 packet at 64 kbit/s
(the same size), plus SRTCP for a receiver report. No sockets: CPU per packet in one process.

    .venv/bin/python -m benchmarks.srtp_cost [--packets 200000]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

from pbx_core.media.rtcp import RtcpRrPacket, serialize_rtcp
from pbx_core.media.rtp import RtpPacket
from pbx_core.media.srtp import SUITES, SrtpKeys, SrtpTransform


def _packets(count: int) -> list[bytes]:
    payload = bytes(range(160))
    return [
        bytes(RtpPacket(0, False, seq & 0xFFFF, seq * 160, 0x12345678, payload))
        for seq in range(count)
    ]


def _measure(suite: str, packets: list[bytes]) -> tuple[float, float]:
    """Microseconds per packet to protect, then to unprotect, ``packets``."""
    key_a, key_b = bytes(range(30)), bytes(range(30, 60))
    sender = SrtpTransform(SrtpKeys(suite, key_a, key_b))
    receiver = SrtpTransform(SrtpKeys(suite, key_b, key_a))
    started = time.perf_counter()
    protected = [sender.protect(p) or b"" for p in packets]
    protect_s = time.perf_counter() - started
    started = time.perf_counter()
    for p in protected:
        receiver.unprotect(p)
    unprotect_s = time.perf_counter() - started
    assert receiver.failed == 0 and receiver.unprotected == len(packets)
    return protect_s * 1e6 / len(packets), unprotect_s * 1e6 / len(packets)


def _rtcp(count: int) -> tuple[float, float]:
    report = serialize_rtcp([RtcpRrPacket(ssrc=0x12345678, reports=[])])
    suite = "AES_CM_128_HMAC_SHA1_80"
    sender = SrtpTransform(SrtpKeys(suite, bytes(30), bytes(range(30))))
    receiver = SrtpTransform(SrtpKeys(suite, bytes(range(30)), bytes(30)))
    started = time.perf_counter()
    protected = [sender.protect_rtcp(report) or b"" for _ in range(count)]
    protect_s = time.perf_counter() - started
    started = time.perf_counter()
    for p in protected:
        receiver.unprotect_rtcp(p)
    unprotect_s = time.perf_counter() - started
    return protect_s * 1e6 / count, unprotect_s * 1e6 / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=int, default=200_000)
    args = parser.parse_args(argv)
    packets = _packets(args.packets)
    _measure("AES_CM_128_HMAC_SHA1_80", packets[:1000])  # warm-up
    print(f"{platform.machine()}, CPython {platform.python_version()}, {args.packets} packets")
    print("| suite | protect µs/packet | unprotect µs/packet | per relayed packet (both) |")
    print("|---|---|---|---|")
    for suite in SUITES:
        protect, unprotect = _measure(suite, packets)
        print(f"| {suite} | {protect:.2f} | {unprotect:.2f} | {protect + unprotect:.2f} |")
    protect, unprotect = _rtcp(args.packets // 10)
    print(f"| SRTCP (RR, _80) | {protect:.2f} | {unprotect:.2f} | {protect + unprotect:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
