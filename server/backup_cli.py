"""``python -m server [--data-dir DIR] backup|restore FILE [--data-dir DIR]``.

The start command has no positional arguments, so a bare ``backup`` or ``restore`` right at
the start, or right after ``--data-dir DIR`` (and ``--database URL``), selects these commands
and anything else starts the server as before. Exit codes: 0 done, 1 failed (message on
stderr, nothing changed), 2 bad command line.

A server on PostgreSQL is backed up and restored with ``--database URL`` as given to the
server: the database goes through ``pg_dump``/``pg_restore`` (``server/backup_pg.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from server.backup import BackupError, create_backup, restore_backup
from server.backup_pg import create_pg_backup, restore_pg_backup

__all__ = ["is_backup_command", "main"]

COMMANDS = ("backup", "restore")
_LEADING = ("--data-dir", "--database")


def is_backup_command(argv: list[str]) -> bool:
    """Whether ``argv`` asks for ``backup`` or ``restore`` rather than a server start."""
    rest = list(argv)
    while rest and rest[0] not in COMMANDS:  # --data-dir and --database may come first
        if rest[0] in _LEADING and len(rest) > 1:
            rest = rest[2:]
        elif rest[0].split("=", 1)[0] in _LEADING and "=" in rest[0]:
            rest = rest[1:]
        else:
            return False
    return bool(rest)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m server",
        description="Back up or restore a PBX data dir (docs/server.md, 'Backup and restore').",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="the server's data dir")
    parser.add_argument("--database", default=None, metavar="URL", help="the server's database")
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("backup", help="write a backup file; safe while running")
    backup.add_argument("file", type=Path, help="the backup to write (.tar.gz)")
    backup.add_argument("--data-dir", type=Path, default=None, dest="sub_data_dir")
    backup.add_argument("--database", default=None, dest="sub_database", metavar="URL")
    restore = commands.add_parser("restore", help="replace the data by a backup; server stopped")
    restore.add_argument("file", type=Path, help="the backup to read")
    restore.add_argument("--data-dir", type=Path, default=None, dest="sub_data_dir")
    restore.add_argument("--database", default=None, dest="sub_database", metavar="URL")
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    ns = parser.parse_args(argv)
    chosen = ns.sub_data_dir or ns.data_dir
    database = ns.sub_database or ns.database
    if chosen is None:
        parser.error("--data-dir is required")
    data_dir = Path(chosen).expanduser().resolve()
    try:
        if ns.command == "backup":
            manifest = (
                create_pg_backup(data_dir, database, ns.file)
                if database
                else create_backup(data_dir, ns.file)
            )
            print(
                f"backup of {data_dir} written to {ns.file} "
                f"(schema {manifest.schema_revision}, {len(manifest.files)} files)",
                flush=True,
            )
        else:
            manifest = (
                restore_pg_backup(ns.file, data_dir, database)
                if database
                else restore_backup(ns.file, data_dir)
            )
            print(
                f"restored {data_dir} from {ns.file} (made {manifest.created_at}, schema "
                f"{manifest.schema_revision}; a newer server upgrades it when it starts)",
                flush=True,
            )
    except BackupError as exc:
        print(f"server: {ns.command} failed: {exc}", file=sys.stderr, flush=True)
        return 1
    except OSError as exc:
        print(f"server: {ns.command} failed: {exc}", file=sys.stderr, flush=True)
        return 1
    return 0
