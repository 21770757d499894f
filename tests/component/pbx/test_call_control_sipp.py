"""Blind transfer on the wire: SIPp is the transferor and checks the PBX's exact messages.

SIPp (201) calls a pjsua2 phone (202) through the PBX, sends REFER to 203 inside the call and
expects 202 Accepted, NOTIFY ``Event: refer`` with message/sipfrag "SIP/2.0 100 Trying", NOTIFY
"SIP/2.0 200 OK" with ``Subscription-State: terminated``, then the PBX's BYE
(tests/component/sipp/scenarios/refer_blind.xml). The transferee and the target then hear
each other.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.component.pbx.conftest import Phones, ThreadedPbx, check_hearing, ended, established
from tests.support import sipp
from tests.support.agent import AgentError
from tests.support.sipp import SippUser, sipp_available

pytestmark = [
    pytest.mark.sipp,
    pytest.mark.pjsua,
    pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed"),
]


def test_refer_from_sipp_gets_202_notifies_and_bye(
    phones: Phones, cc_pbx: ThreadedPbx, tmp_path: Path
) -> None:
    b, c = phones("202"), phones("203")
    transferor = sipp.start_scenario(
        "refer_blind",
        tmp_path / "sipp",
        remote=("127.0.0.1", cc_pbx.sip_udp_port),
        users=[SippUser("201", "Demo-201!", "202")],
        extra_args=("-key", "transfer_to", "203"),
    )
    with transferor:
        try:
            b_call = int(b.wait_event("incoming_call")["call"])
            b.send("answer", call=b_call, code=200)
            established(b, b_call)
            incoming = c.wait_event("incoming_call", timeout=15)
        except AgentError as exc:
            raise AssertionError(f"{exc}\n{transferor.wait(5).describe()}") from None
        assert "202" in incoming["from"], incoming
        assert "201" in (incoming["referred_by"] or ""), incoming
        c_call = int(incoming["call"])
        c.send("answer", call=c_call, code=200)
        established(c, c_call)
        transferor.wait().check()

    check_hearing(tmp_path, "transferred", {b: [c], c: [b]})
    c.send("hangup", call=c_call)
    ended(b, b_call)
