"""The server's settings as the command line gives them; read by :mod:`server.runner`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_BIND",
    "DEFAULT_HTTP_PORT",
    "DEFAULT_RTP_MAX",
    "DEFAULT_RTP_MIN",
    "DEFAULT_SIP_PORT",
    "Options",
]

DEFAULT_BIND = "127.0.0.1"
DEFAULT_SIP_PORT = 5060
DEFAULT_HTTP_PORT = 8080
DEFAULT_RTP_MIN = 20000
DEFAULT_RTP_MAX = 20999


@dataclass(frozen=True, slots=True)
class Options:
    """Where the server keeps its data, what it binds and how it logs."""

    data_dir: Path
    bind: str
    sip_port: int
    http_port: int
    demo: bool
    log_level: str
    rtp_ports: tuple[int, int] = (DEFAULT_RTP_MIN, DEFAULT_RTP_MAX)
    advertise: str | None = None
    digest: tuple[str, ...] = ("MD5", "SHA-256")
    public_entries: tuple[str, ...] = ()  # reached without credentials (docs/server.md)
    transfer_ring_seconds: float = 30.0
    park_recall_seconds: float = 180.0
    udp_keepalive_seconds: float = 30.0
    cluster_sync_seconds: float = 0.0  # docs/scale-out.md; 0: a single node
    prompt_language: str = "en"
    tone_country: str = "NL"
    priority: str = "normal"  # "high": raise the scheduling priority (server/priority.py)
    voicemail: bool = True  # docs/voicemail.md
    voicemail_delay_seconds: float = 20.0
    voicemail_max_seconds: float = 120.0
    voicemail_retention_days: float = 30.0
    voicemail_max_inbox_mb: float = 50.0
    smtp: tuple[str, int] | None = None
    smtp_sender: str = "voicemail@acme.local"
    sip_tls_port: int | None = None  # None: the SIP port + 1 (5061), else a free one; 0: off
    tls_cert: Path | None = None
    tls_key: Path | None = None
    sip_ws_port: int | None = None  # SIP over WebSocket (RFC 7118); None: off
    https: bool = False  # the API and the event stream over TLS, with the SIP/TLS certificate
    srtp: str = "optional"  # "off", "optional", "mandatory"
    database: str | None = None  # None: SQLite in the data dir; else postgresql://USER@HOST/NAME
    event_buffer: int = 5000  # recent events kept for clients that reconnect (server/event_log.py)
