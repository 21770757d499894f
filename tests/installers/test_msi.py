"""The MSI authoring: installers/windows/AcmePhone.wxs built with wixl, its tables read back.

Builds from a staged tree (installers/build_msi.py), so it runs on every `make test`; the
Makefile installs wixl and msitools (Debian) for it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("wixl", "msiinfo", "msibuild")

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="wixl/msitools not installed (Debian: apt-get install wixl msitools; make test does)",
)

Table = list[dict[str, str]]


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("msi")
    out = work / "AcmePhone.msi"
    subprocess.run(
        [sys.executable, str(ROOT / "installers" / "build_msi.py"), "--out", str(out),
         "--work", str(work / "build")],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out


def _table(msi: Path, name: str) -> Table:
    # binary columns (Icon.Data) are written as files into <cwd>/<table>/: keep them beside the msi
    text = subprocess.run(
        ["msiinfo", "export", str(msi), name], check=True, capture_output=True, text=True,
        cwd=msi.parent,
    ).stdout  # fmt: skip
    lines = text.splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:]]


def _properties(msi: Path) -> dict[str, str]:
    return {row["Property"]: row.get("Value", "") for row in _table(msi, "Property")}


def _version() -> str:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_package_is_x64_per_machine(msi: Path) -> None:
    info = subprocess.run(
        ["msiinfo", "suminfo", str(msi)], check=True, capture_output=True, text=True
    ).stdout
    assert "Template: x64;1033" in info


def test_product_properties_and_upgrade_code(msi: Path) -> None:
    props = _properties(msi)
    assert props["UpgradeCode"] == "{C6889416-D7FB-4498-B40F-901F0D6D1E47}"
    assert props["ProductVersion"] == _version()
    assert props["Manufacturer"] == "Acme"
    assert props["ALLUSERS"] == "1"  # per-machine
    assert props["ARPHELPLINK"].startswith("https://")
    assert props["AUTOSTART"] == "1"
    assert props["ARPPRODUCTICON"] == "AcmePhone.ico"
    assert {row["Name"] for row in _table(msi, "Icon")} == {"AcmePhone.ico"}


def test_public_properties_are_secure(msi: Path) -> None:
    """Secure: passed from the command line or a transform to the elevated install."""
    secure = _properties(msi)["SecureCustomProperties"].split(";")
    for name in ("SERVERURL", "AUTOSTART", "UPDATECHANNEL", "LOCKSERVER"):
        assert name in secure


def test_major_upgrade(msi: Path) -> None:
    upgrade_code = _properties(msi)["UpgradeCode"]
    rows = _table(msi, "Upgrade")
    assert {row["ActionProperty"] for row in rows} == {
        "WIX_UPGRADE_DETECTED",
        "WIX_DOWNGRADE_DETECTED",
    }
    assert all(row["UpgradeCode"] == upgrade_code for row in rows)
    sequence = {row["Action"]: row for row in _table(msi, "InstallExecuteSequence")}
    assert "RemoveExistingProducts" in sequence
    conditions = {row["Condition"] for row in _table(msi, "LaunchCondition")}
    assert conditions == {"NOT WIX_DOWNGRADE_DETECTED"}  # no component condition leaked here


def _registry(msi: Path) -> list[dict[str, str]]:
    return _table(msi, "Registry")


def test_machine_configuration_in_registry(msi: Path) -> None:
    values = {
        row["Name"]: (row["Value"], row["Component_"])
        for row in _registry(msi)
        if row["Key"] == "Software\\AcmePhone" and row["Root"] == "2"  # HKLM
    }
    assert values["ServerUrl"][0] == "[SERVERURL]"
    assert values["AutoStart"][0] == "[AUTOSTART]"
    assert values["UpdateChannel"][0] == "[UPDATECHANNEL]"
    assert values["LockServer"][0] == "1"
    conditions = {row["Component"]: row["Condition"] for row in _table(msi, "Component")}
    assert conditions[values["ServerUrl"][1]] == "SERVERURL"
    assert conditions[values["LockServer"][1]] == 'LOCKSERVER = "1"'
    assert conditions[values["AutoStart"][1]] == ""


def test_run_key_written_only_with_autostart(msi: Path) -> None:
    (run,) = [
        row
        for row in _registry(msi)
        if row["Key"] == "Software\\Microsoft\\Windows\\CurrentVersion\\Run"
    ]
    assert run["Root"] == "2"
    assert run["Name"] == "AcmePhone"
    assert run["Value"] == '"[INSTALLDIR]AcmePhone.exe" --autostart'
    conditions = {row["Component"]: row["Condition"] for row in _table(msi, "Component")}
    assert conditions[run["Component_"]] == 'AUTOSTART = "1"'


@pytest.mark.parametrize("scheme", ["sip", "tel", "callto"])
def test_url_handlers(msi: Path, scheme: str) -> None:
    keys = {(row["Key"], row["Name"]): row["Value"] for row in _registry(msi)}
    base = f"Software\\Classes\\{scheme}"
    assert (base, "URL Protocol") in keys
    assert keys[(base + "\\shell\\open\\command", "")] == (
        '"[INSTALLDIR]AcmePhone.exe" --dial "%1"'
    )
    capabilities = "Software\\AcmePhone\\Capabilities\\URLAssociations"
    assert keys[(capabilities, scheme)] == "AcmePhone.Url"


def test_remembered_properties_searched_before_command_line_restored(msi: Path) -> None:
    searched = {row["Property"] for row in _table(msi, "AppSearch")}
    assert searched == {"SERVERURL", "UPDATECHANNEL", "LOCKSERVER"}
    # type 51: set a property, immediate (WiX's type for <CustomAction Property= Value=>)
    assert {row["Type"] for row in _table(msi, "CustomAction")} == {"51"}
    for table in ("InstallUISequence", "InstallExecuteSequence"):
        order = {row["Action"]: int(row["Sequence"]) for row in _table(msi, table)}
        for name in ("ServerUrl", "UpdateChannel", "LockServer"):
            assert order[f"Save{name}"] < order["AppSearch"] < order[f"Restore{name}"]
            assert order[f"Restore{name}"] < order["LaunchConditions"]


def test_start_menu_shortcut_and_files(msi: Path) -> None:
    (shortcut,) = _table(msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Name"] == "Acme Phone"
    assert shortcut["Target"] == "[INSTALLDIR]AcmePhone.exe"
    assert shortcut["Icon_"] == "AcmePhone.ico"
    files = {row["FileName"] for row in _table(msi, "File")}
    assert "AcmePhone.exe" in files
    assert "phone.svg" in files  # harvested from the staged tree's nested folders
    directories = {row["Directory"]: row for row in _table(msi, "Directory")}
    assert directories["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
