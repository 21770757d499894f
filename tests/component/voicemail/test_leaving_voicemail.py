"""Real phones (pjsua2 agents, RFC 4733 digits) leaving voicemail and group inboxes: 1 rings
the user's personal assistance number and the two talk; 2 rings the user's phones again and,
unanswered, brings the caller back to the mailbox; a message left at a group inbox number is
listed for every member with its inbox and the call that left it, and lights their lamps."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import pytest

from pbx_core.media.prompts import prompt_path
from tests.component.voicemail.conftest import TONES, Phones, VoicemailPbx
from tests.support.agent import Agent
from tests.support.api import bearer, login
from tests.support.listening import heard, mostly, record_phase

pytestmark = pytest.mark.pjsua

_SESSION_S = 1.0  # the voicemail session is ready to take digits


def _seconds(*names: str) -> float:
    total = 0.0
    for name in names:
        path = prompt_path(name, "en")
        assert path is not None, name
        with wave.open(str(path), "rb") as wav:
            total += wav.getnframes() / wav.getframerate()
    return total


def _answered(phone: Agent, call: int, timeout: float = 10.0) -> None:
    event = phone.wait_call_state(call, "CONFIRMED", timeout=timeout)
    assert event["state"] == "CONFIRMED", f"call ended: {event['code']} {event['reason']}"
    phone.wait_event("media_active", call=call)


def test_one_rings_the_assistance_number_and_the_caller_talks_to_it(
    vm_pbx: VoicemailPbx, phones: Phones, tmp_path: Path
) -> None:
    chris, dana = phones("203"), phones("204")
    with vm_pbx.api() as api:
        token = bearer(login(api, "201", "Demo-201!"))
        bad = api.put("/api/v1/voicemail/settings", json={"assistance_number": "x1"}, headers=token)
        assert bad.status_code == 422
        body = {"assistance_number": "204"}
        put = api.put("/api/v1/voicemail/settings", json=body, headers=token)
        assert put.status_code == 200
        assert put.json() == {
            "enabled": True,
            "own_greeting": False,
            "assistance_number": "204",
            "email_notification": "with_audio",
        }
        try:
            mark = vm_pbx.mark()
            placed = int(chris.send("call", uri="*1*201*")["call"])
            _answered(chris, placed)
            answered = vm_pbx.bus_event("voicemail.answered", since=mark)
            assert (answered["mailbox"], answered["reason"]) == ("201", "direct")
            time.sleep(_SESSION_S)
            chris.send("send_dtmf", call=placed, digits="1")
            incoming = int(dana.wait_event("incoming_call", timeout=10)["call"])
            dana.send("answer", call=incoming, code=200)
            _answered(dana, incoming)
            chris_hears, dana_hears = record_phase([chris, dana], tmp_path, "assistance")
            assert mostly(heard(chris_hears, TONES["204"])), "the caller does not hear 204"
            assert mostly(heard(dana_hears, TONES["203"])), "204 does not hear the caller"
            chris.send("hangup", call=placed)
            dana.wait_event("call_state", call=incoming, state="DISCONNECTED")
            ended = vm_pbx.bus_event("call.ended", since=mark, call_id=answered["call_id"])
            assert ended["answered"] is True
        finally:
            api.put("/api/v1/voicemail/settings", json={"assistance_number": None}, headers=token)
        settings = api.get("/api/v1/voicemail/settings", headers=token).json()
        assert settings["assistance_number"] is None


def test_two_rings_the_user_again_then_back_to_voicemail_and_the_message_has_the_call(
    vm_pbx: VoicemailPbx, phones: Phones
) -> None:
    anna, bram = phones("201"), phones("202", tone=False)
    mark = vm_pbx.mark()
    placed = int(anna.send("call", uri="202")["call"])
    bram.wait_event("incoming_call")  # rings, nobody answers
    _answered(anna, placed)
    answered = vm_pbx.bus_event("voicemail.answered", since=mark)
    assert answered["reason"] == "no-answer"
    bram.wait_event("call_state", state="DISCONNECTED")
    time.sleep(_SESSION_S)
    anna.send("send_dtmf", call=placed, digits="2")
    again = int(bram.wait_event("incoming_call", timeout=10)["call"])  # Bram's phone rings again
    bram.wait_event("call_state", call=again, state="DISCONNECTED", timeout=10)  # not answered
    back = vm_pbx.bus_event("voicemail.answered", since=mark, reason="again")
    assert (back["mailbox"], back["call_id"]) == ("202", answered["call_id"])
    # without the options ("press 2" is not offered again): greeting, tone, then the message
    time.sleep(_seconds("vm-extension", "digit-2", "digit-0", "digit-2", "vm-unavailable") + 2.5)
    anna.send("send_dtmf", call=placed, digits="#")
    added = vm_pbx.bus_event("voicemail.new", since=mark, mailbox="202")
    anna.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=15)
    with vm_pbx.api() as api:
        token = bearer(login(api, "202", "Demo-202!"))
        listed = api.get("/api/v1/voicemail", headers=token).json()
        message = next(m for m in listed if m["id"] == added["id"])
        assert (message["inbox"], message["call_id"]) == ("personal", answered["call_id"])
        assert api.delete(f"/api/v1/voicemail/{added['id']}", headers=token).status_code == 204


def test_a_group_inbox_message_is_listed_for_every_member(
    vm_pbx: VoicemailPbx, phones: Phones
) -> None:
    anna = phones("201")
    with vm_pbx.api() as api:
        bram = bearer(login(api, "202", "Demo-202!"))
        chris = bearer(login(api, "203", "Demo-203!"))
        groups = api.get("/api/v1/voicemail/groups", headers=bram).json()
        assert {"number": "9102", "department": "Support"} in groups
        inboxes = api.get("/api/v1/voicemail/inboxes", headers=bram).json()
        assert inboxes == [
            {"inbox": "personal", "number": "202"},
            {"inbox": "Support", "number": "9102"},
        ]

        mark = vm_pbx.mark()
        placed = int(anna.send("call", uri="9102")["call"])
        _answered(anna, placed)
        answered = vm_pbx.bus_event("voicemail.answered", since=mark)
        assert (answered["mailbox"], answered["reason"]) == ("9102", "group")
        time.sleep(_seconds("vm-group-unavailable", "beep") + 2.5)
        anna.send("send_dtmf", call=placed, digits="#")
        added = vm_pbx.bus_event("voicemail.new", since=mark, mailbox="9102")
        assert added["inbox"] == "Support"
        for member in ("202", "203"):  # each member's message lamp
            vm_pbx.bus_event("voicemail.counts", since=mark, extension=member, new=1)
        anna.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=15)

        for member in (bram, chris):
            listed = api.get("/api/v1/voicemail", headers=member).json()
            message = next(m for m in listed if m["id"] == added["id"])
            assert (message["inbox"], message["call_id"], message["caller"]) == (
                "Support",
                answered["call_id"],
                "201",
            )
            only = api.get("/api/v1/voicemail", params={"inbox": "Support"}, headers=member)
            assert [m["inbox"] for m in only.json()] == ["Support"] * len(only.json())
            personal = api.get("/api/v1/voicemail", params={"inbox": "personal"}, headers=member)
            assert all(m["id"] != added["id"] for m in personal.json())
        outsider = bearer(login(api, "201", "Demo-201!"))
        audio = api.get(f"/api/v1/voicemail/{added['id']}/audio", headers=outsider)
        assert audio.status_code == 404
        assert api.get(f"/api/v1/voicemail/{added['id']}/audio", headers=chris).status_code == 200
        assert api.post(f"/api/v1/voicemail/{added['id']}/heard", headers=chris).status_code == 204
        vm_pbx.bus_event("voicemail.changed", since=mark, id=added["id"], heard=True)
        assert api.delete(f"/api/v1/voicemail/{added['id']}", headers=bram).status_code == 204
        vm_pbx.bus_event("voicemail.counts", since=mark, extension="203", new=0, old=0)


def test_group_inboxes_are_managed_by_admins(vm_pbx: VoicemailPbx) -> None:
    with vm_pbx.api() as api:
        user = bearer(login(api, "201", "Demo-201!"))
        admin = bearer(login(api, "205", "Demo-205!"))
        body = {"department": "Reception"}
        assert api.put("/api/v1/voicemail/groups/9103", json=body, headers=user).status_code == 403
        for taken in ("9100", "201", "80x"):
            answer = api.put(f"/api/v1/voicemail/groups/{taken}", json=body, headers=admin)
            assert answer.status_code == 422, taken
        made = api.put("/api/v1/voicemail/groups/9103", json=body, headers=admin)
        assert made.json() == {"number": "9103", "department": "Reception"}
        dana = bearer(login(api, "204", "Demo-204!"))
        inboxes = api.get("/api/v1/voicemail/inboxes", headers=dana).json()
        assert {"inbox": "Reception", "number": "9103"} in inboxes
        assert api.delete("/api/v1/voicemail/groups/9103", headers=admin).status_code == 204
        assert api.delete("/api/v1/voicemail/groups/9103", headers=admin).status_code == 404
