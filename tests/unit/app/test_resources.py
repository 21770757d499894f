"""One function finds the resources, from a checkout and inside the frozen program."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.paths import resource, resource_dir

ROOT = Path(__file__).resolve().parents[3]


def test_from_a_checkout_the_resources_folder_of_the_repository() -> None:
    assert resource_dir() == ROOT / "resources"
    assert resource("sounds", "ringtone.wav").is_file()
    assert resource("translations", "acmephone_nl.qm").is_file()
    assert resource("icons").is_dir()


def test_frozen_the_folder_the_program_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_dir() == tmp_path / "resources"
    assert resource("icons", "phone.svg") == tmp_path / "resources" / "icons" / "phone.svg"
