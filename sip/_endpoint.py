"""Create and configure the one pjsua2 Endpoint of the process.

Only the engine thread calls this module. RTP shares the SIP ioqueue
(``hasIoqueue = False``, no media worker thread), so the engine thread's
``libHandleEvents`` receives it and nothing in pjsua polls on its own. The
conference bridge is clocked (by the null sound device, 1000 / frame_ms ticks a
second) only while some call carries media: see :func:`set_clock`. Codec order
follows what sounds right on a business line: G.722 first, then PCMA, then
PCMU; Speex gets priority 0 because it garbles DTMF-like tones. VAD is off so
silence is sent as audio and the far end's jitter buffer stays primed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pjsua2 as pj

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


class _LogWriter(pj.LogWriter):  # type: ignore[misc]
    """Forwards pjsua's log lines to Python logging (any thread may call it)."""

    def write(self, entry: Any) -> None:
        level = int(entry.level)
        py_level = logging.ERROR if level <= 1 else logging.WARNING if level == 2 else logging.DEBUG
        _log.log(py_level, "%s", str(entry.msg).rstrip())


@dataclass(slots=True)
class Endpoint:
    """The live endpoint and the SIP transports it listens on."""

    ep: Any
    log_writer: Any
    udp_id: int
    tcp_id: int
    udp_port: int
    tcp_port: int


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
        ep.libStart()
        ep.audDevManager().setNoDev()
        _set_codec_priorities(ep)
    except BaseException:
        ep.libDestroy()
        raise
    return Endpoint(ep, writer, udp_id, tcp_id, _port_of(ep, udp_id), _port_of(ep, tcp_id))


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
