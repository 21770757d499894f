"""Settings of one PBX instance."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Limits", "PbxConfig"]


def _host_address() -> str:
    """This host's address for a server bound to all interfaces (no packet is sent)."""
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


# Phones known to answer a SHA-256 digest challenge, matched in their User-Agent: this
# product's app and other pjsip (pjsua) phones, Linphone and other belle-sip phones.
DIGEST_SHA256_AGENTS = ("AcmePhone", "PJSUA", "pjsip", "Linphone", "belle-sip")


@dataclass(frozen=True, slots=True)
class Limits:
    """What one client may take of the PBX; every value is a server option (docs/server.md,
    "Security")."""

    auth_max_failures: int = 10  # SIP digest failures per extension or source before a block
    auth_window_seconds: float = 60.0  # failures count within this sliding window
    auth_block_seconds: float = 60.0  # a block lifts by itself after this
    api_max_failures: int = 5  # API sign-in failures per user name or source before a block
    api_block_seconds: float = 60.0
    login_concurrency: int = 1  # password hashes computed at once (argon2 is CPU-heavy)
    calls_per_user: int = 8  # concurrent calls one extension may place
    calls_per_source: int = 16  # concurrent calls placed from one source address
    bindings_per_extension: int = 10  # registered phones per extension; the oldest goes
    sip_tcp_idle_seconds: float = 3900.0  # a silent SIP/TCP connection is closed (> 3600 s)
    sip_tcp_header_seconds: float = 10.0  # a started SIP/TCP message must end within this
    sip_tcp_per_source: int = 64  # SIP/TCP connections from one source address
    http_idle_seconds: float = 30.0  # an HTTP connection idle this long is closed
    http_header_seconds: float = 10.0  # a started HTTP request head must arrive within this
    http_per_source: int = 64  # HTTP connections from one source address
    http_max_body: int = 256 * 1024  # bytes of one HTTP request body (413 beyond)
    event_sockets_per_user: int = 16  # signed-in event WebSockets of one user (1008 beyond)


@dataclass(slots=True)
class PbxConfig:
    """Where the PBX keeps its data and which addresses and ports it uses (0 = any free port)."""

    data_dir: Path
    bind: str = "127.0.0.1"
    sip_port: int = 5060
    rtp_port_min: int = 20000
    rtp_port_max: int = 20999
    realm: str = "acme.local"
    advertised_host: str | None = None  # address put in SDP and Contact; defaults to ``bind``
    digest_algorithms: tuple[str, ...] = ("MD5", "SHA-256")  # challenge order (RFC 8760)
    # SHA-256 is offered only to phones whose User-Agent holds one of these ("*": to every
    # phone); others get MD5 alone, which old phones need (docs/pbx.md, "Digest challenges")
    digest_sha256_agents: tuple[str, ...] = DIGEST_SHA256_AGENTS
    transfer_ring_seconds: float = 30.0  # a transfer target rings this long before the recall
    park_recall_seconds: float = 180.0  # a parked call rings the one who parked it after this
    # an OPTIONS to each phone registered over UDP this often keeps its NAT mapping open; three
    # unanswered in a row remove its binding (pbx_core/signaling/keepalive.py); 0: off
    udp_keepalive_seconds: float = 30.0
    # a node of a cluster on one PostgreSQL re-reads users, credentials and bindings this often
    # (docs/scale-out.md); 0: a single node, whose memory is the truth
    cluster_sync_seconds: float = 0.0
    prompt_language: str = "en"  # "en" or "nl": announcements to callers
    tone_country: str = "NL"  # ringback, busy and congestion tones (NL, DK, CZ, US)
    limits: Limits = field(default_factory=Limits)  # what one client may take (security)
    # voicemail (docs/voicemail.md)
    voicemail_enabled: bool = True  # unanswered, busy and unregistered calls go to voicemail
    voicemail_delay_seconds: float = 20.0  # ringing this long goes to voicemail
    voicemail_max_seconds: float = 120.0  # the longest message
    voicemail_retention_days: float = 30.0  # heard messages are deleted after this
    voicemail_max_inbox_mb: float = 50.0  # a full mailbox takes no new messages
    smtp_host: str | None = None  # e-mail a new message (with the audio) through this server
    smtp_port: int = 25
    smtp_sender: str = "voicemail@acme.local"
    # TLS and SRTP (docs/server.md, "TLS and SRTP")
    sip_tls_port: int | None = None  # None: the SIP port + 1 (5061), else a free one; 0: off
    sip_ws_port: int | None = None  # SIP over WebSocket (RFC 7118); None: off, 0: a free port
    tls_cert: Path | None = None  # PEM certificate (chain); none: self-signed in data_dir/tls
    tls_key: Path | None = None
    srtp: str = "optional"  # "off", "optional" or "mandatory"
    # the store: None is SQLite (WAL) in data_dir; else a URL, postgresql://USER@HOST/NAME
    database: str | None = None

    @property
    def media_host(self) -> str:
        """The address phones reach us at: advertised, else bound, else this host's own."""
        host = self.advertised_host or self.bind
        return _host_address() if host in ("0.0.0.0", "") else host

    @property
    def database_url(self) -> str:
        """``database`` when given (PostgreSQL for an office server), else SQLite in data_dir."""
        return self.database or f"sqlite:///{self.data_dir / 'pbx.sqlite3'}"
