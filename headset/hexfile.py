"""Read a report descriptor saved as raw bytes or as hex text.

Hex text is what support staff paste from ``usbhid-dump``, ``hid-tools`` or a C array: pairs of hex
digits separated by whitespace or commas, optional ``0x`` prefixes, ``#`` or ``//`` comments to
the end of the line. Anything else is taken as the raw bytes of the descriptor.
"""

from __future__ import annotations

import re

__all__ = ["read_descriptor_bytes"]

_COMMENT = re.compile(rb"(#|//)[^\n]*")
_TOKEN = re.compile(rb"(?:0[xX])?([0-9A-Fa-f]{2})")
_TEXTUAL = re.compile(rb"[\x09\x0a\x0d\x20-\x7e]*")


def _hex_tokens(text: bytes) -> bytes | None:
    body = _COMMENT.sub(b" ", text).replace(b",", b" ")
    out = bytearray()
    for word in body.split():
        tokens = _TOKEN.fullmatch(word)
        if tokens is not None:
            out.append(int(tokens.group(1), 16))
            continue
        if len(word) % 2 or re.fullmatch(rb"[0-9A-Fa-f]+", word) is None:
            return None
        out.extend(bytes.fromhex(word.decode("ascii")))
    return bytes(out)


def read_descriptor_bytes(content: bytes) -> bytes:
    """The descriptor bytes held in ``content`` (hex text or raw); ValueError when empty."""
    if _TEXTUAL.fullmatch(content) is not None:
        parsed = _hex_tokens(content)
        if parsed is not None:
            if not parsed:
                raise ValueError("descriptor file holds no bytes")
            return parsed
        if content.strip() == b"":
            raise ValueError("descriptor file holds no bytes")
    return content
