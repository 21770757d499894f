"""Pydantic models of the API's request and response bodies (they also shape /openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pbx_core.presence import PresenceStatus
from pbx_core.presence_view import Activity as PresenceActivity
from pbx_core.store import CallReason

__all__ = [
    "CallOut",
    "ContactNumberOut",
    "DirectoryEntryOut",
    "ErrorOut",
    "HealthOut",
    "LoginIn",
    "LoginOut",
    "MeOut",
    "PlannedStatusOut",
    "PresenceIn",
    "PresenceOut",
    "PresenceStatus",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    """Body of every 4xx and 5xx answer."""

    error: str = Field(examples=["unauthorized"])
    message: str = Field(examples=["wrong user name or password"])


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    sip_udp: int
    sip_tcp: int
    sip_tls: int = Field(description="SIP over TLS (SRTP for media); 0 when off")
    sip_ws: int = Field(0, description="SIP over WebSocket (RFC 7118, browser phones); 0 when off")


class LoginIn(_In):
    username: str = Field(min_length=1, max_length=320, description="extension or e-mail")
    password: str = Field(min_length=1, max_length=1024)


class LoginOut(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds of inactivity before the token expires")
    extension: str


class PlannedStatusOut(BaseModel):
    """One upcoming planned status (docs/calendar.md): status and times only, in UTC."""

    status: PresenceStatus
    start: datetime
    end: datetime


class PresenceOut(BaseModel):
    """A user's presence as every colleague sees it (docs/presence.md): the same view the
    WebSocket event ``presence.updated`` and SIP NOTIFY (PIDF, dialog-info) carry."""

    status: PresenceStatus
    until: datetime | None = None
    role: Literal["work", "private"] = Field(default="work", description="seed 004 roles")
    note: str | None = Field(default=None, description="the shared note colleagues see")
    activity: PresenceActivity = Field(
        default="available", description='the status, or "in_call" by itself during a call'
    )
    line: Literal["idle", "ringing", "in_call", "on_hold", "parked"] = "idle"
    registered: bool = Field(default=False, description="false: no phone registered")
    forwarding: str | None = Field(
        default=None, description="where the user's calls are forwarded now (docs/routing.md)"
    )
    planned: list[PlannedStatusOut] = Field(
        default_factory=list,
        description="planned statuses starting within 24 hours, at most 3, earliest first",
    )


class ColleaguePresenceOut(PresenceOut):
    """One user's presence in ``GET /api/v1/presence``: the fields of ``presence.updated``."""

    extension: str


class PresenceIn(_In):
    status: PresenceStatus
    until: datetime | None = Field(
        default=None, description="ISO-8601; the status returns to available then"
    )
    role: Literal["work", "private"] | None = Field(default=None, description="unchanged if absent")
    note: str | None = Field(
        default=None, max_length=200, description='the shared note; "" clears, absent keeps'
    )


class MeOut(BaseModel):
    id: int
    name: str
    extension: str
    email: str
    department: str | None
    roles: list[str]
    presence: PresenceOut
    pick_up_from: list[str] | None = Field(
        description="extensions whose ringing calls the user may pick up (*9*<ext>*, *8*, "
        "POST /api/v1/pickup); null: anyone's"
    )


class CallOut(BaseModel):
    """One call from the signed-in user's point of view."""

    id: int
    call_id: str
    direction: Literal["incoming", "outgoing", "missed"]
    number: str = Field(description="the other party's number")
    name: str | None = Field(description="the other party's name, if known")
    caller: str
    callee: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    answered: bool
    duration: int = Field(description="seconds from answer to hang-up; 0 when not answered")
    reason: CallReason = Field(description="why the call ended (see docs/api.md)")
    ended_by: str | None = Field(description="the extension that hung up or declined, when known")
    sip_status: int | None = Field(
        description="the caller's final SIP status: 200 once answered, 486, 603, 487, 404..."
    )


class QualityOut(BaseModel):
    """What the PBX receives from one phone, from RTP and RTCP (RFC 3550)."""

    packets_received: int
    packets_lost: int
    fraction_lost: float = Field(description="0.0-1.0 since the call started")
    jitter_ms: float = Field(description="interarrival jitter")
    round_trip_ms: float | None = Field(description="from the phone's receiver reports")
    mos: float = Field(description="mean opinion score estimate, 1.0-4.5 (ITU-T G.107)")


class PartyOut(BaseModel):
    extension: str
    name: str | None
    state: str = Field(description="opening, trying, ringing, answered")
    quality: QualityOut | None = Field(description="media figures once RTP flows")


class ActiveCallOut(BaseModel):
    """A call in progress that the signed-in user takes part in."""

    call_id: str
    caller: str
    callee: str
    answered: bool
    parties: list[PartyOut]
    parked_slot: str | None = Field(description="the park slot while the call is parked")
    room: str | None = Field(description="the conference room of a call to 8000-8009")


class TransferIn(BaseModel):
    to: str = Field(
        min_length=1,
        max_length=64,
        description="an extension; 7000 parks the call, 8000-8009 moves it to a room",
    )


class AttendedTransferIn(BaseModel):
    with_call_id: str = Field(
        min_length=1, max_length=300, description="your other call: its party joins this one's"
    )


class DeviceOut(BaseModel):
    """One registered phone of the signed-in user."""

    model_config = ConfigDict(from_attributes=True)  # built from the PBX's dataclass

    id: str = Field(description="names the phone in POST /api/v1/active-calls/{id}/move")
    contact: str
    user_agent: str | None
    transport: str
    expires_at: datetime


class MoveIn(BaseModel):
    device_id: str = Field(min_length=1, max_length=64, description="from GET /api/v1/me/devices")


class ConferenceOut(BaseModel):
    room: str = Field(description="the conference room the calls were merged into")


class ParkedCallOut(BaseModel):
    """A call waiting in a park slot: dial the slot to pick it up."""

    model_config = ConfigDict(from_attributes=True)  # built from the PBX's dataclass

    slot: str = Field(description="the park slot, 7001-7019: dial it to pick the call up")
    call_id: str
    caller: str = Field(description="the number of the party waiting")
    caller_name: str | None
    parked_by: str = Field(description="the extension that parked the call")
    parked_by_name: str | None
    since: datetime


class ContactNumberOut(BaseModel):
    label: str
    number: str = Field(description="E.164, or an extension")


class DirectoryEntryOut(BaseModel):
    """A user, a company contact, a service number or a queue (its number is ``extension``)."""

    kind: Literal["user", "contact", "service", "queue"]
    id: int | None
    name: str
    extension: str | None
    email: str | None = None
    department: str | None = None
    company: str | None = None
    numbers: list[ContactNumberOut]
    presence: PresenceOut | None = Field(default=None, description="users only")
    line_state: str | None = Field(
        default=None, description='users only: "idle", "ringing" or "busy"'
    )
    registered: bool | None = Field(
        default=None,
        description="users only: true while at least one of their phones is registered",
    )
    metadata: str | None = Field(
        default=None, description='queues only: what agents see on its calls ("via <metadata>")'
    )
