"""A private PostgreSQL for the tests: initdb in a temp dir, one server on loopback, no service.

``PrivateServer.start()`` runs ``initdb`` into a fresh folder and starts ``postgres`` on a free
127.0.0.1 port with its socket in that folder; ``new_database()`` creates an empty database and
returns its ``postgresql://`` URL; ``stop()`` shuts the server down and removes the folder.
PostgreSQL refuses to run as root, so as root both run as the ``postgres`` user (``setpriv``,
which execs, so our signals reach the server itself).
The binaries are found on PATH or in ``/usr/lib/postgresql/<version>/bin`` (Debian);
``make test`` installs them (``DEB_TEST`` in the Makefile).

Fixtures (imported by ``tests/conftest.py``): ``postgres_server`` (session: started on first use,
stopped at the end) and ``store_url`` (per test: a new SQLite file or a new PostgreSQL database,
parametrised over both backends).
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = ["PrivateServer", "find_binaries", "postgres_server", "store_url"]

_RUN_AS = "postgres"
_START_TIMEOUT = 30.0
_counter = itertools.count(1)


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``; None when PostgreSQL is not installed."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("postgres"):
        return Path(on_path).resolve().parent
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return debian[0].parent if debian else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(argv: list[str]) -> list[str]:
    """``argv`` run as the ``postgres`` user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", f"--reuid={_RUN_AS}", f"--regid={_RUN_AS}", "--init-groups", "--", *argv]


@dataclass(slots=True)
class PrivateServer:
    """One PostgreSQL server of our own; user ``postgres`` trusted on loopback, no password."""

    bin_dir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="acme-pg-")))
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, user=_RUN_AS)
        initdb = str(self.bin_dir / "initdb")
        options = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        subprocess.run(
            _as_owner([initdb, "-D", str(self.data), *options]), check=True, capture_output=True
        )
        self.port = _free_port()
        postgres = str(self.bin_dir / "postgres")
        listen = ["-k", str(self.root), "-p", str(self.port), "-h", "127.0.0.1"]
        # throw-away data: no waiting for the disk
        speed = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                _as_owner([postgres, "-D", str(self.data), *listen, *speed]),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"postgres exited: {self.log.read_text(errors='replace')}")
            ready = subprocess.run(
                [str(self.bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"postgres not ready in {_START_TIMEOUT} s")

    def new_database(self) -> str:
        """A fresh empty database; its ``postgresql://`` URL."""
        import psycopg

        name = f"test_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # immediate shutdown: the data is thrown away
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PrivateServer]:
    """The session's private PostgreSQL (skipped where PostgreSQL is not installed)."""
    bin_dir = find_binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    server = PrivateServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for a new store: a SQLite file, or a new database on the private server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pbx.sqlite3'}"
    server: PrivateServer = request.getfixturevalue("postgres_server")
    return server.new_database()
