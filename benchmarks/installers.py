"""Installer figures: sizes of the Linux bundle and the MSI, frozen cold start next to a checkout.

``.venv/bin/python benchmarks/installers.py [--runs 5] [--write]``  (after ``make installers``)

Sizes: the one-folder program ``dist/AcmePhone`` on disk, the tarball and the MSI in ``dist/``.
Cold start: ``dist/AcmePhone/AcmePhone --demo`` and ``python -m app --demo``, each with a fresh
data folder under its own Xvfb display and ``ACME_BENCH_MARK=1``, from the launch to the first
painted window; the runs alternate (frozen, checkout, frozen, ...) so both see the same load;
medians are reported. ``--write`` replaces the "Installers" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from _docs import replace_section  # benchmarks/ is the script folder
from _xvfb import start_xvfb
from desktop import first_paint, stop

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Installers (benchmarks/installers.py)"
BUNDLE = ROOT / "dist" / "AcmePhone"


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def _tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _launch(command: list[str], display: str, data: Path) -> tuple[subprocess.Popen[str], float]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=display, ACME_BENCH_MARK="1")
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [*command, "--demo", "--data-dir", str(data)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    return proc, t0


def cold_starts(display: str, runs: int) -> dict[str, list[float]]:
    commands = {
        "frozen": [str(BUNDLE / "AcmePhone")],
        "checkout": [sys.executable, "-m", "app"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            with tempfile.TemporaryDirectory(prefix="acme-bench-") as tmp:
                proc, t0 = _launch(command, display, Path(tmp) / "data")
                try:
                    times[name].append(first_paint(proc, t0, timeout=60))
                finally:
                    stop(proc)
                    if proc.stdout is not None:
                        proc.stdout.close()
    return times


def report(sizes: dict[str, int], files: int, times: dict[str, list[float]]) -> str:
    def runs(values: list[float]) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    frozen, checkout = times["frozen"], times["checkout"]
    return "\n".join(
        [
            HEADING,
            "",
            f"Measured {when} on {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, PyInstaller one-folder build, Xvfb; load average "
            f"{load} at the end.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| one-folder program `dist/AcmePhone` on disk | {_mib(sizes['bundle'])} "
            f"({files} files) |",
            f"| Linux bundle `AcmePhone-{_version()}-linux-x86_64.tar.gz` | "
            f"{_mib(sizes['tarball'])} |",
            f"| `AcmePhone-{_version()}.msi` built here (staged tree: authoring only) | "
            f"{sizes['msi'] / 1024:.1f} KiB |",
            f"| first painted window, frozen (`AcmePhone --demo`), median of {len(frozen)} | "
            f"{statistics.median(frozen):.2f} s (runs: {runs(frozen)}) |",
            f"| first painted window, checkout (`python -m app --demo`), median of "
            f"{len(checkout)} | {statistics.median(checkout):.2f} s (runs: {runs(checkout)}) |",
            "",
            "Each start has a fresh data folder: the embedded PBX creates its database and loads "
            "the demo organisation while the window paints. The MSI built on Linux holds a "
            "placeholder tree (installers/README.md); the Windows MSI from CI carries the "
            "frozen Windows program.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    version = _version()
    tarball = ROOT / "dist" / f"AcmePhone-{version}-linux-x86_64.tar.gz"
    msi = ROOT / "dist" / f"AcmePhone-{version}.msi"
    for needed in (BUNDLE / "AcmePhone", tarball, msi):
        if not needed.exists():
            raise SystemExit(f"no {needed}: run make installers first")
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is needed (apt-get install xvfb)")
    sizes = {
        "bundle": _tree_bytes(BUNDLE),
        "tarball": tarball.stat().st_size,
        "msi": msi.stat().st_size,
    }
    files = sum(1 for p in BUNDLE.rglob("*") if p.is_file())
    xvfb, display = start_xvfb(range(90, 140))
    try:
        times = cold_starts(display, args.runs)
    finally:
        xvfb.terminate()
        xvfb.wait(5)
    text = report(sizes, files, times)
    print(text)
    if args.write:
        replace_section(HEADING, text)


if __name__ == "__main__":
    main()
