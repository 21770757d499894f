"""SDP session descriptions (RFC 8866, formerly RFC 4566) for audio offer/answer.

Strict and bounded: a description longer than 16384 bytes, with more than 1024 lines, 16 media
or 64 formats per media, or with a malformed line raises ValueError with an exact text.
Parsing keeps everything a round trip needs; ``parse(str(d)) == d`` for every parsed ``d``.
The media direction (RFC 3264 §5.1) is resolved while parsing: a media section without one
inherits the session-level attribute, else "sendrecv".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "DIRECTIONS",
    "STATIC_RTPMAPS",
    "MediaDescription",
    "Origin",
    "RtpMap",
    "SessionDescription",
]

DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")
MAX_LENGTH = 16384
MAX_LINES = 1024
MAX_MEDIA = 16
MAX_FORMATS = 64

_LINE = re.compile(r"^([a-z])=(.*)$")
_TOKEN = re.compile(r"^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$")
_PROTO = re.compile(r"^[A-Za-z][0-9A-Za-z/._\-]*$")
_ADDRESS = re.compile(r"^[0-9A-Za-z.:\-\[\]%]+$")
_SESSION_ORDER = "vosiuepcbtrzkam"  # RFC 8866 §5 field order
_MEDIA_ORDER = "micbka"


@dataclass(frozen=True, slots=True)
class RtpMap:
    """An ``a=rtpmap`` value: encoding name, clock rate and channels (RFC 8866 §6.6)."""

    encoding_name: str
    clock_rate: int
    channels: int = 1

    @classmethod
    def parse(cls, value: str) -> RtpMap:
        parts = value.split("/")
        if len(parts) not in (2, 3) or not _TOKEN.match(parts[0]):
            raise ValueError("SDP rtpmap is malformed")
        try:
            clock_rate = int(parts[1])
            channels = int(parts[2]) if len(parts) == 3 else 1
        except ValueError:
            raise ValueError("SDP rtpmap is malformed") from None
        if clock_rate <= 0 or channels <= 0:
            raise ValueError("SDP rtpmap is malformed")
        return cls(parts[0], clock_rate, channels)

    def __str__(self) -> str:
        base = f"{self.encoding_name}/{self.clock_rate}"
        return base if self.channels == 1 else f"{base}/{self.channels}"


#: Audio payload types RFC 3551 §6 assigns, known without an rtpmap (G.722's RTP clock is 8000).
STATIC_RTPMAPS: dict[int, RtpMap] = {
    0: RtpMap("PCMU", 8000),
    3: RtpMap("GSM", 8000),
    4: RtpMap("G723", 8000),
    8: RtpMap("PCMA", 8000),
    9: RtpMap("G722", 8000),
    18: RtpMap("G729", 8000),
}


@dataclass(slots=True)
class Origin:
    """The ``o=`` line: who made the description and its version (RFC 8866 §5.2)."""

    username: str = "-"
    session_id: int = 0
    session_version: int = 0
    address: str = "0.0.0.0"
    net_type: str = "IN"
    address_type: str = "IP4"

    @classmethod
    def parse(cls, value: str) -> Origin:
        parts = value.split(" ")
        if len(parts) != 6 or not parts[1].isdigit() or not parts[2].isdigit():
            raise ValueError("SDP origin is malformed")
        if not _ADDRESS.match(parts[5]):
            raise ValueError("SDP origin is malformed")
        return cls(parts[0], int(parts[1]), int(parts[2]), parts[5], parts[3], parts[4])

    def __str__(self) -> str:
        return (
            f"{self.username} {self.session_id} {self.session_version} "
            f"{self.net_type} {self.address_type} {self.address}"
        )


def _parse_connection(value: str) -> str:
    parts = value.split(" ")
    if len(parts) != 3 or parts[0] != "IN" or parts[1] not in ("IP4", "IP6"):
        raise ValueError("SDP connection is malformed")
    address = parts[2].split("/")[0]  # a multicast TTL or count is not used for unicast audio
    if not _ADDRESS.match(address):
        raise ValueError("SDP connection is malformed")
    return address


def _connection_line(address: str) -> str:
    return f"c=IN {'IP6' if ':' in address else 'IP4'} {address}"


def _parse_attribute(value: str) -> tuple[str, str | None]:
    name, sep, rest = value.partition(":")
    if not _TOKEN.match(name):
        raise ValueError("SDP attribute is malformed")
    return name, rest if sep else None


def _attribute_line(name: str, value: str | None) -> str:
    return f"a={name}" if value is None else f"a={name}:{value}"


def _by_order(lines: list[tuple[str, str]], order: str) -> list[tuple[str, str]]:
    return sorted(lines, key=lambda line: order.index(line[0]))


@dataclass(slots=True)
class MediaDescription:
    """One ``m=`` section with its rtpmap/fmtp/ptime/direction attributes pulled out."""

    kind: str = "audio"
    port: int = 0
    proto: str = "RTP/AVP"
    formats: list[int] = field(default_factory=list)
    rtpmap: dict[int, RtpMap] = field(default_factory=dict)
    fmtp: dict[int, str] = field(default_factory=dict)
    direction: str = "sendrecv"
    connection: str | None = None
    ptime: int | None = None
    attributes: list[tuple[str, str | None]] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)  # i=, b=, k= kept verbatim
    other_formats: list[str] = field(default_factory=list)  # non-RTP protos (udptl t38)

    def codec(self, payload_type: int) -> RtpMap | None:
        """What ``payload_type`` means here: its rtpmap, else the static assignment."""
        return self.rtpmap.get(payload_type) or STATIC_RTPMAPS.get(payload_type)

    @classmethod
    def _parse_m_line(cls, value: str) -> MediaDescription:
        parts = value.split(" ")
        if len(parts) < 3 or not _TOKEN.match(parts[0]) or not _PROTO.match(parts[2]):
            raise ValueError("SDP media line is malformed")
        if not parts[1].isdigit() or int(parts[1]) > 65535:
            raise ValueError("SDP media port is invalid")
        if len(parts) - 3 > MAX_FORMATS:
            raise ValueError(f"SDP media has more than {MAX_FORMATS} formats")
        media = cls(kind=parts[0], port=int(parts[1]), proto=parts[2])
        if "RTP" in media.proto:
            for token in parts[3:]:
                if not token.isdigit() or int(token) > 127:
                    raise ValueError("SDP media format is invalid")
                media.formats.append(int(token))
        else:
            media.other_formats = parts[3:]
        return media

    def _add_attribute(self, name: str, value: str | None) -> None:
        if name in DIRECTIONS and value is None:
            self.direction = name
        elif name == "rtpmap":
            pt, _, rest = (value or "").partition(" ")
            if not pt.isdigit() or int(pt) > 127:
                raise ValueError("SDP rtpmap is malformed")
            self.rtpmap[int(pt)] = RtpMap.parse(rest)
        elif name == "fmtp":
            pt, _, rest = (value or "").partition(" ")
            if not pt.isdigit() or int(pt) > 127:
                raise ValueError("SDP fmtp is malformed")
            self.fmtp[int(pt)] = rest
        elif name == "ptime":
            if value is None or not value.isdigit() or not 0 < int(value) <= 1000:
                raise ValueError("SDP ptime is invalid")
            self.ptime = int(value)
        else:
            self.attributes.append((name, value))

    def to_lines(self) -> list[str]:
        formats = [str(f) for f in self.formats] + self.other_formats
        out = [" ".join([f"m={self.kind}", str(self.port), self.proto, *formats])]
        extras = _by_order(self.lines, _MEDIA_ORDER)
        out += [f"{k}={v}" for k, v in extras if k == "i"]
        if self.connection is not None:
            out.append(_connection_line(self.connection))
        out += [f"{k}={v}" for k, v in extras if k != "i"]
        for pt in self.formats:
            if pt in self.rtpmap:
                out.append(f"a=rtpmap:{pt} {self.rtpmap[pt]}")
            if pt in self.fmtp:
                out.append(f"a=fmtp:{pt} {self.fmtp[pt]}")
        if self.ptime is not None:
            out.append(f"a=ptime:{self.ptime}")
        out += [_attribute_line(name, value) for name, value in self.attributes]
        out.append(f"a={self.direction}")
        return out


@dataclass(slots=True)
class SessionDescription:
    """A whole SDP body; serialise with ``str()`` or ``bytes()`` (CRLF line ends)."""

    origin: Origin = field(default_factory=Origin)
    session_name: str = "-"
    connection: str | None = None
    timing: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)])
    direction: str | None = None  # session-level attribute, if any
    attributes: list[tuple[str, str | None]] = field(default_factory=list)
    media: list[MediaDescription] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)  # i u e p b r z k kept verbatim
    version: int = 0

    def connection_for(self, media: MediaDescription) -> str | None:
        """The address a media stream is sent to: its own c=, else the session's."""
        return media.connection if media.connection is not None else self.connection

    @classmethod
    def parse(cls, data: bytes | str) -> SessionDescription:
        if len(data) > MAX_LENGTH:
            raise ValueError(f"SDP is longer than {MAX_LENGTH} bytes")
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError("SDP is not valid UTF-8") from None
        raw_lines = data.replace("\r\n", "\n").split("\n")
        while raw_lines and raw_lines[-1] == "":
            raw_lines.pop()
        if len(raw_lines) > MAX_LINES:
            raise ValueError(f"SDP has more than {MAX_LINES} lines")
        if not raw_lines or raw_lines[0] != "v=0":
            raise ValueError("SDP must start with v=0")
        session = cls(timing=[])
        seen: set[str] = set()
        media: MediaDescription | None = None
        explicit: set[int] = set()  # media sections with their own direction attribute
        for raw in raw_lines[1:]:
            match = _LINE.match(raw)
            if match is None:
                raise ValueError("SDP line is malformed")
            kind, value = match.group(1), match.group(2)
            if kind == "m":
                if len(session.media) == MAX_MEDIA:
                    raise ValueError(f"SDP has more than {MAX_MEDIA} media")
                media = MediaDescription._parse_m_line(value)
                session.media.append(media)
            elif media is not None:
                if kind == "c":
                    media.connection = _parse_connection(value)
                elif kind == "a":
                    name, attr_value = _parse_attribute(value)
                    if name in DIRECTIONS and attr_value is None:
                        explicit.add(len(session.media) - 1)
                    media._add_attribute(name, attr_value)
                elif kind in "ibk":
                    media.lines.append((kind, value))
                else:
                    raise ValueError(f"SDP line {kind}= is not allowed in a media section")
            else:
                session._add_line(kind, value, seen)
        if "o" not in seen:
            raise ValueError("SDP has no o= line")
        if "s" not in seen:
            raise ValueError("SDP has no s= line")
        if not session.timing:
            session.timing = [(0, 0)]
        for index, m in enumerate(session.media):
            if index not in explicit and session.direction is not None:
                m.direction = session.direction
        return session

    def _add_line(self, kind: str, value: str, seen: set[str]) -> None:
        if kind in "vosc" and kind in seen:
            raise ValueError(f"SDP has more than one {kind}= line")
        seen.add(kind)
        if kind == "v":
            raise ValueError("SDP has more than one v= line")
        if kind == "o":
            self.origin = Origin.parse(value)
        elif kind == "s":
            self.session_name = value
        elif kind == "c":
            self.connection = _parse_connection(value)
        elif kind == "t":
            parts = value.split(" ")
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                raise ValueError("SDP timing is malformed")
            self.timing.append((int(parts[0]), int(parts[1])))
        elif kind == "a":
            name, attr_value = _parse_attribute(value)
            if name in DIRECTIONS and attr_value is None:
                self.direction = name
            else:
                self.attributes.append((name, attr_value))
        elif kind in "iuepbrzk":
            self.lines.append((kind, value))
        else:
            raise ValueError(f"SDP line {kind}= is unknown")

    def __str__(self) -> str:
        extras = _by_order(self.lines, _SESSION_ORDER)
        out = [f"v={self.version}", f"o={self.origin}", f"s={self.session_name}"]
        out += [f"{k}={v}" for k, v in extras if k in "iuep"]
        if self.connection is not None:
            out.append(_connection_line(self.connection))
        out += [f"{k}={v}" for k, v in extras if k == "b"]
        out += [f"t={start} {stop}" for start, stop in self.timing]
        out += [f"{k}={v}" for k, v in extras if k in "rzk"]
        if self.direction is not None:
            out.append(f"a={self.direction}")
        out += [_attribute_line(name, value) for name, value in self.attributes]
        for media in self.media:
            out += media.to_lines()
        return "\r\n".join(out) + "\r\n"

    def __bytes__(self) -> bytes:
        return str(self).encode("utf-8")
