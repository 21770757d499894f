"""installers/linux/install.sh (per-user form) on a bundle-shaped folder, with a private HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "AcmePhone"
    (folder / "_internal" / "resources" / "app").mkdir(parents=True)
    (folder / "AcmePhone").write_text("#!/bin/sh\n", encoding="utf-8")
    (folder / "_internal/resources/app/acmephone.png").write_bytes(b"\x89PNG\r\n")
    for name in ("acmephone.desktop", "install.sh"):
        shutil.copy(ROOT / "installers" / "linux" / name, folder)
    shutil.copy(ROOT / "resources" / "linux" / "70-acme-headset.rules", folder)
    return folder


def _run(bundle: Path, home: Path, *args: str) -> str:
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}  # no XDG_*: the defaults under HOME
    out = subprocess.run(
        ["sh", str(bundle / "install.sh"), *args], env=env, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    return out.stdout


def test_user_install_and_uninstall(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    _run(bundle, home, "--autostart")
    entry = home / ".local/share/applications/acmephone.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f'Exec="{bundle}/AcmePhone" %u' in text
    assert "x-scheme-handler/tel;" in text
    icon = home / ".local/share/icons/hicolor/256x256/apps/acmephone.png"
    assert icon.is_file()
    login = (home / ".config/autostart/acmephone.desktop").read_text(encoding="utf-8")
    assert f'Exec="{bundle}/AcmePhone" --autostart' in login
    assert "MimeType" not in login

    _run(bundle, home, "--uninstall")
    assert not entry.exists()
    assert not icon.exists()
    assert not (home / ".config/autostart/acmephone.desktop").exists()
    assert (bundle / "AcmePhone").exists()  # the per-user form never removes the bundle


def test_unknown_option_refused(bundle: Path, tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _run(bundle, tmp_path, "--everywhere")
    assert failed.value.returncode == 2
