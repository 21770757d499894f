"""The per-user setup .exe: installers/windows/AcmePhone-setup.nsi built with makensis.

Built from a staged tree (installers/build_setup.py) on every `make test`; the Makefile installs
NSIS and p7zip for it. The install itself is exercised on Windows by the installers workflow.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "installers" / "windows" / "AcmePhone-setup.nsi"

pytestmark = pytest.mark.skipif(
    shutil.which("makensis") is None or shutil.which("7z") is None,
    reason="NSIS or p7zip not installed (Debian: apt-get install nsis p7zip-full; make test does)",
)


@pytest.fixture(scope="module")
def setup_exe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("setup")
    out = work / "AcmePhone-setup.exe"
    subprocess.run(
        [sys.executable, str(ROOT / "installers" / "build_setup.py"), "--out", str(out),
         "--work", str(work / "build")],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out


def test_is_a_unicode_nsis_installer_with_the_tree(setup_exe: Path) -> None:
    assert setup_exe.read_bytes()[:2] == b"MZ"
    listing = subprocess.run(
        ["7z", "l", str(setup_exe)], check=True, capture_output=True, text=True
    ).stdout
    assert "SubType = NSIS-3 Unicode" in listing
    names = {line.split()[-1] for line in listing.splitlines() if line.endswith(".exe")}
    assert {"AcmePhone.exe", "Uninstall.exe"} <= names
    assert "_internal/resources/icons/phone.svg" in listing


def test_script_stays_per_user() -> None:
    """No elevation and nothing outside the user's hive and profile."""
    text = NSI.read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in text
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\AcmePhone"' in text
    writes = re.findall(r"^\s*(?:WriteReg\w+|DeleteReg\w+)\s+(\w+)", text, re.MULTILINE)
    assert writes and set(writes) == {"HKCU"}
    for scheme in ("sip", "tel", "callto"):
        assert f'!insertmacro UrlHandler "{scheme}"' in text
