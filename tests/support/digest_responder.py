"""A tiny SIP registrar and callee over UDP that demands digest auth (RFC 3261 section 22,
RFC 8760 for SHA-256, qop=auth), for checking test peers (SIPp scenarios, the pjsua2 agent)
before and apart from the real PBX.

Deliberately minimal and stateless where it can be: it answers REGISTER with 401 then 200 (or
403 on a wrong password), INVITE with 407 then 404 (unknown number), or 180 followed by 200 with
SDP, or by 487 once cancelled (``ring_only`` numbers); BYE and OPTIONS with 200; ACK silently.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import socket
import threading
from collections.abc import Iterable
from types import TracebackType

__all__ = ["DigestResponder"]

REALM = "acme.local"
_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def _h(algorithm: str, text: str) -> str:
    return _HASHES[algorithm](text.encode()).hexdigest()


class _Message:
    def __init__(self, data: bytes) -> None:
        head, _, self.body = data.partition(b"\r\n\r\n")
        lines = head.decode("utf-8", "replace").split("\r\n")
        self.start = lines[0]
        self.headers = [tuple(s.strip() for s in ln.split(":", 1)) for ln in lines[1:] if ":" in ln]

    def get(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def method(self) -> str:
        return self.start.split(" ", 1)[0]

    @property
    def uri(self) -> str:
        return self.start.split(" ")[1]


class DigestResponder:
    """Serves on 127.0.0.1 (free port) in a thread; use as a context manager."""

    def __init__(
        self,
        passwords: dict[str, str],
        *,
        numbers: Iterable[str] = (),
        ring_only: Iterable[str] = (),
        algorithm: str = "MD5",
    ) -> None:
        if algorithm not in _HASHES:
            raise ValueError(f"unknown digest algorithm: {algorithm}")
        self.passwords = dict(passwords)
        self.numbers = set(numbers) | set(passwords) | set(ring_only)
        self.ring_only = set(ring_only)
        self.algorithm = algorithm
        self.received: list[str] = []
        self.bindings: dict[str, str] = {}
        self._ringing: dict[str, _Message] = {}
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port: int = int(self._sock.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="digest-responder", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._sock.recvfrom(65535)
            except TimeoutError:
                continue
            except OSError:
                return
            if data.strip() and not data.startswith(b"SIP/2.0"):
                self._handle(_Message(data), peer)

    def _send(
        self, peer: tuple[str, int], req: _Message, code: int, reason: str, **kw: str
    ) -> None:
        to = req.get("To")
        if code > 100 and ";tag=" not in to:
            to += ";tag=" + hashlib.md5(req.get("Call-ID").encode()).hexdigest()[:10]
        lines = [f"SIP/2.0 {code} {reason}"]
        lines += [f"Via: {v}" for v in req.all("Via")]
        lines += [f"From: {req.get('From')}", f"To: {to}", f"Call-ID: {req.get('Call-ID')}"]
        lines += [f"CSeq: {kw.pop('cseq', req.get('CSeq'))}"]
        body = kw.pop("body", "")
        lines += [f"{k.replace('_', '-')}: {v}" for k, v in kw.items()]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body.encode())}")
        self._sock.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), peer)

    def _authorised(self, req: _Message, header: str) -> bool | None:
        """None: no credentials; else whether they are right."""
        value = req.get(header)
        if not value.startswith("Digest "):
            return None
        params = {m[0].lower(): m[1] or m[2] for m in _PARAM.findall(value)}
        user = params.get("username", "")
        if user not in self.passwords or params.get("realm") != REALM:
            return False
        algorithm = params.get("algorithm", "MD5")
        if algorithm not in _HASHES:
            return False
        ha1 = _h(algorithm, f"{user}:{REALM}:{self.passwords[user]}")
        ha2 = _h(algorithm, f"{req.method}:{params.get('uri', '')}")
        if params.get("qop") == "auth":
            parts = [params.get(k, "") for k in ("nonce", "nc", "cnonce")]
            expected = _h(algorithm, f"{ha1}:{':'.join(parts)}:auth:{ha2}")
        else:
            expected = _h(algorithm, f"{ha1}:{params.get('nonce', '')}:{ha2}")
        return secrets.compare_digest(expected, params.get("response", ""))

    def _challenge(self) -> str:
        nonce = secrets.token_hex(16)
        return f'Digest realm="{REALM}", nonce="{nonce}", algorithm={self.algorithm}, qop="auth"'

    def _handle(self, req: _Message, peer: tuple[str, int]) -> None:
        method = req.method
        self.received.append(method)
        if method == "REGISTER":
            ok = self._authorised(req, "Authorization")
            if ok is None:
                self._send(peer, req, 401, "Unauthorized", WWW_Authenticate=self._challenge())
            elif not ok:
                self._send(peer, req, 403, "Forbidden")
            else:
                user = re.sub(r".*sip:([^@>]+)@.*", r"\1", req.get("To"))
                if req.get("Expires") == "0" or "expires=0" in req.get("Contact"):
                    self.bindings.pop(user, None)
                else:
                    self.bindings[user] = req.get("Contact")
                self._send(peer, req, 200, "OK", Contact=req.get("Contact"), Expires="300")
        elif method == "INVITE":
            self._invite(req, peer)
        elif method == "CANCEL":
            self._send(peer, req, 200, "OK")
            invite = self._ringing.pop(req.get("Call-ID"), None)
            if invite is not None:
                self._send(peer, invite, 487, "Request Terminated")
        elif method in ("BYE", "OPTIONS"):
            self._send(peer, req, 200, "OK")
        elif method != "ACK":
            self._send(peer, req, 501, "Not Implemented")

    def _invite(self, req: _Message, peer: tuple[str, int]) -> None:
        ok = self._authorised(req, "Proxy-Authorization")
        if ok is None:
            self._send(peer, req, 407, "Proxy Authentication Required",
                       Proxy_Authenticate=self._challenge())  # fmt: skip
            return
        if not ok:
            self._send(peer, req, 403, "Forbidden")
            return
        self._send(peer, req, 100, "Trying")
        number = re.sub(r"^sips?:([^@;]+)@.*", r"\1", req.uri)
        if number not in self.numbers:
            self._send(peer, req, 404, "Not Found")
            return
        self._send(peer, req, 180, "Ringing")
        if number in self.ring_only:
            self._ringing[req.get("Call-ID")] = req
            return
        sdp = (
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n"
        )
        contact = f"<sip:{number}@127.0.0.1:{self.port}>"
        self._send(peer, req, 200, "OK", Contact=contact, body=sdp)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sock.close()

    def __enter__(self) -> DigestResponder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
