"""The 400 answer to a request the parser refused (RFC 3261 §8.2, §8.2.6), built from raw bytes.

A malformed request has no message object, so its routing headers (Via, From, To, Call-ID,
CSeq) are copied byte for byte; without all five there is nowhere to answer and nothing is sent.
Malformed responses are dropped.
"""

from __future__ import annotations

import re

__all__ = ["bad_request"]

_RAW_HEADER = re.compile(
    rb"^(via|v|from|f|to|t|call-id|i|cseq)[ \t]*:[ \t]*(.*?)\r?$", re.IGNORECASE | re.MULTILINE
)
_COMPACT = {b"v": b"Via", b"f": b"From", b"t": b"To", b"i": b"Call-ID"}
_NEEDED = {b"via", b"from", b"to", b"call-id", b"cseq"}


def bad_request(data: bytes, error: str) -> bytes | None:
    """The encoded 400 for the malformed request ``data``, or None when it cannot be answered."""
    if data[:8].upper().startswith(b"SIP/"):
        return None
    lines = []
    for match in _RAW_HEADER.finditer(data[:8192]):
        name = _COMPACT.get(match.group(1).lower(), match.group(1))
        lines.append(name + b": " + match.group(2))
    names = {line.split(b":", 1)[0].lower() for line in lines}
    if not names >= _NEEDED:
        return None
    reason = ("Bad Request - " + error)[:100].encode("ascii", "replace")
    head = b"SIP/2.0 400 " + reason + b"\r\n" + b"\r\n".join(lines)
    return head + b"\r\nContent-Length: 0\r\n\r\n"
