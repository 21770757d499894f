"""Call recording on demand through the API (docs/recording.md): start and stop recording one of
your answered calls, list your recordings, fetch their audio, delete them. Events
``recording.started`` and ``recording.stopped`` go to your WebSocket clients only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from pbx_core.pbx import Pbx
from pbx_core.recording.attach import attach
from pbx_core.recording.repository import StoredRecording
from pbx_core.recording.service import RecordingService
from server.deps import CurrentUser, RowId, state_service
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["install", "router"]

router = api_router(tags=["recordings"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such call or recording of yours"},
    503: {"model": ErrorOut, "description": "recording is not available on this PBX"},
}
_CALL_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    409: {"model": ErrorOut, "description": "already recording, or the call is not answered"},
}


def install(app: FastAPI, pbx: Pbx) -> None:
    """Attach the recording service to ``pbx`` and serve its routes."""
    app.state.recordings = attach(pbx)
    app.include_router(router)


get_recordings = state_service(
    "recordings", RecordingService, "recording_off", "recording is not available on this PBX"
)


RecordingsDep = Annotated[RecordingService, Depends(get_recordings)]


class RecordingStateOut(BaseModel):
    call_id: str
    recording: bool = Field(description="true while you record this call")
    started_at: datetime


class RecordingOut(BaseModel):
    id: int
    call_id: str = Field(description="the PBX's id of the call (as in active-calls and calls)")
    started_at: datetime
    duration_s: float
    number: str = Field(description="the other party's extension or number")
    name: str | None = Field(description="the other party's name, when known")

    @classmethod
    def of(cls, found: StoredRecording) -> RecordingOut:
        return cls(
            id=found.id,
            call_id=found.call_id,
            started_at=found.started_at,
            duration_s=found.duration_s,
            number=found.number,
            name=found.name,
        )


@router.post(
    "/api/v1/calls/{call_id}/recording",
    status_code=201,
    response_model=RecordingStateOut,
    responses=_CALL_ERRORS,
)
async def start_recording(
    call_id: str, user: CurrentUser, recordings: RecordingsDep
) -> RecordingStateOut:
    """Start recording your answered call ``call_id`` (both sides, mixed); each start makes a
    new recording. The other party is not told by the app."""
    active = recordings.start(call_id, user.extension)
    return RecordingStateOut(call_id=call_id, recording=True, started_at=active.started_at)


@router.delete(
    "/api/v1/calls/{call_id}/recording",
    response_model=RecordingOut | None,
    responses={**_ERRORS, 404: {"model": ErrorOut, "description": "you are not recording it"}},
)
async def stop_recording(
    call_id: str, user: CurrentUser, recordings: RecordingsDep
) -> RecordingOut | None:
    """Stop recording the call: the recording as kept (null when it held no audio)."""
    stored = await recordings.stop(call_id, user.extension)
    return RecordingOut.of(stored) if stored is not None else None


@router.get("/api/v1/recordings", response_model=list[RecordingOut], responses=_ERRORS)
async def list_recordings(user: CurrentUser, recordings: RecordingsDep) -> list[RecordingOut]:
    """Your recordings, newest first."""
    return [RecordingOut.of(r) for r in await recordings.recordings(user.extension)]


@router.get(
    "/api/v1/recordings/{recording_id:int}/audio",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"audio/wav": {}}}},
)
async def recording_audio(
    recording_id: RowId, user: CurrentUser, recordings: RecordingsDep
) -> FileResponse:
    """The recording as a 16 kHz mono WAV file."""
    path = await recordings.audio(user.extension, recording_id)
    return FileResponse(path, media_type="audio/wav", filename=f"recording-{recording_id}.wav")


@router.delete("/api/v1/recordings/{recording_id:int}", status_code=204, responses=_ERRORS)
async def delete_recording(
    recording_id: RowId, user: CurrentUser, recordings: RecordingsDep
) -> Response:
    """Delete a recording and its audio."""
    await recordings.delete(user.extension, recording_id)
    return Response(status_code=204)
