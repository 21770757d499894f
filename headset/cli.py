"""``python -m headset``: list call-control devices, inspect a descriptor file or a live device.

The JSON printed by ``inspect`` is a contract: ``{"controls": [{"kind", "page", "usage", "name",
"report_id", "relative", ...}]}``, one entry per telephony, LED or supported vendor control.
``inspect --live`` then prints one JSON line per input report, ``{"report": hex, "values":
[{"name", "role", "value"}]}``, and ``{"unplugged": reason}`` when the device goes away.
The HID backend is a parameter of :func:`main` (hidapi unless a caller passes another).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from headset.controls import ControlSet
from headset.descriptor import parse_descriptor
from headset.device import HidapiBackend, HidBackend
from headset.discovery import scan
from headset.hexfile import read_descriptor_bytes

__all__ = ["main"]


def _inspect_json(controls: ControlSet) -> str:
    return json.dumps({"controls": [c.to_json() for c in controls.controls]}, indent=2)


def _list(backend: HidBackend, out: TextIO) -> int:
    found, skipped = scan(backend)
    if not found:
        print("No headsets with call control found", file=out)
    for f in found:
        info = f.info
        print(
            f"{info.manufacturer or '-'}\t{info.product or '-'}\t"
            f"{info.vendor_id:04x}:{info.product_id:04x}\t{info.path.decode('utf-8', 'replace')}",
            file=out,
        )
    for s in skipped:
        info = s.info
        print(
            f"skipped: {info.name} {info.vendor_id:04x}:{info.product_id:04x}: {s.reason}",
            file=out,
        )
    return 0


def _decoded_line(controls: ControlSet, report: bytes) -> str:
    try:
        values = controls.decode(report)
    except ValueError as exc:
        return json.dumps({"report": report.hex(), "error": str(exc)})
    decoded = [
        {"name": c.name, "role": None if c.role is None else str(c.role), "value": v}
        for c, v in values.items()
    ]
    return json.dumps({"report": report.hex(), "values": decoded})


def _live(backend: HidBackend, path: str, out: TextIO) -> int:
    """Controls, then each input report decoded until Ctrl+C or the device goes away."""
    device = backend.open(path.encode())
    try:
        controls = ControlSet(parse_descriptor(device.get_report_descriptor()))
        print(_inspect_json(controls), file=out, flush=True)
        while True:
            try:
                report = device.read(1000)
            except OSError as exc:
                print(json.dumps({"unplugged": str(exc)}), file=out, flush=True)
                return 0
            if report:
                print(_decoded_line(controls, report), file=out, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        device.close()


def main(argv: list[str], *, backend: HidBackend | None = None, out: TextIO | None = None) -> int:
    """Run the command; returns the exit status (2 for bad input, with the reason on stderr)."""
    stream = sys.stdout if out is None else out
    parser = argparse.ArgumentParser(prog="python -m headset")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="HID devices with telephony controls")
    inspect = sub.add_parser("inspect", help="telephony and LED controls of a descriptor")
    inspect.add_argument("descriptor", help="file with the descriptor (raw or hex), or a path")
    inspect.add_argument("--live", action="store_true", help="open the HID device at the path")
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            return _list(backend or HidapiBackend(), stream)
        if args.live:
            return _live(backend or HidapiBackend(), args.descriptor, stream)
        data = read_descriptor_bytes(Path(args.descriptor).read_bytes())
        print(_inspect_json(ControlSet(parse_descriptor(data))), file=stream)
        return 0
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
