"""Settings of the engine and of one account (one account per profile)."""

from __future__ import annotations

from dataclasses import dataclass

from sip.types import TransportName

__all__ = ["AccountSettings", "EngineConfig"]

_CODEC_RATES = (8000, 16000, 32000, 48000)


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Endpoint-wide settings: where SIP and RTP bind, clocking and log level."""

    bound_address: str = "0.0.0.0"
    sip_port: int = 0
    rtp_port: int = 0
    max_calls: int = 8
    clock_rate: int = 16000
    frame_ms: int = 10
    idle_poll_ms: int = 1000
    busy_poll_ms: int = 10
    log_level: int = 1
    user_agent: str = "AcmePhone"

    def __post_init__(self) -> None:
        if not 0 <= self.sip_port <= 65535:
            raise ValueError("sip_port must be within 0..65535")
        if not 0 <= self.rtp_port <= 65535:
            raise ValueError("rtp_port must be within 0..65535")
        if self.max_calls < 1:
            raise ValueError("max_calls must be at least 1")
        if self.clock_rate not in _CODEC_RATES:
            raise ValueError("clock_rate must be one of 8000, 16000, 32000, 48000")
        if self.frame_ms not in (10, 20):
            raise ValueError("frame_ms must be 10 or 20")
        if not 1 <= self.busy_poll_ms <= self.idle_poll_ms <= 1000:
            raise ValueError("poll intervals must satisfy 1 <= busy <= idle <= 1000 ms")


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """One SIP account: registrar, credentials and the transport to reach it."""

    user: str
    server: str
    port: int = 5060
    transport: TransportName = "udp"
    password: str = ""
    realm: str = "*"
    display_name: str = ""
    register: bool = True
    expires: int = 300

    def __post_init__(self) -> None:
        if not self.user or any(c in self.user for c in ' <>@:;"'):
            raise ValueError("user must be a non-empty SIP user part")
        if not self.server or any(c in self.server for c in ' <>@;"/'):
            raise ValueError("server must be a host name or address")
        if not 1 <= self.port <= 65535:
            raise ValueError("port must be within 1..65535")
        if self.transport not in ("udp", "tcp", "tls"):
            raise ValueError("transport must be 'udp', 'tcp' or 'tls'")
        if not 60 <= self.expires <= 86400:
            raise ValueError("expires must be within 60..86400 seconds")
        if '"' in self.display_name:
            raise ValueError("display_name must not contain quotes")

    @property
    def aor(self) -> str:
        """The address of record, ``sip:user@server``."""
        return f"sip:{self.user}@{self.server}"

    def uri_for(self, number: str) -> str:
        """The request URI for a dialled extension or number, routed via this registrar."""
        host = f"[{self.server}]" if ":" in self.server else self.server
        return f"sip:{number}@{host}:{self.port}{self._tail}"

    @property
    def server_uri(self) -> str:
        """The registrar URI, with ``;transport=tcp`` or ``tls`` when chosen."""
        host = f"[{self.server}]" if ":" in self.server else self.server
        return f"sip:{host}:{self.port}{self._tail}"

    @property
    def _tail(self) -> str:
        return "" if self.transport == "udp" else f";transport={self.transport}"
