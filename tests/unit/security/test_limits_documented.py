"""Every security limit is an option of ``python -m server`` and a row of docs/server.md's
Security section naming that option and its default, so an administrator can find and change it."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from pbx_core.config import Limits
from server.limit_options import add_limit_options, limits_from

SERVER_MD = Path(__file__).resolve().parents[3] / "docs" / "server.md"


def _security_rows() -> list[str]:
    text = SERVER_MD.read_text(encoding="utf-8")
    section = text.split("\n## Security\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ")]


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def test_every_limit_has_a_documented_row_with_its_default() -> None:
    rows = _security_rows()
    defaults = Limits()
    for field in dataclasses.fields(Limits):
        option = "--" + field.name.replace("_", "-")
        row = next((r for r in rows if f"`{option} " in r), None)
        assert row is not None, f"{option} is not in docs/server.md, Security"
        default = _shown(getattr(defaults, field.name))
        assert default in row.split("|")[2], f"{option}: default {default} not in {row!r}"


def test_each_option_changes_its_limit() -> None:
    parser = argparse.ArgumentParser()
    add_limit_options(parser)
    for field in dataclasses.fields(Limits):
        option = "--" + field.name.replace("_", "-")
        changed = getattr(Limits(), field.name) * 2
        limits = limits_from(parser.parse_args([option, str(changed)]))
        assert getattr(limits, field.name) == changed
