"""installers/entry.py, the frozen program's dispatch, run from the checkout (no build)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "installers" / "entry.py"


@pytest.fixture(scope="module")
def entry() -> ModuleType:
    spec = importlib.util.spec_from_file_location("acmephone_entry", ENTRY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entry_version() -> str:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_version_from_the_checkout() -> None:
    out = subprocess.run(
        [sys.executable, str(ENTRY), "--version"], check=True, capture_output=True, text=True
    )
    assert out.stdout.split() == ["AcmePhone", entry_version()]


@pytest.mark.parametrize("argv", [["--server", "--bind", "x"], ["-m", "server", "--bind", "x"]])
def test_server_forms_reach_the_server_main(
    entry: ModuleType, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    seen: list[list[str]] = []

    def server(args: list[str]) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(entry, "_server", server)
    assert entry.main(argv) == 0
    assert seen == [["--bind", "x"]]


def test_app_options_pass_through(entry: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entry, "_app_accepts", lambda chunk: True)
    argv = ["--demo", "--data-dir", "/d", "--dial", "201", "--autostart"]
    assert entry._app_argv(argv) == argv


def test_bare_link_means_dial(entry: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entry, "_app_accepts", lambda chunk: True)
    assert entry._app_argv(["tel:+31201234567"]) == ["--dial", "tel:+31201234567"]
    assert entry._app_argv(["--demo", "SIP:201@pbx"]) == ["--demo", "--dial", "SIP:201@pbx"]


def test_installer_options_the_app_lacks_are_dropped(
    entry: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(entry, "_app_accepts", lambda chunk: False)
    argv = ["--autostart", "--demo", "--dial", "201", "--dial=202", "callto:203"]
    assert entry._app_argv(argv) == ["--demo"]
    assert "--dial is not supported by this version yet" in capsys.readouterr().err


def test_app_accepts_asks_the_app_parser(entry: ModuleType) -> None:
    assert entry._app_accepts(["--demo"])
    assert not entry._app_accepts(["--no-such-option"])
