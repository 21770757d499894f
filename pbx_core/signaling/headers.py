"""Structured header values: Via, CSeq and comma-separated lists (RFC 3261 §7.3.1, §20.14,
§20.42, §18.2.1 received, RFC 3581 rport).

Values are parsed on demand from the raw header strings held by ``Headers``; each parser raises
``ValueError`` with exact text so the message parser can map it to a ``SipParseError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pbx_core.signaling._grammar import (
    format_params,
    is_token,
    parse_hostport,
    parse_params,
    split_top_level,
)
from pbx_core.signaling.uri import format_host

__all__ = ["MAGIC_COOKIE", "CSeq", "Via", "split_header_values"]

MAGIC_COOKIE = "z9hG4bK"
_VIA_RE = re.compile(
    r"\s*([A-Za-z0-9\-.!%*_+`'~]+)\s*/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s*/\s*"
    r"([A-Za-z0-9\-.!%*_+`'~]+)\s+([^\s;]+)\s*(;.*)?",
    re.DOTALL,
)
_CSEQ_MAX = 2**31 - 1


def split_header_values(value: str) -> list[str]:
    """Split a comma-separated header value outside quotes and ``<...>``; empty items dropped."""
    return [part.strip() for part in split_top_level(value, ",") if part.strip()]


@dataclass(slots=True)
class Via:
    """One Via hop; ``"rport" in via.params`` tells a value-less rport from an absent one."""

    transport: str
    host: str
    port: int | None = None
    params: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Via:
        """Parse one via-parm (``SIP/2.0/UDP host:port;branch=...``)."""
        match = _VIA_RE.fullmatch(text)
        if match is None:
            raise ValueError("bad Via")
        name, version, transport, sent_by, param_text = match.groups()
        if name.upper() != "SIP" or version != "2.0":
            raise ValueError("bad Via")
        try:
            host, port = parse_hostport(sent_by)
            params = parse_params(param_text or "")
        except ValueError:
            raise ValueError("bad Via") from None
        if "rport" in params:
            rport = params["rport"]
            if rport is not None and not (rport.isascii() and rport.isdigit() and len(rport) <= 5):
                raise ValueError("bad Via")
        return cls(transport=transport.upper(), host=host, port=port, params=params)

    def __str__(self) -> str:
        port = f":{self.port}" if self.port is not None else ""
        hp = f"{format_host(self.host)}{port}"
        return f"SIP/2.0/{self.transport} {hp}{format_params(self.params)}"

    @property
    def branch(self) -> str | None:
        """The branch parameter, the transaction id when it starts with the magic cookie."""
        return self.params.get("branch")

    @property
    def received(self) -> str | None:
        """The source address the next hop saw (§18.2.1)."""
        return self.params.get("received")

    @property
    def rport(self) -> int | None:
        """The source port filled in by the server (RFC 3581); None if absent or empty."""
        value = self.params.get("rport")
        return int(value) if value else None

    @property
    def sent_by(self) -> tuple[str, int | None]:
        """(host, port) as written in the hop, used in transaction matching (§17.2.3)."""
        return self.host.lower(), self.port

    def copy(self) -> Via:
        """An independent copy."""
        return Via(self.transport, self.host, self.port, dict(self.params))


@dataclass(frozen=True, slots=True)
class CSeq:
    """Sequence number and method of a request (§20.16)."""

    seq: int
    method: str

    @classmethod
    def parse(cls, text: str) -> CSeq:
        """Parse ``314159 INVITE``; the number must fit in 31 bits."""
        parts = text.split()
        if len(parts) != 2:
            raise ValueError("bad CSeq")
        number, method = parts
        if not (number.isascii() and number.isdigit()) or len(number) > 10 or not is_token(method):
            raise ValueError("bad CSeq")
        seq = int(number)
        if seq > _CSEQ_MAX:
            raise ValueError("bad CSeq")
        return cls(seq, method)

    def __str__(self) -> str:
        return f"{self.seq} {self.method}"
