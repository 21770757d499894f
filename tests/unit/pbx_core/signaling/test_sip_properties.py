"""Property tests of the SIP parser and the transaction layer (hypothesis, bounded for CI).

- Any bytes, and any mutation of real messages (the parser's fixtures and the RFC 4475 corpus),
  either parse or raise ``SipParseError``; what parses has working accessors and serialises to
  bytes that parse to the same message.
- Generated valid requests survive a round trip with their fields intact.
- The user-agent layer fed with any sequence of requests, responses, retransmissions, ACKs,
  CANCELs, answers and time never raises and never holds a transaction past its timers.

The long run (10^6 inputs) is ``benchmarks/fuzz_sip.py``.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbx_core.signaling._ua_actions import RequestReceived
from pbx_core.signaling.message import SipParseError, SipRequest, SipResponse, parse_message
from pbx_core.signaling.transport import Address
from pbx_core.signaling.useragent import UserAgent
from tests.unit.pbx_core.signaling._sipnet import FakeClock, Wire

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
SEEDS = [p.read_bytes() for p in sorted((FIXTURES / "sip").glob("*.sip"))] + [
    p.read_bytes() for p in sorted((FIXTURES / "rfc4475").glob("*.dat"))
]
CI = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~", min_size=1, max_size=12)
_HOST = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,2}", fullmatch=True)


def _check_parsed(message: SipRequest | SipResponse) -> None:
    """Everything a parsed message offers works, and it survives a second trip."""
    _ = (message.call_id, message.cseq, message.vias, message.top_via, message.from_addr)
    _ = (message.to_addr, message.contacts, message.content_type)
    again = parse_message(bytes(message))
    assert type(again) is type(message)
    assert again.call_id == message.call_id and str(again.cseq) == str(message.cseq)
    assert bytes(again) == bytes(message)


def _parse_or_refuse(data: bytes) -> None:
    try:
        message = parse_message(data)
    except SipParseError:
        return
    _check_parsed(message)


@CI
@given(st.binary(max_size=2048))
def test_any_bytes_parse_or_are_refused(data: bytes) -> None:
    _parse_or_refuse(data)


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "dup"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 24))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"\r\n", b" ", b";", b":", b"<", b'"', b"\x00"]))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
    return bytes(data)


@CI
@given(_mutated())
def test_mutated_messages_parse_or_are_refused(data: bytes) -> None:
    _parse_or_refuse(data)


@CI
@given(
    method=st.sampled_from(["INVITE", "OPTIONS", "REGISTER", "MESSAGE", "BYE"]),
    user=_TOKEN,
    host=_HOST,
    tag=_TOKEN,
    call_id=_TOKEN,
    seq=st.integers(0, 2**31 - 1),
    display=st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_characters="\x7f"),
        max_size=20,
    ),
    body=st.binary(max_size=200),
)
def test_generated_requests_round_trip(
    method: str, user: str, host: str, tag: str, call_id: str, seq: int, display: str, body: bytes
) -> None:
    quoted = display.replace("\\", "\\\\").replace('"', '\\"')
    text = (
        f"{method} sip:{user}@{host} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {host}:5060;branch=z9hG4bK{tag}\r\n"
        "Max-Forwards: 70\r\n"
        f'From: "{quoted}" <sip:{user}@{host}>;tag={tag}\r\n'
        f"To: <sip:{user}@{host}>\r\n"
        f"Call-ID: {call_id}\r\n"
        f"CSeq: {seq} {method}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    message = parse_message(text.encode() + body)
    assert isinstance(message, SipRequest)
    assert message.method == method and message.uri.user == user and message.uri.host == host
    assert message.from_addr.display_name == display and message.from_addr.tag == tag
    assert (message.call_id, message.cseq.seq, message.body) == (call_id, seq, body)
    _check_parsed(message)


PHONE = Address("udp", "192.0.2.10", 5062)


def _request(method: str, branch: str, seq: int, to_tag: str | None) -> bytes:
    to = "<sip:202@pbx>" + (f";tag={to_tag}" if to_tag else "")
    return (
        f"{method} sip:202@192.0.2.1 SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 192.0.2.10:5062;branch={branch}\r\n"
        "Max-Forwards: 70\r\n"
        "From: <sip:201@pbx>;tag=a1\r\n"
        f"To: {to}\r\n"
        "Call-ID: prop-1\r\n"
        f"CSeq: {seq} {method}\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


def _response(status: int, method: str, branch: str, seq: int) -> bytes:
    return (
        f"SIP/2.0 {status} Whatever\r\n"
        f"Via: SIP/2.0/UDP 192.0.2.1:5060;branch={branch}\r\n"
        "From: <sip:201@pbx>;tag=a1\r\n"
        "To: <sip:202@pbx>;tag=b1\r\n"
        "Call-ID: prop-1\r\n"
        f"CSeq: {seq} {method}\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


_STEP = st.one_of(
    st.tuples(
        st.just("request"),
        st.sampled_from(["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "MESSAGE"]),
        st.sampled_from(["z9hG4bK1", "z9hG4bK2", "z9hG4bK", "old2543"]),
        st.integers(1, 3),
        st.sampled_from([None, "b1"]),
    ),
    st.tuples(
        st.just("response"),
        st.sampled_from([100, 180, 200, 404, 486, 500]),
        st.sampled_from(["INVITE", "BYE", "OPTIONS"]),
        st.sampled_from(["z9hG4bK1", "z9hG4bKours"]),
        st.integers(1, 3),
    ),
    st.tuples(st.just("answer"), st.sampled_from([180, 200, 404, 486, 603])),
    st.tuples(st.just("time"), st.sampled_from([0.1, 0.5, 4.0, 33.0])),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_STEP, max_size=40))
def test_any_sequence_keeps_the_user_agent_sound(steps: list[tuple[object, ...]]) -> None:
    clock = FakeClock()
    ua = UserAgent(host="192.0.2.1", clock=clock)
    ua.ports = {"udp": 5060, "tcp": 5060}
    wire = Wire(ua, clock)
    pending: list[RequestReceived] = []
    for step in steps:
        kind = step[0]
        if kind == "request":
            _, method, branch, seq, to_tag = step
            wire.receive(_request(str(method), str(branch), int(str(seq)), to_tag), PHONE)  # type: ignore[arg-type]
        elif kind == "response":
            _, status, method, branch, seq = step
            wire.receive(
                _response(int(str(status)), str(method), str(branch), int(str(seq))), PHONE
            )
        elif kind == "answer" and pending:
            event = pending.pop(0)
            if not event.handle.final_sent:
                status = int(str(step[1]))
                event.handle.reply(status, to_tag="b1")
                wire.flush()
                if status < 200:
                    pending.append(event)  # the final answer comes later
        elif kind == "time":
            wire.advance(float(str(step[1])))
        pending += [e for e in wire.take_events() if isinstance(e, RequestReceived)]
        wire.take()
    for event in pending:
        if not event.handle.final_sent:
            event.handle.reply(500)
    wire.flush()
    wire.advance(64.0)  # every timer has run out: no transaction is left behind
    wire.advance(64.0)
    assert ua._server == {} and ua._merges == {}
