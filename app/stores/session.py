"""Session state: connection to the server, the signed-in user, SIP registration."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Literal

from app.bus import ChangeHub, SessionChange
from app.stores._base import Store

__all__ = [
    "ConnectionState",
    "Me",
    "RegistrationState",
    "SessionChange",
    "SessionMode",
    "SessionStore",
]


SessionMode = Literal["embedded", "remote"]


class ConnectionState(enum.Enum):
    STARTING = "starting"
    SIGNING_IN = "signing_in"
    ONLINE = "online"
    OFFLINE = "offline"
    SERVER_RESTARTING = "server_restarting"
    SIGNED_OUT = "signed_out"


@dataclass(frozen=True, slots=True)
class Me:
    """The signed-in user as ``GET /api/v1/me`` describes them."""

    name: str
    extension: str
    email: str | None
    department: str | None
    roles: tuple[str, ...]
    pick_up_from: tuple[str, ...] | None = None
    """Extensions whose ringing calls the user may pick up (the server's permissions); None:
    anyone's."""

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> Me:
        return cls(
            name=str(body["name"]),
            extension=str(body["extension"]),
            email=body.get("email"),
            department=body.get("department"),
            roles=tuple(str(r) for r in body.get("roles") or ()),
            pick_up_from=_extensions(body.get("pick_up_from")),
        )


def _extensions(value: object) -> tuple[str, ...] | None:
    return None if not isinstance(value, list) else tuple(str(v) for v in value)


@dataclass(frozen=True, slots=True)
class RegistrationState:
    registered: bool = False
    reason: str = ""


class SessionStore(Store):
    """Change names on the hub: ``"state"`` (state and message), ``"me"``, ``"registration"``."""

    name = "session"

    def _changed(self, what: SessionChange, initiator: object | None = None) -> None:
        self._publish((what,), initiator)

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.state = ConnectionState.SIGNED_OUT
        self.message = ""
        self.mode: SessionMode = "embedded"
        self.me: Me | None = None
        self.registration = RegistrationState()

    def set_state(self, state: ConnectionState, message: str = "") -> None:
        if (state, message) == (self.state, self.message):
            return
        self.state, self.message = state, message
        self._changed("state")

    def set_me(self, me: Me | None) -> None:
        if me != self.me:
            self.me = me
            self._changed("me")

    def set_registration(self, registration: RegistrationState) -> None:
        if registration != self.registration:
            self.registration = registration
            self._changed("registration")
