"""Digits sent as SIP INFO (``application/dtmf-relay``, as many desk phones do) drive the PBX's
menus like RFC 4733 events: a pjsua2 phone listens to its mailbox (``9100``) and deletes the
message with a ``7`` sent in an INFO request."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.component.voicemail.conftest import Phones, VoicemailPbx, prompt_seconds
from tests.component.voicemail.test_voicemail_calls import _add_message, _answered
from tests.support.listening import heard, mostly, record_phase

pytestmark = pytest.mark.pjsua


def test_a_digit_in_sip_info_deletes_the_message(
    vm_pbx: VoicemailPbx, phones: Phones, tmp_path: Path
) -> None:
    message = _add_message(vm_pbx, "203", 1100.0, tmp_path)
    chris = phones("203", tone=False)
    mark = vm_pbx.mark()
    placed = int(chris.send("call", uri="9100")["call"])
    _answered(chris, placed)
    answered = vm_pbx.bus_event("voicemail.answered", since=mark)
    assert (answered["mailbox"], answered["mode"]) == ("203", "listen")
    time.sleep(
        prompt_seconds("vm-you-have", "digit-1", "vm-new-messages", "vm-greeting-hint") + 0.2
    )
    (playing,) = record_phase([chris], tmp_path, "message")
    assert mostly(heard(playing, 1100.0)), "the message is not played"

    chris.send("send_dtmf", call=placed, digits="7", method="info")  # delete
    vm_pbx.bus_event("voicemail.changed", since=mark, id=message, deleted=True)
    event = chris.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=15)
    assert event["state"] == "DISCONNECTED"  # "deleted", "no more messages, goodbye"
