"""Settings: INI values round-trip, the password only ever in the keyring, logs file names."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from app.logs import AppLogging, next_diagnostics_path
from app.paths import AppPaths
from app.settings import Settings


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def test_values_survive_a_new_instance(tmp_path: Path) -> None:
    paths = AppPaths.create(tmp_path / "data")
    assert paths.logs_dir.is_dir() and paths.pbx_dir.is_dir()
    settings = Settings(paths.settings_file)
    assert settings.is_first_start and settings.region == "NL" and not settings.diagnostics
    settings.mode = "remote"
    settings.server_url = "https://pbx.acme.example"
    settings.username = "201"
    settings.region = "dk"
    settings.diagnostics = True
    settings.set_device("ringer", "USB Headset")
    settings.add_seen_missed({3, 1})
    settings.add_seen_missed({2})
    settings.add_presence_use("meeting", 90)
    again = Settings(paths.settings_file)
    assert again.mode == "remote" and not again.is_first_start
    assert (again.server_url, again.username, again.region) == (
        "https://pbx.acme.example",
        "201",
        "DK",
    )
    assert again.diagnostics and again.device("ringer") == "USB Headset"
    assert again.device("input") is None
    assert again.seen_missed_ids == {1, 2, 3}
    assert again.presence_uses == [("meeting", 90)]


def test_bad_values_are_refused(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.ini")
    with pytest.raises(ValueError, match="mode must be 'embedded' or 'remote': 'cloud'"):
        settings.mode = "cloud"
    with pytest.raises(ValueError, match="device role must be input, output or ringer: 'mic'"):
        settings.device("mic")
    with pytest.raises(ValueError, match="region must be a two-letter country code: 'NLD'"):
        settings.region = "NLD"


def test_corrupt_json_lists_read_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    path.write_text("[history]\nseen_missed=not json\n[presence]\nuses=[[1, 2], 3]\n")
    settings = Settings(path)
    assert settings.seen_missed_ids == set()
    assert settings.presence_uses == []


def test_password_goes_to_the_keyring_only(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    settings = Settings(tmp_path / "s.ini")
    settings.server_url = "http://127.0.0.1:8080"
    settings.username = "201"
    assert settings.keyring_available
    assert settings.store_password("Sekrit-201!")
    assert Settings(tmp_path / "s.ini").password() == "Sekrit-201!"
    assert "Sekrit" not in (tmp_path / "s.ini").read_text()
    assert memory_keyring.store == {("AcmePhone", "201@http://127.0.0.1:8080"): "Sekrit-201!"}
    settings.forget_password()
    assert settings.password() is None


def test_without_a_keyring_the_password_is_not_remembered(tmp_path: Path, no_keyring: None) -> None:
    settings = Settings(tmp_path / "s.ini")
    settings.username = "201"
    assert not settings.keyring_available
    assert settings.store_password("Sekrit-201!") is False
    assert settings.password() is None
    settings.forget_password()
    assert "Sekrit" not in (tmp_path / "s.ini").read_text()


def test_diagnostics_files_count_up_per_day(tmp_path: Path) -> None:
    day = dt.date(2024, 6, 18)
    assert next_diagnostics_path(tmp_path, day).name == "AcmePhone-2024-06-18-001.log"
    (tmp_path / "AcmePhone-2024-06-18-007.log").touch()
    (tmp_path / "AcmePhone-2024-06-17-009.log").touch()
    assert next_diagnostics_path(tmp_path, day).name == "AcmePhone-2024-06-18-008.log"
    assert next_diagnostics_path(tmp_path, dt.date(2024, 6, 19)).name.endswith("19-001.log")


def test_diagnostics_logging_writes_debug_lines(tmp_path: Path) -> None:
    logs = AppLogging(tmp_path / "logs")
    try:
        first = logs.set_diagnostics(True, today=dt.date(2024, 6, 18))
        assert first is not None and first.name == "AcmePhone-2024-06-18-001.log"
        logging.getLogger("app.test").debug("a diagnostics line")
        logging.getLogger("app.test").info("an info line")
        logs.set_diagnostics(False)
        assert logs.diagnostics_path is None
        assert "a diagnostics line" in first.read_text()
        main = (tmp_path / "logs" / "app.log").read_text()
        assert "an info line" in main and "a diagnostics line" not in main
        second = logs.set_diagnostics(True, today=dt.date(2024, 6, 18))
        assert second is not None and second.name == "AcmePhone-2024-06-18-002.log"
    finally:
        logs.close()
