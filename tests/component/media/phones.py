"""Loopback "phones" for the media engine tests: plain asyncio UDP endpoints speaking RTP."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import numpy as np

from pbx_core.media import RtpPacket, SessionDescription
from pbx_core.media.codecs import Encoder

HOST = "127.0.0.1"


def free_port_range(pairs: int) -> tuple[int, int]:
    """A range of ``pairs`` even/odd port pairs that were all free a moment ago."""
    rng = np.random.default_rng()
    for _ in range(200):
        start = int(rng.integers(20000, 60000)) // 2 * 2
        socks = []
        try:
            for port in range(start, start + 2 * pairs):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(sock)
                sock.bind((HOST, port))
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
        return start, start + 2 * pairs - 1
    raise RuntimeError("no free port range")


class _Collector(asyncio.DatagramProtocol):
    def __init__(self, phone: Phone) -> None:
        self.phone = phone

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.phone.received.append((data, addr))


class Phone:
    """Sends RTP from one UDP socket and records what arrives on it."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, tuple[str, int]]] = []
        self.transport: asyncio.DatagramTransport | None = None
        self.port = 0
        self.seq = 1000
        self.ts = 5000
        self.ssrc = 0x11223344

    async def open(self, port: int = 0) -> Phone:
        loop = asyncio.get_running_loop()
        self.transport, _ = await loop.create_datagram_endpoint(
            lambda: _Collector(self), local_addr=(HOST, port)
        )
        self.port = self.transport.get_extra_info("sockname")[1]
        return self

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def sdp(self, body: str, port: int | None = None) -> SessionDescription:
        """An SDP body naming this phone; ``{port}`` in ``body`` becomes its port."""
        return SessionDescription.parse(body.format(port=self.port if port is None else port))

    def send(self, to: tuple[str, int], payload: bytes, pt: int, marker: bool = False) -> None:
        assert self.transport is not None
        packet = RtpPacket(pt, marker, self.seq & 0xFFFF, self.ts, self.ssrc, payload)
        self.transport.sendto(bytes(packet), to)
        self.seq += 1
        self.ts += 160

    async def send_tone(
        self,
        to: tuple[str, int],
        encoder: Encoder,
        pt: int,
        freq: float = 1000.0,
        frames: int = 25,
        rate: int = 8000,
    ) -> list[bytes]:
        """Send ``frames`` 20 ms frames of a sine; return the payloads sent."""
        payloads = []
        samples = rate // 50
        for n in range(frames):
            t = (n * samples + np.arange(samples)) / rate
            pcm = (8000 * np.sin(2 * np.pi * freq * t)).astype(np.int16)
            payload = encoder.encode(pcm)
            self.send(to, payload, pt)
            payloads.append(payload)
            await asyncio.sleep(0.002)
        return payloads

    def packets(self) -> list[RtpPacket]:
        return [RtpPacket.parse(data) for data, _ in self.received]


async def wait_for(predicate: Callable[[], bool], limit: float = 3.0) -> None:
    """Poll until ``predicate()`` holds; fail the test when it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


def dominant_frequency(pcm: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64) * np.hanning(len(pcm))))
    return float(np.argmax(spectrum) * rate / len(pcm))
