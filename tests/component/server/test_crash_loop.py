"""Crash safety: the demo server is killed with SIGKILL at a random moment, also in the middle of
writes, five times over on one data dir. After each kill the database passes
``PRAGMA integrity_check`` and, once restarted, the server still has everything it acknowledged
before the kill: REGISTERs answered 200, chat messages, personal contacts and plans answered
201, and the latest status and shared note and the latest forwarding number (a configuration
change) answered 200 (or ones sent after them, whose answer the kill cut off). Calls to the echo
test are placed and ended meanwhile: after each restart none is left in progress and a new call
is answered."""

from __future__ import annotations

import hashlib
import random
import re
import socket
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.support.api import bearer, login
from tests.support.server_process import RunningServer, start_server

ROUNDS = 5
USERS = ("201", "202", "203", "204", "205")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _digest(params: dict[str, str], ext: str, method: str, uri: str) -> str:
    """An MD5 Authorization header answering ``params`` (a parsed WWW-Authenticate)."""
    realm, nonce = params["realm"], params["nonce"]
    ha1 = _md5(f"{ext}:{realm}:Demo-{ext}!")
    ha2 = _md5(f"{method}:{uri}")
    auth = f'Digest username="{ext}", realm="{realm}", nonce="{nonce}"'
    auth += f', uri="{uri}", algorithm=MD5'
    if "qop" in params:
        cnonce = f"{random.getrandbits(32):x}"
        answer = _md5(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
        auth += f', qop=auth, nc=00000001, cnonce="{cnonce}", response="{answer}"'
    else:
        answer = _md5(f"{ha1}:{nonce}:{ha2}")
        auth += f', response="{answer}"'
    if "opaque" in params:
        opaque = params["opaque"]
        auth += f', opaque="{opaque}"'
    return auth


def _challenge(reply: str) -> dict[str, str]:
    header = next(
        line.split(":", 1)[1].strip()
        for line in reply.split("\r\n")
        if line.lower().startswith("www-authenticate:") and "SHA-256" not in line
    )
    return {
        m.group(1): m.group(2) or m.group(3)
        for m in re.finditer(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', header)
    }


class _Phone:
    """One UDP socket of a phone of ``ext`` talking to the server at ``sip_port``."""

    def __init__(self, sip_port: int, ext: str) -> None:
        self.sip_port, self.ext = sip_port, ext
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self.call_id = f"{random.getrandbits(64):x}@127.0.0.1"
        self.tag = f"{random.getrandbits(32):x}"

    def close(self) -> None:
        self.sock.close()

    def send(self, start: str, headers: list[str], body: str = "", branch: str = "") -> str:
        """Send a request (a new branch unless given); returns its branch."""
        branch = branch or f"z9hG4bK{random.getrandbits(48):x}"
        lines = [
            start,
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport",
            "Max-Forwards: 70",
            f"Call-ID: {self.call_id}",
            *headers,
            f"Content-Length: {len(body)}",
            "",
            body,
        ]
        self.sock.sendto("\r\n".join(lines).encode(), ("127.0.0.1", self.sip_port))
        return branch

    def final(self) -> str:
        """The next final response (provisional ones are skipped)."""
        while True:
            reply = self.sock.recv(65535).decode("utf-8", "replace")
            if reply.startswith("SIP/2.0 ") and not reply.startswith("SIP/2.0 1"):
                return reply


def _register(sip_port: int, ext: str, contact_user: str) -> bool:
    """One digest-authenticated REGISTER over UDP (RFC 3261, MD5); True when answered 200."""
    phone = _Phone(sip_port, ext)
    uri = f"sip:127.0.0.1:{sip_port}"

    def request(cseq: int, auth: str = "") -> str:
        phone.send(
            f"REGISTER {uri} SIP/2.0",
            [
                f"From: <sip:{ext}@127.0.0.1>;tag={phone.tag}",
                f"To: <sip:{ext}@127.0.0.1>",
                f"CSeq: {cseq} REGISTER",
                f"Contact: <sip:{contact_user}@127.0.0.1:{phone.port}>",
                "Expires: 3600",
                *([f"Authorization: {auth}"] if auth else []),
            ],
        )
        return phone.final()

    try:
        challenge = request(1)
        if not challenge.startswith("SIP/2.0 401"):
            return False
        return request(2, _digest(_challenge(challenge), ext, "REGISTER", uri)).startswith(
            "SIP/2.0 200"
        )
    except (OSError, StopIteration):
        return False
    finally:
        phone.close()


def _echo_call(sip_port: int, ext: str) -> bool:
    """A call to the echo test (9000): INVITE, 401, INVITE with credentials, 200, ACK, BYE;
    True when the BYE was answered 200. The kill may come at any step."""
    phone = _Phone(sip_port, ext)
    uri = f"sip:9000@127.0.0.1:{sip_port}"
    sdp = (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {phone.port + 2} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    )
    base = [f"From: <sip:{ext}@127.0.0.1>;tag={phone.tag}", "To: <sip:9000@127.0.0.1>"]
    contact = f"Contact: <sip:{ext}@127.0.0.1:{phone.port}>"
    try:
        branch = phone.send(
            f"INVITE {uri} SIP/2.0",
            [*base, "CSeq: 1 INVITE", contact, "Content-Type: application/sdp"],
            sdp,
        )
        challenge = phone.final()
        if not challenge.startswith("SIP/2.0 401"):
            return False
        to = next(line for line in challenge.split("\r\n") if line.lower().startswith("to:"))
        phone.send(f"ACK {uri} SIP/2.0", [base[0], to, "CSeq: 1 ACK"], branch=branch)
        auth = _digest(_challenge(challenge), ext, "INVITE", uri)
        phone.send(
            f"INVITE {uri} SIP/2.0",
            [
                *base,
                "CSeq: 2 INVITE",
                contact,
                f"Authorization: {auth}",
                "Content-Type: application/sdp",
            ],
            sdp,
        )
        answer = phone.final()
        if not answer.startswith("SIP/2.0 200"):
            return False
        to = next(line for line in answer.split("\r\n") if line.lower().startswith("to:"))
        dialog = [base[0], to]
        phone.send(f"ACK {uri} SIP/2.0", [*dialog, "CSeq: 2 ACK"])
        phone.send(f"BYE {uri} SIP/2.0", [*dialog, "CSeq: 3 BYE"])
        return phone.final().startswith("SIP/2.0 200")
    except (OSError, StopIteration):
        return False
    finally:
        phone.close()


@dataclass
class Ledger:
    """What was sent and what the server acknowledged (2xx) before it died."""

    registered: list[tuple[str, str]] = field(default_factory=list)  # (extension, contact user)
    messages: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    presence_sent: list[tuple[str, str]] = field(default_factory=list)  # (status, note)
    presence_acked: int = -1  # index into presence_sent
    notes_lost: list[str] = field(default_factory=list)  # see the test's end
    forwarding_sent: list[str] = field(default_factory=list)  # numbers, forwarding kept off
    forwarding_acked: int = -1  # index into forwarding_sent
    calls: int = 0  # echo-test calls whose BYE was answered


class Writer(threading.Thread):
    """Writes through SIP and the API until the server stops answering."""

    def __init__(self, server: RunningServer, token: str, chat: int, ledger: Ledger, rnd: int):
        super().__init__(daemon=True)
        self.server, self.token, self.chat, self.ledger, self.round = (
            server,
            token,
            chat,
            ledger,
            rnd,
        )

    def run(self) -> None:
        start = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
        with httpx.Client(
            base_url=self.server.base_url, headers=bearer(self.token), timeout=5
        ) as api:
            for n in range(100_000):
                tag = f"r{self.round}-{n}"
                try:
                    if n % 7 == 0 and n // 7 < len(USERS):  # one phone per extension a round
                        ext, user = USERS[n // 7], f"crash{tag}"
                        if _register(self.server.sip_udp_port, ext, user):
                            self.ledger.registered.append((ext, user))
                    text = f"message {tag}"
                    reply = api.post(
                        f"/api/v1/chats/{self.chat}/messages", json={"text": text, "client_id": tag}
                    )
                    if reply.status_code == 201:
                        self.ledger.messages.append(text)
                    reply = api.post("/api/v1/contacts", json={"name": f"Contact {tag}"})
                    if reply.status_code == 201:
                        self.ledger.contacts.append(f"Contact {tag}")
                    status = ("lunch", "meeting")[n % 2]
                    self.ledger.presence_sent.append((status, f"note {tag}"))
                    reply = api.put(
                        "/api/v1/me/presence", json={"status": status, "note": f"note {tag}"}
                    )
                    if reply.status_code == 200:
                        self.ledger.presence_acked = len(self.ledger.presence_sent) - 1
                    number = USERS[1 + n % (len(USERS) - 1)]  # a configuration change
                    self.ledger.forwarding_sent.append(number)
                    reply = api.put(
                        "/api/v1/me/forwarding", json={"enabled": False, "number": number}
                    )
                    if reply.status_code == 200:
                        self.ledger.forwarding_acked = len(self.ledger.forwarding_sent) - 1
                    if n % 3 == 0 and _echo_call(self.server.sip_udp_port, "201"):
                        self.ledger.calls += 1
                    at = start + timedelta(minutes=n % 600)
                    plan = {
                        "name": f"Plan {tag}",
                        "status": "meeting",
                        "start": at.isoformat(),
                        "end": (at + timedelta(minutes=15)).isoformat(),
                    }
                    reply = api.post("/api/v1/me/plans", json=plan)
                    if reply.status_code == 201:
                        self.ledger.plans.append(f"Plan {tag}")
                except httpx.HTTPError:
                    return
                if self.server.process.poll() is not None:
                    return


def _check_database(data_dir: Path, ledger: Ledger) -> None:
    with sqlite3.connect(data_dir / "pbx.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = db.execute("SELECT extension, contact FROM bindings").fetchall()
    for ext, user in ledger.registered:
        assert any(e == ext and f"sip:{user}@" in c for e, c in stored), (ext, user)


def _check_api(server: RunningServer, ledger: Ledger, chat: int) -> None:
    with httpx.Client(base_url=server.base_url, timeout=10) as api:
        headers = bearer(login(api, "201", "Demo-201!"))
        texts: set[str] = set()
        after = 0
        while True:
            page = api.get(
                f"/api/v1/chats/{chat}/messages",
                params={"after": after, "limit": 200},
                headers=headers,
            ).json()
            texts |= {m["text"] for m in page["messages"]}
            if not page["messages"]:
                break
            after = page["messages"][-1]["seq"]
        assert set(ledger.messages) <= texts
        contacts = api.get("/api/v1/contacts", headers=headers).json()
        assert set(ledger.contacts) <= {c["name"] for c in contacts}
        plans = api.get("/api/v1/me/plans", headers=headers).json()
        listed = plans["plans"] if isinstance(plans, dict) else plans
        assert set(ledger.plans) <= {p["name"] for p in listed}
        if ledger.forwarding_acked >= 0:
            forwarding = api.get("/api/v1/me/forwarding", headers=headers).json()
            later = ledger.forwarding_sent[ledger.forwarding_acked :]
            assert forwarding["number"] in later and not forwarding["enabled"]
        # no call of the killed server is left in progress, and a new one works
        assert api.get("/api/v1/active-calls", headers=headers).json() == []
        assert _echo_call(server.sip_udp_port, "201")
        if ledger.presence_acked >= 0:
            now = api.get("/api/v1/me/presence", headers=headers).json()
            later = ledger.presence_sent[ledger.presence_acked :]
            assert now["status"] in {status for status, _ in later}
            if now["note"] not in {note for _, note in later}:
                ledger.notes_lost.append(later[0][1])


def test_sigkill_in_a_loop_loses_nothing_acknowledged(tmp_path: Path) -> None:
    data_dir = tmp_path / "pbx"
    ledger = Ledger()
    server = start_server(tmp_path, demo=True, data_dir=data_dir)
    try:
        with httpx.Client(base_url=server.base_url, timeout=10) as api:
            token = login(api, "201", "Demo-201!")
            reply = api.post(
                "/api/v1/chats", json={"kind": "direct", "members": ["202"]}, headers=bearer(token)
            )
            assert reply.status_code == 201, reply.text
            chat = reply.json()["id"]
        for rnd in range(ROUNDS):
            writer = Writer(server, token, chat, ledger, rnd)
            writer.start()
            writer.join(random.uniform(0.2, 2.0))  # let it write for a random while
            server.process.kill()  # SIGKILL, wherever the writes are
            server.process.wait()
            writer.join()
            _check_database(data_dir, ledger)
            server.stop()
            server = start_server(tmp_path, demo=True, data_dir=data_dir)
            _check_api(server, ledger, chat)
            with httpx.Client(base_url=server.base_url, timeout=10) as api:
                token = login(api, "201", "Demo-201!")
        assert ledger.messages and ledger.contacts and ledger.registered and ledger.plans
        assert ledger.presence_acked >= 0 and ledger.forwarding_acked >= 0 and ledger.calls
        assert not ledger.notes_lost, f"acknowledged notes lost on SIGKILL: {ledger.notes_lost}"
    finally:
        server.stop()
