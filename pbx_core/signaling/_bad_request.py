"""The answer to a request the parser refused (RFC 3261 §8.2, §8.2.6), built from raw bytes.

A malformed request has no message object, so its routing headers (Via, From, To, Call-ID,
CSeq) are copied byte for byte. Via and CSeq are the least an answer needs (where it goes and
which transaction it ends); a request without them gets nothing, one missing From, To or
Call-ID still gets its 400 (RFC 4475 §3.3.1). Malformed responses are dropped.
"""

from __future__ import annotations

import re

__all__ = ["bad_request"]

_RAW_HEADER = re.compile(
    rb"^(via|v|from|f|to|t|call-id|i|cseq)[ \t]*:[ \t]*(.*?)\r?$", re.IGNORECASE | re.MULTILINE
)
_COMPACT = {b"v": b"Via", b"f": b"From", b"t": b"To", b"i": b"Call-ID"}
_NEEDED = {b"via", b"cseq"}
_REASONS = {416: b"Unsupported URI Scheme", 505: b"Version Not Supported"}


def bad_request(data: bytes, error: str, status: int = 400) -> bytes | None:
    """The encoded 400 (or ``status``) for the malformed request ``data``, or None when it
    cannot be answered."""
    if data[:8].upper().startswith(b"SIP/"):
        return None
    lines = []
    for match in _RAW_HEADER.finditer(data[:8192]):
        name = _COMPACT.get(match.group(1).lower(), match.group(1))
        lines.append(name + b": " + match.group(2))
    names = {line.split(b":", 1)[0].lower() for line in lines}
    if not names >= _NEEDED:
        return None
    if status in _REASONS:
        reason = _REASONS[status]
    else:
        status, reason = 400, ("Bad Request - " + error)[:100].encode("ascii", "replace")
    head = b"SIP/2.0 %d " % status + reason + b"\r\n" + b"\r\n".join(lines)
    return head + b"\r\nContent-Length: 0\r\n\r\n"
