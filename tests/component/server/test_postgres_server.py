"""``python -m server --database postgresql://...`` on a private PostgreSQL: a phone registers,
a user signs in and writes through the API, and after a restart (with an empty data dir, so
nothing can come from a SQLite file) the binding, the contact and the session are all there;
a database that cannot be reached fails the start with the reason; backup while running and
restore go through pg_dump and pg_restore."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.component.server.test_crash_loop import _register
from tests.support.api import bearer, login
from tests.support.postgres import PrivateServer
from tests.support.server_process import ServerFailedError, start_server

PIET = {"name": "Piet Postgres", "numbers": [{"type": "mobile", "number": "+31612345678"}]}


def test_the_server_keeps_its_data_in_postgresql_over_a_restart(
    tmp_path: Path, postgres_server: PrivateServer
) -> None:
    url = postgres_server.new_database()
    args = ["--database", url, "--sip-tls-port", "0"]
    with start_server(tmp_path, demo=True, data_dir=tmp_path / "first", extra_args=args) as first:
        assert _register(first.sip_udp_port, "202", "bram-desk")
        with httpx.Client(base_url=first.base_url, timeout=10) as api:
            token = login(api, "201", "Demo-201!")
            made = api.post("/api/v1/contacts", json=PIET, headers=bearer(token))
            assert made.status_code == 201, made.text
    assert not (tmp_path / "first" / "pbx.sqlite3").exists()
    with psycopg.connect(url) as db:
        bindings = db.execute("SELECT extension, contact FROM bindings").fetchall()
    assert [(e, "sip:bram-desk@" in c) for e, c in bindings] == [("202", True)]

    with start_server(tmp_path, demo=True, data_dir=tmp_path / "again", extra_args=args) as again:
        with httpx.Client(base_url=again.base_url, timeout=10) as api:
            me = api.get("/api/v1/me", headers=bearer(token))  # the session outlived the restart
            assert me.status_code == 200, me.text
            contacts = api.get("/api/v1/contacts", headers=bearer(token)).json()
            assert "Piet Postgres" in {c["name"] for c in contacts}
        assert "store open: postgresql+psycopg://postgres@127.0.0.1" in again.stderr()
    with psycopg.connect(url) as db:
        assert db.execute("SELECT count(*) FROM users").fetchone() == (5,)  # demo loaded once
        assert db.execute("SELECT extension FROM bindings").fetchall() == [("202",)]


def test_a_database_that_is_not_there_fails_the_start_with_the_reason(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://pbx@127.0.0.1:{port}/pbx"
    with pytest.raises(ServerFailedError) as failed:
        start_server(tmp_path, demo=True, extra_args=["--database", url, "--sip-tls-port", "0"])
    assert "exited with 1" in str(failed.value)
    assert "cannot open the database" in str(failed.value)
    assert "Connection refused" in str(failed.value)


def _command(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *argv],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_backup_while_running_and_restore_go_through_pg_dump(
    tmp_path: Path, postgres_server: PrivateServer
) -> None:
    url = postgres_server.new_database()
    data_dir, backup = tmp_path / "pbx", tmp_path / "saved" / "pbx-backup.tar.gz"
    args = ["--database", url, "--sip-tls-port", "0"]

    def add(api: httpx.Client, token: str, name: str) -> None:
        made = api.post("/api/v1/contacts", json={**PIET, "name": name}, headers=bearer(token))
        assert made.status_code == 201, made.text

    with start_server(tmp_path, demo=True, data_dir=data_dir, extra_args=args) as server:
        (data_dir / "voicemail").mkdir(exist_ok=True)
        (data_dir / "voicemail" / "kept.wav").write_bytes(b"RIFF-kept")
        with httpx.Client(base_url=server.base_url, timeout=10) as api:
            token = login(api, "201", "Demo-201!")
            add(api, token, "Before Backup")
            made = _command("--data-dir", str(data_dir), "--database", url, "backup", str(backup))
            assert made.returncode == 0, made.stderr
            add(api, token, "After Backup")
        refused = _command("--data-dir", str(data_dir), "--database", url, "restore", str(backup))
        assert refused.returncode == 1 and "stop it before restoring" in refused.stderr
    (data_dir / "voicemail" / "kept.wav").unlink()

    done = _command("--data-dir", str(data_dir), "--database", url, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert (data_dir / "voicemail" / "kept.wav").read_bytes() == b"RIFF-kept"
    with (
        start_server(tmp_path, demo=True, data_dir=data_dir, extra_args=args) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as api,
    ):
        token = login(api, "201", "Demo-201!")
        names = {c["name"] for c in api.get("/api/v1/contacts", headers=bearer(token)).json()}
        assert "Before Backup" in names and "After Backup" not in names
        add(api, token, "After Restore")  # the restored sequences hand out new ids
    wrong = _command("--data-dir", str(tmp_path / "other"), "restore", str(backup))
    assert wrong.returncode == 1
    assert "this backup holds a PostgreSQL database: restore it with --database URL" in (
        wrong.stderr
    )
