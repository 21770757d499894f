"""One asyncio loop runs the PBX and uvicorn; ready line, server.json and clean shutdown.

Order at start: bind the HTTP socket (so port 0 is known and a busy port fails early), start the
PBX (store, demo, telephony), start uvicorn on that socket, then announce readiness: one JSON line
on stdout and ``server.json``. SIGTERM/SIGINT stop uvicorn, then the PBX (calls end with BYE),
then remove ``server.json``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import signal
import socket
import ssl
import sys
from collections.abc import Iterator
from hashlib import sha256
from pathlib import Path
from typing import Any

import uvicorn

from pbx_core.config import Limits, PbxConfig
from pbx_core.errors import PbxError
from pbx_core.pbx import Pbx
from pbx_core.signaling.tls import ensure_self_signed
from server.app import create_app
from server.connections import (
    RepeatFilter,
    guarded_http_protocol,
    raise_file_limit,
    report_held_back,
)
from server.heap_probe import install_heap_probe
from server.options import Options
from server.runinfo import remove_run_info, write_run_info

__all__ = ["StartupError", "bind_http_socket", "run"]

_log = logging.getLogger("server")
_STOP_TIMEOUT = 8.0


class StartupError(Exception):
    """The server could not start; the message says why in plain words."""


class _Uvicorn(uvicorn.Server):
    """uvicorn without its own signal handling (the runner owns SIGTERM and SIGINT) and with a
    once-a-second housekeeping tick instead of ten, so an idle server sleeps."""

    _wake: asyncio.Event | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def main_loop(self) -> None:
        self._wake = asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 10) % 864000  # a multiple of 10 refreshes the Date header
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)

    def request_exit(self) -> None:
        self.should_exit = True
        if self._wake is not None:
            self._wake.set()


def bind_http_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (IPv4 or IPv6); StartupError if impossible."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        raise StartupError(
            f"cannot listen for HTTP on {host}:{port}: {exc.strerror or exc}"
        ) from exc
    return sock


async def run(options: Options, limits: Limits | None = None) -> None:
    """Run until SIGTERM/SIGINT; raises StartupError when something fails to start."""
    limits = limits or Limits()
    _guard_process()
    install_heap_probe(asyncio.get_running_loop())
    http_sock = bind_http_socket(options.bind, options.http_port)
    config = PbxConfig(
        data_dir=options.data_dir,
        bind=options.bind,
        sip_port=options.sip_port,
        rtp_port_min=options.rtp_ports[0],
        rtp_port_max=options.rtp_ports[1],
        advertised_host=options.advertise,
        digest_algorithms=options.digest,
        transfer_ring_seconds=options.transfer_ring_seconds,
        park_recall_seconds=options.park_recall_seconds,
        udp_keepalive_seconds=options.udp_keepalive_seconds,
        cluster_sync_seconds=options.cluster_sync_seconds,
        prompt_language=options.prompt_language,
        tone_country=options.tone_country,
        limits=limits,
        voicemail_enabled=options.voicemail,
        voicemail_delay_seconds=options.voicemail_delay_seconds,
        voicemail_max_seconds=options.voicemail_max_seconds,
        voicemail_retention_days=options.voicemail_retention_days,
        voicemail_max_inbox_mb=options.voicemail_max_inbox_mb,
        smtp_host=options.smtp[0] if options.smtp else None,
        smtp_port=options.smtp[1] if options.smtp else 25,
        smtp_sender=options.smtp_sender,
        sip_tls_port=options.sip_tls_port,
        sip_ws_port=options.sip_ws_port,
        tls_cert=options.tls_cert,
        tls_key=options.tls_key,
        srtp=options.srtp,
        database=options.database,
    )
    pbx = Pbx(config)
    try:
        await pbx.start(demo=options.demo)
    except (OSError, PbxError) as exc:
        http_sock.close()
        raise StartupError(f"cannot start the PBX: {exc}") from exc
    stop = asyncio.Event()
    _install_signal_handlers(stop)
    https = _https_files(options) if options.https else None
    server = _Uvicorn(
        uvicorn.Config(
            create_app(pbx, event_buffer=options.event_buffer),
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="websockets-sansio",
            # events are a few hundred bytes: compressing each for each client costs more CPU
            # and memory (a zlib context per connection) than it saves on loopback or a LAN
            ws_per_message_deflate=False,
            ws_max_size=limits.http_max_body,  # one WebSocket message: the body limit (1009)
            http=guarded_http_protocol(limits),
            # the peer's address is the source: an X-Forwarded-For header (trusted from
            # 127.0.0.1 by default) would let a local guesser pick a new source per attempt
            proxy_headers=False,
            timeout_keep_alive=max(1, round(limits.http_idle_seconds)),
            timeout_graceful_shutdown=3,
            ssl_certfile=str(https[0]) if https else None,
            ssl_keyfile=str(https[1]) if https else None,
        )
    )
    held_back = asyncio.create_task(report_held_back())  # what RepeatFilter held back
    serving = asyncio.create_task(server.serve(sockets=[http_sock]))
    try:
        while not server.started:
            if serving.done():
                serving.result()
                raise StartupError("the HTTP server stopped while starting")
            await asyncio.sleep(0.02)
        info = _ready_info(options, pbx, http_sock, https[0] if https else None)
        _freeze_start_up_heap()
        write_run_info(options.data_dir, info)
        sys.stdout.write(json.dumps({"ready": True, **info}) + "\n")
        sys.stdout.flush()
        _log.info("ready: %s", info)
        waiter = asyncio.create_task(stop.wait())
        await asyncio.wait({waiter, serving}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        _log.info("stopping")
    finally:
        server.request_exit()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(serving, _STOP_TIMEOUT)
        try:
            await asyncio.wait_for(pbx.stop(), _STOP_TIMEOUT)
        except Exception:
            _log.exception("PBX stop failed")
        remove_run_info(options.data_dir)
        http_sock.close()
        held_back.cancel()
        _log.info("stopped")


def _guard_process() -> None:
    """More open files (the soft limit up to the hard one), and repeated errors logged once."""
    files = raise_file_limit()
    if files is not None and files[0] != files[1]:
        _log.info("open-file limit raised from %d to %d", *files)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RepeatFilter) for f in handler.filters):
            handler.addFilter(RepeatFilter())


def _https_files(options: Options) -> tuple[Path, Path]:
    """The certificate and key of ``--https``: the given ones, else the self-signed pair of
    the SIP/TLS listener (made now if it is not there yet)."""
    if options.tls_cert is not None and options.tls_key is not None:
        return options.tls_cert, options.tls_key
    hosts = tuple(h for h in (options.bind, options.advertise) if h)
    try:
        return ensure_self_signed(options.data_dir / "tls", hosts)
    except OSError as exc:
        raise StartupError(f"cannot make a TLS certificate for --https: {exc}") from exc


def _freeze_start_up_heap() -> None:
    """Collect once, then keep what start-up made out of the collector's full passes.

    Start-up leaves ~100 MiB of long-lived objects (modules, the ORM, the demo users); each full
    collection walked all of them on the loop, 150-190 ms every few seconds under call load,
    which was the INVITE->180 p99 (docs/benchmarks.md, "SIP load").
    """
    gc.collect()
    gc.freeze()


def _ready_info(
    options: Options, pbx: Pbx, http_sock: socket.socket, https_cert: Path | None = None
) -> dict[str, Any]:
    """The ready line's facts; with ``--https``, ``https`` and the certificate's file and
    SHA-256 fingerprint (what a client pins)."""
    tls: dict[str, Any] = {}
    if https_cert is not None:
        der = ssl.PEM_cert_to_DER_cert(https_cert.read_text(encoding="ascii"))
        tls = {"https": True, "cert": str(https_cert), "cert_sha256": sha256(der).hexdigest()}
    return {
        **tls,
        "pid": os.getpid(),
        "bind": options.bind,
        "sip_udp": pbx.telephony.sip_udp_port,
        "sip_tcp": pbx.telephony.sip_tcp_port,
        "http": http_sock.getsockname()[1],
        "data_dir": str(options.data_dir),
        "sip_tls": pbx.telephony.sip_tls_port,  # 0: no TLS listener
        "sip_ws": pbx.telephony.sip_ws_port,  # 0: no SIP over WebSocket
    }


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
