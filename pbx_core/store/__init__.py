"""Persistence of the PBX: SQLAlchemy 2 models, Alembic migrations, the :class:`Store` and,
for code on the event loop, its :class:`StoreGateway` (``store.aio``)."""

from __future__ import annotations

from pbx_core.store import numbering_models as _numbering_models  # noqa: F401

# every model module, so the store's metadata is whole whoever imports the store first
from pbx_core.store import plan_models as _plan_models  # noqa: F401
from pbx_core.store import queue_models as _queue_models  # noqa: F401
from pbx_core.store import routing_models as _routing_models  # noqa: F401
from pbx_core.store import session_models as _session_models  # noqa: F401
from pbx_core.store._engine import database_url
from pbx_core.store.gateway import StoreGateway
from pbx_core.store.records import (
    CALL_REASONS,
    BindingRecord,
    CallReason,
    CallRecord,
    ContactNumber,
    ContactRecord,
    LoginRecord,
    NewContact,
    NewUser,
    PresenceRecord,
    SipCredentials,
    UserRecord,
)
from pbx_core.store.store import Store

__all__ = [
    "CALL_REASONS",
    "BindingRecord",
    "CallReason",
    "CallRecord",
    "ContactNumber",
    "ContactRecord",
    "LoginRecord",
    "NewContact",
    "NewUser",
    "PresenceRecord",
    "SipCredentials",
    "Store",
    "StoreGateway",
    "UserRecord",
    "database_url",
]
