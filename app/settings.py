"""The user's settings: an INI file (QSettings, IniFormat) in the data folder, password apart.

Some keys have a machine-wide value (:mod:`app.machine_config`): the user's value wins over it,
except for a key the machine locks, whose setter then keeps the machine's value.

The password is kept only in the system keyring (``keyring``: Windows Credential Manager, macOS
Keychain, Secret Service on Linux), never in the INI file. Where no keyring backend works (a
bare Linux box, CI) the password is simply not remembered: :attr:`Settings.keyring_available`
is False, :meth:`Settings.store_password` returns False and nothing crashes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import keyring
from PySide6.QtCore import QSettings

from app.machine_config import MachineConfig

__all__ = ["KEYRING_SERVICE", "PresenceUse", "Settings"]

KEYRING_SERVICE = "AcmePhone"
_MAX_SEEN = 500
_MAX_USES = 50

_log = logging.getLogger(__name__)

PresenceUse = tuple[str, int]
"""One use of a status: (status, minutes until its end)."""


class Settings:
    """Typed access to the settings file; every setter writes through at once."""

    def __init__(
        self,
        path: Path,
        keyring_service: str = KEYRING_SERVICE,
        machine: MachineConfig | None = None,
    ) -> None:
        self.path = path
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self._service = keyring_service
        self.machine = machine or MachineConfig()

    def is_locked(self, key: str) -> bool:
        """True for a key the machine configuration locks ("Set by your administrator")."""
        return self.machine.is_locked(key)

    # -- plain values ---------------------------------------------------------------
    def _str(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return str(value) if value is not None else default

    def _set(self, key: str, value: Any) -> None:
        if value is None:
            self._qs.remove(key)
        else:
            self._qs.setValue(key, value)
        self._qs.sync()

    @property
    def is_first_start(self) -> bool:
        """True until a mode (embedded or remote) was chosen once."""
        return self.mode == ""

    @property
    def mode(self) -> str:
        """``"embedded"``, ``"remote"`` or ``""`` (not chosen yet).

        A machine ``server_url`` means remote until the user chose otherwise; a locked one
        means remote always.
        """
        chosen = self._str("session/mode")
        if self.machine.server_url and (not chosen or self.is_locked("server_url")):
            return "remote"
        return chosen

    @mode.setter
    def mode(self, value: str) -> None:
        if value not in ("", "embedded", "remote"):
            raise ValueError(f"mode must be 'embedded' or 'remote': {value!r}")
        self._set("session/mode", value)

    @property
    def server_url(self) -> str:
        """The user's server, else the machine's; the machine's when it is locked."""
        if self.is_locked("server_url"):
            return self.machine.server_url
        return self._str("session/server_url") or self.machine.server_url

    @server_url.setter
    def server_url(self, value: str) -> None:
        if self.is_locked("server_url"):
            if value.rstrip("/") != self.machine.server_url.rstrip("/"):
                _log.warning("server_url is set by the administrator; %r not kept", value)
            return
        self._set("session/server_url", value)

    @property
    def autostart(self) -> bool:
        """Start at login: the user's choice, else the machine's ``autostart`` (default on)."""
        chosen = self._str("startup/autostart")
        if self.is_locked("autostart") or chosen not in ("true", "false"):
            return self.machine.autostart
        return chosen == "true"

    @autostart.setter
    def autostart(self, value: bool) -> None:
        if self.is_locked("autostart"):
            _log.warning("autostart is set by the administrator; not changed")
            return
        self._set("startup/autostart", "true" if value else "false")

    @property
    def autostart_chosen(self) -> bool:
        """True once the user turned start at login on or off themselves."""
        return self._str("startup/autostart") in ("true", "false")

    @property
    def username(self) -> str:
        return self._str("session/username")

    @username.setter
    def username(self, value: str) -> None:
        self._set("session/username", value)

    @property
    def language(self) -> str:
        """A language code (``"en"``, ``"nl"``) or ``""`` to follow the system."""
        return self._str("ui/language")

    @language.setter
    def language(self, value: str) -> None:
        self._set("ui/language", value)

    @property
    def region(self) -> str:
        """The default region for phone numbers typed without a country code."""
        return self._str("numbers/region", "NL") or "NL"

    @region.setter
    def region(self, value: str) -> None:
        if len(value) != 2 or not value.isalpha():
            raise ValueError(f"region must be a two-letter country code: {value!r}")
        self._set("numbers/region", value.upper())

    @property
    def mobile_number(self) -> str:
        """The user's own mobile number: where "Move" sends a call ("" when not set)."""
        return self._str("calls/mobile_number")

    @mobile_number.setter
    def mobile_number(self, value: str) -> None:
        self._set("calls/mobile_number", value.strip() or None)

    @property
    def diagnostics(self) -> bool:
        return self._str("logging/diagnostics", "false").lower() == "true"

    @diagnostics.setter
    def diagnostics(self, value: bool) -> None:
        self._set("logging/diagnostics", "true" if value else "false")

    @property
    def notifications_enabled(self) -> bool:
        """Desktop notifications (calls, missed calls, chat, voicemail); on by default."""
        return self._str("notifications/enabled", "true").lower() == "true"

    @notifications_enabled.setter
    def notifications_enabled(self, value: bool) -> None:
        self._set("notifications/enabled", "true" if value else "false")

    @property
    def headset_enabled(self) -> bool:
        """USB headset call control (answer, hang up, mute from the headset); on by default."""
        return self._str("headset/enabled", "true").lower() == "true"

    @headset_enabled.setter
    def headset_enabled(self, value: bool) -> None:
        self._set("headset/enabled", "true" if value else "false")

    @property
    def headset_device(self) -> str:
        """The chosen headset's device id, or ``"automatic"`` (the first one found)."""
        return self._str("headset/device", "automatic") or "automatic"

    @headset_device.setter
    def headset_device(self, value: str) -> None:
        self._set("headset/device", value or "automatic")

    def device(self, role: str) -> str | None:
        """The chosen device name for ``input``, ``output`` or ``ringer`` (None: default)."""
        _check_role(role)
        return self._str(f"audio/{role}") or None

    def set_device(self, role: str, name: str | None) -> None:
        _check_role(role)
        self._set(f"audio/{role}", name or None)

    # -- lists kept as JSON ----------------------------------------------------------
    def _json(self, key: str) -> Any:
        text = self._str(key)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            _log.warning("settings key %s is not valid JSON; ignored", key)
            return None

    @property
    def seen_missed_ids(self) -> set[int]:
        """Ids of missed calls the user has seen (for the unseen badge)."""
        value = self._json("history/seen_missed")
        if not isinstance(value, list):
            return set()
        return {int(v) for v in value if isinstance(v, int)}

    def add_seen_missed(self, ids: set[int]) -> None:
        merged = sorted(self.seen_missed_ids | ids)[-_MAX_SEEN:]
        self._set("history/seen_missed", json.dumps(merged))

    @property
    def presence_uses(self) -> list[PresenceUse]:
        """The recent status choices with their length in minutes, oldest first."""
        value = self._json("presence/uses")
        if not isinstance(value, list):
            return []
        uses: list[PresenceUse] = []
        for item in value:
            if isinstance(item, list) and len(item) == 2:
                status, minutes = item
                if isinstance(status, str) and isinstance(minutes, int):
                    uses.append((status, minutes))
        return uses

    def add_presence_use(self, status: str, minutes: int) -> None:
        uses = [*self.presence_uses, (status, minutes)][-_MAX_USES:]
        self._set("presence/uses", json.dumps([list(u) for u in uses]))

    # -- password (keyring only) -----------------------------------------------------
    @property
    def keyring_available(self) -> bool:
        """False when no keyring backend works here: passwords are then not remembered."""
        try:
            backend = keyring.get_keyring()
        except Exception:
            return False
        priority = getattr(backend, "priority", 0)
        name = type(backend).__module__
        return not name.startswith("keyring.backends.fail") and priority > 0

    def store_password(self, password: str) -> bool:
        """Remember the password for :attr:`username`; False when it cannot be kept."""
        if not self.keyring_available or not self.username:
            return False
        try:
            keyring.set_password(self._service, self._account(), password)
        except Exception as exc:
            _log.warning("the keyring refused the password: %s", exc)
            return False
        return True

    def password(self) -> str | None:
        """The remembered password, or None (none kept, or no keyring)."""
        if not self.keyring_available or not self.username:
            return None
        try:
            value = keyring.get_password(self._service, self._account())
        except Exception as exc:
            _log.warning("the keyring could not be read: %s", exc)
            return None
        return str(value) if value is not None else None

    def forget_password(self) -> None:
        if not self.keyring_available or not self.username:
            return
        try:
            keyring.delete_password(self._service, self._account())
        except Exception as exc:
            _log.info("no password to forget: %s", exc)

    def _account(self) -> str:
        return f"{self.username}@{self.server_url}"

    def sync(self) -> None:
        self._qs.sync()


def _check_role(role: str) -> None:
    if role not in ("input", "output", "ringer"):
        raise ValueError(f"device role must be input, output or ringer: {role!r}")
