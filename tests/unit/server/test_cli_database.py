"""``--database``: PostgreSQL through psycopg for an office server; SQLite stays the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.backup_cli import is_backup_command
from server.backup_cli import main as backup_main
from server.cli import parse_args


def test_the_default_is_sqlite_in_the_data_dir() -> None:
    assert parse_args(["--data-dir", "/tmp/x"]).database is None


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://pbx@db.acme.local/pbx", "postgresql+psycopg://pbx@db.acme.local/pbx"),
        ("postgres://pbx@db:5433/pbx", "postgresql+psycopg://pbx@db:5433/pbx"),
        ("postgresql+psycopg://pbx:s%40cret@db/pbx", "postgresql+psycopg://pbx:s%40cret@db/pbx"),
    ],
)
def test_postgresql_urls_go_through_psycopg(given: str, used: str) -> None:
    assert parse_args(["--data-dir", "/tmp/x", "--database", given]).database == used


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("mysql://db/pbx", "unsupported database 'mysql': use postgresql://"),
        ("postgresql://db", "a PostgreSQL URL names its database"),
        ("sqlite:////tmp/pbx.sqlite3", "SQLite is the default (in the data dir): leave it out"),
        ("not a url", "not a database URL: 'not a url'"),
    ],
)
def test_other_urls_are_refused_with_a_sentence(
    given: str, error: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(["--data-dir", "/tmp/x", "--database", given])
    assert exited.value.code == 2
    assert error in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--data-dir", "/d", "--database", "postgresql://db/pbx", "backup", "/b.tar.gz"],
        ["--database=postgresql://db/pbx", "--data-dir=/d", "restore", "/b.tar.gz"],
        ["--data-dir", "/d", "backup", "/b.tar.gz", "--database", "postgresql://db/pbx"],
    ],
)
def test_backup_and_restore_take_the_database_like_the_server(argv: list[str]) -> None:
    assert is_backup_command(argv)


def test_backup_with_a_sqlite_url_says_to_leave_it_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'pbx.sqlite3'}"
    argv = ["--data-dir", str(tmp_path / "d"), "backup", str(tmp_path / "b.tar.gz")]
    assert backup_main([*argv, "--database", url]) == 1
    assert "--database is for PostgreSQL; SQLite is backed up without it" in capsys.readouterr().err


def test_a_server_start_is_not_a_backup() -> None:
    assert not is_backup_command(["--data-dir", "/d", "--database", "postgresql://db/pbx"])
    assert not is_backup_command(["--data-dir", "/d", "--demo"])


def test_cluster_sync_is_off_by_default_and_needs_a_database(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert parse_args(["--data-dir", "/tmp/x"]).cluster_sync_seconds == 0.0
    url = "postgresql://pbx@db/pbx"
    options = parse_args(["--data-dir", "/tmp/x", "--database", url, "--cluster-sync", "2"])
    assert options.cluster_sync_seconds == 2.0
    with pytest.raises(SystemExit):
        parse_args(["--data-dir", "/tmp/x", "--cluster-sync", "2"])
    assert "--cluster-sync needs a shared --database" in capsys.readouterr().err
