"""The machine configuration IT sets: registry values and a TOML file, layered over the defaults.

Layers, each overriding the one before, key by key (docs/deployment.md, "Machine configuration"):

1. built-in defaults (:class:`MachineConfig` as constructed);
2. on Windows ``HKCU\\Software\\AcmePhone`` (the per-user setup writes it);
3. on Windows ``HKLM\\Software\\AcmePhone`` (the MSI writes it);
4. the machine file: ``%ProgramData%\\AcmePhone\\config.toml``,
   ``/Library/Application Support/AcmePhone/config.toml`` or ``/etc/acmephone/config.toml``
   (``ACME_MACHINE_CONFIG`` names another file, for tests and trials).

The user's own settings (:class:`app.settings.Settings`) sit on top, except for the keys listed
in ``locked``. The registry is read through a small backend (:data:`RegistryReader`; ``winreg``
only on Windows), so everything else here is plain data and tested with files. A file that is
not valid TOML, or holds a value of the wrong type, is logged and left out: :attr:`error` says
why, the app shows a notice and uses the other layers.
"""

from __future__ import annotations

import logging
import os
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_UPDATE_URL",
    "ENV_PATH",
    "KEYS",
    "MachineConfig",
    "RegistryReader",
    "from_registry",
    "load_machine_config",
    "machine_config_path",
    "no_registry",
    "windows_registry",
]

ENV_PATH = "ACME_MACHINE_CONFIG"
DEFAULT_UPDATE_URL = "https://updates.acme.example/acmephone/{channel}.json"
KEYS = ("server_url", "autostart", "update_channel", "update_url")
REGISTRY_KEY = r"Software\AcmePhone"

RegistryReader = Callable[[str], Mapping[str, str]]
"""Reads the values under ``Software\\AcmePhone`` of a hive (``"HKCU"`` or ``"HKLM"``)."""

_log = logging.getLogger(__name__)
_TYPES: dict[str, type] = {
    "server_url": str,
    "autostart": bool,
    "update_channel": str,
    "update_url": str,
}


@dataclass(frozen=True, slots=True)
class MachineConfig:
    """What the machine says; :meth:`is_locked` tells which keys users cannot change."""

    server_url: str = ""
    autostart: bool = True
    update_channel: str = "stable"
    update_url: str = DEFAULT_UPDATE_URL
    locked: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    """Where the values came from (``HKLM\\Software\\AcmePhone``, a file path), for the log."""
    error: str = ""
    """Why the machine file was left out (plain text with its path), or ``""``."""

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    @property
    def feed_url(self) -> str:
        """The update feed with ``{channel}`` filled in; ``""`` turns the check off."""
        return self.update_url.replace("{channel}", self.update_channel or "stable")

    def merged(self, values: Mapping[str, Any], source: str) -> MachineConfig:
        """This config with ``values`` (checked, see :func:`_checked`) laid over it."""
        changes: dict[str, Any] = {k: v for k, v in values.items() if k in KEYS}
        locked = self.locked | frozenset(values.get("locked", ()))
        return replace(self, **changes, locked=locked, sources=(*self.sources, source))


def _checked(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The known keys of ``data`` with their types checked; ValueError names the first bad one."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "locked":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{source}: locked must be a list of key names")
            unknown = sorted(set(value) - set(KEYS))
            if unknown:
                _log.warning("%s: locked names unknown keys %s; ignored", source, unknown)
            out["locked"] = frozenset(v for v in value if v in KEYS)
        elif key in _TYPES:
            if not isinstance(value, _TYPES[key]):
                raise ValueError(f"{source}: {key} must be a {_TYPES[key].__name__}")
            out[key] = value.strip() if isinstance(value, str) else value
        else:
            _log.warning("%s: unknown key %r ignored", source, key)
    return out


def from_registry(values: Mapping[str, str]) -> dict[str, Any]:
    """The machine keys for the registry values the installers write (``ServerUrl``, ...)."""
    out: dict[str, Any] = {}
    if values.get("ServerUrl"):
        out["server_url"] = str(values["ServerUrl"]).strip()
    if str(values.get("AutoStart", "")).strip() in ("0", "1"):
        out["autostart"] = str(values["AutoStart"]).strip() == "1"
    if values.get("UpdateChannel"):
        out["update_channel"] = str(values["UpdateChannel"]).strip()
    if "UpdateUrl" in values:
        out["update_url"] = str(values["UpdateUrl"]).strip()
    if str(values.get("LockServer", "")).strip() == "1":
        out["locked"] = frozenset({"server_url"})
    return out


def no_registry(hive: str) -> Mapping[str, str]:
    """The registry backend off Windows: nothing."""
    return {}


def windows_registry(hive: str) -> Mapping[str, str]:
    """``HKCU``/``HKLM\\Software\\AcmePhone`` (64-bit view) as strings; {} when absent."""
    if sys.platform != "win32":
        return {}
    import winreg

    root = winreg.HKEY_LOCAL_MACHINE if hive == "HKLM" else winreg.HKEY_CURRENT_USER
    values: dict[str, str] = {}
    try:
        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        with winreg.OpenKey(root, REGISTRY_KEY, 0, access) as key:
            index = 0
            while True:
                try:
                    name, value, _kind = winreg.EnumValue(key, index)
                except OSError:
                    break
                values[name] = str(value)
                index += 1
    except OSError:
        return {}
    return values


def machine_config_path(
    platform: str | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The machine file of this system (``ACME_MACHINE_CONFIG`` wins when set)."""
    env = os.environ if environ is None else environ
    if env.get(ENV_PATH):
        return Path(env[ENV_PATH])
    platform = platform or sys.platform
    if platform == "win32":
        base = env.get("ProgramData") or env.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / "AcmePhone" / "config.toml"
    if platform == "darwin":
        return Path("/Library/Application Support/AcmePhone/config.toml")
    return Path("/etc/acmephone/config.toml")


def load_machine_config(
    path: Path | None = None,
    *,
    registry: RegistryReader | None = None,
    platform: str | None = None,
) -> MachineConfig:
    """Every machine layer read now; never raises (a bad file ends in :attr:`error`)."""
    platform = platform or sys.platform
    if registry is None:
        registry = windows_registry if platform == "win32" else no_registry
    config = MachineConfig()
    for hive in ("HKCU", "HKLM"):
        values = from_registry(registry(hive))
        if values:
            config = config.merged(values, f"{hive}\\{REGISTRY_KEY}")
    path = path or machine_config_path(platform)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        config = config.merged(_checked(data, str(path)), str(path))
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        error = str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}"
        _log.warning("machine configuration left out: %s", error)
        config = replace(config, error=error)
    if config.sources:
        _log.info("machine configuration from %s", ", ".join(config.sources))
    return config
