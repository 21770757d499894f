"""The presence statuses: the one list on the desktop, spelled as on the wire (docs/api.md)."""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

__all__ = ["STATUSES", "PresenceStatus", "is_status"]

PresenceStatus = Literal[
    "available", "meeting", "not_present", "vacation", "lunch", "business_trip", "dnd"
]
STATUSES: tuple[PresenceStatus, ...] = get_args(PresenceStatus)
"""In the order the status menu offers them."""


def is_status(value: object) -> TypeGuard[PresenceStatus]:
    return value in STATUSES
