"""Command line of the PBX server: ``python -m server --data-dir DIR [options]``.

Defaults: bind 127.0.0.1 (the embedded desktop case; use 0.0.0.0 for an office server), SIP on
5060 (UDP and TCP), HTTP on 8080. Port 0 picks a free port; the ready line tells which. Exit
codes: 0 clean stop, 1 start-up failure (message on stderr), 2 bad command line.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from pbx_core.config import Limits
from pbx_core.store import database_url
from server.backup_cli import is_backup_command
from server.backup_cli import main as backup_main
from server.limit_options import add_limit_options, limits_from
from server.logs import configure_logging
from server.options import (
    DEFAULT_BIND,
    DEFAULT_HTTP_PORT,
    DEFAULT_RTP_MAX,
    DEFAULT_RTP_MIN,
    DEFAULT_SIP_PORT,
    Options,
)
from server.priority import raise_priority
from server.runinfo import AlreadyRunningError, InstanceLock
from server.runner import StartupError, run

__all__ = ["main", "parse_args", "parse_command_line"]

_log = logging.getLogger("server")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0..65535: {value}")
    return value


def _port_range(text: str) -> tuple[int, int]:
    low, sep, high = text.partition("-")
    try:
        first, last = int(low), int(high)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port range MIN-MAX: {text!r}") from None
    if not sep or not 1024 <= first < last <= 65535 or last - first < 3:
        raise argparse.ArgumentTypeError(f"port range must be MIN-MAX within 1024-65535: {text}")
    return first, last


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0.5 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"seconds must be between 0.5 and 86400: {text!r}")
    return value


def _event_buffer(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1000000: {text!r}")
    return value


def _seconds_or_off(text: str) -> float:
    return 0.0 if text.strip() in ("0", "0.0") else _seconds(text)


def _digest(text: str) -> tuple[str, ...]:
    algorithms = tuple(part.strip().upper() for part in text.split(",") if part.strip())
    if not algorithms or any(a not in ("MD5", "SHA-256") for a in algorithms):
        raise argparse.ArgumentTypeError(f"digest algorithms are MD5 and/or SHA-256: {text!r}")
    return algorithms


def _numbers(text: str) -> tuple[str, ...]:
    numbers = tuple(part.strip() for part in text.split(",") if part.strip())
    if not numbers or not all(n.isdigit() and len(n) <= 32 for n in numbers):
        raise argparse.ArgumentTypeError(f"numbers (digits), separated by commas: {text!r}")
    return numbers


def _database(text: str) -> str:
    try:
        url = database_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if url.get_backend_name() != "postgresql":
        raise argparse.ArgumentTypeError("SQLite is the default (in the data dir): leave it out")
    return url.render_as_string(hide_password=False)


def parse_args(argv: list[str] | None = None) -> Options:
    return parse_command_line(argv)[0]


def parse_command_line(argv: list[str] | None = None) -> tuple[Options, Limits]:
    """The options of the command line and its security limits."""
    parser = argparse.ArgumentParser(
        prog="python -m server", description="Run the PBX: SIP, media and the HTTP/WebSocket API."
    )
    parser.add_argument("--data-dir", required=True, type=Path, help="database, logs, server.json")
    parser.add_argument("--bind", default=DEFAULT_BIND, help=f"address (default {DEFAULT_BIND})")
    parser.add_argument(
        "--sip-port", type=_port, default=DEFAULT_SIP_PORT, help="SIP UDP+TCP port, 0 = free port"
    )
    parser.add_argument(
        "--http-port", type=_port, default=DEFAULT_HTTP_PORT, help="HTTP API port, 0 = free port"
    )
    parser.add_argument("--demo", action="store_true", help="load the demo organisation if empty")
    parser.add_argument(
        "--database",
        type=_database,
        default=None,
        metavar="URL",
        help="PostgreSQL for an office server: postgresql://USER@HOST[:PORT]/NAME (password "
        "from PGPASSWORD or ~/.pgpass); default SQLite in the data dir",
    )
    parser.add_argument(
        "--cluster-sync",
        type=_seconds_or_off,
        default=0.0,
        metavar="S",
        help="a node of a cluster on one --database (Kamailio in front, docs/scale-out.md): "
        "read the other nodes' registrations and users every S seconds; 0: one node (default)",
    )
    parser.add_argument(
        "--rtp-ports",
        type=_port_range,
        default=(DEFAULT_RTP_MIN, DEFAULT_RTP_MAX),
        metavar="MIN-MAX",
        help=f"RTP port range (default {DEFAULT_RTP_MIN}-{DEFAULT_RTP_MAX})",
    )
    parser.add_argument(
        "--advertise",
        default=None,
        metavar="ADDR",
        help="address phones reach the PBX at, put in SDP and Contact (default: --bind, or "
        "this host's address when binding 0.0.0.0)",
    )
    parser.add_argument(
        "--sip-digest",
        type=_digest,
        default=("MD5", "SHA-256"),
        metavar="ALGS",
        help="digest challenges in order of preference (default MD5,SHA-256: phones that read "
        "only the first challenge know MD5)",
    )
    parser.add_argument(
        "--public-entry",
        type=_numbers,
        default=(),
        metavar="NUMBERS",
        help="numbers callers without a password may reach (calls from outside, e.g. the "
        "reception, comma separated); every other number needs the caller's password "
        "(default: none)",
    )
    parser.add_argument(
        "--transfer-ring-seconds",
        type=_seconds,
        default=30.0,
        metavar="S",
        help="how long a transfer target rings before the transferor is rung again (default 30)",
    )
    parser.add_argument(
        "--park-recall-seconds",
        type=_seconds,
        default=180.0,
        metavar="S",
        help="how long a call stays parked before it rings the one who parked it (default 180)",
    )
    parser.add_argument(
        "--event-buffer",
        type=_event_buffer,
        default=5000,
        metavar="N",
        help="events kept for clients that reconnect (they get what they missed; "
        "older: resync) (default 5000)",
    )
    parser.add_argument(
        "--sip-udp-keepalive",
        type=_seconds_or_off,
        default=30.0,
        metavar="S",
        help="ping phones registered over UDP every S seconds (NAT keep-alive; three unanswered "
        "pings remove the registration); 0 switches it off (default 30)",
    )
    parser.add_argument(
        "--prompt-language",
        choices=["en", "nl"],
        default="en",
        help="language of the announcements callers hear (default en)",
    )
    parser.add_argument(
        "--tone-country",
        choices=["NL", "DK", "CZ", "US"],
        default="NL",
        help="ringback, busy and congestion tones of this country (default NL)",
    )
    parser.add_argument(
        "--priority",
        choices=["normal", "high"],
        default="normal",
        help="high: run before other programs when the machine is busy, so media keeps its "
        "timing (needs root or CAP_SYS_NICE; default normal)",
    )
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    add_limit_options(parser)
    _voicemail_arguments(parser)
    _security_arguments(parser)
    ns = parser.parse_args(argv)
    if (ns.tls_cert is None) != (ns.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    if ns.cluster_sync and ns.database is None:
        parser.error("--cluster-sync needs a shared --database")
    options = Options(
        data_dir=ns.data_dir.expanduser().resolve(),
        bind=ns.bind,
        sip_port=ns.sip_port,
        http_port=ns.http_port,
        demo=ns.demo,
        log_level=ns.log_level,
        rtp_ports=ns.rtp_ports,
        advertise=ns.advertise,
        digest=ns.sip_digest,
        public_entries=ns.public_entry,
        transfer_ring_seconds=ns.transfer_ring_seconds,
        park_recall_seconds=ns.park_recall_seconds,
        udp_keepalive_seconds=ns.sip_udp_keepalive,
        cluster_sync_seconds=ns.cluster_sync,
        event_buffer=ns.event_buffer,
        prompt_language=ns.prompt_language,
        tone_country=ns.tone_country,
        priority=ns.priority,
        voicemail=not ns.no_voicemail,
        voicemail_delay_seconds=ns.voicemail_delay_seconds,
        voicemail_max_seconds=ns.voicemail_max_seconds,
        voicemail_retention_days=ns.voicemail_retention_days,
        voicemail_max_inbox_mb=ns.voicemail_max_inbox_mb,
        smtp=ns.smtp,
        smtp_sender=ns.smtp_sender,
        sip_tls_port=ns.sip_tls_port,
        tls_cert=ns.tls_cert.expanduser().resolve() if ns.tls_cert else None,
        tls_key=ns.tls_key.expanduser().resolve() if ns.tls_key else None,
        https=ns.https,
        sip_ws_port=ns.sip_ws_port,
        srtp=ns.srtp,
        database=ns.database,
    )
    return options, limits_from(ns)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"must be above 0: {text!r}")
    return value


def _host_port(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"not HOST:PORT: {text!r}")
    return host, int(port)


def _voicemail_arguments(parser: argparse.ArgumentParser) -> None:
    """Voicemail (docs/voicemail.md)."""
    group = parser.add_argument_group("voicemail")
    group.add_argument(
        "--no-voicemail", action="store_true", help="calls nobody answers end as before (480/486)"
    )
    group.add_argument(
        "--voicemail-delay-seconds",
        type=_seconds,
        default=20.0,
        metavar="S",
        help="an unanswered call goes to voicemail after ringing this long (default 20)",
    )
    group.add_argument(
        "--voicemail-max-seconds",
        type=_seconds,
        default=120.0,
        metavar="S",
        help="the longest message (default 120)",
    )
    group.add_argument(
        "--voicemail-retention-days",
        type=_positive,
        default=30.0,
        metavar="D",
        help="heard messages are deleted after this many days (default 30)",
    )
    group.add_argument(
        "--voicemail-max-inbox-mb",
        type=_positive,
        default=50.0,
        metavar="MB",
        help="a mailbox this full takes no new messages (default 50)",
    )
    group.add_argument(
        "--smtp",
        type=_host_port,
        default=None,
        metavar="HOST:PORT",
        help="e-mail each new message, with its audio, through this SMTP server",
    )
    group.add_argument(
        "--smtp-sender",
        default="voicemail@acme.local",
        metavar="ADDR",
        help="the From address of those e-mails",
    )


def _security_arguments(parser: argparse.ArgumentParser) -> None:
    """SIP over TLS and SRTP (docs/server.md, "TLS and SRTP")."""
    group = parser.add_argument_group("TLS and SRTP")
    group.add_argument(
        "--sip-tls-port",
        type=_port,
        default=None,
        metavar="PORT",
        help="SIP over TLS port, 0 = off (default: the SIP port + 1, so 5061, or a free port "
        "when that one is taken or --sip-port is 0)",
    )
    group.add_argument(
        "--tls-cert",
        type=Path,
        default=None,
        metavar="FILE",
        help="PEM certificate (chain) of the SIP/TLS listener and of --https (default: a "
        "self-signed one made once in the data dir)",
    )
    group.add_argument(
        "--tls-key", type=Path, default=None, metavar="FILE", help="PEM private key of --tls-cert"
    )
    group.add_argument(
        "--sip-ws-port",
        type=_port,
        default=None,
        metavar="PORT",
        help="SIP over WebSocket (RFC 7118) for browser phones on PORT (0 = a free port); "
        "off by default",
    )
    group.add_argument(
        "--https",
        action="store_true",
        help="serve the API and the event stream over TLS (https://, wss://) with the same "
        "certificate (--tls-cert, or the self-signed one); the ready line and server.json "
        "name it, so a client can pin it",
    )
    group.add_argument(
        "--srtp",
        choices=["off", "optional", "mandatory"],
        default="optional",
        help="SRTP with SDES keys, over TLS only: optional (default) answers and offers it on "
        "TLS legs, mandatory refuses calls without it (488), off never uses it",
    )


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it exists (Linux, macOS): the media relay spends ~20 % less CPU per
    packet and keeps its added jitter lower (docs/benchmarks.md, "Media relay"); the standard
    loop elsewhere (Windows) or with ``ACME_PBX_LOOP=asyncio``."""
    if os.environ.get("ACME_PBX_LOOP") == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _fail(message: str) -> int:
    print(f"server: {message}", file=sys.stderr, flush=True)
    return 1


def main(argv: list[str] | None = None) -> int:
    if is_backup_command(sys.argv[1:] if argv is None else argv):
        return backup_main(sys.argv[1:] if argv is None else argv)
    options, limits = parse_command_line(argv)
    try:
        options.data_dir.mkdir(parents=True, exist_ok=True)
        configure_logging(options.data_dir, getattr(logging, options.log_level))
    except OSError as exc:
        return _fail(f"cannot use data dir {options.data_dir}: {exc}")
    lock = InstanceLock(options.data_dir)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot use data dir {options.data_dir}: {exc}")
    raise_priority(options.priority)
    try:
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            runner.run(run(options, limits))
    except StartupError as exc:
        _log.error("start failed: %s", exc)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        lock.release()
    return 0
