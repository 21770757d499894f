"""The actions and limits of the notifier (:mod:`pbx_core.signaling.subscriptions`). Pure data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from pbx_core.signaling.message import SipRequest
from pbx_core.signaling.transport import Address

__all__ = ["Answer", "Arm", "Body", "Disarm", "NotifierAction", "NotifierLimits", "SendNotify"]


@dataclass(frozen=True, slots=True)
class Body:
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class NotifierLimits:
    """Bounds of the notifier; the documented defaults (docs/presence.md)."""

    min_expires: int = 5
    max_expires: int = 3600
    default_expires: int = 3600
    min_interval: float = 1.0  # seconds between change NOTIFYs of one subscription
    max_per_watcher: int = 300
    max_total: int = 20000


@dataclass(frozen=True, slots=True)
class Answer:
    """The response to the SUBSCRIBE being handled."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    to_tag: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SendNotify:
    subscription_id: str
    request: SipRequest
    dest: Address


@dataclass(frozen=True, slots=True)
class Arm:
    subscription_id: str
    name: str  # "expire" or "pace"
    delay: float


@dataclass(frozen=True, slots=True)
class Disarm:
    subscription_id: str
    name: str


NotifierAction: TypeAlias = Answer | SendNotify | Arm | Disarm
