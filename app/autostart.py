"""Start at login (Options → Start at login): one small backend per system, and the controller.

- Windows: ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``, value ``AcmePhone``
  (the per-user setup writes the same value; the MSI's machine-wide one is under HKLM).
- macOS: a LaunchAgent, ``~/Library/LaunchAgents/com.acme.acmephone.plist`` (RunAtLoad).
- Linux: XDG autostart, ``$XDG_CONFIG_HOME/autostart/acmephone.desktop`` (``~/.config``), the
  file ``install.sh --autostart`` writes.

The command is the frozen executable when frozen (``sys.frozen``), else ``python -m app``,
with ``--autostart`` (and ``--data-dir`` when the app runs with a folder of its own). A start
with ``--autostart`` while the user turned the option off ends at once (``app/__main__``): that
is how a user opts out of a machine-wide entry the MSI or ``install.sh --system`` made.
Backends write through an injected writer (files) or registry object, so every system's output
is tested on any system.
"""

from __future__ import annotations

import logging
import os
import plistlib
import shlex
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from app.notices import Notices
from app.settings import Settings
from app.stores._base import tr

__all__ = [
    "DESKTOP_FILE",
    "LAUNCH_AGENT_LABEL",
    "RUN_KEY",
    "RUN_VALUE",
    "Autostart",
    "AutostartBackend",
    "LaunchAgent",
    "RunKey",
    "RunKeyStore",
    "XdgAutostart",
    "default_backend",
    "launch_command",
]

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "AcmePhone"
LAUNCH_AGENT_LABEL = "com.acme.acmephone"
DESKTOP_FILE = "acmephone.desktop"
_log = logging.getLogger(__name__)

FileWriter = Callable[[Path, bytes | None], None]
"""Writes ``bytes`` to a path, or removes the file for None."""


def _write_file(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def launch_command(
    data_dir: str | None = None,
    *,
    frozen: bool | None = None,
    executable: str | None = None,
) -> list[str]:
    """The program and arguments a login starts: the frozen exe, or ``python -m app``."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    exe = executable or sys.executable
    command = [exe] if frozen else [exe, "-m", "app"]
    command.append("--autostart")
    if data_dir:
        command += ["--data-dir", data_dir]
    return command


class AutostartBackend(Protocol):
    """One system's start-at-login entry."""

    def installed(self) -> bool: ...
    def install(self, command: Sequence[str]) -> None: ...
    def remove(self) -> None: ...


class XdgAutostart:
    """Linux and other XDG desktops: a ``.desktop`` file in the user's autostart folder."""

    def __init__(
        self, environ: Mapping[str, str] | None = None, writer: FileWriter = _write_file
    ) -> None:
        env = os.environ if environ is None else environ
        config = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")) / ".config")
        self.path = Path(config).expanduser() / "autostart" / DESKTOP_FILE
        self._write = writer

    def installed(self) -> bool:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return False
        return "Hidden=true" not in text

    def install(self, command: Sequence[str]) -> None:
        self._write(self.path, self.entry(command).encode("utf-8"))

    def remove(self) -> None:
        self._write(self.path, None)

    @staticmethod
    def entry(command: Sequence[str]) -> str:
        exec_line = " ".join(_desktop_quote(arg) for arg in command)
        return (
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Name=Acme Phone\n"
            "Comment=Business softphone\n"
            f"Exec={exec_line}\n"
            "Icon=acmephone\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )


def _desktop_quote(arg: str) -> str:
    """An Exec argument as the Desktop Entry spec quotes it (``%`` doubled)."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


class LaunchAgent:
    """macOS: a LaunchAgent plist in ``~/Library/LaunchAgents`` that runs at login."""

    def __init__(self, home: Path | None = None, writer: FileWriter = _write_file) -> None:
        base = home if home is not None else Path.home()
        self.path = base / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
        self._write = writer

    def installed(self) -> bool:
        return self.path.exists()

    def install(self, command: Sequence[str]) -> None:
        self._write(self.path, self.plist(command))

    def remove(self) -> None:
        self._write(self.path, None)

    @staticmethod
    def plist(command: Sequence[str]) -> bytes:
        return plistlib.dumps(
            {
                "Label": LAUNCH_AGENT_LABEL,
                "ProgramArguments": list(command),
                "RunAtLoad": True,
                "ProcessType": "Interactive",
            }
        )


class RunKeyStore(Protocol):
    """The values of ``HKCU\\...\\Run``: read, set (``REG_SZ``), delete."""

    def get(self, name: str) -> str | None: ...
    def set(self, name: str, value: str) -> None: ...
    def delete(self, name: str) -> None: ...


class _WinRun:
    """``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` through ``winreg``."""

    def get(self, name: str) -> str | None:
        if sys.platform != "win32":
            return None
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                return str(winreg.QueryValueEx(key, name)[0])
        except OSError:
            return None

    def set(self, name: str, value: str) -> None:
        if sys.platform != "win32":
            raise OSError("the Run key exists on Windows only")
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        if sys.platform != "win32":
            return
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


class RunKey:
    """Windows: the value ``AcmePhone`` of the user's Run key (a command line)."""

    def __init__(self, store: RunKeyStore | None = None) -> None:
        self._store = store or _WinRun()

    def installed(self) -> bool:
        return bool(self._store.get(RUN_VALUE))

    def install(self, command: Sequence[str]) -> None:
        self._store.set(RUN_VALUE, subprocess.list2cmdline(list(command)))

    def remove(self) -> None:
        self._store.delete(RUN_VALUE)


def default_backend(platform: str | None = None) -> AutostartBackend:
    platform = platform or sys.platform
    if platform == "win32":
        return RunKey()
    if platform == "darwin":
        return LaunchAgent()
    return XdgAutostart()


class Autostart(QObject):
    """Options → Start at login: the setting (user over machine) and the system's entry.

    ``changed(bool)`` follows :attr:`enabled`.
    """

    changed = Signal(bool)

    def __init__(
        self,
        settings: Settings,
        notices: Notices,
        backend: AutostartBackend | None = None,
        command: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._notices = notices
        self.backend = backend or default_backend()
        self.command = list(command or launch_command())

    @property
    def enabled(self) -> bool:
        return self._settings.autostart

    @property
    def locked(self) -> bool:
        """Set by the administrator (``locked = ["autostart"]``): the user cannot change it."""
        return self._settings.is_locked("autostart")

    def set_enabled(self, on: bool) -> None:
        """Turn start at login on or off: the choice is kept and the entry written or removed."""
        if self.locked:
            self.changed.emit(self.enabled)
            return
        try:
            if on:
                self.backend.install(self.command)
            else:
                self.backend.remove()
        except OSError as exc:
            _log.warning("start at login could not be changed: %s", exc)
            self._notices.post("error", tr("Start at login could not be changed: {0}").format(exc))
            self.changed.emit(self.enabled)
            return
        self._settings.autostart = on
        _log.info("start at login %s: %s", "on" if on else "off", shlex.join(self.command))
        self.changed.emit(on)

    def sync(self) -> None:
        """At start: keep the entry of a choice the user made pointing at this program."""
        if not self._settings.autostart_chosen or self.locked:
            return
        try:
            if self._settings.autostart:
                self.backend.install(self.command)
            elif self.backend.installed():
                self.backend.remove()
        except OSError as exc:
            _log.warning("start at login entry not updated: %s", exc)
