"""SIP and tel URIs and name-addr values (RFC 3261 §19.1, §20.10, §25.1; RFC 3966 for tel).

Parsing is strict enough that a bad URI raises ``ValueError`` here instead of surprising a
later layer; user parts keep their %-escapes exactly as received so round trips are lossless.
IPv6 hosts are stored without brackets and written back with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pbx_core.signaling._grammar import (
    format_params,
    parse_hostport,
    parse_params,
    split_top_level,
)

__all__ = ["NameAddr", "SipUri", "format_host"]

_SCHEMES = ("sip", "sips", "tel")
_USER_BAD = frozenset(' \t\r\n<>"@')
_DISPLAY_TOKEN_RE = re.compile(r"[A-Za-z0-9\-.!%*_+`'~ \t]*")


def format_host(host: str) -> str:
    """Bracket an IPv6 literal for use in a URI or Via sent-by."""
    return f"[{host}]" if ":" in host else host


@dataclass(slots=True)
class SipUri:
    """A ``sip:``, ``sips:`` or ``tel:`` URI; ``tel`` keeps the number in ``user`` and no host."""

    user: str | None
    host: str
    port: int | None = None
    params: dict[str, str | None] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    password: str | None = None
    scheme: str = "sip"

    @classmethod
    def parse(cls, text: str) -> SipUri:
        """Parse a URI; raises ``ValueError`` on anything RFC 3261 would not accept."""
        text = text.strip()
        scheme, colon, rest = text.partition(":")
        scheme = scheme.lower()
        if not colon or scheme not in _SCHEMES:
            raise ValueError("unsupported URI scheme")
        if any(c in rest for c in " \t\r\n<>"):
            raise ValueError("bad URI")
        if scheme == "tel":
            number, _, param_text = rest.partition(";")
            if not number or any(c in number for c in '@?"'):
                raise ValueError("bad tel URI")
            return cls(user=number, host="", params=parse_params(param_text), scheme="tel")
        # The user part may hold ";", "?", "/" and "," (user-unreserved, §25.1; RFC 4475
        # §3.1.1.2), so it is split off at the last "@" before parameters and headers.
        user: str | None = None
        password: str | None = None
        if "@" in rest:
            userinfo, _, rest = rest.rpartition("@")
            user, pcolon, pw = userinfo.partition(":")
            if pcolon:
                password = pw
            if not user or any(c in _USER_BAD for c in userinfo):
                raise ValueError("bad URI user")
        rest, qmark, header_text = rest.partition("?")
        headers: dict[str, str] = {}
        if qmark:
            for pair in header_text.split("&"):
                name, eq, value = pair.partition("=")
                if not name or not eq:
                    raise ValueError("bad URI header")
                headers[name] = value
        hostport, _, param_text = rest.partition(";")
        host, port = parse_hostport(hostport)
        return cls(
            user=user,
            host=host,
            port=port,
            params=parse_params(param_text),
            headers=headers,
            password=password,
            scheme=scheme,
        )

    def __str__(self) -> str:
        if self.scheme == "tel":
            return f"tel:{self.user or ''}{format_params(self.params)}"
        out = [self.scheme, ":"]
        if self.user is not None:
            out.append(self.user)
            if self.password is not None:
                out += [":", self.password]
            out.append("@")
        out.append(format_host(self.host))
        if self.port is not None:
            out += [":", str(self.port)]
        out.append(format_params(self.params))
        if self.headers:
            out += ["?", "&".join(f"{k}={v}" for k, v in self.headers.items())]
        return "".join(out)

    @property
    def transport(self) -> str | None:
        """The ``transport`` parameter, lower-cased, or None."""
        value = self.params.get("transport")
        return value.lower() if value else None

    @property
    def aor(self) -> str:
        """Address of record: ``scheme:user@host`` without port or parameters (host lower-cased)."""
        if self.scheme == "tel":
            return f"tel:{self.user}"
        user = f"{self.user}@" if self.user is not None else ""
        return f"{self.scheme}:{user}{format_host(self.host.lower())}"

    def copy(self) -> SipUri:
        """An independent copy (the parameter dicts are not shared)."""
        return SipUri(
            user=self.user,
            host=self.host,
            port=self.port,
            params=dict(self.params),
            headers=dict(self.headers),
            password=self.password,
            scheme=self.scheme,
        )


_QUOTED_PAIR = re.compile(r'[\\"\x00-\x09\x0b\x0c\x0e-\x1f\x7f]')


def _quote(text: str) -> str:
    """The inside of a quoted string: backslash, quote and control characters as quoted-pairs
    (§25.1); CR and LF, which no quoted-pair carries, are left out."""
    text = text.replace("\r", "").replace("\n", "")
    return _QUOTED_PAIR.sub(lambda m: "\\" + m.group(0), text)


def _unquote(text: str) -> tuple[str, str]:
    """Read a quoted string at the start of ``text``; return (value, remainder)."""
    out: list[str] = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), text[i + 1 :]
        out.append(ch)
        i += 1
    raise ValueError("unterminated quoted string")


@dataclass(slots=True)
class NameAddr:
    """A From/To/Contact/Route value: URI, optional display name and header parameters."""

    uri: SipUri
    display_name: str | None = None
    params: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> NameAddr:
        """Parse name-addr or addr-spec; in the bare form ``;params`` belong to the header."""
        text = text.strip()
        display: str | None = None
        if text.startswith('"'):
            display, text = _unquote(text)
            text = text.lstrip()
            if not text.startswith("<"):
                raise ValueError("bad name-addr")
        elif "<" in text:
            lt = text.index("<")
            token = text[:lt].strip()
            if not _DISPLAY_TOKEN_RE.fullmatch(token):
                raise ValueError("bad name-addr")
            display = " ".join(token.split()) or None
            text = text[lt:]
        if text.startswith("<"):
            gt = text.find(">")
            if gt < 0:
                raise ValueError("bad name-addr")
            uri = SipUri.parse(text[1:gt])
            param_text = text[gt + 1 :].strip()
            if param_text and not param_text.startswith(";"):
                raise ValueError("bad name-addr")
        else:
            pieces = split_top_level(text, ";")
            if any(c in pieces[0] for c in "?,"):
                # §20: a URI with headers or a comma must be in <> (RFC 4475 §3.1.2.13)
                raise ValueError("bad addr-spec")
            uri = SipUri.parse(pieces[0])
            param_text = ";".join(pieces[1:])
        return cls(uri=uri, display_name=display, params=parse_params(param_text))

    def __str__(self) -> str:
        name = ""
        if self.display_name is not None:
            name = f'"{_quote(self.display_name)}" '
        return f"{name}<{self.uri}>{format_params(self.params)}"

    @property
    def tag(self) -> str | None:
        """The ``tag`` header parameter (dialog identification, §19.3)."""
        return self.params.get("tag")

    def with_tag(self, tag: str) -> NameAddr:
        """A copy carrying ``tag``."""
        params = dict(self.params)
        params["tag"] = tag
        return NameAddr(uri=self.uri.copy(), display_name=self.display_name, params=params)

    def copy(self) -> NameAddr:
        """An independent copy."""
        return NameAddr(
            uri=self.uri.copy(), display_name=self.display_name, params=dict(self.params)
        )
