"""Engine set-up: the database URL, SQLite pragmas (WAL, foreign keys), Alembic migrations.

Two backends: SQLite (WAL), the embedded default, one file in the data dir; and PostgreSQL for
an office server, through the psycopg 3 driver (``postgresql+psycopg``). A plain
``postgresql://`` URL (as libpq and ``psql`` write it) is mapped to that driver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

__all__ = ["database_url", "make_engine", "upgrade_to_head"]

_POSTGRES_DRIVER = "postgresql+psycopg"
_POSTGRES_NAMES = ("postgresql", "postgres", _POSTGRES_DRIVER)
_CONNECT_TIMEOUT = 10  # seconds: a server that is down or unreachable fails the start quickly

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(text: str) -> URL:
    """``text`` as a URL the store opens: ``sqlite:///FILE`` or PostgreSQL through psycopg.

    Raises ``ValueError`` with a sentence for a person on anything else."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise ValueError(f"not a database URL: {text!r}") from None
    if url.drivername in _POSTGRES_NAMES:
        if not url.database:
            raise ValueError("a PostgreSQL URL names its database: postgresql://HOST/NAME")
        return url.set(drivername=_POSTGRES_DRIVER)
    if url.drivername == "sqlite":
        return url
    raise ValueError(f"unsupported database {url.drivername!r}: use postgresql:// or sqlite:///")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; on SQLite the file's folder is created and WAL mode switched on."""
    parsed = database_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            parsed,
            pool_pre_ping=True,
            connect_args={"connect_timeout": _CONNECT_TIMEOUT, "application_name": "acme-pbx"},
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": 5.0})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is there already)."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
