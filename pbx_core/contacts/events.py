"""The address book's bus event: the WebSocket stream carries it as ``contact.changed``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pbx_core.events import Event

__all__ = ["ContactChanged"]


@dataclass(frozen=True, slots=True)
class ContactChanged(Event):
    """Contacts of ``extension``'s view changed: ``created``, ``updated``, ``deleted`` or
    ``imported`` (``ids`` are the contacts touched, ``p…``/``c…`` as in the API)."""

    kind: ClassVar[str] = "contact.changed"
    extension: str
    action: Literal["created", "updated", "deleted", "imported"]
    ids: tuple[str, ...]
