"""Create and configure the one pjsua2 Endpoint of the process.

Only the engine thread calls this module. RTP shares the SIP ioqueue
(``hasIoqueue = False``, no media worker thread), so the engine thread's
``libHandleEvents`` receives it and nothing in pjsua polls on its own. The
conference bridge is clocked (by the null sound device, 1000 / frame_ms ticks a
second) only while some call carries media: see :func:`set_clock`. Codec order
follows what sounds right on a business line: G.722 first, then PCMA, then
PCMU; Speex gets priority 0 because it garbles DTMF-like tones. VAD is off so
silence is sent as audio and the far end's jitter buffer stays primed.

Logging: pjlib logs to stdout from ``libCreate`` on, before ``libInit`` hands its lines to our
``LogWriter``. :func:`_quiet_pjlib` sets pjlib's level to the configured one and points its log
function at ``sip.pjsua`` first (through the library's exported C functions), so nothing reaches
stdout and what the configured level lets through lands in the app's logging.
"""

from __future__ import annotations

import ctypes
import logging
from dataclasses import dataclass
from typing import Any

import pjsua2 as pj
from pjsua2 import _pjsua2 as _native

from sip.config import EngineConfig
from sip.types import SoundDevice

__all__ = [
    "CODEC_PRIORITIES",
    "Endpoint",
    "create_endpoint",
    "destroy_endpoint",
    "set_clock",
    "sound_device",
]

_log = logging.getLogger("sip.pjsua")

CODEC_PRIORITIES: dict[str, int] = {"G722": 250, "PCMA": 240, "PCMU": 230, "speex": 0}
_OTHER_PRIORITY = 100
_NULL_DEV = int(pj.PJSUA_SND_NULL_DEV)
_NO_DEV = int(pj.PJSUA_SND_NO_DEV)


def _python_level(pj_level: int) -> int:
    """pjlib's 1 (error), 2 (warning), 3 (info) and 4..6 (debug) as logging levels."""
    if pj_level <= 1:
        return logging.ERROR
    if pj_level == 2:
        return logging.WARNING
    return logging.INFO if pj_level == 3 else logging.DEBUG


class _LogWriter(pj.LogWriter):  # type: ignore[misc]
    """Forwards pjsua's log lines to Python logging (any thread may call it)."""

    def write(self, entry: Any) -> None:
        _log.log(_python_level(int(entry.level)), "%s", str(entry.msg).rstrip())


_LogFunc = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)


@_LogFunc  # type: ignore[untyped-decorator]
def _early_log(level: int, data: bytes | None, length: int) -> None:
    """pjlib's lines before libInit (its log function, called on the creating thread)."""
    text = (data or b"")[: max(0, length)].decode("utf-8", "replace").rstrip()
    if text:
        _log.log(_python_level(level), "%s", text)


def _quiet_pjlib(level: int) -> bool:
    """Before libCreate: pjlib's level and log function, so it prints nothing on stdout.

    False where the library does not export them (the lines then go to stdout as before).
    """
    try:
        lib = ctypes.CDLL(_native.__file__)
        lib.pj_log_set_level(ctypes.c_int(level))
        lib.pj_log_set_decor(ctypes.c_uint(0))
        lib.pj_log_set_log_func(_early_log)
    except (AttributeError, OSError) as exc:
        _log.debug("pjlib's early log stays on stdout: %s", exc)
        return False
    return True


@dataclass(slots=True)
class Endpoint:
    """The live endpoint and the SIP transports it listens on."""

    ep: Any
    log_writer: Any
    udp_id: int
    tcp_id: int
    udp_port: int
    tcp_port: int
    tls_id: int = -1
    """The TLS transport (client side: accounts on a server's TLS port); -1: none."""


def _port_of(ep: Any, tid: int) -> int:
    name = str(ep.transportGetInfo(tid).localName)
    return int(name.rsplit(":", 1)[1])


def _set_codec_priorities(ep: Any) -> None:
    for codec in ep.codecEnum2():
        cid = str(codec.codecId)
        family = cid.split("/", 1)[0]
        if family.startswith("L16"):
            continue
        prio = CODEC_PRIORITIES.get(family, _OTHER_PRIORITY)
        ep.codecSetPriority(cid, prio)


def create_endpoint(config: EngineConfig) -> Endpoint:
    """libCreate, libInit (no worker threads), transports, codecs; no sound device yet."""
    _quiet_pjlib(config.log_level)
    ep = pj.Endpoint()
    ep.libCreate()
    writer = _LogWriter()
    try:
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = config.max_calls
        cfg.uaConfig.userAgent = config.user_agent
        cfg.logConfig.level = config.log_level
        cfg.logConfig.consoleLevel = 0
        cfg.logConfig.writer = writer
        cfg.logConfig.decor = 0
        cfg.medConfig.clockRate = config.clock_rate
        cfg.medConfig.sndClockRate = config.clock_rate
        cfg.medConfig.audioFramePtime = config.frame_ms
        cfg.medConfig.channelCount = 1
        cfg.medConfig.noVad = True
        cfg.medConfig.ecTailLen = 0
        cfg.medConfig.hasIoqueue = False  # RTP on the SIP ioqueue, read by libHandleEvents
        cfg.medConfig.threadCnt = 0  # a media worker would poll every 10 ms
        cfg.medConfig.sndAutoCloseTime = -1  # the engine starts and stops the clock itself
        ep.libInit(cfg)
        tcfg = pj.TransportConfig()
        tcfg.port = config.sip_port
        if config.bound_address != "0.0.0.0":
            tcfg.boundAddress = config.bound_address
        udp_id = ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
        tcfg.port = _port_of(ep, udp_id) if config.sip_port == 0 else config.sip_port
        try:
            tcp_id = ep.transportCreate(pj.PJSIP_TRANSPORT_TCP, tcfg)
        except pj.Error:
            tcfg.port = 0
            tcp_id = ep.transportCreate(pj.PJSIP_TRANSPORT_TCP, tcfg)
        tls_id = _tls_transport(ep, config)
        ep.libStart()
        ep.audDevManager().setNoDev()
        _set_codec_priorities(ep)
    except BaseException:
        ep.libDestroy()
        raise
    udp_port, tcp_port = _port_of(ep, udp_id), _port_of(ep, tcp_id)
    return Endpoint(ep, writer, udp_id, tcp_id, udp_port, tcp_port, tls_id)


def _tls_transport(ep: Any, config: EngineConfig) -> int:
    """A TLS transport on a free port for accounts that reach their server over TLS; -1 when
    this build of pjsip has no TLS (then such an account cannot be added, with a message).

    The server's certificate is not verified: a PBX's is usually self-signed (docs/server.md
    "TLS and SRTP"); TLS here keeps calls from being overheard on the way, with SRTP."""
    tcfg = pj.TransportConfig()
    tcfg.port = 0
    if config.bound_address != "0.0.0.0":
        tcfg.boundAddress = config.bound_address
    tcfg.tlsConfig.verifyServer = False
    try:
        return int(ep.transportCreate(pj.PJSIP_TRANSPORT_TLS, tcfg))
    except pj.Error as exc:
        _log.warning("no SIP over TLS in this build: %s", exc.info())
        return -1


def destroy_endpoint(endpoint: Endpoint) -> None:
    """libDestroy; every Call, Account and media object must be gone before this."""
    endpoint.ep.libDestroy()


def set_clock(ep: Any, running: bool) -> None:
    """Clock the conference bridge with the null sound device, or stop its clock.

    Without a clock no frame moves (calls send no RTP) and the bridge's queued
    port operations (connect, remove) wait for the next tick.
    """
    manager = ep.audDevManager()
    if running:
        manager.setNullDev()
    else:
        manager.setNoDev()


def sound_device(ep: Any) -> SoundDevice:
    """What clocks the conference bridge, as pjsua reports it."""
    dev = int(ep.audDevManager().getPlaybackDev())
    if dev == _NULL_DEV:
        return "null"
    if dev == _NO_DEV:
        return "none"
    return "device"
