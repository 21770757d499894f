"""SRTP for the PBX's legs: SDES keys in SDP (RFC 4568) and the SRTP/SRTCP transform (RFC 3711).

Pure parts, no sockets: :class:`CryptoAttribute` reads and writes ``a=crypto``;
:class:`SrtpNegotiation` is one leg's half of the offer/answer (which profile and keys to offer,
whether an offer may be answered, which of its keys to take) under the server's policy
(``off``, ``optional``, ``mandatory``); :class:`SrtpTransform` protects and unprotects packets
with ``pylibsrtp`` (libsrtp). The leg applies the transform at its socket edge, so the relay,
mixer, recorder and transcoder always see plain RTP.

Keys travel only over TLS (RFC 4568 §8.3: the SDP carrying them MUST be protected). An offer
with ``RTP/SAVP`` over UDP or TCP cannot be answered without exposing a key, so it gets 488; a
plain ``RTP/AVP`` offer that carries ``a=crypto`` lines (best-effort SRTP, as pjsip sends in
its optional mode) has them ignored there and is answered with plain RTP.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pylibsrtp

from pbx_core.errors import MediaError
from pbx_core.media.sdp import SessionDescription

__all__ = [
    "POLICIES",
    "SUITES",
    "CryptoAttribute",
    "SrtpKeys",
    "SrtpNegotiation",
    "SrtpPolicy",
    "SrtpTransform",
    "crypto_lines",
    "is_secure_profile",
    "offer_refusal",
    "offers_savp",
]

SrtpPolicy = Literal["off", "optional", "mandatory"]
POLICIES: tuple[SrtpPolicy, ...] = ("off", "optional", "mandatory")

#: The crypto suites we offer and accept, in our order of preference (RFC 4568 §6.2).
SUITES: dict[str, int] = {
    "AES_CM_128_HMAC_SHA1_80": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "AES_CM_128_HMAC_SHA1_32": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
}
KEY_SALT_LENGTH = 30  # 128-bit master key + 112-bit master salt (RFC 4568 §6.2.1)

_TAG = re.compile(r"^[0-9]{1,9}$")
_SUITE = re.compile(r"^[A-Za-z0-9_]+$")
_LIFETIME = re.compile(r"^(2\^)?[0-9]+$")
_MKI = re.compile(r"^[0-9]{1,10}:[0-9]{1,3}$")


def is_secure_profile(proto: str) -> bool:
    """True for the SRTP profiles ``RTP/SAVP`` and ``RTP/SAVPF`` (RFC 3711 §12, RFC 5124)."""
    return proto.upper().endswith(("/SAVP", "/SAVPF"))


@dataclass(frozen=True, slots=True)
class CryptoAttribute:
    """One ``a=crypto`` value: tag, suite, the inline key and salt, optional lifetime and MKI,
    session parameters (RFC 4568 §9.1)."""

    tag: int
    suite: str
    key_salt: bytes
    lifetime: str | None = None
    mki: str | None = None
    session_params: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value: str) -> CryptoAttribute:
        """Parse the value after ``a=crypto:``; ValueError with the reason if malformed."""
        parts = value.split()
        if len(parts) < 3:
            raise ValueError("SDP crypto attribute is malformed")
        tag, suite, key_params = parts[0], parts[1], parts[2]
        if not _TAG.match(tag):
            raise ValueError("SDP crypto tag is invalid")
        if not _SUITE.match(suite):
            raise ValueError("SDP crypto suite is invalid")
        first = key_params.split(";")[0]  # further keys only matter with an MKI
        method, sep, info = first.partition(":")
        if method != "inline" or not sep:
            raise ValueError("SDP crypto key method is not inline")
        fields = info.split("|")
        if len(fields) > 3:
            raise ValueError("SDP crypto key parameters are malformed")
        try:
            key_salt = base64.b64decode(fields[0], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("SDP crypto key is not base64") from None
        lifetime = mki = None
        for extra in fields[1:]:
            if _MKI.match(extra) and mki is None:
                mki = extra
            elif _LIFETIME.match(extra) and lifetime is None and mki is None:
                lifetime = extra
            else:
                raise ValueError("SDP crypto key parameters are malformed")
        return cls(int(tag), suite, key_salt, lifetime, mki, tuple(parts[3:]))

    def __str__(self) -> str:
        key = "inline:" + base64.b64encode(self.key_salt).decode("ascii")
        for extra in (self.lifetime, self.mki):
            if extra is not None:
                key += f"|{extra}"
        return " ".join([str(self.tag), self.suite, key, *self.session_params])

    @property
    def usable(self) -> bool:
        """True when we can key SRTP from it: a known suite, a 30-byte key and salt, no MKI,
        a lifetime of at least 2^31 packets if any, and no session parameters other than
        the default window size (``WSH``)."""
        if self.suite not in SUITES or len(self.key_salt) != KEY_SALT_LENGTH:
            return False
        if self.mki is not None and not self.mki.endswith(":0"):
            return False
        if self.lifetime is not None and _lifetime(self.lifetime) < 2**31:
            return False
        return all(p.startswith("WSH=") for p in self.session_params)


def _lifetime(text: str) -> int:
    return 2 ** int(text[2:]) if text.startswith("2^") else int(text)


def crypto_lines(attributes: Sequence[tuple[str, str | None]]) -> list[CryptoAttribute]:
    """The well-formed ``a=crypto`` attributes of a media section, in order."""
    out: list[CryptoAttribute] = []
    for name, value in attributes:
        if name == "crypto" and value is not None:
            try:
                out.append(CryptoAttribute.parse(value))
            except ValueError:
                continue
    return out


@dataclass(frozen=True, slots=True)
class SrtpKeys:
    """An agreed suite and the two keys of one leg: ours (we send with) and the phone's."""

    suite: str
    local: bytes
    remote: bytes


@dataclass(slots=True)
class SrtpNegotiation:
    """One leg's SRTP offer/answer under ``policy``; ``secure`` says the leg's signaling runs
    over TLS; ``savp`` asks our offers for ``RTP/SAVP`` (else best-effort ``RTP/AVP`` with
    crypto, when the policy is optional)."""

    policy: SrtpPolicy = "optional"
    secure: bool = False
    savp: bool = False
    keys: SrtpKeys | None = None
    _ours: dict[str, bytes] = field(default_factory=dict)
    _offered: list[CryptoAttribute] = field(default_factory=list)

    def _key(self, suite: str) -> bytes:
        key = self._ours.get(suite)
        if key is None:
            key = self._ours[suite] = secrets.token_bytes(KEY_SALT_LENGTH)
        return key

    # -- we offer ---------------------------------------------------------------------------

    def offer(self) -> tuple[str, list[CryptoAttribute]]:
        """The profile and crypto lines of our offer (``RTP/AVP`` and none when keys may not
        be sent: policy off, or no TLS)."""
        if self.policy == "off" or not self.secure:
            self._offered = []
            return ("RTP/SAVP" if self.policy == "mandatory" else "RTP/AVP"), []
        self._offered = [
            CryptoAttribute(tag, suite, self._key(suite)) for tag, suite in enumerate(SUITES, 1)
        ]
        profile = "RTP/SAVP" if self.savp or self.policy == "mandatory" else "RTP/AVP"
        return profile, list(self._offered)

    def read_answer(self, proto: str, attributes: Sequence[tuple[str, str | None]]) -> None:
        """Apply the phone's answer to our offer; MediaError when it refuses SRTP we need."""
        ours = {c.tag: c for c in self._offered}
        chosen = next(
            (
                c
                for c in crypto_lines(attributes)
                if c.usable and c.tag in ours and ours[c.tag].suite == c.suite
            ),
            None,
        )
        if chosen is None:
            if self.policy == "mandatory" or (self._offered and self.savp):
                raise MediaError("the answer has no SRTP key")
            if is_secure_profile(proto):
                raise MediaError("the answer asks for SRTP we did not offer")
            self.keys = None
            return
        self.keys = SrtpKeys(chosen.suite, ours[chosen.tag].key_salt, chosen.key_salt)

    # -- the phone offers -------------------------------------------------------------------

    def refusal(self, proto: str, attributes: Sequence[tuple[str, str | None]]) -> str | None:
        """Why an offer cannot be answered (the 488 reason), or None."""
        usable = any(c.usable for c in crypto_lines(attributes))
        if is_secure_profile(proto):
            if self.policy == "off":
                return "SRTP is not enabled"
            if not self.secure:
                return "SRTP keys are accepted over TLS only"
            if not usable:
                return "no supported SRTP crypto suite"
        elif self.policy == "mandatory" and not (self.secure and usable):
            return "SRTP is required"
        return None

    def answer(
        self, proto: str, attributes: Sequence[tuple[str, str | None]]
    ) -> tuple[str, CryptoAttribute | None]:
        """Our answer's profile and crypto line to an offer; MediaError when refused."""
        reason = self.refusal(proto, attributes)
        if reason is not None:
            raise MediaError(reason)
        chosen = None
        if self.policy != "off" and self.secure:
            chosen = next((c for c in crypto_lines(attributes) if c.usable), None)
        profile = proto if is_secure_profile(proto) else "RTP/AVP"
        if chosen is None:
            self.keys = None
            return profile, None
        local = self._key(chosen.suite)
        self.keys = SrtpKeys(chosen.suite, local, chosen.key_salt)
        return profile, CryptoAttribute(chosen.tag, chosen.suite, local)


def _session(key: bytes, ssrc_type: int, profile: int) -> pylibsrtp.Session:
    return pylibsrtp.Session(pylibsrtp.Policy(key=key, ssrc_type=ssrc_type, srtp_profile=profile))


def offer_refusal(body: bytes, policy: SrtpPolicy, *, secure: bool) -> str | None:
    """Why a new call's SDP offer cannot be answered under ``policy`` (the 488 reason), or
    None (also for a body that is not SDP: the call machine answers that)."""
    try:
        offer = SessionDescription.parse(body)
    except ValueError:
        return None
    audio = next((m for m in offer.media if m.kind == "audio" and m.port != 0), None)
    if audio is None:
        return None
    return SrtpNegotiation(policy, secure=secure).refusal(audio.proto, audio.attributes)


def offers_savp(offer: SessionDescription | None) -> bool:
    """True when an offer asks for SRTP by profile (``RTP/SAVP``)."""
    return offer is not None and any(is_secure_profile(m.proto) for m in offer.media)


class SrtpTransform:
    """SRTP and SRTCP for one leg: our key protects what we send, the phone's unprotects what
    arrives (any SSRC). Counts packets that fail authentication or replay checks."""

    def __init__(self, keys: SrtpKeys) -> None:
        profile = SUITES[keys.suite]
        self.keys = keys
        self._tx = _session(keys.local, pylibsrtp.Policy.SSRC_ANY_OUTBOUND, profile)
        self._rx = _session(keys.remote, pylibsrtp.Policy.SSRC_ANY_INBOUND, profile)
        self.unprotected = 0
        self.failed = 0

    def update(self, keys: SrtpKeys) -> None:
        """New keys after a re-offer: only the side whose key changed starts afresh, so the
        other keeps its rollover counter and replay window."""
        if keys == self.keys:
            return
        profile = SUITES[keys.suite]
        if keys.suite != self.keys.suite or keys.local != self.keys.local:
            self._tx = _session(keys.local, pylibsrtp.Policy.SSRC_ANY_OUTBOUND, profile)
        if keys.suite != self.keys.suite or keys.remote != self.keys.remote:
            self._rx = _session(keys.remote, pylibsrtp.Policy.SSRC_ANY_INBOUND, profile)
        self.keys = keys

    def protect(self, packet: bytes) -> bytes | None:
        try:
            return bytes(self._tx.protect(packet))
        except pylibsrtp.Error:
            return None

    def protect_rtcp(self, packet: bytes) -> bytes | None:
        try:
            return bytes(self._tx.protect_rtcp(packet))
        except pylibsrtp.Error:
            return None

    def unprotect(self, packet: bytes) -> bytes | None:
        """The plain RTP packet, or None (counted) when it fails authentication or replay."""
        try:
            plain = bytes(self._rx.unprotect(packet))
        except pylibsrtp.Error:
            self.failed += 1
            return None
        self.unprotected += 1
        return plain

    def unprotect_rtcp(self, packet: bytes) -> bytes | None:
        try:
            return bytes(self._rx.unprotect_rtcp(packet))
        except pylibsrtp.Error:
            self.failed += 1
            return None
