"""Crash safety: the demo server is killed with SIGKILL at a random moment, also in the middle of
writes, five times over on one data dir. After each kill the database passes
``PRAGMA integrity_check`` and, once restarted, the server still has everything it acknowledged
before the kill: REGISTERs answered 200, chat messages, personal contacts and plans answered
201, and the latest status and shared note answered 200 (or ones sent after them, whose answer
the kill cut off)."""

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


def _register(sip_port: int, ext: str, contact_user: str) -> bool:
    """One digest-authenticated REGISTER over UDP (RFC 3261, MD5); True when answered 200."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        port = sock.getsockname()[1]
        call_id = f"{random.getrandbits(64):x}@127.0.0.1"
        contact = f"<sip:{contact_user}@127.0.0.1:{port}>"

        def request(cseq: int, auth: str = "") -> str:
            branch = f"z9hG4bK{random.getrandbits(48):x}"
            lines = [
                f"REGISTER sip:127.0.0.1:{sip_port} SIP/2.0",
                f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch={branch};rport",
                "Max-Forwards: 70",
                f"From: <sip:{ext}@127.0.0.1>;tag={random.getrandbits(32):x}",
                f"To: <sip:{ext}@127.0.0.1>",
                f"Call-ID: {call_id}",
                f"CSeq: {cseq} REGISTER",
                f"Contact: {contact}",
                "Expires: 3600",
            ]
            if auth:
                lines.append(f"Authorization: {auth}")
            sock.sendto(
                ("\r\n".join([*lines, "Content-Length: 0", "", ""])).encode(),
                (
                    "127.0.0.1",
                    sip_port,
                ),
            )
            return sock.recv(65535).decode("utf-8", "replace")

        try:
            challenge = request(1)
            if not challenge.startswith("SIP/2.0 401"):
                return False
            header = next(
                line.split(":", 1)[1].strip()
                for line in challenge.split("\r\n")
                if line.lower().startswith("www-authenticate:") and "SHA-256" not in line
            )
            params = dict(
                (m.group(1), m.group(2) or m.group(3))
                for m in re.finditer(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', header)
            )
            uri = f"sip:127.0.0.1:{sip_port}"
            realm, nonce = params["realm"], params["nonce"]
            ha1 = _md5(f"{ext}:{realm}:Demo-{ext}!")
            ha2 = _md5(f"REGISTER:{uri}")
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
            return request(2, auth).startswith("SIP/2.0 200")
        except (OSError, StopIteration):
            return False


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
        assert ledger.presence_acked >= 0
        assert not ledger.notes_lost, f"acknowledged notes lost on SIGKILL: {ledger.notes_lost}"
    finally:
        server.stop()
