"""PortAudio devices through ``sounddevice``.

Devices are named, not numbered: PortAudio renumbers them when one is plugged
in or out, so a stream is reopened by name. ``rescan()`` restarts PortAudio so
it sees devices that appeared after start.

PortAudio is not thread-safe: a restart (``Pa_Terminate``/``Pa_Initialize``) while another
thread lists devices or opens a stream frees what that thread reads. Every call into PortAudio
here (the first import, which initialises it, listing, restarting, opening and closing
streams) holds one lock; the stream callbacks, which PortAudio calls on its own threads, do not.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sip.audio.devices import DeviceInfo, InputCallback, OutputCallback
from sip.errors import AudioDeviceError

__all__ = ["SoundDeviceBackend", "portaudio_available"]

_log = logging.getLogger(__name__)
_NULL_NAMES = frozenset({"null", "default null"})
_PORTAUDIO = threading.RLock()


def _sd() -> Any:
    try:
        with _PORTAUDIO:
            import sounddevice
    except OSError as exc:  # libportaudio missing
        raise AudioDeviceError(f"PortAudio is not available: {exc}") from exc
    return sounddevice


def portaudio_available() -> tuple[bool, str]:
    """Whether PortAudio loaded, with the reason when it did not."""
    try:
        _sd()
    except AudioDeviceError as exc:
        return False, str(exc)
    return True, ""


class _Stream:
    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.flagged = False

    @property
    def rate(self) -> int:
        return int(self._stream.samplerate)

    @property
    def failed(self) -> bool:
        return not self._stream.active or self._stream.closed

    def close(self) -> None:
        try:
            with _PORTAUDIO:
                self._stream.stop(ignore_errors=True)
                self._stream.close(ignore_errors=True)
        except Exception:
            _log.debug("closing a stream of a gone device failed", exc_info=True)


class SoundDeviceBackend:
    """The real sound devices of the machine."""

    def list_devices(self) -> list[DeviceInfo]:
        try:
            sd = _sd()
            with _PORTAUDIO:
                devices = sd.query_devices()
                apis = sd.query_hostapis()
                default_in, default_out = sd.default.device
        except AudioDeviceError:
            return []
        except Exception as exc:
            _log.warning("listing sound devices failed: %s", exc)
            return []
        found: list[DeviceInfo] = []
        for index, dev in enumerate(devices):
            name = str(dev["name"])
            if name.lower() in _NULL_NAMES:
                continue
            found.append(
                DeviceInfo(
                    name=name,
                    host_api=str(apis[dev["hostapi"]]["name"]),
                    input_channels=int(dev["max_input_channels"]),
                    output_channels=int(dev["max_output_channels"]),
                    default_rate=int(dev["default_samplerate"]),
                    default_input=index == default_in,
                    default_output=index == default_out,
                )
            )
        return found

    def rescan(self) -> None:
        """Restart PortAudio so newly plugged devices show up (no stream may be open)."""
        sd = _sd()
        with _PORTAUDIO:
            sd._terminate()
            sd._initialize()

    def _open(
        self, kind: str, device: str | None, rate: int | None, block: int, cb: Any
    ) -> _Stream:
        sd = _sd()
        try:
            with _PORTAUDIO:
                info = sd.query_devices(device, kind)
                samplerate = rate or int(info["default_samplerate"])
                cls = sd.InputStream if kind == "input" else sd.OutputStream
                stream = cls(
                    device=device,
                    samplerate=samplerate,
                    blocksize=block,
                    channels=1,
                    dtype="float32",
                    latency="low",
                    callback=cb,
                )
                stream.start()
        except Exception as exc:
            raise AudioDeviceError(
                f"cannot open {kind} device {device or 'default'}: {exc}"
            ) from exc
        return _Stream(stream)

    def open_input(
        self, device: str | None, rate: int | None, block: int, callback: InputCallback
    ) -> _Stream:
        def cb(indata: Any, frames: int, time: Any, status: Any) -> None:
            callback(indata[:, 0])

        return self._open("input", device, rate, block, cb)

    def open_output(
        self, device: str | None, rate: int | None, block: int, callback: OutputCallback
    ) -> _Stream:
        def cb(outdata: Any, frames: int, time: Any, status: Any) -> None:
            callback(outdata[:, 0])

        return self._open("output", device, rate, block, cb)
