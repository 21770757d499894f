"""Backup and restore of a server's data dir: ``python -m server backup|restore FILE``.

A backup is one ``.tar.gz``: ``manifest.json`` (format, version, schema revision, time), a
consistent copy of the SQLite database made with SQLite's online backup API (safe while the
server writes: it copies a snapshot, page by page, under SQLite's own locking) and the data
dir's other files (voicemail audio and greetings, recordings, the TLS certificate and key, with
their modes). Left out: the database's WAL/SHM files (the copy is whole without them), logs,
``server.json`` and ``server.lock`` (they describe a running process, not data).

The database is copied first, then the files: a file the copied database names was there when
the copy was taken, so it is in the backup unless it was deleted meanwhile (a message heard and
expired in that moment); a file that appeared later is simply extra.

Restore refuses while a server holds the data dir's lock, checks the whole archive (manifest,
safe member names, the database's integrity and revision) in a staging dir next to the data dir,
and only then swaps the staging dir in with two renames. An older schema is brought up to date by
the Alembic migrations when the server next starts. Any error leaves the data dir untouched.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory

import pbx_core.store
from server.runinfo import LOCK, RUN_INFO, AlreadyRunningError, InstanceLock

__all__ = [
    "DATABASE",
    "DATABASE_FILES",
    "FORMAT",
    "FORMAT_VERSION",
    "BackupError",
    "Manifest",
    "create_backup",
    "read_manifest",
    "restore_backup",
    "schema_revisions",
]

FORMAT = "acme-pbx-backup"
FORMAT_VERSION = 2  # the newest this server reads; 2: the database is a PostgreSQL dump
MANIFEST = "manifest.json"
DATABASE = "pbx.sqlite3"
DATABASE_FILES = {"sqlite": DATABASE, "postgresql": "pbx.pgdump"}  # server/backup_pg.py
_SKIPPED_TOP = {
    DATABASE,
    f"{DATABASE}-wal",
    f"{DATABASE}-shm",
    f"{DATABASE}-journal",
    RUN_INFO,
    LOCK,
    "logs",
}
_MIGRATIONS = Path(pbx_core.store.__file__).resolve().parent / "migrations"


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a backup holds: its format, the database's schema revision, when, which files."""

    schema_revision: str
    created_at: str
    files: tuple[str, ...]
    format: str = FORMAT
    version: int = 1
    database: str = "sqlite"  # or "postgresql" (version 2): pbx.pgdump instead of pbx.sqlite3

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.database]

    def to_json(self) -> str:
        data: dict[str, object] = {
            "format": self.format,
            "version": self.version,
            "schema_revision": self.schema_revision,
            "created_at": self.created_at,
            "files": list(self.files),
        }
        if self.database != "sqlite":
            data["database"] = self.database
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse and check a manifest; BackupError for anything that is not ours."""
        try:
            data = json.loads(text)
        except ValueError:
            raise BackupError("the manifest is not JSON") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError("not a PBX backup (unknown manifest format)")
        version, revision = data.get("version"), data.get("schema_revision")
        created, files = data.get("created_at"), data.get("files")
        if not isinstance(version, int) or version < 1:
            raise BackupError("the manifest has no valid version")
        if version > FORMAT_VERSION:
            raise BackupError(f"backup format {version} is newer than this server reads")
        if not isinstance(revision, str) or not isinstance(created, str):
            raise BackupError("the manifest lacks the schema revision or creation time")
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise BackupError("the manifest's file list is broken")
        database = data.get("database", "sqlite")
        if database not in DATABASE_FILES:
            raise BackupError(f"the manifest names an unknown database: {database!r}")
        return cls(revision, created, tuple(files), FORMAT, version, database)


def schema_revisions() -> list[str]:
    """The schema revisions this server knows, oldest first."""
    script = ScriptDirectory(str(_MIGRATIONS))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def create_backup(data_dir: Path, target: Path, now: datetime | None = None) -> Manifest:
    """Write a backup of ``data_dir`` to ``target`` (replaced only once complete)."""
    database = data_dir / DATABASE
    if not database.is_file():
        raise BackupError(
            f"no PBX database in {data_dir} (a server on PostgreSQL: give --database)"
        )
    target = target.expanduser().resolve()
    if target.is_relative_to(data_dir.resolve()):
        raise BackupError("the backup file must lie outside the data dir")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pbx-backup-") as work:
        copy = Path(work) / DATABASE
        revision = _snapshot(database, copy)
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        files = list(_data_files(data_dir))
        partial = Path(work) / "backup.tar.gz"
        taken: list[str] = []
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(copy, arcname=DATABASE)
            for relative in files:
                with contextlib.suppress(FileNotFoundError):  # removed since the listing
                    archive.add(data_dir / relative, arcname=relative, recursive=False)
                    taken.append(relative)
            manifest = Manifest(revision, stamp, tuple(taken))
            _add_text(archive, MANIFEST, manifest.to_json())
        os.replace(partial, target)
    return manifest


def read_manifest(source: Path) -> Manifest:
    """The manifest of a backup file, checked; BackupError if it is broken or foreign."""
    with _open_archive(source) as archive:
        return _manifest_of(archive)


def restore_backup(source: Path, data_dir: Path) -> Manifest:
    """Replace ``data_dir``'s data by the backup ``source``; the server must be stopped."""
    data_dir = data_dir.expanduser().resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with (
        _held(data_dir),
        tempfile.TemporaryDirectory(
            dir=data_dir.parent, prefix=f".{data_dir.name}.restore-"
        ) as work,
    ):
        staging = Path(work) / "data"
        staging.mkdir(mode=data_dir.stat().st_mode & 0o777 if data_dir.is_dir() else 0o700)
        manifest = _unpack(source, staging)
        if manifest.database != "sqlite":
            raise BackupError(
                "this backup holds a PostgreSQL database: restore it with --database URL"
            )
        _check_database(staging / DATABASE, manifest.schema_revision)
        if (data_dir / "logs").is_dir():  # the history of what happened stays
            shutil.copytree(data_dir / "logs", staging / "logs")
        with _held(staging):  # no server may start on it between the renames
            aside = Path(work) / "previous"
            if data_dir.exists():
                os.replace(data_dir, aside)
            try:
                os.replace(staging, data_dir)
            except OSError:
                if aside.exists():  # put the old data back before the work dir goes
                    os.replace(aside, data_dir)
                raise
    return manifest


# -- internals ---------------------------------------------------------------------------------


def _snapshot(database: Path, copy: Path) -> str:
    """Copy ``database`` with SQLite's backup API into a self-contained file; its revision."""
    source = sqlite3.connect(database, timeout=30)
    try:
        dest = sqlite3.connect(copy)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
            revision = _revision(dest)
            _integrity(dest, "the database")
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise BackupError(f"cannot copy the database: {exc}") from None
    finally:
        source.close()
    return revision


def _revision(connection: sqlite3.Connection) -> str:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or not isinstance(row[0], str):
        raise BackupError("the database has no schema revision (not a PBX database?)")
    return row[0]


def _integrity(connection: sqlite3.Connection, what: str) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        raise BackupError(f"{what} fails its integrity check: {result[:3]}")


def _data_files(data_dir: Path) -> Iterator[str]:
    """Relative POSIX paths of the regular files worth keeping, sorted."""
    for root, dirs, names in os.walk(data_dir):
        here = Path(root)
        top = here == data_dir
        dirs[:] = sorted(d for d in dirs if not (top and d in _SKIPPED_TOP))
        for name in sorted(names):
            path = here / name
            if (top and name in _SKIPPED_TOP) or name.startswith(".") or not path.is_file():
                continue
            if path.is_symlink():
                continue
            yield path.relative_to(data_dir).as_posix()


def _add_text(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


@contextlib.contextmanager
def _open_archive(source: Path) -> Iterator[tarfile.TarFile]:
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115
    except FileNotFoundError:
        raise BackupError(f"no such file: {source}") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{source} is not a PBX backup ({exc})") from None
    with archive:
        yield archive


def _manifest_of(archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
        text = handle.read().decode("utf-8") if handle else ""
    except KeyError:
        raise BackupError("not a PBX backup (no manifest)") from None
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError) as exc:
        raise BackupError(f"the backup is damaged ({exc})") from None
    return Manifest.from_json(text)


def _unpack(source: Path, staging: Path) -> Manifest:
    """Check every member and extract the archive into ``staging``."""
    with _open_archive(source) as archive:
        manifest = _manifest_of(archive)
        expected = {manifest.database_file, MANIFEST, *manifest.files}
        try:
            members = archive.getmembers()
            names = set()
            for member in members:
                _check_member(member)
                names.add(member.name)
            if names != expected:
                raise BackupError("the backup's files do not match its manifest")
            for member in members:
                if member.name != MANIFEST:
                    archive.extract(member, staging, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"the backup is damaged ({exc})") from None
    return manifest


def _check_member(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not member.isfile():
        raise BackupError(f"the backup holds an unsafe entry: {member.name!r}")
    if path.parts[0] in _SKIPPED_TOP - {DATABASE}:
        raise BackupError(f"the backup holds an unexpected entry: {member.name!r}")


def _check_database(database: Path, revision: str) -> None:
    known = schema_revisions()
    if revision not in known:
        raise BackupError(f"schema revision {revision} is unknown to this server (newer?)")
    try:
        connection = sqlite3.connect(database)
        try:
            _integrity(connection, "the backup's database")
            if _revision(connection) != revision:
                raise BackupError("the database's revision differs from the manifest's")
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise BackupError(f"the backup's database is unreadable ({exc})") from None


@contextlib.contextmanager
def _held(data_dir: Path) -> Iterator[None]:
    """Hold the data dir's server lock (AlreadyRunningError if a server has it)."""
    if not data_dir.exists():
        yield
        return
    lock = InstanceLock(data_dir)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        raise BackupError(f"{exc}; stop it before restoring") from None
    try:
        yield
    finally:
        lock.release()
