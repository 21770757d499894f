"""The machine configuration: defaults < HKCU < HKLM < the machine file, locked keys, bad files."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pytest

from app.machine_config import (
    DEFAULT_UPDATE_URL,
    MachineConfig,
    RegistryReader,
    from_registry,
    load_machine_config,
    machine_config_path,
)
from app.settings import Settings

FILE = """\
server_url = "https://pbx.example.com"
autostart = false
update_channel = "beta"
update_url = "http://127.0.0.1:8/{channel}.json"
locked = ["server_url", "autostart"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _registry(hives: dict[str, dict[str, str]]) -> RegistryReader:
    def read(hive: str) -> Mapping[str, str]:
        return hives.get(hive, {})

    return read


def test_no_file_and_no_registry_gives_the_defaults(tmp_path: Path) -> None:
    config = load_machine_config(tmp_path / "absent.toml")
    assert config == MachineConfig()
    assert config.autostart is True
    assert config.update_channel == "stable"
    assert config.feed_url == DEFAULT_UPDATE_URL.replace("{channel}", "stable")
    assert not config.is_locked("server_url")
    assert config.error == ""


def test_every_key_of_the_file(tmp_path: Path) -> None:
    config = load_machine_config(_write(tmp_path, FILE))
    assert config.server_url == "https://pbx.example.com"
    assert config.autostart is False
    assert config.update_channel == "beta"
    assert config.feed_url == "http://127.0.0.1:8/beta.json"
    assert config.locked == frozenset({"server_url", "autostart"})
    assert config.sources == (str(tmp_path / "config.toml"),)


def test_empty_update_url_turns_the_check_off(tmp_path: Path) -> None:
    assert load_machine_config(_write(tmp_path, 'update_url = ""\n')).feed_url == ""


def test_bad_toml_is_logged_and_left_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, 'server_url = "https://pbx.example.com\nlocked = [\n')
    with caplog.at_level(logging.WARNING):
        config = load_machine_config(path)
    assert config.server_url == ""
    assert config.locked == frozenset()
    assert config.error.startswith(f"{path}: ")
    assert "machine configuration left out" in caplog.text


def test_a_value_of_the_wrong_type_leaves_the_file_out(tmp_path: Path) -> None:
    config = load_machine_config(_write(tmp_path, 'autostart = "yes"\nserver_url = "https://x"\n'))
    assert config.error == f"{tmp_path / 'config.toml'}: autostart must be a bool"
    assert config.server_url == ""


def test_unknown_keys_and_lock_names_are_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        config = load_machine_config(_write(tmp_path, 'colour = "red"\nlocked = ["colour"]\n'))
    assert config.error == ""
    assert config.locked == frozenset()
    assert "unknown key 'colour'" in caplog.text


def test_registry_values_as_the_installers_write_them() -> None:
    values = {
        "ServerUrl": "https://pbx.example.com",
        "AutoStart": "0",
        "UpdateChannel": "beta",
        "LockServer": "1",
        "InstallDir": r"C:\Program Files\AcmePhone",
    }
    assert from_registry(values) == {
        "server_url": "https://pbx.example.com",
        "autostart": False,
        "update_channel": "beta",
        "locked": frozenset({"server_url"}),
    }
    assert from_registry({"AutoStart": "", "LockServer": "0"}) == {}


def test_layers_hkcu_then_hklm_then_the_file(tmp_path: Path) -> None:
    registry = _registry(
        {
            "HKCU": {"ServerUrl": "https://user-setup.example", "AutoStart": "0"},
            "HKLM": {"ServerUrl": "https://msi.example", "LockServer": "1"},
        }
    )
    path = _write(tmp_path, 'update_channel = "beta"\n')
    config = load_machine_config(path, registry=registry, platform="win32")
    assert config.server_url == "https://msi.example"  # HKLM over HKCU
    assert config.autostart is False  # from HKCU, nobody else says
    assert config.update_channel == "beta"  # the file
    assert config.is_locked("server_url")
    assert config.sources[:2] == (r"HKCU\Software\AcmePhone", r"HKLM\Software\AcmePhone")
    over = load_machine_config(
        _write(tmp_path, 'server_url = "https://file.example"\n'),
        registry=registry,
        platform="win32",
    )
    assert over.server_url == "https://file.example"  # the file over the registry


def test_registry_is_not_read_off_windows(tmp_path: Path) -> None:
    read: list[str] = []

    def registry(hive: str) -> Mapping[str, str]:
        read.append(hive)
        return {"ServerUrl": "https://x"}

    config = load_machine_config(tmp_path / "none.toml", registry=registry, platform="linux")
    assert config.server_url == "https://x"  # an explicit backend is used on any system
    assert read == ["HKCU", "HKLM"]
    assert load_machine_config(tmp_path / "none.toml", platform="linux").server_url == ""


def test_machine_file_paths() -> None:
    assert machine_config_path("linux", {}) == Path("/etc/acmephone/config.toml")
    assert machine_config_path("darwin", {}) == Path(
        "/Library/Application Support/AcmePhone/config.toml"
    )
    assert machine_config_path("win32", {"ProgramData": "D:\\PD"}) == Path(
        "D:\\PD", "AcmePhone", "config.toml"
    )
    assert machine_config_path("linux", {"ACME_MACHINE_CONFIG": "/tmp/x.toml"}) == Path(
        "/tmp/x.toml"
    )


def test_the_test_suite_reads_its_own_machine_file() -> None:
    config = load_machine_config()
    assert config.feed_url == ""
    assert config.sources and config.sources[-1].endswith("tests.toml")


# -- the user's settings over the machine ----------------------------------------------------
def test_user_settings_win_over_unlocked_machine_values(tmp_path: Path) -> None:
    machine = load_machine_config(_write(tmp_path, 'server_url = "https://pbx.example.com"\n'))
    settings = Settings(tmp_path / "settings.ini", machine=machine)
    assert settings.mode == "remote"  # a machine server: no question of embedded or remote
    assert not settings.is_first_start
    assert settings.server_url == "https://pbx.example.com"
    settings.server_url = "https://other.example"
    assert settings.server_url == "https://other.example"
    settings.mode = "embedded"
    assert settings.mode == "embedded"
    assert settings.autostart is True
    settings.autostart = False
    assert settings.autostart is False
    assert settings.autostart_chosen


def test_a_locked_key_cannot_be_changed(tmp_path: Path) -> None:
    machine = load_machine_config(_write(tmp_path, FILE))
    settings = Settings(tmp_path / "settings.ini", machine=machine)
    assert settings.is_locked("server_url") and settings.is_locked("autostart")
    settings.server_url = "https://elsewhere.example"
    settings.mode = "embedded"
    settings.autostart = True
    assert settings.server_url == "https://pbx.example.com"
    assert settings.mode == "remote"
    assert settings.autostart is False
    # a value kept from before the lock does not come back either
    plain = Settings(tmp_path / "settings.ini")
    plain.server_url = "https://old.example"
    assert settings.server_url == "https://pbx.example.com"


def test_autostart_default_comes_from_the_machine(tmp_path: Path) -> None:
    machine = load_machine_config(_write(tmp_path, "autostart = false\n"))
    settings = Settings(tmp_path / "settings.ini", machine=machine)
    assert settings.autostart is False
    assert not settings.autostart_chosen
    settings.autostart = True
    assert settings.autostart is True
