"""Sound devices for the SIP engine: ring buffers, resampling, the bridge, diagnostics.

Nothing here touches Qt; device callbacks run on PortAudio's (or the
loopback's) threads and pjmedia's clock thread.
"""

from __future__ import annotations

from sip.audio.bridge import AudioBridge, BridgeStats
from sip.audio.devices import AudioBackend, AudioStream, DeviceInfo
from sip.audio.diagnostics import MicLevelMeter, TonePlayer, ring_source
from sip.audio.loopback import LoopbackBackend, tone_source
from sip.audio.resample import StreamResampler
from sip.audio.ringbuffer import RingBuffer
from sip.audio.sounddevice_backend import SoundDeviceBackend, portaudio_available

__all__ = [
    "AudioBackend",
    "AudioBridge",
    "AudioStream",
    "BridgeStats",
    "DeviceInfo",
    "LoopbackBackend",
    "MicLevelMeter",
    "RingBuffer",
    "SoundDeviceBackend",
    "StreamResampler",
    "TonePlayer",
    "portaudio_available",
    "ring_source",
    "tone_source",
]
