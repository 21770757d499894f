"""HTTP Digest authentication for SIP (RFC 3261 §22, RFC 2617, RFC 7616, RFC 8760).

Server side: HMAC nonces that carry their issue time and are bound to the address they were
issued to, challenges and verification of ``qop=auth`` / ``auth-int`` and the legacy no-qop
form. :class:`NonceCounter` remembers the nonces issued and the highest nonce-count seen for
each (RFC 7616 §3.4.5), so a captured Authorization header cannot be sent again. Client side:
challenge parsing and Authorization building for trunks. MD5 and SHA-256 only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import struct
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ALGORITHMS",
    "DigestChallenge",
    "DigestCredentials",
    "NonceCounter",
    "NonceManager",
    "build_authorization",
    "compute_ha1",
    "make_challenge",
    "parse_authorization",
    "parse_challenge",
    "verify",
]

ALGORITHMS: dict[str, str] = {"MD5": "md5", "SHA-256": "sha256"}
_TOKEN_RE = re.compile(r"[A-Za-z0-9\-.!%*_+`'~]+")
_NC_RE = re.compile(r"[0-9A-Fa-f]{8}")
_MAX_VALUE = 1024


def _algorithm(name: str) -> str:
    for canonical, hash_name in ALGORITHMS.items():
        if name.upper() == canonical:
            return hash_name
    raise ValueError(f"unsupported algorithm: {name}")


def _canonical_algorithm(name: str) -> str:
    _algorithm(name)
    return name.upper()


def _h(algorithm: str, text: str) -> str:
    return hashlib.new(_algorithm(algorithm), text.encode("utf-8")).hexdigest()


def compute_ha1(username: str, realm: str, password: str, algorithm: str = "MD5") -> str:
    """H(username:realm:password) in lower-case hex; store this instead of the password."""
    return _h(algorithm, f"{username}:{realm}:{password}")


class NonceManager:
    """Issues and checks nonces ``base64url(time_ms | random | hmac)`` signed with ``secret``.

    The MAC also covers ``bound_to`` (the transport address the challenge went to), so a nonce
    presented from another address is not ours."""

    __slots__ = ("_lifetime", "_secret")

    def __init__(self, secret: bytes, lifetime: float = 300.0) -> None:
        if len(secret) < 16:
            raise ValueError("nonce secret too short")
        self._secret = secret
        self._lifetime = lifetime

    @property
    def lifetime(self) -> float:
        return self._lifetime

    def _mac(self, payload: bytes, bound_to: str) -> bytes:
        message = payload + bound_to.encode("utf-8", "surrogatepass")
        return hmac.new(self._secret, message, hashlib.sha256).digest()[:16]

    def issue(self, now: float, bound_to: str = "") -> str:
        """A fresh nonce stamped with ``now`` (seconds on the clock later given to ``check``)."""
        payload = struct.pack(">Q", max(0, int(now * 1000))) + os.urandom(8)
        return base64.urlsafe_b64encode(payload + self._mac(payload, bound_to)).decode("ascii")

    def check(
        self, nonce: str, now: float, bound_to: str = ""
    ) -> Literal["ok", "stale", "invalid"]:
        """Classify ``nonce``: ours and fresh, ours but expired (challenge stale=true), or not."""
        if len(nonce) != 44:
            return "invalid"
        try:
            raw = base64.urlsafe_b64decode(nonce.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            return "invalid"
        payload, mac = raw[:16], raw[16:]
        if len(raw) != 32 or not hmac.compare_digest(mac, self._mac(payload, bound_to)):
            return "invalid"
        issued = struct.unpack(">Q", payload[:8])[0] / 1000
        if issued > now + 1.0:
            return "invalid"
        return "stale" if now - issued > self._lifetime else "ok"


class NonceCounter:
    """The nonces issued and the highest nonce-count used with each (RFC 7616 §3.4.5).

    A nonce is accepted only with a count above the last one seen (a no-qop nonce only once);
    one never issued here (or forgotten: after ``lifetime``, or beyond ``capacity``) is
    ``"unknown"``, which the caller answers with a fresh challenge and ``stale=true``.
    """

    __slots__ = ("_capacity", "_lifetime", "_seen")

    def __init__(self, lifetime: float = 300.0, capacity: int = 50_000) -> None:
        self._lifetime = lifetime
        self._capacity = capacity
        self._seen: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def issued(self, nonce: str, now: float) -> None:
        """Remember a nonce just sent in a challenge."""
        self._seen[nonce] = (now, 0)
        while self._seen:
            oldest, (at, _) = next(iter(self._seen.items()))
            if len(self._seen) <= self._capacity and now - at <= self._lifetime:
                break
            del self._seen[oldest]

    def use(self, nonce: str, nc: str | None) -> Literal["ok", "replayed", "unknown"]:
        """Record one use of ``nonce`` with count ``nc`` (hex; ``None`` without qop)."""
        entry = self._seen.get(nonce)
        if entry is None:
            return "unknown"
        at, last = entry
        count = int(nc, 16) if nc is not None else 1
        if count <= last or (nc is None and last > 0):
            return "replayed"
        self._seen[nonce] = (at, count)
        return "ok"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_challenge(
    realm: str,
    nonce: str,
    algorithm: str = "MD5",
    opaque: str | None = None,
    stale: bool = False,
) -> str:
    """A WWW-Authenticate / Proxy-Authenticate value offering ``qop="auth"``."""
    parts = [
        f"realm={_quote(realm)}",
        f"nonce={_quote(nonce)}",
        f"algorithm={_canonical_algorithm(algorithm)}",
        'qop="auth"',
    ]
    if opaque is not None:
        parts.append(f"opaque={_quote(opaque)}")
    if stale:
        parts.append("stale=true")
    return "Digest " + ", ".join(parts)


def _parse_params(value: str, kind: str) -> dict[str, str]:
    """Parse ``Digest name=value, name="quoted"`` into lower-cased names."""
    text = value.strip()
    scheme, _, rest = text.partition(" ")
    if scheme.lower() != "digest":
        raise ValueError(f"not a Digest {kind}")
    params: dict[str, str] = {}
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] in " \t\r\n,":
            i += 1
        if i >= n:
            break
        match = _TOKEN_RE.match(rest, i)
        if match is None:
            raise ValueError("bad auth parameter")
        name = match.group().lower()
        i = match.end()
        while i < n and rest[i] in " \t":
            i += 1
        if i >= n or rest[i] != "=":
            raise ValueError("bad auth parameter")
        i += 1
        while i < n and rest[i] in " \t":
            i += 1
        if i < n and rest[i] == '"':
            out: list[str] = []
            i += 1
            while i < n and rest[i] != '"':
                if rest[i] == "\\" and i + 1 < n:
                    i += 1
                out.append(rest[i])
                i += 1
            if i >= n:
                raise ValueError("unterminated quoted string")
            i += 1
            param = "".join(out)
        else:
            match = _TOKEN_RE.match(rest, i)
            if match is None:
                raise ValueError("bad auth parameter")
            param = match.group()
            i = match.end()
        while i < n and rest[i] in " \t":
            i += 1
        if i < n and rest[i] != ",":
            raise ValueError("bad auth parameter")
        if name in params:
            raise ValueError(f"duplicate auth parameter: {name}")
        if len(param) > _MAX_VALUE:
            raise ValueError(f"auth parameter too long: {name}")
        params[name] = param
    return params


@dataclass(frozen=True, slots=True)
class DigestCredentials:
    """The fields of an Authorization / Proxy-Authorization header."""

    username: str
    realm: str
    nonce: str
    uri: str
    response: str
    algorithm: str = "MD5"
    qop: str | None = None
    nc: str | None = None
    cnonce: str | None = None
    opaque: str | None = None


def parse_authorization(value: str) -> DigestCredentials:
    """Parse an Authorization value; raises ``ValueError`` with exact text when malformed."""
    params = _parse_params(value, "authorization")
    for name in ("username", "realm", "nonce", "uri", "response"):
        if name not in params:
            raise ValueError(f"missing auth parameter: {name}")
    algorithm = _canonical_algorithm(params.get("algorithm", "MD5"))
    qop = params.get("qop")
    if qop is not None:
        qop = qop.lower()
        if qop not in ("auth", "auth-int"):
            raise ValueError(f"unsupported qop: {qop}")
        for name in ("nc", "cnonce"):
            if name not in params:
                raise ValueError(f"missing auth parameter: {name}")
        if not _NC_RE.fullmatch(params["nc"]):
            raise ValueError("bad nc")
    return DigestCredentials(
        username=params["username"],
        realm=params["realm"],
        nonce=params["nonce"],
        uri=params["uri"],
        response=params["response"].lower(),
        algorithm=algorithm,
        qop=qop,
        nc=params.get("nc") if qop else None,
        cnonce=params.get("cnonce") if qop else None,
        opaque=params.get("opaque"),
    )


def _response(
    algorithm: str,
    ha1: str,
    nonce: str,
    method: str,
    uri: str,
    qop: str | None,
    nc: str | None,
    cnonce: str | None,
    body: bytes,
) -> str:
    if qop == "auth-int":
        body_hash = hashlib.new(_algorithm(algorithm), body).hexdigest()
        ha2 = _h(algorithm, f"{method}:{uri}:{body_hash}")
    else:
        ha2 = _h(algorithm, f"{method}:{uri}")
    if qop is None:
        return _h(algorithm, f"{ha1}:{nonce}:{ha2}")
    return _h(algorithm, f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")


def verify(creds: DigestCredentials, method: str, ha1: str, body: bytes = b"") -> bool:
    """True when ``creds.response`` proves knowledge of ``ha1`` (constant-time compare).

    The caller checks the nonce (``NonceManager.check``), realm and that ``creds.uri`` matches
    the Request-URI; ``ha1`` must use ``creds.algorithm``.
    """
    expected = _response(
        creds.algorithm,
        ha1.lower(),
        creds.nonce,
        method,
        creds.uri,
        creds.qop,
        creds.nc,
        creds.cnonce,
        body,
    )
    return hmac.compare_digest(expected.encode(), creds.response.lower().encode())


@dataclass(frozen=True, slots=True)
class DigestChallenge:
    """A parsed WWW-Authenticate / Proxy-Authenticate Digest challenge."""

    realm: str
    nonce: str
    algorithm: str = "MD5"
    qop: tuple[str, ...] = ()
    opaque: str | None = None
    stale: bool = False


def parse_challenge(value: str) -> DigestChallenge:
    """Parse a Digest challenge; raises ``ValueError`` for other schemes or algorithms."""
    params = _parse_params(value, "challenge")
    for name in ("realm", "nonce"):
        if name not in params:
            raise ValueError(f"missing auth parameter: {name}")
    qop = tuple(q.strip().lower() for q in params.get("qop", "").split(",") if q.strip())
    return DigestChallenge(
        realm=params["realm"],
        nonce=params["nonce"],
        algorithm=_canonical_algorithm(params.get("algorithm", "MD5")),
        qop=qop,
        opaque=params.get("opaque"),
        stale=params.get("stale", "").lower() == "true",
    )


def build_authorization(
    challenge: DigestChallenge,
    method: str,
    uri: str,
    username: str,
    password: str,
    *,
    cnonce: str,
    nc: int = 1,
) -> str:
    """An Authorization value answering ``challenge`` (qop=auth when offered, else legacy)."""
    if challenge.qop and "auth" not in challenge.qop:
        raise ValueError("unsupported qop: " + ",".join(challenge.qop))
    qop = "auth" if challenge.qop else None
    nc_text = f"{nc:08x}" if qop else None
    ha1 = compute_ha1(username, challenge.realm, password, challenge.algorithm)
    response = _response(
        challenge.algorithm, ha1, challenge.nonce, method, uri, qop, nc_text, cnonce, b""
    )
    parts = [
        f"username={_quote(username)}",
        f"realm={_quote(challenge.realm)}",
        f"nonce={_quote(challenge.nonce)}",
        f"uri={_quote(uri)}",
        f"response={_quote(response)}",
        f"algorithm={challenge.algorithm}",
    ]
    if qop:
        parts += [f"cnonce={_quote(cnonce)}", f"qop={qop}", f"nc={nc_text}"]
    if challenge.opaque is not None:
        parts.append(f"opaque={_quote(challenge.opaque)}")
    return "Digest " + ", ".join(parts)
