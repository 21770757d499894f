"""The demo users as SIPp phones, the marks of a SIPp module, and where a server takes UDP."""

from __future__ import annotations

import pytest

from tests.support.server_process import RunningServer
from tests.support.sipp import SippUser, sipp_available

SIPP_MARKS = [
    pytest.mark.sipp,
    pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed"),
]
ANNA = SippUser("201", "Demo-201!", "202")  # calls Bram
BRAM = SippUser("202", "Demo-202!")
CHRIS = SippUser("203", "Demo-203!")


def udp(server: RunningServer) -> tuple[str, int]:
    return ("127.0.0.1", server.sip_udp_port)
