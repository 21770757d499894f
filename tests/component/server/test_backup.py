"""``python -m server backup|restore FILE``: a backup taken while a client writes restores into a
fresh data dir and a server starts from it with the data there; restore refuses while a server
runs and refuses broken or foreign files without changing anything; an older schema is upgraded
at the next start."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import httpx
from alembic import command
from alembic.config import Config

import pbx_core.store
from pbx_core.store._engine import make_engine
from server.backup import create_backup, read_manifest, schema_revisions
from server.backup_cli import is_backup_command
from tests.support.api import bearer, login
from tests.support.audio import write_tone_wav
from tests.support.server_process import start_server

_ROOT = Path(__file__).resolve().parents[3]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _tree(data_dir: Path) -> dict[str, str]:
    """Every file of ``data_dir`` with a hash of its bytes (the lock file aside)."""
    return {
        p.relative_to(data_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and p.name != "server.lock"
    }


class _Writer(threading.Thread):
    """Adds personal contacts as fast as the API takes them; names the acknowledged ones."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__(daemon=True)
        self.base_url, self.token = base_url, token
        self.acknowledged: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, headers=bearer(self.token), timeout=10) as api:
            n = 0
            while not self.stop.is_set():
                name = f"Backup Contact {n}"
                reply = api.post("/api/v1/contacts", json={"name": name})
                if reply.status_code == 201:
                    self.acknowledged.append(name)
                n += 1


def _contact_names(base_url: str, user: str) -> set[str]:
    with httpx.Client(base_url=base_url, timeout=10) as api:
        token = login(api, user, f"Demo-{user}!")
        contacts = api.get("/api/v1/contacts", headers=bearer(token)).json()
    return {c["name"] for c in contacts if c["book"] == "personal"}


def test_backup_while_writing_restores_into_a_fresh_data_dir(tmp_path: Path) -> None:
    backup = tmp_path / "office.tar.gz"
    with start_server(tmp_path, demo=True) as server:
        with httpx.Client(base_url=server.base_url, timeout=10) as api:
            token = login(api, "201", "Demo-201!")
            wav = write_tone_wav(tmp_path / "greeting.wav", 440.0, 1.0).read_bytes()
            put = api.put("/api/v1/voicemail/greeting", content=wav, headers=bearer(token))
            assert put.status_code == 200, put.text
            greeting = api.get("/api/v1/voicemail/greeting", headers=bearer(token)).content
        writer = _Writer(server.base_url, token)
        writer.start()
        while len(writer.acknowledged) < 5:
            writer.join(0.05)
        before = list(writer.acknowledged)
        result = _cli("backup", str(backup), "--data-dir", str(server.data_dir))
        writer.stop.set()
        writer.join()
        assert result.returncode == 0, result.stderr
        assert "backup of" in result.stdout
        tls_key = next((server.data_dir / "tls").glob("*key*"))
        key_mode = tls_key.stat().st_mode & 0o777

    manifest = read_manifest(backup)
    assert manifest.schema_revision == schema_revisions()[-1]
    assert manifest.files and all(not f.startswith("logs/") for f in manifest.files)

    fresh = tmp_path / "fresh"
    result = _cli("--data-dir", str(fresh), "restore", str(backup))
    assert result.returncode == 0, result.stderr
    restored_key = fresh / tls_key.relative_to(server.data_dir)
    assert restored_key.stat().st_mode & 0o777 == key_mode
    with sqlite3.connect(fresh / "pbx.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with start_server(tmp_path, demo=False, data_dir=fresh) as restored:
        names = _contact_names(restored.base_url, "201")
        with httpx.Client(base_url=restored.base_url, timeout=10) as api:
            token = login(api, "201", "Demo-201!")
            again = api.get("/api/v1/voicemail/greeting", headers=bearer(token))
    assert again.status_code == 200 and again.content == greeting
    assert set(before) <= names  # everything acknowledged before the backup began
    assert names <= set(writer.acknowledged) | set(before)


def test_restore_refuses_while_the_server_runs(tmp_path: Path) -> None:
    with start_server(tmp_path, demo=True) as server:
        backup = tmp_path / "b.tar.gz"
        assert _cli("--data-dir", str(server.data_dir), "backup", str(backup)).returncode == 0
        result = _cli("--data-dir", str(server.data_dir), "restore", str(backup))
        assert result.returncode == 1
        assert "is already running" in result.stderr and "stop it" in result.stderr
        assert httpx.get(f"{server.base_url}/api/health").json()["status"] == "ok"


def test_broken_or_foreign_files_change_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "pbx"
    start_server(tmp_path, demo=True, data_dir=data_dir).stop()
    good = tmp_path / "good.tar.gz"
    assert _cli("--data-dir", str(data_dir), "backup", str(good)).returncode == 0
    before = _tree(data_dir)

    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is no backup\n" * 100)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as archive:
        archive.add(tmp_path / "junk.tar.gz", arcname="holiday.jpg")
    bad_db = tmp_path / "bad-db.tar.gz"
    _rewrite(good, bad_db, {"pbx.sqlite3": b"SQLite format 3\x00" + b"\xff" * 5000})
    escaping = tmp_path / "escaping.tar.gz"
    _rewrite(good, escaping, {}, extra={"../outside.txt": b"x"})
    newer = tmp_path / "newer.tar.gz"
    _rewrite(good, newer, {}, manifest_change={"schema_revision": "9999"})

    for broken, reason in (
        (junk, "not a PBX backup"),
        (truncated, "damaged"),
        (foreign, "no manifest"),
        (bad_db, "database"),
        (escaping, "unsafe entry"),
        (newer, "unknown to this server"),
        (tmp_path / "missing.tar.gz", "no such file"),
    ):
        result = _cli("--data-dir", str(data_dir), "restore", str(broken))
        assert result.returncode == 1, broken
        assert reason in result.stderr, (broken, result.stderr)
        assert _tree(data_dir) == before
    assert not (tmp_path / "outside.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".pbx")) == []


def _rewrite(
    good: Path,
    target: Path,
    replace: dict[str, bytes],
    *,
    extra: dict[str, bytes] | None = None,
    manifest_change: dict[str, str] | None = None,
) -> None:
    """A copy of the backup ``good`` with members replaced or added (the manifest kept valid)."""
    with tarfile.open(good, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            handle = src.extractfile(member)
            data = handle.read() if handle else b""
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["files"] += list(extra or {})
                manifest.update(manifest_change or {})
                data = json.dumps(manifest).encode()
            data = replace.get(member.name, data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def test_an_older_backup_is_upgraded_at_the_next_start(tmp_path: Path) -> None:
    old = tmp_path / "old"
    engine = make_engine(f"sqlite:///{old / 'pbx.sqlite3'}")
    config = Config()
    config.set_main_option(
        "script_location", str(Path(pbx_core.store.__file__).parent / "migrations")
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0008")
    engine.dispose()
    (old / "voicemail" / "201").mkdir(parents=True)
    (old / "voicemail" / "201" / "greeting.wav").write_bytes(b"RIFF")
    backup = tmp_path / "old.tar.gz"
    assert create_backup(old, backup).schema_revision == "0008"

    fresh = tmp_path / "restored"
    result = _cli("restore", str(backup), "--data-dir", str(fresh))
    assert result.returncode == 0, result.stderr
    assert (fresh / "voicemail" / "201" / "greeting.wav").read_bytes() == b"RIFF"
    start_server(tmp_path, demo=True, data_dir=fresh).stop()
    with sqlite3.connect(fresh / "pbx.sqlite3") as db:
        revision = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert revision == schema_revisions()[-1]


def test_backup_and_restore_words_select_the_commands_and_nothing_else() -> None:
    assert is_backup_command(["backup", "f"])
    assert is_backup_command(["--data-dir", "d", "restore", "f"])
    assert is_backup_command(["--data-dir=d", "backup", "f"])
    assert not is_backup_command(["--data-dir", "backup"])  # a data dir named "backup"
    assert not is_backup_command(["--data-dir", "d", "--demo"])
    assert not is_backup_command([])
