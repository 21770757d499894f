"""rtpengine as the reference relay: userspace only, on loopback, driven over its ng protocol.

The ng protocol is bencode over UDP: ``<cookie> <dictionary>`` out, the same cookie and a
dictionary back. A call is ``offer`` (the caller's SDP; the reply's SDP names the port the
callee sends to) then ``answer`` (the callee's SDP; the reply names the port the caller sends
to); ``delete`` ends it. ``table = -1`` keeps forwarding in userspace (no kernel module).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Rtpengine", "bdecode", "bencode", "rtpengine"]

Value = int | bytes | str | list["Value"] | dict[str, "Value"]


def bencode(value: Value) -> bytes:
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    return b"d" + b"".join(bencode(k) + bencode(v) for k, v in sorted(value.items())) + b"e"


def bdecode(data: bytes) -> Value:
    value, end = _decode(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes after bencoded value")
    return value


def _decode(data: bytes, pos: int) -> tuple[Value, int]:
    head = data[pos : pos + 1]
    if head == b"i":
        end = data.index(b"e", pos)
        return int(data[pos + 1 : end]), end + 1
    if head in (b"l", b"d"):
        items: list[Value] = []
        pos += 1
        while data[pos : pos + 1] != b"e":
            item, pos = _decode(data, pos)
            items.append(item)
        if head == b"l":
            return items, pos + 1
        keys = [k.decode() if isinstance(k, bytes) else str(k) for k in items[::2]]
        return dict(zip(keys, items[1::2], strict=True)), pos + 1
    colon = data.index(b":", pos)
    size = int(data[pos:colon])
    return data[colon + 1 : colon + 1 + size], colon + 1 + size


@dataclass(slots=True)
class Rtpengine:
    """A running rtpengine and an ng control socket to it."""

    process: subprocess.Popen[bytes]
    pid: int
    control: tuple[str, int]
    version: str

    def command(self, **args: Value) -> dict[str, Value]:
        cookie = secrets.token_hex(6).encode()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(5)
            sock.sendto(cookie + b" " + bencode(dict(args)), self.control)
            data, _ = sock.recvfrom(65536)
        got_cookie, _, body = data.partition(b" ")
        reply = bdecode(body)
        ok = isinstance(reply, dict) and reply.get("result") in (b"ok", b"pong")
        if got_cookie != cookie or not isinstance(reply, dict) or not ok:
            raise RuntimeError(f"rtpengine: {args.get('command')!r} failed: {data[:200]!r}")
        return reply

    def call(self, call_id: str, a_sdp: str, b_sdp: str) -> tuple[int, int]:
        """Anchor one call; (port A sends to, port B sends to)."""
        tags: dict[str, Value] = {"call-id": call_id, "from-tag": "a"}
        offered = self.command(command="offer", sdp=a_sdp, **tags)
        answered = self.command(command="answer", sdp=b_sdp, **tags, **{"to-tag": "b"})
        return _audio_port(answered["sdp"]), _audio_port(offered["sdp"])

    def delete(self, call_id: str) -> None:
        args: dict[str, Value] = {"call-id": call_id, "from-tag": "a", "delete-delay": 0}
        self.command(command="delete", **args)


def _audio_port(sdp: Value) -> int:
    text = sdp.decode() if isinstance(sdp, bytes) else str(sdp)
    found = re.search(r"^m=audio (\d+) ", text, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"rtpengine SDP without audio: {text!r}")
    return int(found.group(1))


def version() -> str:
    out = subprocess.run(["rtpengine", "--version"], capture_output=True, text=True, check=False)
    return (out.stdout + out.stderr).strip().removeprefix("Version: ")


def at_nice(nice: int) -> Callable[[], None] | None:
    """For ``Popen(preexec_fn=...)``: the child and every thread it starts run at ``nice``."""
    if nice == 0:
        return None
    return lambda: os.setpriority(os.PRIO_PROCESS, 0, nice)


@contextmanager
def rtpengine(
    workdir: Path, ports: tuple[int, int], threads: int = 0, nice: int = 0
) -> Iterator[Rtpengine]:
    """Start rtpengine in the foreground (userspace forwarding) and wait until it answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        control = ("127.0.0.1", int(probe.getsockname()[1]))
    conf = workdir / "rtpengine.conf"
    lines = [
        "[rtpengine]",
        "table = -1",
        "interface = 127.0.0.1",
        f"listen-ng = 127.0.0.1:{control[1]}",
        f"port-min = {ports[0]}",
        f"port-max = {ports[1]}",
        "foreground = true",
        "log-stderr = true",
        "log-level = 4",
        "timeout = 600",
        "delete-delay = 0",
    ]
    if threads:
        lines.append(f"num-threads = {threads}")
    conf.write_text("\n".join(lines) + "\n")
    log = (workdir / "rtpengine.log").open("wb")
    args = ["rtpengine", f"--config-file={conf}", f"--pidfile={workdir / 'rtpengine.pid'}"]
    proc = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=at_nice(nice)
    )
    name = version() if nice == 0 else f"{version()} at nice {nice}"
    engine = Rtpengine(proc, proc.pid, control, name)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                engine.command(command="ping")
                break
            except (OSError, RuntimeError) as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log_path = workdir / "rtpengine.log"
                    raise RuntimeError(f"rtpengine did not start; see {log_path}") from exc
                time.sleep(0.2)
        yield engine
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
