"""A desk phone's message lamp (MWI, RFC 3842): a pjsua2 phone with MWI on subscribes to its
own mailbox and is told by NOTIFY when a message arrives, then when it has been heard."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from pbx_core.voicemail.session import greeting_prompts
from tests.component.voicemail.conftest import Phones, VoicemailPbx, prompt_seconds
from tests.support.agent import Agent


def _lamp(phone: Agent, waiting: str, new: int) -> dict[str, object]:
    """Wait for a message-summary whose body says ``Messages-Waiting`` and ``new`` unheard."""
    deadline = time.monotonic() + 20
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"no NOTIFY with Messages-Waiting: {waiting} and {new} new"
        event = phone.wait_event("mwi", timeout=left)
        body = str(event["body"]).lower()
        if f"messages-waiting: {waiting}" in body and f"voice-message: {new}/" in body:
            return event


def test_a_new_message_lights_the_phones_lamp_and_hearing_it_puts_it_out(
    vm_pbx: VoicemailPbx, phones: Phones, tmp_path: Path
) -> None:
    with contextlib.ExitStack() as stack:
        desk = Agent(tmp_path, "desk202", extra_args=("--clock-rate", "8000"))
        stack.callback(desk.close)
        desk.send(
            "register",
            host="127.0.0.1",
            port=vm_pbx.sip_port,
            user="202",
            password="Demo-202!",
            mwi=True,
            outbound_proxy=True,  # its SUBSCRIBE goes through the PBX, not to port 5060
        )
        desk.wait_event("registered", code=200, timeout=10)
        _lamp(desk, "no", 0)  # the first NOTIFY of the subscription: nothing waiting

        caller = phones("201")  # plays its tone: a message of silence would be discarded
        mark = vm_pbx.mark()
        placed = int(caller.send("call", uri="*1*202*")["call"])  # straight to 202's voicemail
        state = caller.wait_call_state(placed, "CONFIRMED", timeout=10)
        assert state["state"] == "CONFIRMED", f"call ended: {state['code']} {state['reason']}"
        # the greeting, "press 2 to ring him once more" (his desk phone is registered), the
        # beep, then two seconds of the caller's tone
        time.sleep(prompt_seconds(*greeting_prompts("202"), "vm-press-2-bypass", "beep") + 2.0)
        caller.send("hangup", call=placed)
        added = vm_pbx.bus_event("voicemail.new", since=mark, mailbox="202")
        _lamp(desk, "yes", 1)

        with vm_pbx.api() as api:
            body = {"username": "202", "password": "Demo-202!"}
            token = api.post("/api/v1/auth/login", json=body)
            headers = {"Authorization": f"Bearer {token.json()['token']}"}
            heard = api.patch(
                f"/api/v1/voicemail/{added['id']}", json={"heard": True}, headers=headers
            )
        assert heard.status_code in (200, 204), heard.text
        _lamp(desk, "no", 0)
