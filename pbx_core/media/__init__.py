"""The PBX's RTP media engine: legs with anchored RTP, SDP offer/answer, relay, hold music.

Layout: wire formats (``rtp``, ``rtcp``, ``sdp``) and ``codecs`` are pure; ``negotiation`` is
RFC 3264 offer/answer; ``stream`` keeps one outgoing stream per leg and receive statistics;
``leg`` owns the sockets of one leg; ``engine`` owns the port range, the legs and the ticker;
``connections`` says who hears what (``Connect``, ``ConnectMusic``, ``Disconnect``).
"""

from __future__ import annotations

from pbx_core.media.codecs import G722, PCMA, PCMU, SUPPORTED, TELEPHONE_EVENT, CodecSpec
from pbx_core.media.connections import Connect, Connection, ConnectMusic, Disconnect, Patchbay
from pbx_core.media.engine import MediaEngine
from pbx_core.media.leg import MediaLeg
from pbx_core.media.negotiation import offered_codecs
from pbx_core.media.ports import PortAllocator
from pbx_core.media.rtp import RtpPacket, is_rtcp
from pbx_core.media.sdp import MediaDescription, Origin, RtpMap, SessionDescription
from pbx_core.media.tones import AudioSource, MusicOnHold, Silence, ToneSource

__all__ = [
    "G722",
    "PCMA",
    "PCMU",
    "SUPPORTED",
    "TELEPHONE_EVENT",
    "AudioSource",
    "CodecSpec",
    "Connect",
    "ConnectMusic",
    "Connection",
    "Disconnect",
    "MediaDescription",
    "MediaEngine",
    "MediaLeg",
    "MusicOnHold",
    "Origin",
    "Patchbay",
    "PortAllocator",
    "RtpMap",
    "RtpPacket",
    "SessionDescription",
    "Silence",
    "ToneSource",
    "is_rtcp",
    "offered_codecs",
]
