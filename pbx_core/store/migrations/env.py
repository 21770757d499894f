"""Alembic environment: runs on the connection the :class:`~pbx_core.store.Store` hands over.

The store calls ``alembic.command.upgrade`` programmatically at start with the open connection in
``config.attributes["connection"]``; there is no alembic.ini to read.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from pbx_core.store.models import Base

_config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = _config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError("migrations run through pbx_core.store.Store only")
_run(_connection)
