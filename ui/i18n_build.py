"""Rebuild the translations: `.venv/bin/python -m ui.i18n_build`.

Runs pyside6-lupdate over ui/ (new strings are added to each `.ts`, translations already made
are kept) and pyside6-lrelease to compile the `.qm` files the app loads. Translate new strings
in resources/translations/acmephone_<lang>.ts (with Qt Linguist or a text editor), then run
this again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ui.i18n import LANGUAGES, TRANSLATION_DIR

__all__ = ["build"]

_UI = Path(__file__).resolve().parent


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def build() -> list[Path]:
    """Update the `.ts` sources from the code and compile them; returns the `.qm` files."""
    sources = sorted(str(p) for p in _UI.rglob("*.py") if p.name not in {"i18n_build.py"})
    out: list[Path] = []
    for code, _name in LANGUAGES:
        ts = TRANSLATION_DIR / f"acmephone_{code}.ts"
        qm = ts.with_suffix(".qm")
        # English is the source language: its catalogue holds only the plural forms.
        only = ["-pluralonly"] if code == "en" else []
        lupdate = [_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *only]
        lupdate += ["-source-language", "en", "-target-language", code]
        subprocess.run([*lupdate, *sources, "-ts", str(ts)], check=True)
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


if __name__ == "__main__":
    for path in build():
        print(path)
