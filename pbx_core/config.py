"""Settings of one PBX instance."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PbxConfig"]


def _host_address() -> str:
    """This host's address for a server bound to all interfaces (no packet is sent)."""
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


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
    transfer_ring_seconds: float = 30.0  # a transfer target rings this long before the recall
    park_recall_seconds: float = 180.0  # a parked call rings the one who parked it after this
    prompt_language: str = "en"  # "en" or "nl": announcements to callers
    tone_country: str = "NL"  # ringback, busy and congestion tones (NL, DK, CZ, US)
    # voicemail (docs/voicemail.md)
    voicemail_enabled: bool = True  # unanswered, busy and unregistered calls go to voicemail
    voicemail_delay_seconds: float = 20.0  # ringing this long goes to voicemail
    voicemail_max_seconds: float = 120.0  # the longest message
    voicemail_retention_days: float = 30.0  # heard messages are deleted after this
    voicemail_max_inbox_mb: float = 50.0  # a full mailbox takes no new messages
    smtp_host: str | None = None  # e-mail a new message (with the audio) through this server
    smtp_port: int = 25
    smtp_sender: str = "voicemail@acme.local"

    @property
    def media_host(self) -> str:
        """The address phones reach us at: advertised, else bound, else this host's own."""
        host = self.advertised_host or self.bind
        return _host_address() if host in ("0.0.0.0", "") else host

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_dir / 'pbx.sqlite3'}"
