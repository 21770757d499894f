"""Small lexical helpers shared by the SIP parsers (RFC 3261 §25.1).

Splitting on ``;`` and ``,`` must skip quoted strings and ``<...>``; doing it in one place keeps
URI, header and message parsers agreeing on the edge cases.
"""

from __future__ import annotations

import re

__all__ = [
    "TOKEN_RE",
    "bare_control",
    "format_params",
    "is_token",
    "parse_hostport",
    "parse_params",
    "split_top_level",
]

# RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
_HOST_RE = re.compile(r"[A-Za-z0-9\-._~]+")
_IPV6_RE = re.compile(r"[0-9A-Fa-f:.]+")
TOKEN_RE = re.compile(r"[A-Za-z0-9\-.!%*_+`'~]+")


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def bare_control(line: str) -> bool:
    """True when ``line`` holds a control character other than inside a quoted string as a
    quoted-pair (§25.1: ``quoted-pair = "\\" (%x00-09 / %x0B-0C / %x0E-7F)``, RFC 4475 §3.1.1.2)."""
    if _CONTROL.search(line) is None:
        return False
    in_quote = escaped = False
    for ch in line:
        if escaped:
            escaped = False
            if ch in "\r\n":
                return True
        elif in_quote and ch == "\\":
            escaped = True
        elif ch == '"':
            in_quote = not in_quote
        elif _CONTROL.match(ch):
            return True
    return False


def is_token(text: str) -> bool:
    """True when ``text`` is a non-empty RFC 3261 token."""
    return TOKEN_RE.fullmatch(text) is not None


def split_top_level(text: str, sep: str) -> list[str]:
    """Split ``text`` on ``sep`` outside quoted strings and angle brackets (pieces unstripped)."""
    parts: list[str] = []
    start = 0
    in_quote = False
    in_angle = False
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if in_quote:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_quote = False
        elif ch == '"':
            in_quote = True
        elif ch == "<":
            in_angle = True
        elif ch == ">":
            in_angle = False
        elif ch == sep and not in_angle:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    if in_quote:
        raise ValueError("unterminated quoted string")
    parts.append(text[start:])
    return parts


def parse_params(text: str) -> dict[str, str | None]:
    """Parse ``;name=value;flag`` (leading ``;`` optional); names lower-cased, values kept raw."""
    params: dict[str, str | None] = {}
    text = text.strip()
    if not text:
        return params
    if text.startswith(";"):
        text = text[1:]
    for piece in split_top_level(text, ";"):
        name, eq, value = piece.partition("=")
        name = name.strip()
        if not name or any(c in name for c in ' \t"<>,@'):
            raise ValueError("bad parameter")
        params[name.lower()] = value.strip() if eq else None
    return params


def format_params(params: dict[str, str | None]) -> str:
    """Serialise parameters as ``;name=value;flag``."""
    return "".join(f";{k}" if v is None else f";{k}={v}" for k, v in params.items())


def parse_hostport(text: str) -> tuple[str, int | None]:
    """Split ``host[:port]`` (IPv6 in brackets) and validate both."""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError("bad host")
        host = text[1:end]
        if not _IPV6_RE.fullmatch(host):
            raise ValueError("bad host")
        rest = text[end + 1 :]
        if rest and not rest.startswith(":"):
            raise ValueError("bad host")
        port_text = rest[1:] if rest else None
    else:
        host, colon, port_text_raw = text.partition(":")
        port_text = port_text_raw if colon else None
        if not _HOST_RE.fullmatch(host):
            raise ValueError("bad host")
    port: int | None = None
    if port_text is not None:
        if not (port_text.isascii() and port_text.isdigit()) or len(port_text) > 5:
            raise ValueError("bad port")
        port = int(port_text)
        if port > 65535:
            raise ValueError("bad port")
    return host, port
