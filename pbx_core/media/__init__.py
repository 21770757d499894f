"""The PBX's RTP media engine: legs with anchored RTP, SDP offer/answer, relay, hold music.

Layout: wire formats (``rtp``, ``rtcp``, ``sdp``) and ``codecs`` are pure; ``negotiation`` is
RFC 3264 offer/answer; ``stream`` keeps one outgoing stream per leg and receive statistics;
``leg`` owns the sockets of one leg; ``engine`` owns the port range, the legs and the ticker;
``connections`` says who hears what (``Connect``, ``ConnectMusic``, ``Disconnect``,
``ConnectPrompt``, ``ConnectTone``, ``JoinRoom``, ``LeaveRoom``).  Audio: ``tones`` and
``tone_plans`` (call-progress tones per country), ``player`` and ``prompts`` (WAV prompts and
hold music), ``dtmf`` (RFC 4733 and in-band detection), ``jitter``, ``mixer`` and ``room``
(conferences), ``quality`` (per-leg RTCP figures and a MOS), ``recorder`` (what a leg
receives, decoded to a WAV file: voicemail).
"""

from __future__ import annotations

from pbx_core.media.codecs import G722, PCMA, PCMU, SUPPORTED, TELEPHONE_EVENT, CodecSpec
from pbx_core.media.connections import (
    Connect,
    Connection,
    ConnectMusic,
    ConnectPrompt,
    ConnectTone,
    Disconnect,
    JoinRoom,
    LeaveRoom,
    Patchbay,
)
from pbx_core.media.engine import MediaEngine
from pbx_core.media.leg import MediaLeg
from pbx_core.media.negotiation import offered_codecs
from pbx_core.media.player import WavPlayer
from pbx_core.media.ports import PortAllocator
from pbx_core.media.prompts import MusicOnHold
from pbx_core.media.quality import LegQuality
from pbx_core.media.recorder import LegRecorder, Recording, RecordingResult
from pbx_core.media.room import CONFERENCE_CODECS
from pbx_core.media.rtp import RtpPacket, is_rtcp
from pbx_core.media.sdp import MediaDescription, Origin, RtpMap, SessionDescription
from pbx_core.media.tone_plans import call_progress_tone
from pbx_core.media.tones import AudioSource, Silence, ToneSource

__all__ = [
    "CONFERENCE_CODECS",
    "G722",
    "PCMA",
    "PCMU",
    "SUPPORTED",
    "TELEPHONE_EVENT",
    "AudioSource",
    "CodecSpec",
    "Connect",
    "ConnectMusic",
    "ConnectPrompt",
    "ConnectTone",
    "Connection",
    "Disconnect",
    "JoinRoom",
    "LeaveRoom",
    "LegQuality",
    "LegRecorder",
    "MediaDescription",
    "MediaEngine",
    "MediaLeg",
    "MusicOnHold",
    "Origin",
    "Patchbay",
    "PortAllocator",
    "Recording",
    "RecordingResult",
    "RtpMap",
    "RtpPacket",
    "SessionDescription",
    "Silence",
    "ToneSource",
    "WavPlayer",
    "call_progress_tone",
    "is_rtcp",
    "offered_codecs",
]
