"""Build ``dist/AcmePhone-<version>-setup.exe``, the per-user setup, with NSIS (``makensis``).

    python installers/build_setup.py [--source DIR] [--out FILE]

Same source rule as build_msi.py: the Windows one-folder program (``dist/AcmePhone`` holding
``AcmePhone.exe``) when there is one, else a placeholder tree that checks the script only.
``makensis`` runs on Linux (Debian ``nsis``) and on Windows alike.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from build_msi import MAIN_EXE, ROOT, project_version, stage_placeholder  # same folder
from make_icons import build as make_icons

NSI = ROOT / "installers" / "windows" / "AcmePhone-setup.nsi"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="one-folder program (default: dist/AcmePhone)")
    parser.add_argument("--out", type=Path, help="default: dist/AcmePhone-<version>-setup.exe")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "setup")
    args = parser.parse_args(argv)
    version = project_version()
    out = (args.out or ROOT / "dist" / f"AcmePhone-{version}-setup.exe").resolve()
    source = args.source or ROOT / "dist" / "AcmePhone"
    if not (source / MAIN_EXE).is_file():
        if args.source is not None:
            parser.error(f"{source} holds no {MAIN_EXE}")
        print(f"no {source / MAIN_EXE}: staging a placeholder tree (script check only)")
        source = stage_placeholder(args.work.resolve() / "stage")
    out.parent.mkdir(parents=True, exist_ok=True)
    icon = make_icons(args.work.resolve())["ico"]
    command = ["makensis", "-V2", "-NOCD", f"-DVERSION={version}", f"-DICON={icon}"]
    command += [f"-DSOURCE={source.resolve()}", f"-DOUTFILE={out}", str(NSI)]
    subprocess.run(command, check=True)
    print(f"{out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
