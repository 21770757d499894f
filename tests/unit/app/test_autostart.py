"""Start at login: the XDG entry end to end, the Run key and the LaunchAgent through their output,
the command, and an ``--autostart`` start the user turned off."""

from __future__ import annotations

import plistlib
import shlex
from pathlib import Path

import pytest

from app.__main__ import main, parse_args
from app.autostart import (
    RUN_VALUE,
    Autostart,
    LaunchAgent,
    RunKey,
    XdgAutostart,
    launch_command,
)
from app.machine_config import load_machine_config
from app.notices import Notices
from app.settings import Settings


class FakeRun:
    """The user's Run key as a dict (what winreg would hold)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def test_command_from_a_checkout_and_frozen() -> None:
    assert launch_command(frozen=False, executable="/usr/bin/python3") == [
        "/usr/bin/python3",
        "-m",
        "app",
        "--autostart",
    ]
    assert launch_command(
        "C:\\Users\\a\\Phone data",
        frozen=True,
        executable="C:\\Program Files\\AcmePhone\\AcmePhone.exe",
    ) == [
        "C:\\Program Files\\AcmePhone\\AcmePhone.exe",
        "--autostart",
        "--data-dir",
        "C:\\Users\\a\\Phone data",
    ]
    assert parse_args(launch_command(frozen=True, executable="x")[1:]).autostart


def test_linux_xdg_autostart_end_to_end(tmp_path: Path) -> None:
    config = tmp_path / "config"
    settings = Settings(tmp_path / "settings.ini")
    command = ["/opt/AcmePhone/AcmePhone", "--autostart", "--data-dir", "/home/a/My Phone"]
    autostart = Autostart(
        settings, Notices(), XdgAutostart({"XDG_CONFIG_HOME": str(config)}), command
    )
    seen: list[bool] = []
    autostart.changed.connect(seen.append)
    autostart.set_enabled(True)
    entry = config / "autostart" / "acmephone.desktop"
    text = entry.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\nType=Application\n")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert shlex.split(exec_line.removeprefix("Exec=")) == command
    assert "X-GNOME-Autostart-enabled=true" in text
    assert autostart.backend.installed()
    assert settings.autostart is True and settings.autostart_chosen

    autostart.set_enabled(False)
    assert not entry.exists()
    assert settings.autostart is False
    assert seen == [True, False]
    # the choice survives a restart, and the entry follows it at start
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text("[Desktop Entry]\nExec=old\n", encoding="utf-8")
    Autostart(
        Settings(tmp_path / "settings.ini"),
        Notices(),
        XdgAutostart({"XDG_CONFIG_HOME": str(config)}),
        command,
    ).sync()
    assert not entry.exists()


def test_xdg_default_folder_is_home_config(tmp_path: Path) -> None:
    backend = XdgAutostart({"HOME": str(tmp_path)})
    assert backend.path == tmp_path / ".config" / "autostart" / "acmephone.desktop"


def test_xdg_exec_quotes_and_escapes_percent() -> None:
    text = XdgAutostart.entry(["/opt/Acme Phone/AcmePhone", "--data-dir", "/d/100%"])
    assert 'Exec="/opt/Acme Phone/AcmePhone" --data-dir /d/100%%\n' in text


def test_windows_run_key_through_its_output(tmp_path: Path) -> None:
    run = FakeRun()
    settings = Settings(tmp_path / "settings.ini")
    command = ["C:\\Program Files\\AcmePhone\\AcmePhone.exe", "--autostart"]
    autostart = Autostart(settings, Notices(), RunKey(run), command)
    autostart.set_enabled(True)
    assert run.values == {RUN_VALUE: '"C:\\Program Files\\AcmePhone\\AcmePhone.exe" --autostart'}
    assert autostart.backend.installed()
    autostart.set_enabled(False)
    assert run.values == {}


def test_macos_launch_agent_through_its_output(tmp_path: Path) -> None:
    written: dict[Path, bytes | None] = {}

    def writer(path: Path, data: bytes | None) -> None:
        written[path] = data

    command = ["/Applications/AcmePhone.app/Contents/MacOS/AcmePhone", "--autostart"]
    settings = Settings(tmp_path / "settings.ini")
    autostart = Autostart(settings, Notices(), LaunchAgent(tmp_path, writer), command)
    autostart.set_enabled(True)
    path = tmp_path / "Library" / "LaunchAgents" / "com.acme.acmephone.plist"
    data = written[path]
    assert data is not None
    plist = plistlib.loads(data)
    assert plist["Label"] == "com.acme.acmephone"
    assert plist["ProgramArguments"] == command
    assert plist["RunAtLoad"] is True
    autostart.set_enabled(False)
    assert written[path] is None


def test_a_locked_autostart_is_not_changed(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text('autostart = true\nlocked = ["autostart"]\n')
    settings = Settings(tmp_path / "settings.ini", machine=load_machine_config(tmp_path / "m.toml"))
    run = FakeRun()
    autostart = Autostart(settings, Notices(), RunKey(run), ["x", "--autostart"])
    seen: list[bool] = []
    autostart.changed.connect(seen.append)
    assert autostart.locked and autostart.enabled
    autostart.set_enabled(False)
    assert autostart.enabled and run.values == {} and seen == [True]


def test_a_failing_backend_says_so(tmp_path: Path) -> None:
    class Broken(FakeRun):
        def set(self, name: str, value: str) -> None:
            raise PermissionError("access denied")

    notices = Notices()
    settings = Settings(tmp_path / "settings.ini")
    settings.autostart = False
    autostart = Autostart(settings, notices, RunKey(Broken()), ["x"])
    autostart.set_enabled(True)
    assert settings.autostart is False
    assert notices.recent[-1].text == "Start at login could not be changed: access denied"


def test_autostart_start_ends_quietly_when_the_user_turned_it_off(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Settings(data / "settings.ini").autostart = False
    assert main(["--autostart", "--data-dir", str(data)]) == 0
    assert not (data / "logs").exists() or not any((data / "logs").iterdir())


@pytest.mark.parametrize(
    ("argv", "dial"),
    [
        (["--dial", "tel:+31201234567"], "tel:+31201234567"),
        (["callto:203"], "callto:203"),
        (["SIP:203@pbx.example.com"], "SIP:203@pbx.example.com"),
        ([], None),
    ],
)
def test_dial_option_and_bare_links(argv: list[str], dial: str | None) -> None:
    assert parse_args(argv).dial == dial


def test_a_bare_word_is_not_a_link() -> None:
    with pytest.raises(SystemExit):
        parse_args(["203"])
