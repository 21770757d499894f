"""Recording on demand with real phones: 201 and 202 talk through the PBX, 202 starts and stops
recording through the API; the WAV holds both parties' tones, the recording is listed, its
audio downloads, and it is deleted. 404 and 409 answers for the wrong call, a second start, a
stop of nothing; the events ``recording.started`` and ``recording.stopped`` on 202's stream."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.component.server._phones import TONES, connected, office
from tests.support.api import bearer, login
from tests.support.audio import read_wav, segment, tone_present, tone_timeline
from tests.support.listening import mostly
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path, demo=True)
    yield running
    running.stop()


def _next_of_type(ws: ClientConnection, kind: str) -> dict[str, object]:
    while True:
        message = json.loads(ws.recv(timeout=10))
        if message["type"] == kind:
            return message  # type: ignore[no-any-return]


def test_record_a_call_through_the_api(server: RunningServer, tmp_path: Path) -> None:
    with office(server, tmp_path) as (anna, bram, _chris, api):
        token = bearer(login(api, "202", "Demo-202!"))
        raw = token["Authorization"].removeprefix("Bearer ")
        assert api.post("/api/v1/calls/nope/recording", headers=token).status_code == 404
        connected(anna, bram, "202")
        (live,) = api.get("/api/v1/active-calls", headers=token).json()
        path = f"/api/v1/calls/{live['call_id']}/recording"
        token_203 = bearer(login(api, "203", "Demo-203!"))
        assert api.post(path, headers=token_203).status_code == 404  # not a party
        assert api.delete(path, headers=token).status_code == 404  # nothing to stop

        with connect(f"{server.ws_url}/api/v1/events?token={raw}") as ws:
            started = api.post(path, headers=token)
            assert started.status_code == 201, started.text
            assert started.json()["recording"] is True
            assert api.post(path, headers=token).status_code == 409
            event = _next_of_type(ws, "recording.started")
            data = event["data"]
            assert isinstance(data, dict)
            assert (data["call_id"], data["extension"]) == (live["call_id"], "202")
            assert datetime.fromisoformat(data["started_at"]) == datetime.fromisoformat(
                started.json()["started_at"]
            )
            time.sleep(7.0)  # beyond one chunk written while the call goes on
            stopped = api.delete(path, headers=token)
            assert stopped.status_code == 200, stopped.text
            kept = stopped.json()
            done = _next_of_type(ws, "recording.stopped")
        assert done["data"] == {
            "call_id": live["call_id"],
            "extension": "202",
            "id": kept["id"],
            "duration_s": kept["duration_s"],
            "reason": "stopped",
        }
        assert (kept["call_id"], kept["number"], kept["name"]) == (
            live["call_id"],
            "201",
            "Anna de Vries",
        )
        assert 6.5 <= kept["duration_s"] <= 9.0

        # A second start in the same call makes a new recording; the hang-up ends it.
        assert api.post(path, headers=token).status_code == 201
        time.sleep(0.5)
        anna.send("hangup")
        bram.wait_event("call_state", state="DISCONNECTED")
        for _ in range(50):
            listed = api.get("/api/v1/recordings", headers=token).json()
            if len(listed) == 2:
                break
            time.sleep(0.1)
        assert [r["id"] for r in listed][1] == kept["id"], listed  # newest first
        assert api.get("/api/v1/recordings", headers=token_203).json() == []

        audio = api.get(f"/api/v1/recordings/{kept['id']}/audio", headers=token)
        assert audio.status_code == 200
        assert audio.headers["content-type"] == "audio/wav"
        wav = tmp_path / "kept.wav"
        wav.write_bytes(audio.content)
        samples, rate = read_wav(wav)
        assert rate == 16000
        middle = segment(samples, rate, 0.3, kept["duration_s"] - 0.3)
        for ext in ("201", "202"):
            timeline = tone_timeline(middle, rate, TONES[ext], window_s=0.2)
            assert mostly(timeline), f"{ext}'s tone is not all through the recording: {timeline}"
        assert not tone_present(middle, rate, TONES["203"])
        assert (
            api.get(f"/api/v1/recordings/{kept['id']}/audio", headers=token_203).status_code == 404
        )

        assert api.delete(f"/api/v1/recordings/{kept['id']}", headers=token).status_code == 204
        assert api.delete(f"/api/v1/recordings/{kept['id']}", headers=token).status_code == 404
        assert [r["id"] for r in api.get("/api/v1/recordings", headers=token).json()] == [
            listed[0]["id"]
        ]
