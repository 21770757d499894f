"""The pjsua2 conference-bridge port that hands frames to the :class:`AudioBridge`.

``onFrameRequested`` and ``onFrameReceived`` run on pjmedia's clock thread:
they only convert samples and touch the bridge's lock-free rings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pjsua2 as pj

from sip.audio.bridge import AudioBridge

__all__ = ["BridgePort"]


class BridgePort(pj.AudioMediaPort):  # type: ignore[misc]
    """Microphone into the conference, conference into the speaker."""

    def __init__(self, bridge: AudioBridge, frame_ms: int) -> None:
        super().__init__()
        self.bridge = bridge
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, bridge.clock_rate, 1, frame_ms * 1000, 16)
        self.createPort("audio-bridge", fmt)

    def set_in_use(self, in_use: bool) -> None:
        self.bridge.set_in_use(in_use)

    def onFrameRequested(self, frame: Any) -> None:  # noqa: N802 - pjsua2 callback name
        samples = self.bridge.pull_frame()
        pcm = np.clip(samples * 32768.0, -32768, 32767).astype("<i2")
        frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        frame.buf = pj.ByteVector(pcm.tobytes())

    def onFrameReceived(self, frame: Any) -> None:  # noqa: N802 - pjsua2 callback name
        data = bytes(frame.buf)
        if data:
            pcm = np.frombuffer(data, dtype="<i2")
            self.bridge.push_frame(pcm.astype(np.float32) / 32768.0)
