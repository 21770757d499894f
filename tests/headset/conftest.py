from __future__ import annotations

from pathlib import Path

from headset.hexfile import read_descriptor_bytes

DEVICES = Path(__file__).parent / "devices"


def load(name: str) -> bytes:
    return read_descriptor_bytes((DEVICES / f"{name}.hex").read_bytes())
