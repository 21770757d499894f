"""An Xvfb server on the first free display of a range, for benchmarks that drive the real app."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

__all__ = ["start_xvfb"]


def start_xvfb(displays: range) -> tuple[subprocess.Popen[bytes], str]:
    """Start Xvfb (1280x800) on the first free display in ``displays``; (process, ":N")."""
    for n in displays:
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            proc = subprocess.Popen(
                ["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(50):
                if Path(f"/tmp/.X11-unix/X{n}").exists():
                    return proc, f":{n}"
                time.sleep(0.1)
            proc.kill()
    raise RuntimeError("no free X display for Xvfb")
