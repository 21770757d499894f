"""The sound-device side of the bridge, behind a small interface.

:class:`AudioBackend` opens mono float32 streams with a callback that runs on
the backend's own audio thread (PortAudio's, or the loopback's clock thread).
The bridge, ring buffers and resampling are the same for every backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sip.audio.ringbuffer import Samples

__all__ = ["AudioBackend", "AudioStream", "DeviceInfo", "InputCallback", "OutputCallback"]

InputCallback = Callable[[Samples], None]
OutputCallback = Callable[[Samples], None]


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One sound device as the user picks it in Settings."""

    name: str
    host_api: str
    input_channels: int
    output_channels: int
    default_rate: int
    default_input: bool
    default_output: bool

    @property
    def is_input(self) -> bool:
        return self.input_channels > 0

    @property
    def is_output(self) -> bool:
        return self.output_channels > 0


class AudioStream(Protocol):
    """An open device stream; ``failed`` turns true when the device went away."""

    @property
    def rate(self) -> int: ...

    @property
    def failed(self) -> bool: ...

    def close(self) -> None: ...


class AudioBackend(Protocol):
    """Lists devices and opens streams on them; ``None`` means the default device."""

    def list_devices(self) -> list[DeviceInfo]: ...

    def open_input(
        self, device: str | None, rate: int | None, block: int, callback: InputCallback
    ) -> AudioStream: ...

    def open_output(
        self, device: str | None, rate: int | None, block: int, callback: OutputCallback
    ) -> AudioStream: ...
