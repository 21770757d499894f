"""Backup and restore of a server on PostgreSQL: ``backup|restore FILE --database URL``.

The same ``.tar.gz`` as for SQLite (``server/backup.py``), with the database as a ``pg_dump``
custom-format dump, ``pbx.pgdump``, and a version 2 manifest that says ``"database":
"postgresql"``. ``pg_dump`` takes a consistent snapshot (one repeatable-read transaction), so
a backup is safe while the server runs; the dump is made first and the data dir's files after,
as for SQLite.

Restore checks the whole archive in a staging dir first, then runs ``pg_restore --clean
--if-exists --single-transaction`` into the database (all or nothing: a failure leaves the
database as it was), then swaps the files in like the SQLite restore. The server on that data
dir must be stopped (its lock is checked); servers elsewhere on the same database too. The
PostgreSQL client tools (``pg_dump``, ``pg_restore``) must be installed, of the server's major
version or newer. The password goes to them through ``PGPASSWORD``, never on a command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from pbx_core.store import database_url
from server.backup import (
    DATABASE_FILES,
    MANIFEST,
    BackupError,
    Manifest,
    _add_text,
    _data_files,
    _held,
    _unpack,
    read_manifest,
    schema_revisions,
)

__all__ = ["create_pg_backup", "restore_pg_backup"]

DUMP = DATABASE_FILES["postgresql"]


def create_pg_backup(
    data_dir: Path, url: str, target: Path, now: datetime | None = None
) -> Manifest:
    """Write a backup of the database at ``url`` and the files of ``data_dir`` to ``target``."""
    libpq, env = _libpq(url)
    target = target.expanduser().resolve()
    if target.is_relative_to(data_dir.resolve()):
        raise BackupError("the backup file must lie outside the data dir")
    revision = _revision(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pbx-backup-") as work:
        dump = Path(work) / DUMP
        plain = ["--format=custom", "--no-owner", "--no-privileges"]
        _run("pg_dump", [*plain, f"--file={dump}", f"--dbname={libpq}"], env)
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        files = list(_data_files(data_dir)) if data_dir.is_dir() else []
        partial = Path(work) / "backup.tar.gz"
        taken: list[str] = []
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=DUMP)
            for relative in files:
                if (data_dir / relative).is_file():  # not removed since the listing
                    archive.add(data_dir / relative, arcname=relative, recursive=False)
                    taken.append(relative)
            manifest = Manifest(revision, stamp, tuple(taken), version=2, database="postgresql")
            _add_text(archive, MANIFEST, manifest.to_json())
        os.replace(partial, target)
    return manifest


def restore_pg_backup(source: Path, data_dir: Path, url: str) -> Manifest:
    """Put the backup ``source`` into the database at ``url`` and ``data_dir``; servers stopped."""
    libpq, env = _libpq(url)
    if read_manifest(source).database != "postgresql":
        raise BackupError("this backup holds a SQLite database: restore it without --database")
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
        if manifest.schema_revision not in schema_revisions():
            raise BackupError(
                f"schema revision {manifest.schema_revision} is unknown to this server (newer?)"
            )
        dump = Path(work) / DUMP
        os.replace(staging / DUMP, dump)
        whole = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        _run("pg_restore", [*whole, "--exit-on-error", f"--dbname={libpq}", str(dump)], env)
        if (data_dir / "logs").is_dir():  # the history of what happened stays
            shutil.copytree(data_dir / "logs", staging / "logs")
        with _held(staging):
            aside = Path(work) / "previous"
            if data_dir.exists():
                os.replace(data_dir, aside)
            try:
                os.replace(staging, data_dir)
            except OSError:
                if aside.exists():
                    os.replace(aside, data_dir)
                raise
    return manifest


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """``url`` as libpq writes it, without its password, and the environment with it."""
    try:
        parsed: URL = database_url(url)
    except ValueError as exc:
        raise BackupError(str(exc)) from None
    if parsed.get_backend_name() != "postgresql":
        raise BackupError("--database is for PostgreSQL; SQLite is backed up without it")
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _revision(url: str) -> str:
    engine = create_engine(database_url(url), connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        raise BackupError(f"cannot read the database: {_first_line(exc)}") from None
    finally:
        engine.dispose()
    if not isinstance(revision, str):
        raise BackupError("the database has no schema revision (not a PBX database?)")
    return revision


def _tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` on PATH, else the newest of Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    debian = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if debian:
        return str(debian[0])
    raise BackupError(f"{name} is not installed (the PostgreSQL client tools: postgresql-client)")


def _run(name: str, arguments: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(
            [_tool(name), *arguments], env=env, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise BackupError(f"cannot run {name}: {exc}") from None
    if done.returncode != 0:
        raise BackupError(f"{name} failed: {done.stderr.strip()[-500:]}")


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]
