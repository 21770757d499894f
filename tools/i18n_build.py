"""Rebuild the translations: `.venv/bin/python -m tools.i18n_build`.

Runs pyside6-lupdate over ui/ and app/ (new strings are added to each `.ts`, translations already
made are kept) and pyside6-lrelease to compile the `.qm` files the app loads. The app core marks
its messages with ``tr("…")`` (context ``app``, see app/stores/_base.py); lupdate cannot know
that context, so those calls are collected here with :mod:`ast` and handed to lupdate as
``QCoreApplication.translate("app", "…")`` lines. Plurals must be written
``SomeQObjectClass.tr("%n thing(s)", "", n)`` (or ``self.tr``): lupdate of PySide6 6.11 takes
``QCoreApplication.translate(..., n)`` for a plain message. Translate new strings in
resources/translations/acmephone_<lang>.ts (with Qt Linguist or a text editor), then run this
again.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ui.i18n import LANGUAGES, TRANSLATION_DIR

__all__ = ["APP_CONTEXT", "app_messages", "build"]

APP_CONTEXT = "app"
_ROOT = Path(__file__).resolve().parent.parent
_UI = _ROOT / "ui"
_APP = _ROOT / "app"


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _message_of(call: ast.Call) -> str | None:
    """The source text of ``tr("…")`` or ``QCoreApplication.translate("app", "…")``."""
    func = call.func
    args = call.args
    if isinstance(func, ast.Name) and func.id == "tr" and args:
        first = args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    if isinstance(func, ast.Attribute) and func.attr == "translate" and len(args) >= 2:
        ctx, text = args[0], args[1]
        if (
            isinstance(ctx, ast.Constant)
            and ctx.value == APP_CONTEXT
            and isinstance(text, ast.Constant)
            and isinstance(text.value, str)
        ):
            return text.value
    return None


def app_messages(files: Iterable[Path]) -> list[str]:
    """Every message the app core marks for translation, each once."""
    seen: dict[str, None] = {}
    for path in sorted(files):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (text := _message_of(node)) is not None:
                seen.setdefault(text, None)
    return list(seen)


def _app_shim(folder: Path) -> Path:
    """A file lupdate reads: one ``translate("app", …)`` per message of app/."""
    lines = ["from PySide6.QtCore import QCoreApplication", ""]
    for text in app_messages(_APP.rglob("*.py")):
        lines.append(f"QCoreApplication.translate({APP_CONTEXT!r}, {text!r})")
    shim = folder / "app_messages.py"
    shim.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return shim


def build() -> list[Path]:
    """Update the `.ts` sources from the code and compile them; returns the `.qm` files."""
    ui_sources = sorted(str(p) for p in _UI.rglob("*.py"))
    out: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        sources = [*ui_sources, str(_app_shim(Path(tmp)))]
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
