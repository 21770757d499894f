"""SIP messages: model, strict bounded parser and serialiser (RFC 3261 §7, §8.2.6, §18.3, §20, §25).

``parse_message`` accepts one datagram (or one framed stream message) and either returns a
request/response whose mandatory headers are known to parse, or raises ``SipParseError`` with an
exact message; every size is bounded so hostile input cannot make it loop or allocate much.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from pbx_core.errors import PbxError
from pbx_core.signaling._grammar import bare_control, is_token
from pbx_core.signaling._header_map import Headers
from pbx_core.signaling._reasons import REASONS
from pbx_core.signaling.headers import CSeq, Via, split_header_values
from pbx_core.signaling.uri import NameAddr, SipUri

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_HEADERS",
    "MAX_LINE_BYTES",
    "MAX_MESSAGE_BYTES",
    "REASONS",
    "Headers",
    "SipMessage",
    "SipParseError",
    "SipRequest",
    "SipResponse",
    "frame_length",
    "make_response",
    "new_branch",
    "new_call_id",
    "new_tag",
    "parse_message",
]

MAX_MESSAGE_BYTES = 65535
MAX_HEADERS = 128
MAX_LINE_BYTES = 8192
MAX_BODY_BYTES = 32768

_HEAD_END = re.compile(rb"\r?\n\r?\n")
_REQUEST_LINE = re.compile(r"([A-Za-z0-9\-.!%*_+`'~]+) (\S+) ([A-Za-z]+/\S*)")
_STATUS_LINE = re.compile(r"([A-Za-z]+/[^\s/]*) ([0-9]{3})(?: (.*))?")
_CL_RE = re.compile(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*([0-9]+)[ \t]*\r?$")
_SINGLE = ("Call-ID", "CSeq", "From", "To", "Content-Length", "Max-Forwards", "Content-Type")
_MANDATORY = ("To", "From", "Call-ID", "CSeq", "Via")
_ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*:[^\s<>\"]+")  # RFC 3261 §25.1 absoluteURI
_OUR_SCHEMES = ("sip:", "sips:", "tel:")


class SipParseError(PbxError, ValueError):
    """The bytes are not an acceptable SIP message; the text says why. A request is answered
    with ``status`` where its routing headers allow: 400 in general, 416 for a Request-URI of a
    scheme we do not serve, 505 for another SIP version (RFC 3261 §8.2.2.1, §21.5.6)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class SipMessage:
    """Header shortcuts shared by requests and responses; values parse on each access."""

    __slots__ = ()
    headers: Headers
    body: bytes

    @property
    def call_id(self) -> str:
        """The Call-ID value."""
        value = self.headers.get("Call-ID")
        if not value:
            raise SipParseError("missing header: Call-ID")
        return value

    @property
    def cseq(self) -> CSeq:
        """The parsed CSeq."""
        value = self.headers.get("CSeq")
        if value is None:
            raise SipParseError("missing header: CSeq")
        return CSeq.parse(value)

    @property
    def vias(self) -> list[Via]:
        """Every Via hop, top first."""
        return [Via.parse(value) for value in self.headers.get_all("Via")]

    @property
    def top_via(self) -> Via:
        """The topmost Via (ours on a response, the sender's on a request)."""
        values = self.headers.get_all("Via")
        if not values:
            raise SipParseError("missing header: Via")
        return Via.parse(values[0])

    def replace_top_via(self, via: Via) -> None:
        """Rewrite the topmost Via (e.g. to add received/rport), keeping the other hops."""
        lines = self.headers.get_lines("Via")
        if not lines:
            raise SipParseError("missing header: Via")
        rebuilt = [str(via), *split_header_values(lines[0])[1:]]
        new_lines = [", ".join(rebuilt), *lines[1:]]
        self.headers.remove("Via")
        for line in reversed(new_lines):
            self.headers.prepend("Via", line)

    @property
    def from_addr(self) -> NameAddr:
        """The parsed From."""
        return NameAddr.parse(self._required("From"))

    @property
    def to_addr(self) -> NameAddr:
        """The parsed To."""
        return NameAddr.parse(self._required("To"))

    @property
    def contacts(self) -> list[NameAddr]:
        """Every Contact; empty when absent or when the Contact is the ``*`` wildcard."""
        if self.contact_is_wildcard:
            return []
        return [NameAddr.parse(value) for value in self.headers.get_all("Contact")]

    @property
    def contact_is_wildcard(self) -> bool:
        """True for ``Contact: *`` (REGISTER removing all bindings, §10.2.2)."""
        return any(value == "*" for value in self.headers.get_all("Contact"))

    @property
    def content_type(self) -> str | None:
        """The Content-Type value as written, or None."""
        return self.headers.get("Content-Type")

    def _required(self, name: str) -> str:
        value = self.headers.get(name)
        if value is None:
            raise SipParseError(f"missing header: {name}")
        return value

    def _serialise(self, start_line: str) -> bytes:
        lines = [start_line]
        length_written = False
        for name, value in self.headers:
            if name == "Content-Length":
                if length_written:
                    continue
                value = str(len(self.body))
                length_written = True
            lines.append(f"{name}: {value}")
        if not length_written:
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + self.body


@dataclass(slots=True)
class SipRequest(SipMessage):
    """A request; ``bytes(req)`` serialises it with a correct Content-Length."""

    method: str
    uri: SipUri
    headers: Headers
    body: bytes = b""

    def __bytes__(self) -> bytes:
        return self._serialise(f"{self.method} {self.uri} SIP/2.0")

    @property
    def branch(self) -> str | None:
        """The branch of the top Via (the transaction id)."""
        return self.top_via.branch


@dataclass(slots=True)
class SipResponse(SipMessage):
    """A response; ``bytes(resp)`` serialises it with a correct Content-Length."""

    status: int
    reason: str
    headers: Headers
    body: bytes = b""

    def __bytes__(self) -> bytes:
        return self._serialise(f"SIP/2.0 {self.status} {self.reason}")


def _check_version(version: str) -> None:
    if version.upper() != "SIP/2.0":
        raise SipParseError("bad SIP version", 505)


def _check_start_line(line: str) -> None:
    if len(line) > MAX_LINE_BYTES:
        raise SipParseError("line too long")
    if _STATUS_LINE.fullmatch(line) is None and _REQUEST_LINE.fullmatch(line) is None:
        raise SipParseError("bad start line")


def _build(start_line: str, headers: Headers, body: bytes) -> SipRequest | SipResponse:
    status_match = _STATUS_LINE.fullmatch(start_line)
    if status_match is not None:
        version, code, reason = status_match.groups()
        _check_version(version)
        status = int(code)
        if not 100 <= status <= 699:
            raise SipParseError("bad status code")
        return SipResponse(status, reason or "", headers, body)
    request_match = _REQUEST_LINE.fullmatch(start_line)
    if request_match is None:
        raise SipParseError("bad start line")
    method, uri_text, version = request_match.groups()
    _check_version(version)
    try:
        uri = SipUri.parse(uri_text)
    except ValueError:
        if _ABSOLUTE_URI.fullmatch(uri_text) and not uri_text.lower().startswith(_OUR_SCHEMES):
            raise SipParseError("unsupported URI scheme", 416) from None
        raise SipParseError("bad Request-URI") from None
    return SipRequest(method, uri, headers, body)


def _parse_head(text: str) -> Headers:
    lines = text.split("\n")
    if len(lines) > MAX_HEADERS * 4:
        raise SipParseError("too many headers")
    fields: list[list[str]] = []
    for raw in lines if text else ():
        line = raw[:-1] if raw.endswith("\r") else raw
        if len(line) > MAX_LINE_BYTES:
            raise SipParseError("line too long")
        if bare_control(line):
            raise SipParseError("bad character")
        if line[:1] in (" ", "\t"):
            if not fields:
                raise SipParseError("bad header line")
            fields[-1][1] += " " + line.strip()
            if len(fields[-1][1]) > MAX_LINE_BYTES:
                raise SipParseError("line too long")
        else:
            name, colon, value = line.partition(":")
            name = name.rstrip(" \t")
            if not colon or not is_token(name):
                raise SipParseError("bad header line")
            fields.append([name, value.strip()])
            if len(fields) > MAX_HEADERS:
                raise SipParseError("too many headers")
    headers = Headers()
    for name, value in fields:
        headers.add(name, value)
    return headers


def _validate(msg: SipRequest | SipResponse) -> None:
    headers = msg.headers
    for name in _SINGLE:
        if len(headers.get_lines(name)) > 1:
            raise SipParseError(f"duplicate header: {name}")
    for name in _MANDATORY:
        if not headers.get(name):
            raise SipParseError(f"missing header: {name}")
    checks = (
        ("CSeq", lambda: msg.cseq),
        ("Via", lambda: msg.vias or msg.top_via),
        ("From", lambda: msg.from_addr),
        ("To", lambda: msg.to_addr),
        ("Contact", lambda: msg.contacts),
    )
    for name, check in checks:
        try:
            check()
        except ValueError:
            raise SipParseError(f"bad {name}") from None
    if msg.contact_is_wildcard and len(headers.get_all("Contact")) > 1:
        raise SipParseError("bad Contact")
    max_forwards = headers.get("Max-Forwards")
    if max_forwards is not None and not (
        max_forwards.isascii()
        and max_forwards.isdigit()
        and len(max_forwards) <= 10
        and int(max_forwards) <= 255
    ):
        raise SipParseError("bad Max-Forwards")
    if isinstance(msg, SipRequest) and msg.cseq.method != msg.method:
        raise SipParseError("CSeq method mismatch")


def _content_length(headers: Headers) -> int | None:
    value = headers.get("Content-Length")
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        raise SipParseError("bad Content-Length")
    return int(value)


def parse_message(data: bytes) -> SipRequest | SipResponse:
    """Parse one SIP message; leading CRLF keep-alives are skipped, extra body bytes dropped."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise SipParseError("message too large")
    data = bytes(data).lstrip(b"\r\n")
    if not data:
        raise SipParseError("empty message")
    end = _HEAD_END.search(data)
    if end is None:
        raise SipParseError("missing end of headers")
    try:
        text = data[: end.start()].decode("utf-8")
    except UnicodeDecodeError:
        raise SipParseError("bad encoding") from None
    start_line, _, head = text.partition("\n")
    start_line = start_line.removesuffix("\r")
    _check_start_line(start_line)
    headers = _parse_head(head)
    rest = data[end.end() :]
    length = _content_length(headers)
    if length is None:
        body = rest
    elif length > MAX_BODY_BYTES:
        raise SipParseError("body too large")
    elif len(rest) < length:
        raise SipParseError("body shorter than Content-Length")
    else:
        body = rest[:length]
    if len(body) > MAX_BODY_BYTES:
        raise SipParseError("body too large")
    msg = _build(start_line, headers, body)
    _validate(msg)
    return msg


def frame_length(buffer: bytes) -> int | None:
    """Bytes taken by the first message of a stream buffer (leading CRLFs included), or None
    when more data is needed; stream transports require Content-Length (§18.3)."""
    skipped = len(buffer) - len(buffer.lstrip(b"\r\n"))
    end = _HEAD_END.search(buffer, skipped)
    if end is None:
        if len(buffer) - skipped > MAX_MESSAGE_BYTES:
            raise SipParseError("message too large")
        return None
    match = _CL_RE.search(buffer, skipped, end.start() + 2)
    if match is None:
        raise SipParseError("missing header: Content-Length")
    if len(match.group(1)) > 10 or int(match.group(1)) > MAX_BODY_BYTES:
        raise SipParseError("body too large")
    total = end.end() + int(match.group(1))
    if total - skipped > MAX_MESSAGE_BYTES:
        raise SipParseError("message too large")
    return total if len(buffer) >= total else None


def make_response(
    request: SipRequest,
    status: int,
    reason: str | None = None,
    *,
    to_tag: str | None = None,
    body: bytes = b"",
    content_type: str | None = None,
    extra_headers: list[tuple[str, str]] | None = None,
) -> SipResponse:
    """Build a response per §8.2.6: Via, From, To (+ tag), Call-ID, CSeq copied from the request;
    Record-Route too for 101-299 so dialog-creating responses carry the route set (§12.1.1)."""
    headers = Headers()
    for line in request.headers.get_lines("Via"):
        headers.add("Via", line)
    for name in ("From", "To", "Call-ID", "CSeq"):
        value = request.headers.get(name)
        if value is None:
            raise SipParseError(f"missing header: {name}")
        if name == "To" and to_tag is not None and NameAddr.parse(value).tag is None:
            value = f"{value};tag={to_tag}"
        headers.add(name, value)
    if 101 <= status <= 299:
        for line in request.headers.get_lines("Record-Route"):
            headers.add("Record-Route", line)
    for name, value in extra_headers or ():
        headers.add(name, value)
    if content_type is not None:
        headers.set("Content-Type", content_type)
    headers.set("Content-Length", str(len(body)))
    return SipResponse(status, reason or REASONS.get(status, "Unknown"), headers, body)


def new_branch() -> str:
    """A fresh RFC 3261 branch (magic cookie + random token)."""
    return "z9hG4bK" + secrets.token_hex(10)


def new_tag() -> str:
    """A fresh From/To tag (§19.3: at least 32 bits of randomness)."""
    return secrets.token_hex(6)


def new_call_id() -> str:
    """A fresh globally unique Call-ID."""
    return secrets.token_hex(16)
