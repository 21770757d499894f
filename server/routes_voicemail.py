"""Voicemail through the API: the signed-in user's messages (their own and their group
inboxes'), their audio, heard and delete; the settings (on/off, the personal assistance
number); the group inboxes (docs/voicemail.md). Events ``voicemail.new``,
``voicemail.changed`` and ``voicemail.counts`` come on the WebSocket stream like every bus
event."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from pbx_core.pbx import Pbx
from pbx_core.permissions import Permission
from pbx_core.store import UserRecord
from pbx_core.voicemail.attach import attach
from pbx_core.voicemail.groups import number_problem
from pbx_core.voicemail.notify import EmailNotification
from pbx_core.voicemail.repository import GroupInbox, VoicemailMessage
from pbx_core.voicemail.service import VoicemailService
from server.deps import CurrentUser, RowId, requires, state_service
from server.errors import ApiError
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["install", "router"]

router = api_router(tags=["voicemail"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such message of yours"},
    503: {"model": ErrorOut, "description": "voicemail is switched off on this PBX"},
}


def install(app: FastAPI, pbx: Pbx) -> None:
    """Attach the voicemail service to ``pbx`` and serve its routes."""
    app.state.voicemail = attach(pbx)
    app.include_router(router)


get_voicemail = state_service(
    "voicemail", VoicemailService, "voicemail_off", "voicemail is switched off on this PBX"
)


VoicemailDep = Annotated[VoicemailService, Depends(get_voicemail)]
GroupsAdmin = Annotated[UserRecord, Depends(requires(Permission.MANAGE_GROUP_INBOXES))]


class VoicemailOut(BaseModel):
    id: int
    caller: str = Field(description="the caller's extension or number")
    caller_name: str | None
    received_at: datetime
    duration_s: float
    heard: bool
    inbox: str = Field(description='"personal", or the name of the group (department) inbox')
    call_id: str | None = Field(description="the call that left the message (None before 0010)")

    @classmethod
    def of(cls, message: VoicemailMessage) -> VoicemailOut:
        return cls(
            id=message.id,
            caller=message.caller,
            caller_name=message.caller_name,
            received_at=message.received_at,
            duration_s=message.duration_s,
            heard=message.heard,
            inbox=message.inbox,
            call_id=message.call_id,
        )


class InboxOut(BaseModel):
    inbox: str = Field(description='"personal" or the group\'s name, as in each message')
    number: str = Field(description="your extension, or the number callers dial for the group")


class HeardIn(BaseModel):
    heard: bool = True


class SettingsIn(BaseModel):
    enabled: bool | None = Field(
        default=None, description="false: calls to you no longer go to voicemail"
    )
    assistance_number: str | None = Field(
        default=None,
        max_length=32,
        description='"press 1 for personal assistance" rings this number; null: not offered',
    )
    email_notification: EmailNotification | None = Field(
        default=None,
        description="an e-mail for each new message: with_audio (the WAV attached), "
        "without_audio, or off",
    )


class SettingsOut(BaseModel):
    enabled: bool
    own_greeting: bool = Field(description="a greeting of your own plays instead of the default")
    assistance_number: str | None = Field(description="where 1 sends callers (null: not offered)")
    email_notification: EmailNotification = Field(
        description="how a new message is e-mailed to you (when the PBX has an SMTP server)"
    )


class GroupIn(BaseModel):
    department: str = Field(min_length=1, max_length=200)


class GroupOut(BaseModel):
    number: str
    department: str

    @classmethod
    def of(cls, inbox: GroupInbox) -> GroupOut:
        return cls(number=inbox.number, department=inbox.department)


class GreetingOut(BaseModel):
    duration_s: float


_MAX_GREETING_BYTES = 6_000_000


@router.get(
    "/api/v1/voicemail", response_model=list[VoicemailOut], tags=["voicemail"], responses=_ERRORS
)
async def list_voicemail(
    user: CurrentUser,
    voicemail: VoicemailDep,
    inbox: Annotated[
        str | None, Query(description='only this inbox: "personal", a group\'s name or number')
    ] = None,
) -> list[VoicemailOut]:
    """Your messages and those of your groups' inboxes, newest first."""
    found = await voicemail.inbox_messages(user.extension, inbox)
    return [VoicemailOut.of(m) for m in found]


@router.get("/api/v1/voicemail/inboxes", response_model=list[InboxOut], tags=["voicemail"])
async def list_inboxes(user: CurrentUser, voicemail: VoicemailDep) -> list[InboxOut]:
    """The inboxes you read: your own, then your department's group inboxes."""
    mailboxes = voicemail.mailboxes_of(user.extension)
    return [InboxOut(inbox=name, number=number) for number, name in mailboxes.items()]


@router.get(
    "/api/v1/voicemail/{message_id:int}/audio",
    response_class=FileResponse,
    tags=["voicemail"],
    responses={**_ERRORS, 200: {"content": {"audio/wav": {}}}},
)
async def voicemail_audio(
    message_id: RowId, user: CurrentUser, voicemail: VoicemailDep
) -> FileResponse:
    """The message as a 16 kHz mono WAV file."""
    message = await voicemail.message(user.extension, message_id)
    path = voicemail.audio_path(message)
    if not path.is_file():
        raise ApiError(404, "not_found", f"the audio of message {message_id} is gone")
    return FileResponse(path, media_type="audio/wav", filename=f"voicemail-{message_id}.wav")


@router.post(
    "/api/v1/voicemail/{message_id:int}/heard",
    status_code=204,
    tags=["voicemail"],
    responses=_ERRORS,
)
async def mark_heard(message_id: RowId, user: CurrentUser, voicemail: VoicemailDep) -> Response:
    """Mark a message heard."""
    await voicemail.set_heard(user.extension, message_id, True)
    return Response(status_code=204)


@router.patch(
    "/api/v1/voicemail/{message_id:int}",
    response_model=VoicemailOut,
    tags=["voicemail"],
    responses=_ERRORS,
)
async def patch_voicemail(
    message_id: RowId, body: HeardIn, user: CurrentUser, voicemail: VoicemailDep
) -> VoicemailOut:
    """``{"heard": true}`` or ``{"heard": false}``."""
    await voicemail.set_heard(user.extension, message_id, body.heard)
    return VoicemailOut.of(await voicemail.message(user.extension, message_id))


@router.delete(
    "/api/v1/voicemail/{message_id:int}", status_code=204, tags=["voicemail"], responses=_ERRORS
)
async def delete_voicemail(
    message_id: RowId, user: CurrentUser, voicemail: VoicemailDep
) -> Response:
    """Delete a message and its audio."""
    await voicemail.delete(user.extension, message_id)
    return Response(status_code=204)


@router.get("/api/v1/voicemail/settings", response_model=SettingsOut, tags=["voicemail"])
async def voicemail_settings(user: CurrentUser, voicemail: VoicemailDep) -> SettingsOut:
    """Whether calls to you go to voicemail, whether your own greeting plays, and the personal
    assistance number."""
    return await _settings(user.extension, voicemail)


async def _settings(extension: str, voicemail: VoicemailService) -> SettingsOut:
    return SettingsOut(
        enabled=voicemail.enabled(extension),
        own_greeting=voicemail.greeting_path(extension).is_file(),
        assistance_number=await voicemail.assistance_number(extension),
        email_notification=await voicemail.email_notification(extension),
    )


@router.put("/api/v1/voicemail/settings", response_model=SettingsOut, tags=["voicemail"])
async def set_voicemail_settings(
    body: SettingsIn, user: CurrentUser, voicemail: VoicemailDep
) -> SettingsOut:
    """Turn your voicemail off or on again (seed 000: "Voicemail niet meer ontvangen"), set or
    clear the personal assistance number (seed 004), choose the e-mail of a new message (with
    the audio, without it, or none); a field left out stays as it is."""
    if "assistance_number" in body.model_fields_set:
        number = (body.assistance_number or "").strip()
        if number and (not number.lstrip("+").isdigit() or number == user.extension):
            raise ApiError(
                422, "invalid_number", "the assistance number is another extension or number"
            )
        await voicemail.set_assistance_number(user.extension, number or None)
    if body.enabled is not None:
        await voicemail.set_enabled(user.extension, body.enabled)
    if body.email_notification is not None:
        await voicemail.set_email_notification(user.extension, body.email_notification)
    return await _settings(user.extension, voicemail)


@router.put(
    "/api/v1/voicemail/greeting",
    response_model=GreetingOut,
    tags=["voicemail"],
    responses={**_ERRORS, 422: {"model": ErrorOut, "description": "not a usable WAV file"}},
)
async def upload_greeting(
    request: Request, user: CurrentUser, voicemail: VoicemailDep
) -> GreetingOut:
    """Your own greeting: the request body is a 16-bit PCM WAV file (0.2 to 60 s)."""
    data = await request.body()
    if len(data) > _MAX_GREETING_BYTES:
        raise ApiError(422, "invalid_greeting", "a greeting file is at most 6 MB")
    try:
        seconds = await voicemail.save_greeting(user.extension, data)
    except ValueError as exc:
        raise ApiError(422, "invalid_greeting", str(exc)) from exc
    return GreetingOut(duration_s=seconds)


@router.get(
    "/api/v1/voicemail/greeting",
    response_class=FileResponse,
    tags=["voicemail"],
    responses={**_ERRORS, 200: {"content": {"audio/wav": {}}}},
)
async def get_greeting(user: CurrentUser, voicemail: VoicemailDep) -> FileResponse:
    """Your own greeting (404 while the spoken default plays)."""
    path = voicemail.greeting_path(user.extension)
    if not path.is_file():
        raise ApiError(404, "not_found", "no greeting of your own: the default plays")
    return FileResponse(path, media_type="audio/wav", filename="greeting.wav")


@router.delete("/api/v1/voicemail/greeting", status_code=204, tags=["voicemail"], responses=_ERRORS)
async def delete_greeting(user: CurrentUser, voicemail: VoicemailDep) -> Response:
    """Back to the spoken default greeting."""
    if not voicemail.delete_greeting(user.extension):
        raise ApiError(404, "not_found", "no greeting of your own")
    return Response(status_code=204)


# -- group inboxes (seed 004 "Voicemail-numre") ------------------------------------------------


@router.get("/api/v1/voicemail/groups", response_model=list[GroupOut], tags=["voicemail"])
async def list_groups(user: CurrentUser, voicemail: VoicemailDep) -> list[GroupOut]:
    """Every group inbox: its number and the department whose members read it."""
    return [GroupOut.of(inbox) for inbox in voicemail.groups.all()]


@router.put(
    "/api/v1/voicemail/groups/{number}",
    response_model=GroupOut,
    tags=["voicemail"],
    responses={
        403: {"model": ErrorOut, "description": "not an admin"},
        422: {"model": ErrorOut, "description": "not a usable number"},
    },
)
async def put_group(
    number: str, body: GroupIn, user: GroupsAdmin, voicemail: VoicemailDep
) -> GroupOut:
    """Admins: the department's group inbox at ``number`` (a department has one)."""
    is_user = voicemail.store.user_by_extension(number) is not None
    problem = number_problem(number, is_user)
    if problem is not None:
        raise ApiError(422, "invalid_number", problem)
    inbox = GroupInbox(number, body.department)
    await voicemail.set_group(inbox)
    return GroupOut.of(inbox)


@router.delete(
    "/api/v1/voicemail/groups/{number}",
    status_code=204,
    tags=["voicemail"],
    responses={403: {"model": ErrorOut, "description": "not an admin"}, **_ERRORS},
)
async def delete_group(number: str, user: GroupsAdmin, voicemail: VoicemailDep) -> Response:
    """Admins: remove a group inbox (its messages stay until deleted or expired)."""
    if not await voicemail.remove_group(number):
        raise ApiError(404, "not_found", f"no group inbox {number}")
    return Response(status_code=204)
