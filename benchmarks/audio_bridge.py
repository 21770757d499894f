"""Audio bridge figures: added latency and under/overruns, measured with loopback devices.

A virtual microphone clicks (a 5 ms 2 kHz burst) every 300 ms; the bridge carries
it microphone -> resampler -> mic ring -> (pjmedia clock, looped back as pjsua's
``cc 0 0``) -> speaker ring -> resampler -> virtual speaker. The latency is the
time between a click's capture and its playback, one device block per side
included (what PortAudio adds at the least), the sound card's own buffers not.

    python benchmarks/audio_bridge.py [--seconds 6] [--device-rate 48000] [--quality QQ]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from sip.audio.bridge import AudioBridge
from sip.audio.loopback import EchoClock, LoopbackBackend

CLICK_EVERY_S = 0.3
CLICK_S = 0.005


def click_source(start: int, count: int, rate: int) -> np.ndarray:
    idx = np.arange(start, start + count)
    period = int(CLICK_EVERY_S * rate)
    phase = idx % period
    burst = phase < int(CLICK_S * rate)
    sig = 0.5 * np.sin(2 * np.pi * 2000 * idx / rate)
    return np.where(burst, sig, 0.0).astype(np.float32)


def measure(seconds: float, device_rate: int, quality: str, frame_ms: int, block_ms: int) -> dict:
    backend = LoopbackBackend(device_rate, click_source)
    bridge = AudioBridge(
        backend, clock_rate=16000, frame_ms=frame_ms, block_ms=block_ms, quality=quality
    )
    clock = EchoClock(bridge, frame_ms)
    bridge.set_in_use(True)
    clock.start()
    time.sleep(seconds)
    clock.stop()
    stats = bridge.stats()
    bridge.set_in_use(False)
    assert backend.mic_start is not None and backend.speaker_start is not None
    played = backend.played()
    block = device_rate * block_ms // 1000
    period = int(CLICK_EVERY_S * device_rate)
    loud = np.abs(played) > 0.1
    recent = np.convolve(loud, np.ones(period // 2), "full")[: len(loud) - 1].astype(bool)
    onsets = np.flatnonzero(loud[1:] & ~recent) + 1
    latencies = []
    for j in onsets:
        t_out = backend.speaker_start + (j + block) / device_rate  # played one block later
        # the click captured just before: sample k * period, captured at
        # mic_start + (k * period - block) / rate
        k = np.floor(((t_out - backend.mic_start) * device_rate + block) / period)
        t_in = backend.mic_start + (k * period - block) / device_rate
        latencies.append((t_out - t_in) * 1000)
    steady = latencies[2:] or latencies
    return {
        "clicks": len(steady),
        "latency_ms_median": statistics.median(steady) if steady else float("nan"),
        "latency_ms_max": max(steady) if steady else float("nan"),
        "estimate_ms": stats.latency_ms,
        "mic_underruns": stats.mic_underruns,
        "mic_overruns": stats.mic_overruns,
        "speaker_underruns": stats.speaker_underruns,
        "speaker_overruns": stats.speaker_overruns,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--device-rate", type=int, default=48000)
    parser.add_argument("--quality", default="QQ")
    parser.add_argument("--frame-ms", type=int, default=10)
    parser.add_argument("--block-ms", type=int, default=10)
    args = parser.parse_args()
    result = measure(args.seconds, args.device_rate, args.quality, args.frame_ms, args.block_ms)
    print(
        f"audio bridge, device {args.device_rate} Hz <-> clock 16000 Hz, soxr {args.quality}, "
        f"frame {args.frame_ms} ms, device block {args.block_ms} ms"
    )
    print(
        f"  added latency (mic capture to speaker playback): median "
        f"{result['latency_ms_median']:.1f} ms, max {result['latency_ms_max']:.1f} ms "
        f"over {result['clicks']} clicks (target < 40 ms); bridge estimate "
        f"{result['estimate_ms']:.1f} ms"
    )
    print(
        f"  mic underruns {result['mic_underruns']}, overruns {result['mic_overruns']}; "
        f"speaker underruns {result['speaker_underruns']}, overruns {result['speaker_overruns']}"
    )


if __name__ == "__main__":
    main()
