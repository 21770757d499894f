"""RFC 4475 torture messages over real UDP to the running PBX: each one answered (or dropped) as
the RFC says for that message, and the PBX goes on serving.

The 49 messages are the RFC's own archive (tests/fixtures/rfc4475/, byte for byte). They name
hosts under example.com and 192.0.2.0/24; the PBX answers each to the socket it came from
(RFC 3261 §18.2.2) and never resolves or contacts those hosts.

Several messages share a branch and sent-by (``z9hG4bKkdjuw`` at ``saturn.example.com``), which
RFC 3261 §17.2.3 makes one transaction; those go to a second PBX so each is judged on its own.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx
from pbx_core.signaling.message import SipRequest, parse_message
from tests.component.pbx.conftest import UdpPeer

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "rfc4475"

# What the RFC asks of an element for each message (the statuses it may answer; empty: none).
# Requests we authenticate (INVITE, REGISTER, MESSAGE) are challenged first: RFC 3261 §8.2.1
# inspects a request "once it is authenticated".
EXPECTED: dict[str, set[int]] = {
    # §3.1.1 valid messages
    "wsinv": {481},  # an INVITE with a To tag for a dialog we do not have
    "intmeth": {501},
    "esc01": {401},
    "escnull": {401},
    "esc02": {501},  # RE%47IST%45R is not REGISTER
    "lwsdisp": {200},
    "longreq": {401},
    "dblreq": {401},
    "semiuri": {200},
    "transports": {200},
    "mpart01": {401},
    "unreason": set(),  # responses to no transaction of ours
    "noreason": set(),
    # §3.1.2 invalid messages
    "badinv01": {400},
    "clerr": {400},
    "ncl": {400},
    "scalar02": {400},
    "scalarlg": set(),
    "quotbal": {400},
    "ltgtruri": {400},
    "lwsruri": {400},
    "lwsstart": {400},
    "trws": {400},
    "escruri": {400, 401},
    "baddate": {400, 401},
    "regbadct": {400},
    "badaspec": {400, 200},
    "baddn": {400},
    "badvers": {505},
    "mismatch01": {400},
    "mismatch02": {400, 501},
    "bigcode": set(),
    # §3.2 transaction layer
    "badbranch": {200},
    # §3.3 application layer
    "insuf": {400},
    "unkscm": {416},
    "novelsc": {416},
    "unksm2": {400, 416},
    "bext01": {420},
    "invut": {415},
    "regaut01": {401},
    "multi01": {400},
    "mcl01": {400},
    "bcast": set(),
    "zeromf": {200, 483},
    "cparam01": {401},
    "cparam02": {401},
    "regescrt": {401},
    "sdp01": {406},
    # §3.4 backward compatibility
    "inv2543": {401},
}
SECOND_ROUND = {"cparam02", "regescrt"}


def _options_probe(port: int) -> bytes:
    lines = [
        "OPTIONS sip:127.0.0.1 SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK{secrets.token_hex(8)};rport",
        "Max-Forwards: 70",
        f"From: <sip:probe@127.0.0.1>;tag={secrets.token_hex(4)}",
        "To: <sip:127.0.0.1>",
        f"Call-ID: probe-{secrets.token_hex(8)}",
        "CSeq: 1 OPTIONS",
        "Content-Length: 0",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass(frozen=True)
class Answer:
    """One datagram the PBX sent back: its status and its bytes (a 400 copies the malformed
    request's headers byte for byte, so it is not always parseable itself)."""

    status: int
    data: bytes

    def header(self, name: str) -> str:
        for line in self.data.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower().encode():
                return value.strip().decode("utf-8", "replace")
        return ""


def _answer(data: bytes) -> Answer:
    start = data.split(b"\r\n", 1)[0].split(b" ")
    assert start[0] == b"SIP/2.0" and start[1].isdigit(), f"not a response: {data[:60]!r}"
    return Answer(int(start[1]), data)


async def _answers(pbx: Pbx, names: Iterable[str]) -> dict[str, list[Answer]]:
    """Send each message from a socket of its own, then an OPTIONS probe on the same socket;
    once every probe is answered (the PBX has dealt with what came before), collect."""
    loop = asyncio.get_running_loop()
    peers: dict[str, tuple[asyncio.DatagramTransport, UdpPeer]] = {}
    try:
        for name in names:
            transport, peer = await loop.create_datagram_endpoint(
                UdpPeer, local_addr=("127.0.0.1", 0)
            )
            peer.server = ("127.0.0.1", pbx.telephony.sip_udp_port)
            peers[name] = (transport, peer)
            peer.send_raw((CORPUS / f"{name}.dat").read_bytes())
        await asyncio.sleep(0.2)
        for _, peer in peers.values():
            peer.send_raw(_options_probe(peer.port))
        answers: dict[str, list[Answer]] = {}
        for name, (_, peer) in peers.items():
            got: list[Answer] = []
            while True:
                data = await asyncio.wait_for(peer.raw.get(), 5.0)
                if b"Call-ID: probe-" in data:
                    break
                got.append(_answer(data))
            answers[name] = got
        await asyncio.sleep(0.2)  # anything late would still be counted
        for name, (_, peer) in peers.items():
            while not peer.raw.empty():
                answers[name].append(_answer(peer.raw.get_nowait()))
        return answers
    finally:
        for transport, _ in peers.values():
            transport.close()


async def _corpus_round(tmp_path: Path, names: set[str]) -> dict[str, list[Answer]]:
    config = PbxConfig(data_dir=tmp_path, sip_port=0, rtp_port_min=30000, rtp_port_max=39999)
    pbx = Pbx(config)
    await pbx.start(demo=True)
    try:
        peer_transport, peer = await asyncio.get_running_loop().create_datagram_endpoint(
            UdpPeer, local_addr=("127.0.0.1", 0)
        )
        peer.server = ("127.0.0.1", pbx.telephony.sip_udp_port)
        try:
            # A phone signs in from the address the messages come from first: from an address
            # nobody signed in from, the burst of 49 requests that get nowhere without
            # credentials would be slowed and blocked as a scanner (pbx_core/shield.py).
            assert (await peer.register("202", "Demo-202!")).status == 200
            answers = await _answers(pbx, sorted(names))
            assert (await peer.register("201", "Demo-201!")).status == 200
        finally:
            peer_transport.close()
        return answers
    finally:
        await pbx.stop()


def test_the_corpus_is_the_rfcs_49_messages() -> None:
    assert sorted(p.stem for p in CORPUS.glob("*.dat")) == sorted(EXPECTED)
    assert len(EXPECTED) == 49


async def test_each_torture_message_gets_the_answer_the_rfc_asks_for(tmp_path: Path) -> None:
    answers = await _corpus_round(tmp_path / "one", set(EXPECTED) - SECOND_ROUND)
    answers |= await _corpus_round(tmp_path / "two", SECOND_ROUND)
    wrong = {}
    for name, expected in EXPECTED.items():
        # an INVITE's final answer is re-sent until an ACK comes (§17.2.1): count it once
        finals = [r.status for r in dict.fromkeys(answers[name]) if r.status >= 200]
        if expected and (len(finals) != 1 or finals[0] not in expected):
            wrong[name] = (finals, sorted(expected))
        if not expected and answers[name]:
            wrong[name] = ([r.status for r in answers[name]], [])
    assert wrong == {}
    bext01 = next(r for r in answers["bext01"] if r.status == 420)
    unsupported = bext01.header("Unsupported")
    assert "nothingSupportsThis" in unsupported
    assert "nothingSupportsThisEither" in unsupported
    assert next(r for r in answers["invut"] if r.status == 415).header("Accept")
    allow = next(r for r in answers["intmeth"] if r.status == 501).header("Allow")
    assert "INVITE" in allow


@pytest.mark.parametrize(
    "name", ["wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq"]
)
def test_valid_messages_parse_to_what_they_say(name: str) -> None:
    message = parse_message((CORPUS / f"{name}.dat").read_bytes())
    assert isinstance(message, SipRequest)
    if name == "wsinv":
        assert message.headers.get("Max-Forwards") == "0068"
        assert (message.cseq.seq, message.cseq.method) == (9, "INVITE")
        assert len(message.vias) == 3 and message.top_via.branch == "390skdjuw"
        assert message.to_addr.tag == "1918181833n"
        assert message.from_addr.display_name == 'J Rosenberg \\"'
        assert len(message.body) == 150
    elif name == "intmeth":
        assert message.method == "!interesting-Method0123456789_*+`.%indeed'~"
        assert message.uri.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
        assert message.to_addr.display_name == "BEL:\x07 NUL:\x00 DEL:\x7f"
    elif name == "escnull":
        assert "%00" in (message.from_addr.uri.user or "")
    elif name == "esc02":
        assert message.method == "RE%47IST%45R"
    elif name == "longreq":
        assert len(message.vias) == 34
    elif name == "dblreq":
        assert message.body == b""
