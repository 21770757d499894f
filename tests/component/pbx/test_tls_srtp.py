"""SIP over TLS and SRTP between pjsua2 agents through the PBX (RFC 3261 §26, RFC 4568, RFC 3711).

Two phones register over TLS and call with SRTP mandatory on both phones and the PBX: each
hears the other's tone (FFT), and on the wire every RTP packet the PBX took from a phone was
SRTP (it authenticates with the phone's key, is longer by the 80-bit tag and its payload is not
the plaintext the PBX relayed); hold and resume keep the keys. A phone on plain TCP calls a
TLS phone with the PBX on "optional": SRTP on one leg, plain RTP on the other, audio both ways.
An SRTP offer over TCP is refused with 488; garbage on the TLS port is logged once and the
server carries on. With the PBX on "mandatory" a phone without SRTP gets 488. The echo test
(9000) answers an SRTP phone with SRTP.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pbx_core.media import MediaLeg
from pbx_core.media.srtp import SrtpKeys, SrtpTransform
from pbx_core.telephony import Telephony
from tests.agents import pjsua_tls_agent
from tests.component.pbx.conftest import ThreadedPbx, call_control_config, connect, ended
from tests.support.agent import Agent
from tests.support.audio import write_tone_wav
from tests.support.listening import heard, mostly, record_phase

pytestmark = pytest.mark.pjsua

TONE_201 = 700.0
TONE_202 = 1300.0


@pytest.fixture(scope="module")
def strict_pbx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedPbx]:
    config = call_control_config(tmp_path_factory.mktemp("tls-strict"))
    running = ThreadedPbx(dataclasses.replace(config, srtp="mandatory"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def default_pbx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedPbx]:
    running = ThreadedPbx(call_control_config(tmp_path_factory.mktemp("tls-optional")))
    try:
        yield running
    finally:
        running.stop()


def _phone(
    workdir: Path,
    pbx: ThreadedPbx,
    ext: str,
    tone: float,
    *,
    transport: str = "tls",
    srtp: str = "mandatory",
    **extra: Any,
) -> Agent:
    script = Path(pjsua_tls_agent.__file__)
    agent = Agent(workdir, f"p{ext}", script=script, extra_args=("--clock-rate", "8000"))
    transports = _telephony(pbx).endpoint.transport
    port = transports.tls_port if transport == "tls" else transports.tcp_port
    try:
        agent.send(
            "register",
            host="127.0.0.1",
            port=port,
            transport=transport,
            srtp=srtp,
            user=ext,
            password=f"Demo-{ext}!",
            **extra,
        )
        assert agent.wait_event("registered", timeout=10)["code"] == 200
        agent.send("play", file=str(write_tone_wav(workdir / f"{ext}.wav", tone, 1.0)))
    except BaseException:
        agent.close()
        raise
    return agent


def _telephony(pbx: ThreadedPbx) -> Telephony:
    telephony = pbx.pbx.telephony
    assert isinstance(telephony, Telephony)
    return telephony


def _legs(pbx: ThreadedPbx) -> list[MediaLeg]:
    return [leg for leg in _telephony(pbx).media._legs.values() if not leg.closed]


class _Tap:
    """Keeps the first datagrams a leg's RTP socket receives, before the leg unprotects them."""

    def __init__(self, leg: MediaLeg) -> None:
        endpoint = leg._rtp
        assert endpoint is not None
        self.packets: list[bytes] = []
        inner = endpoint._receiver

        def receive(data: bytes, addr: tuple[str, int]) -> None:
            if len(self.packets) < 200:
                self.packets.append(bytes(data))
            inner(data, addr)

        endpoint._receiver = receive


def test_tls_phones_call_with_srtp_both_ways(strict_pbx: ThreadedPbx, tmp_path: Path) -> None:
    a = _phone(tmp_path, strict_pbx, "201", TONE_201)
    b = _phone(tmp_path, strict_pbx, "202", TONE_202)
    try:
        bindings = _telephony(strict_pbx).registrar.bindings("202")
        assert [x.destination.transport for x in bindings] == ["tls"]
        placed, _ = connect(a, b, "202")
        legs = _legs(strict_pbx)
        assert len(legs) == 2
        taps = [_Tap(leg) for leg in legs]

        heard_by_a, heard_by_b = record_phase([a, b], tmp_path, "talk")
        assert mostly(heard(heard_by_a, TONE_202)), "201 does not hear 202"
        assert mostly(heard(heard_by_b, TONE_201)), "202 does not hear 201"

        for leg, tap in zip(legs, taps, strict=True):
            srtp = leg.srtp_transform
            assert srtp is not None, f"{leg.leg_id} is not SRTP"
            assert srtp.keys.suite == "AES_CM_128_HMAC_SHA1_80"
            assert srtp.unprotected > 50 and srtp.failed == 0
            assert len(tap.packets) > 20
            # the same bytes again through a fresh context with the phone's key: they
            # authenticate, carry the tag, and their payload is not the plain one
            check = SrtpTransform(SrtpKeys(srtp.keys.suite, srtp.keys.local, srtp.keys.remote))
            for raw in tap.packets[:20]:
                plain = check.unprotect(raw)
                assert plain is not None, "a packet on the wire is not SRTP"
                assert len(raw) == len(plain) + 10
                assert raw[12 : len(plain)] != plain[12:]
        # hold and resume are re-INVITEs both ways: the keys stay, audio comes back
        keys = [leg.srtp_transform.keys for leg in legs if leg.srtp_transform is not None]
        a.drain()
        b.drain()
        a.send("hold")
        a.wait_event("media_state", status="LOCAL_HOLD")
        b.wait_event("media_state", status="REMOTE_HOLD")
        a.send("resume")
        a.wait_event("media_state", status="ACTIVE")
        b.wait_event("media_state", status="ACTIVE")
        heard_by_a, heard_by_b = record_phase([a, b], tmp_path, "resumed")
        assert mostly(heard(heard_by_a, TONE_202)), "201 does not hear 202 after resume"
        assert mostly(heard(heard_by_b, TONE_201)), "202 does not hear 201 after resume"
        for leg, before in zip(legs, keys, strict=True):
            assert leg.srtp_transform is not None and leg.srtp_transform.failed == 0
            assert leg.srtp_transform.keys.local == before.local
        a.send("hangup", call=placed)
        ended(a, placed)
    finally:
        a.close()
        b.close()


def test_a_plain_tcp_phone_calls_a_tls_phone(default_pbx: ThreadedPbx, tmp_path: Path) -> None:
    a = _phone(tmp_path, default_pbx, "201", TONE_201, transport="tcp", srtp="off")
    b = _phone(tmp_path, default_pbx, "202", TONE_202, srtp="optional")
    try:
        placed, _ = connect(a, b, "202")
        heard_by_a, heard_by_b = record_phase([a, b], tmp_path, "talk")
        assert mostly(heard(heard_by_a, TONE_202)), "201 does not hear 202"
        assert mostly(heard(heard_by_b, TONE_201)), "202 does not hear 201"
        secured = {leg.leg_id: leg.srtp_transform is not None for leg in _legs(default_pbx)}
        assert sorted(secured.values()) == [False, True], secured
        for leg in _legs(default_pbx):
            if leg.srtp_transform is not None:
                assert leg.srtp_transform.unprotected > 50
                assert leg.srtp_transform.failed == 0
        a.send("hangup", call=placed)
        ended(a, placed)
    finally:
        a.close()
        b.close()


def test_srtp_keys_over_plain_tcp_are_refused(default_pbx: ThreadedPbx, tmp_path: Path) -> None:
    a = _phone(tmp_path, default_pbx, "203", TONE_201, transport="tcp", srtp_over_plain=True)
    b = _phone(tmp_path, default_pbx, "204", TONE_202, srtp="optional")
    try:
        placed = int(a.send("call", uri="204")["call"])
        event = ended(a, placed)
        assert event["code"] == 488
        assert "TLS only" in event["reason"]
        assert not any(e.get("event") == "incoming_call" for e in b.drain())
    finally:
        a.close()
        b.close()


def test_a_failed_handshake_is_logged_and_tls_goes_on(
    default_pbx: ThreadedPbx, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = _telephony(default_pbx).endpoint.transport.tls_port
    caplog.set_level(logging.WARNING, logger="pbx_core.signaling.transport")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(b"OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n")
        assert raw.recv(100) == b""  # closed by the PBX, no answer in the clear
    failures = [r for r in caplog.records if "TLS handshake failed" in r.getMessage()]
    assert len(failures) == 1
    a = _phone(tmp_path, default_pbx, "205", TONE_201)
    a.close()


def test_mandatory_srtp_refuses_a_plain_phone(strict_pbx: ThreadedPbx, tmp_path: Path) -> None:
    a = _phone(tmp_path, strict_pbx, "203", TONE_201, transport="tcp", srtp="off")
    b = _phone(tmp_path, strict_pbx, "204", TONE_202)
    try:
        placed = int(a.send("call", uri="204")["call"])
        event = ended(a, placed)
        assert (event["code"], "SRTP is required" in event["reason"]) == (488, True)
        assert not any(e.get("event") == "incoming_call" for e in b.drain())
    finally:
        a.close()
        b.close()


def test_the_echo_test_over_srtp(default_pbx: ThreadedPbx, tmp_path: Path) -> None:
    a = _phone(tmp_path, default_pbx, "205", TONE_201)
    try:
        placed = int(a.send("call", uri="9000")["call"])
        state = a.wait_call_state(placed, "CONFIRMED")
        assert state["state"] == "CONFIRMED", state
        a.wait_event("media_active", call=placed)
        (heard_by_a,) = record_phase([a], tmp_path, "echo")
        assert mostly(heard(heard_by_a, TONE_201)), "205 does not hear itself"
        (leg,) = _legs(default_pbx)
        assert leg.srtp_transform is not None and leg.srtp_transform.failed == 0
        a.send("hangup", call=placed)
        ended(a, placed)
    finally:
        a.close()
