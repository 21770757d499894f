"""Voicemail with real phones (pjsua2 agents): a call nobody answers goes to voicemail after the
delay, the caller hears the greeting, leaves a message (their tone) ended with ``#``; the message
is listed and downloadable through the API. A user with no registered phone gets voicemail at
once. Listening by phone (``9100``) with RFC 4733 digits: replay, delete, save."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from pbx_core.voicemail import repository
from pbx_core.voicemail.repository import NewMessage
from pbx_core.voicemail.session import greeting_prompts
from tests.component.voicemail.conftest import TONES, Phones, VoicemailPbx, prompt_seconds
from tests.support.agent import Agent
from tests.support.api import bearer, login
from tests.support.audio import read_wav, rms_dbfs, write_tone_wav
from tests.support.listening import heard, mostly, record_phase

pytestmark = pytest.mark.pjsua


def _answered(phone: Agent, call: int, timeout: float = 10.0) -> None:
    event = phone.wait_call_state(call, "CONFIRMED", timeout=timeout)
    assert event["state"] == "CONFIRMED", f"call ended: {event['code']} {event['reason']}"
    phone.wait_event("media_active", call=call)


def _tone_level(path: Path, freq: float) -> tuple[float, float]:
    """(share of the spectrum's energy within ±20 Hz of ``freq``, overall level in dBFS)."""
    samples, rate = read_wav(path)
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples)))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    share = float(spectrum[np.abs(freqs - freq) <= 20].sum() / spectrum.sum())
    return share, rms_dbfs(samples)


def _wait(pbx: VoicemailPbx, since: int) -> dict[str, object]:
    return pbx.bus_event("voicemail.answered", since=since)


def test_no_answer_goes_to_voicemail_and_the_message_is_in_the_api(
    vm_pbx: VoicemailPbx, phones: Phones, tmp_path: Path
) -> None:
    anna, bram = phones("201"), phones("202", tone=False)
    mark = vm_pbx.mark()
    placed = int(anna.send("call", uri="202")["call"])
    bram.wait_event("incoming_call")  # Bram's phone rings and nobody answers it
    _answered(anna, placed, timeout=10)
    answered = _wait(vm_pbx, mark)
    assert (answered["mailbox"], answered["reason"], answered["mode"]) == (
        "202",
        "no-answer",
        "deposit",
    )
    bram.wait_event("call_state", state="DISCONNECTED")  # the fork was cancelled

    (greeting,) = record_phase([anna], tmp_path, "greeting")
    samples, _ = read_wav(greeting)
    assert rms_dbfs(samples) > -40, "no greeting heard"
    assert not mostly(heard(greeting, TONES["201"]))

    # the rest of the greeting, "press 2 ...", the tone, then two seconds of message
    time_left = prompt_seconds(*greeting_prompts("202"), "vm-press-2-bypass", "beep") - 1.6 + 0.3
    anna.send("record", file=str(tmp_path / "wait.wav"))
    time.sleep(max(0.0, time_left) + 2.5)
    anna.send("stop_record")
    anna.send("send_dtmf", call=placed, digits="#")
    added = vm_pbx.bus_event("voicemail.new", since=mark, mailbox="202")
    assert added["caller"] == "201" and added["caller_name"] == "Anna de Vries"
    assert 1.5 <= float(str(added["duration_s"])) <= 6.0
    vm_pbx.bus_event("voicemail.counts", since=mark, extension="202", new=1)
    event = anna.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=15)
    assert event["state"] == "DISCONNECTED"  # "saved, goodbye", then the PBX hangs up

    with vm_pbx.api() as api:
        token = bearer(login(api, "202", "Demo-202!"))
        listed = api.get("/api/v1/voicemail", headers=token).json()
        message = next(m for m in listed if m["id"] == added["id"])
        assert set(message) == {
            "id",
            "caller",
            "caller_name",
            "received_at",
            "duration_s",
            "heard",
            "inbox",
            "call_id",
        }
        assert (message["caller"], message["heard"], message["inbox"]) == ("201", False, "personal")
        audio = api.get(f"/api/v1/voicemail/{message['id']}/audio", headers=token)
        assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
        path = tmp_path / "message.wav"
        path.write_bytes(audio.content)
        share, level = _tone_level(path, TONES["201"])
        assert share > 0.5 and level > -40, (share, level)

        other = bearer(login(api, "201", "Demo-201!"))
        assert api.get(f"/api/v1/voicemail/{message['id']}/audio", headers=other).status_code == 404
        heard_now = api.post(f"/api/v1/voicemail/{message['id']}/heard", headers=token)
        assert heard_now.status_code == 204
        vm_pbx.bus_event("voicemail.changed", since=mark, id=message["id"], heard=True)
        assert api.get("/api/v1/voicemail", headers=token).json()[0]["heard"] is True
        gone = api.delete(f"/api/v1/voicemail/{message['id']}", headers=token)
        assert gone.status_code == 204
        assert all(
            m["id"] != message["id"] for m in api.get("/api/v1/voicemail", headers=token).json()
        )
        calls = api.get("/api/v1/calls", headers=token).json()
        last = next(c for c in calls if c["caller"] == "201")
        assert (last["direction"], last["answered"], last["reason"]) == (
            "missed",
            False,
            "no-answer",
        )


def test_not_registered_goes_to_voicemail_at_once_and_hang_up_keeps_the_message(
    vm_pbx: VoicemailPbx, phones: Phones, tmp_path: Path
) -> None:
    anna = phones("201")
    mark = vm_pbx.mark()
    placed = int(anna.send("call", uri="203")["call"])  # 203 has no phone registered
    _answered(anna, placed, timeout=5)
    answered = _wait(vm_pbx, mark)
    assert (answered["mailbox"], answered["reason"]) == ("203", "not-registered")
    time.sleep(prompt_seconds(*greeting_prompts("203"), "beep") + 2.0)
    anna.send("hangup", call=placed)
    added = vm_pbx.bus_event("voicemail.new", since=mark, mailbox="203")
    assert added["caller"] == "201"


def _add_message(vm_pbx: VoicemailPbx, mailbox: str, freq: float, workdir: Path) -> int:
    """A message of a tone of ``freq`` in ``mailbox``, put straight into the store."""
    name = f"voicemail/{mailbox}/test-{int(freq)}.wav"
    (vm_pbx.config.data_dir / name).parent.mkdir(parents=True, exist_ok=True)
    write_tone_wav(vm_pbx.config.data_dir / name, freq, 2.0, rate=16000, level=0.3)
    size = (vm_pbx.config.data_dir / name).stat().st_size
    new = NewMessage(mailbox, "personal", "205", None, datetime.now(UTC), 2.0, name, size)
    store = vm_pbx.pbx.store
    saved = vm_pbx.run(store.aio.call(repository.add_message, store, new))
    return saved.id


def test_listening_by_phone_replay_delete_save(
    vm_pbx: VoicemailPbx, phones: Phones, tmp_path: Path
) -> None:
    first = _add_message(vm_pbx, "204", 700.0, tmp_path)
    second = _add_message(vm_pbx, "204", 1900.0, tmp_path)
    chris = phones("204", tone=False)
    mark = vm_pbx.mark()
    placed = int(chris.send("call", uri="9100")["call"])
    _answered(chris, placed)
    assert _wait(vm_pbx, mark)["mode"] == "listen"
    time.sleep(
        prompt_seconds("vm-you-have", "digit-2", "vm-new-messages", "vm-greeting-hint") + 0.2
    )
    (one,) = record_phase([chris], tmp_path, "first")
    assert mostly(heard(one, 700.0)), "the first message is not played"
    chris.send("send_dtmf", call=placed, digits="1")  # replay
    time.sleep(0.3)
    (again,) = record_phase([chris], tmp_path, "replay")
    assert mostly(heard(again, 700.0)), "the replay is not played"
    chris.send("send_dtmf", call=placed, digits="7")  # delete
    vm_pbx.bus_event("voicemail.changed", since=mark, id=first, deleted=True)
    time.sleep(prompt_seconds("vm-deleted") + 0.2)
    (two,) = record_phase([chris], tmp_path, "second")
    assert mostly(heard(two, 1900.0)), "the second message is not played"
    chris.send("send_dtmf", call=placed, digits="9")  # save
    vm_pbx.bus_event("voicemail.changed", since=mark, id=second, heard=True, deleted=False)
    event = chris.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=15)
    assert event["state"] == "DISCONNECTED"  # "no more messages, goodbye"

    with vm_pbx.api() as api:
        token = bearer(login(api, "204", "Demo-204!"))
        listed = api.get("/api/v1/voicemail", headers=token).json()
        assert [(m["id"], m["heard"]) for m in listed] == [(second, True)]


def test_busy_in_another_call_goes_to_voicemail(vm_pbx: VoicemailPbx, phones: Phones) -> None:
    anna, bram = phones("201"), phones("202", tone=False)
    echo = int(bram.send("call", uri="9000")["call"])  # Bram is in a call
    _answered(bram, echo)
    mark = vm_pbx.mark()
    placed = int(anna.send("call", uri="202")["call"])
    incoming = int(bram.wait_event("incoming_call")["call"])
    bram.send("answer", call=incoming, code=486)  # and his phone says busy to the second
    _answered(anna, placed)
    answered = _wait(vm_pbx, mark)
    assert (answered["mailbox"], answered["reason"]) == ("202", "busy")
    anna.send("hangup", call=placed)
    vm_pbx.bus_event("call.ended", since=mark, call_id=answered["call_id"])


def test_own_greeting_and_voicemail_off(
    vm_pbx: VoicemailPbx, phones: Phones, tmp_path: Path
) -> None:
    anna = phones("201")
    greeting = write_tone_wav(tmp_path / "greeting.wav", 600.0, 3.0, rate=16000, level=0.3)
    with vm_pbx.api() as api:
        token = bearer(login(api, "203", "Demo-203!"))
        refused = api.put("/api/v1/voicemail/greeting", content=b"RIFFnot", headers=token)
        assert refused.status_code == 422
        saved = api.put("/api/v1/voicemail/greeting", content=greeting.read_bytes(), headers=token)
        assert saved.status_code == 200 and saved.json() == {"duration_s": 3.0}
        settings = api.get("/api/v1/voicemail/settings", headers=token).json()
        assert settings == {
            "enabled": True,
            "own_greeting": True,
            "assistance_number": None,
            "email_notification": "with_audio",
        }
        plain = {"email_notification": "without_audio"}
        chosen = api.put("/api/v1/voicemail/settings", json=plain, headers=token)
        assert chosen.json()["email_notification"] == "without_audio", chosen.text
        wrong = {"email_notification": "by pigeon"}
        assert api.put("/api/v1/voicemail/settings", json=wrong, headers=token).status_code == 422
        assert api.get("/api/v1/voicemail/settings", headers=token).json() == {
            **settings,
            "email_notification": "without_audio",
        }

        mark = vm_pbx.mark()
        placed = int(anna.send("call", uri="*1*203*")["call"])
        _answered(anna, placed)
        assert _wait(vm_pbx, mark)["reason"] == "direct"
        (heard_greeting,) = record_phase([anna], tmp_path, "own-greeting")
        assert mostly(heard(heard_greeting, 600.0)), "the user's own greeting is not played"
        anna.send("hangup", call=placed)
        anna.wait_event("call_state", call=placed, state="DISCONNECTED")

        off = api.put("/api/v1/voicemail/settings", json={"enabled": False}, headers=token)
        assert off.json() == {
            "enabled": False,
            "own_greeting": True,
            "assistance_number": None,
            "email_notification": "without_audio",
        }
        placed = int(anna.send("call", uri="203")["call"])  # 203 has no phone: 480 again
        assert anna.wait_event("call_state", call=placed, state="DISCONNECTED")["code"] == 480
        api.put("/api/v1/voicemail/settings", json={"enabled": True}, headers=token)
        assert api.delete("/api/v1/voicemail/greeting", headers=token).status_code == 204
        assert api.get("/api/v1/voicemail/greeting", headers=token).status_code == 404


def test_recording_the_greeting_by_phone(
    vm_pbx: VoicemailPbx, phones: Phones, tmp_path: Path
) -> None:
    eva = phones("205", tone=False)
    mark = vm_pbx.mark()
    placed = int(eva.send("call", uri="9100")["call"])
    _answered(eva, placed)
    _wait(vm_pbx, mark)
    eva.send("send_dtmf", call=placed, digits="0")  # during "you have no new messages"
    time.sleep(prompt_seconds("vm-greeting-record", "beep") + 0.5)
    tone = write_tone_wav(tmp_path / "eva.wav", 880.0, 1.0, level=0.3)
    eva.send("play", file=str(tone))
    time.sleep(2.5)
    eva.send("stop_play")
    eva.send("send_dtmf", call=placed, digits="#")
    time.sleep(1.0)
    eva.send("hangup", call=placed)
    with vm_pbx.api() as api:
        token = bearer(login(api, "205", "Demo-205!"))
        for _ in range(50):
            greeting = api.get("/api/v1/voicemail/greeting", headers=token)
            if greeting.status_code == 200:
                break
            time.sleep(0.1)
        assert greeting.status_code == 200
        path = tmp_path / "greeting.wav"
        path.write_bytes(greeting.content)
        share, level = _tone_level(path, 880.0)
        assert share > 0.5 and level > -40, (share, level)
