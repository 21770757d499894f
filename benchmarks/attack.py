"""Attack probes against ``python -m server --demo`` on loopback, with the default limits.

Phases, all against one freshly started server (127.0.0.1, free ports, a temporary data folder):

* fuzz: 10,000 mutated SIP datagrams (bytes flipped, cut, headers repeated or swollen), then
  OPTIONS, a digest REGISTER and /api/health must still be answered;
* replay: one captured REGISTER Authorization header re-sent from 5 other sockets;
* guessing: 300 wrong REGISTER passwords for one extension, 300 wrong API passwords for one
  user; then a valid sign-in's time and a SIP OPTIONS round trip while 8 clients from 8
  addresses keep guessing (a new user name each time, so no user block helps);
* calls: one user sets up 500 calls to the echo service (9000) without ACKing them; every
  INVITE must get a final answer;
* idle: 1,000 half-sent SIP/TCP and 1,000 half-sent HTTP connections, from 20 loopback source
  addresses (127.0.0.40-59); the API's time to answer while they are open, and how many the
  server still holds after its header timeout.

Each phase sends from loopback addresses of its own (127.0.0.x, 127.0.1.x), so the blocks of
one phase do not hide the next.

Figures: answers by status, the server's open files and log lines, and whether anything left a
traceback in the log. Writes the section "Attack probes" of docs/benchmarks.md.

    python benchmarks/attack.py [--no-docs] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _docs import replace_section  # benchmarks/ is the script folder

from pbx_core.signaling.auth import build_authorization, parse_challenge

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Attack probes (benchmarks/attack.py)"


class Server:
    """``python -m server --demo`` on free loopback ports."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        cmd = [sys.executable, "-m", "server", "--data-dir", str(data_dir), "--demo",
               "--bind", "127.0.0.1", "--sip-port", "0", "--http-port", "0"]
        self.process = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.process.stdout is not None
        ready = json.loads(self.process.stdout.readline())
        self.sip = int(ready["sip_udp"])
        self.sip_tcp = int(ready["sip_tcp"])
        self.http = int(ready["http"])

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def log(self) -> str:
        path = self.data_dir / "logs" / "server.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(20)


# -- SIP over UDP ----------------------------------------------------------------------------


class Phone:
    """A blocking SIP/UDP socket that writes requests and reads answers."""

    def __init__(self, server: Server, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.host = host
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self.server = ("127.0.0.1", server.sip)

    def request(self, method: str, user: str, call_id: str, cseq: int, *,
                target: str | None = None, auth: str | None = None, body: str = "") -> bytes:
        uri = f"sip:{target}@127.0.0.1:{self.server[1]}" if target else (
            f"sip:127.0.0.1:{self.server[1]}")
        lines = [
            f"{method} {uri} SIP/2.0",
            f"Via: SIP/2.0/UDP {self.host}:{self.port};branch=z9hG4bK{secrets.token_hex(6)};rport",
            "Max-Forwards: 70",
            f"From: <sip:{user}@acme.local>;tag={secrets.token_hex(4)}",
            f"To: <sip:{target or user}@acme.local>",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} {method}",
            f"Contact: <sip:{user}@{self.host}:{self.port}>",
            *(["Expires: 300"] if method == "REGISTER" else []),
            *(["Content-Type: application/sdp"] if body else []),
            *([f"Authorization: {auth}"] if auth else []),
            f"Content-Length: {len(body.encode())}",
        ]
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()

    def send(self, data: bytes) -> None:
        self.sock.sendto(data, self.server)

    def final(self, call_id: str) -> tuple[int, bytes]:
        """The next final answer to ``call_id`` (status 0 on a time-out)."""
        while True:
            try:
                data = self.sock.recv(65535)
            except TimeoutError:
                return 0, b""
            if f"Call-ID: {call_id}".encode() not in data:
                continue
            status = int(data.split(b" ", 2)[1]) if data.startswith(b"SIP/2.0 ") else 0
            if status >= 200:
                return status, data

    def authorized(self, method: str, user: str, password: str, *, target: str | None = None,
                   body: str = "") -> tuple[int, str]:
        """Send ``method``, answer its 401; the final status and the Authorization used."""
        call_id = secrets.token_hex(8)
        self.send(self.request(method, user, call_id, 1, target=target, body=body))
        status, data = self.final(call_id)
        if status != 401:
            return status, ""
        header = next(line for line in data.decode().split("\r\n")
                      if line.startswith("WWW-Authenticate:"))
        challenge = parse_challenge(header.partition(":")[2].strip())
        uri = f"sip:{target}@127.0.0.1:{self.server[1]}" if target else (
            f"sip:127.0.0.1:{self.server[1]}")
        auth = build_authorization(challenge, method, uri, user, password, cnonce="c0ffee")
        self.send(self.request(method, user, call_id, 2, target=target, auth=auth, body=body))
        return self.final(call_id)[0], auth

    def options_ms(self) -> float:
        """One OPTIONS round trip, re-sent after 0.5 s like a phone would (-1: unanswered)."""
        call_id = secrets.token_hex(6)
        request = self.request("OPTIONS", "201", call_id, 1)
        self.sock.settimeout(0.5)
        started = time.monotonic()
        try:
            for _ in range(10):
                self.send(request)
                if self.final(call_id)[0] == 200:
                    return round((time.monotonic() - started) * 1000, 2)
            return -1.0
        finally:
            self.sock.settimeout(5)

    def close(self) -> None:
        self.sock.close()


def _mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    raw = bytearray(data)
    if kind == 0:
        for _ in range(rng.randint(1, 20)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    elif kind == 1:
        raw = raw[: rng.randrange(len(raw))]
    elif kind == 2:
        lines = bytes(raw).split(b"\r\n")
        line = rng.choice(lines[1:-2] or lines)
        raw = bytearray(b"\r\n".join(lines[:2] + [line] * rng.randint(2, 200) + lines[2:]))
    elif kind == 3:
        raw = bytearray(bytes(raw).replace(b"Via: ", b"Via: " + b"x" * rng.randint(1, 60000), 1))
    else:
        raw = bytearray(rng.randbytes(rng.randint(1, 1400)))
    return bytes(raw[:65000])


def fuzz(server: Server, count: int = 10_000) -> dict[str, object]:
    rng = random.Random(15)
    phone = Phone(server, "127.0.0.10")
    seeds = [
        phone.request("REGISTER", "201", "fz-1", 1),
        phone.request("OPTIONS", "201", "fz-2", 1),
        phone.request("INVITE", "201", "fz-3", 1, target="9000", body=_SDP),
    ]
    phone.sock.setblocking(False)
    answers = 0
    started = time.monotonic()
    for n in range(count):
        phone.send(_mutate(seeds[n % len(seeds)], rng))
        if n % 50 == 0:
            time.sleep(0.005)
        try:
            while phone.sock.recv(65535):
                answers += 1
        except (BlockingIOError, OSError):
            pass
    seconds = time.monotonic() - started
    phone.close()
    # the fuzzer's address is slowed and blocked (pbx_core/shield.py); a phone elsewhere is not
    elsewhere = Phone(server, "127.0.0.15")
    options = elsewhere.options_ms()
    register = elsewhere.authorized("REGISTER", "202", "Demo-202!")[0]
    health = httpx.get(f"http://127.0.0.1:{server.http}/api/health").status_code
    elsewhere.close()
    return {"sent": count, "seconds": round(seconds, 1), "answers": answers,
            "options_ms_after": options, "register_after": register, "health_after": health}


_SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def replay(server: Server) -> dict[str, object]:
    phone = Phone(server, "127.0.0.11")
    status, auth = phone.authorized("REGISTER", "201", "Demo-201!")
    answers: collections.Counter[int] = collections.Counter()
    for _ in range(5):
        attacker = Phone(server, "127.0.0.12")
        call_id = secrets.token_hex(8)
        attacker.send(attacker.request("REGISTER", "201", call_id, 1, auth=auth))
        answers[attacker.final(call_id)[0]] += 1
        attacker.close()
    phone.close()
    return {"first": status, "replays": dict(answers)}


def sip_guessing(server: Server) -> dict[str, object]:
    phone = Phone(server, "127.0.0.13")
    answers: collections.Counter[str] = collections.Counter()
    started = time.monotonic()
    for _ in range(300):
        status, _auth = phone.authorized("REGISTER", "204", secrets.token_hex(4))
        answers[str(status)] += 1
        if status == 0:  # no answer: the guesser's address is blocked (pbx_core/shield.py)
            break
    seconds = time.monotonic() - started
    right = phone.authorized("REGISTER", "204", "Demo-204!")[0]
    elsewhere = Phone(server, "127.0.0.14")
    other = elsewhere.authorized("REGISTER", "205", "Demo-205!")[0]
    elsewhere.close()
    phone.close()
    return {"answers": dict(answers), "seconds": round(seconds, 1), "right_during_block": right,
            "other_source_and_user": other}


def _client(server: Server, host: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"http://127.0.0.1:{server.http}", timeout=60,
        transport=httpx.HTTPTransport(local_address=host),
    )


def api_guessing(server: Server) -> dict[str, object]:
    answers: collections.Counter[int] = collections.Counter()
    with _client(server, "127.0.0.20") as api:
        started = time.monotonic()
        for _ in range(300):
            response = api.post("/api/v1/auth/login",
                                json={"username": "205", "password": secrets.token_hex(4)})
            answers[response.status_code] += 1
        seconds = time.monotonic() - started
    with _client(server, "127.0.0.21") as api:
        alone = _login_ms(api, "203")
    phone = Phone(server, "127.0.0.22")
    sip_alone = phone.options_ms()
    stop = time.monotonic() + 10
    statuses: collections.Counter[int] = collections.Counter()

    def guess(n: int) -> None:
        with _client(server, f"127.0.1.{n + 1}") as client:  # 8 sources, 8 user names
            while time.monotonic() < stop:
                name = f"guess{n}-{secrets.token_hex(2)}"  # a fresh name every time
                reply = client.post("/api/v1/auth/login", json={"username": name, "password": "x"})
                statuses[reply.status_code] += 1

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        guessers = [pool.submit(guess, n) for n in range(8)]
        time.sleep(4)  # each guessing address has failed by now
        with _client(server, "127.0.0.23") as api:
            during = _login_ms(api, "203")
        sip_during = phone.options_ms()
        for guesser in guessers:
            guesser.result()
    phone.close()
    return {"answers": dict(answers), "seconds": round(seconds, 1),
            "login_ms_alone": alone, "login_ms_during_8_guessers": during,
            "guesser_answers": dict(statuses),
            "options_ms_alone": sip_alone, "options_ms_during": sip_during}


def _login_ms(api: httpx.Client, user: str) -> float:
    started = time.monotonic()
    response = api.post("/api/v1/auth/login",
                        json={"username": user, "password": f"Demo-{user}!"})
    ms = (time.monotonic() - started) * 1000
    return round(ms, 1) if response.status_code == 200 else -float(response.status_code)


def calls(server: Server, count: int = 500) -> dict[str, object]:
    phone = Phone(server, "127.0.0.30")
    answers: collections.Counter[int] = collections.Counter()
    started = time.monotonic()
    for _ in range(count):
        answers[phone.authorized("INVITE", "201", "Demo-201!", target="9000", body=_SDP)[0]] += 1
    seconds = time.monotonic() - started
    other = Phone(server, "127.0.0.31")
    others = other.authorized("INVITE", "202", "Demo-202!", target="9000", body=_SDP)[0]
    phone.close()
    other.close()
    return {"answers": dict(answers), "seconds": round(seconds, 1), "other_user": others,
            "without_final": answers.get(0, 0)}


def idle(server: Server, count: int = 1000, sources: int = 20) -> dict[str, object]:
    held: list[socket.socket] = []
    refused = 0
    before = server.open_files()
    for port, head in ((server.sip_tcp, b"REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/TCP x\r\n"),
                       (server.http, b"GET /api/health HTTP/1.1\r\nHost: x\r\n")):
        for n in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.bind((f"127.0.0.{40 + n % sources}", 0))
                sock.connect(("127.0.0.1", port))
                sock.sendall(head)
            except OSError:
                refused += 1
                sock.close()
                continue
            held.append(sock)
    peak = server.open_files()
    started = time.monotonic()
    health = httpx.get(f"http://127.0.0.1:{server.http}/api/health", timeout=30).status_code
    health_ms = round((time.monotonic() - started) * 1000, 1)
    time.sleep(13)  # past the 10 s header timeout
    after = server.open_files()
    closed = 0
    for sock in held:
        sock.settimeout(0.5)
        try:
            closed += sock.recv(1) == b""
        except OSError:
            closed += 1
        sock.close()
    return {"opened": len(held), "refused": refused, "server_files_before": before,
            "server_files_peak": peak, "server_files_after_timeout": after,
            "closed_by_server": closed, "health": health, "health_ms": health_ms}


# -- the run and its report ------------------------------------------------------------------


@contextmanager
def running(keep: Path | None) -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="attack-"))
    server = Server(folder / "pbx")
    try:
        yield server
    finally:
        server.stop()
        if keep is not None:
            shutil.copytree(folder, keep, dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


def report(results: dict[str, dict[str, object]], log_lines: int, tracebacks: int) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = "\n".join(f"| {name} | `{json.dumps(figures)}` |" for name, figures in results.items())
    return f"""{SECTION}

Measured {date} on {platform.machine()}, {cpu}, {os.cpu_count()} cores (shared with other
work), Python {platform.python_version()}, the server with its default limits (docs/server.md,
"Security"). Statuses are counts of final answers; 0 = no final answer within 5 s.

| phase | figures |
|---|---|
{rows}

Server log after all phases: {log_lines} lines, {tracebacks} tracebacks.

Reading the figures: *fuzz* `answers` are the 400s and 401s the mutated datagrams earned (the
rest were dropped as unparseable), `options_ms_after` an OPTIONS re-sent every 0.5 s right
after the burst (the first may wait behind the burst in the socket's queue); *replay* shows
the 5 replays of a captured header challenged (`401`, stale) instead of registered; *SIP
guessing* from an address nobody signed in from: each guess is a challenge and a 403, so the
source shield blocks the address at its tenth request that got nowhere (after 5 guesses) and
it gets no answer at all (`0`), the right password too, while another extension from another
address still registers; *API guessing*: one user name blocked after 5 failures,
then the sign-in time of a user while 8 addresses guess with fresh names (their hashes wait
behind the user's) and an OPTIONS round trip meanwhile; *calls*: 8 of 500 calls admitted
(`--calls-per-user`), every INVITE answered, another user still calls; *idle*: every half-sent
connection closed by the header timeout, the API answering while they were open.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--no-docs", action="store_true", help="print only")
    parser.add_argument("--keep", type=Path, help="keep the server's data folder here")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, object]] = {}
    with running(args.keep) as server:
        for name, phase in (("fuzz", fuzz), ("replay", replay), ("SIP guessing", sip_guessing),
                            ("API guessing", api_guessing), ("calls", calls), ("idle", idle)):
            results[name] = phase(server)
            print(name, json.dumps(results[name]), flush=True)
        log = server.log()
    section = report(results, log.count("\n"), log.count("Traceback"))
    print(section)
    if not args.no_docs:
        replace_section(SECTION, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
