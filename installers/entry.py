"""The frozen ``AcmePhone`` program: the desktop app and its PBX in one executable.

    AcmePhone [--demo] [--data-dir DIR] [--dial NUMBER]   the desktop app (``python -m app``)
    AcmePhone --server [OPTIONS]                          the PBX (``python -m server``)
    AcmePhone -m server [OPTIONS]                         the same: the app's embedded launcher
                                                          runs ``sys.executable -m server``
    AcmePhone --version                                   prints ``AcmePhone <version>``

The app's own options pass through unchanged. Two options are for the installers: ``--dial``
(the ``sip:``/``tel:``/``callto:`` URL handlers) and ``--autostart`` (the start-at-login
entries); a bare link (``AcmePhone tel:+3120...``, as a Linux ``.desktop`` ``%u`` passes it)
means ``--dial`` with it. Until the app's parser accepts them they are dropped with a note on
stderr, so a link or a login never fails to start the app.

Runs from a checkout too: ``python installers/entry.py --version``.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Sequence
from pathlib import Path

PRODUCT = "AcmePhone"
DISTRIBUTION = "acme-softphone"
_INSTALLER_OPTIONS = {"--dial": 1, "--autostart": 0}  # option -> number of values
_LINK_SCHEMES = ("sip:", "sips:", "tel:", "callto:")


def version() -> str:
    """The product version: package metadata (bundled when frozen), else pyproject.toml."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        with pyproject.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])


def _server(argv: list[str]) -> int:
    from server.cli import main as server_main

    return server_main(argv)


def _app_accepts(argv: list[str]) -> bool:
    from app.__main__ import parse_args

    with contextlib.redirect_stderr(io.StringIO()):
        try:
            parse_args(argv)
        except SystemExit:
            return False
    return True


def _app_argv(argv: list[str]) -> list[str]:
    """The arguments for the app: installer options it does not know yet are dropped."""
    out: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg.lower().startswith(_LINK_SCHEMES):
            argv = [*argv[:index], "--dial", *argv[index:]]
            arg = "--dial"
        name = arg.split("=", 1)[0]
        if name not in _INSTALLER_OPTIONS:
            out.append(arg)
            index += 1
            continue
        width = 1 if "=" in arg else 1 + _INSTALLER_OPTIONS[name]
        chunk = argv[index : index + width]
        index += width
        if _app_accepts(chunk):
            out += chunk
        else:
            print(f"{PRODUCT}: {name} is not supported by this version yet", file=sys.stderr)
    return out


def _app(argv: list[str]) -> int:
    from app.__main__ import main as app_main

    return app_main(_app_argv(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["-m", "server"]:
        return _server(args[2:])
    if args[:1] == ["--server"]:
        return _server(args[1:])
    if args[:1] == ["-m"]:
        module = args[1] if len(args) > 1 else ""
        print(f"{PRODUCT}: no module {module!r} in this program (only 'server')", file=sys.stderr)
        return 2
    if "--version" in args:
        print(f"{PRODUCT} {version()}")
        return 0
    return _app(args)


if __name__ == "__main__":
    if not getattr(sys, "frozen", False):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
