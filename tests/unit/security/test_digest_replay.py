"""SIP digest against replay and guessing: nonce-count per nonce (RFC 7616 §3.4.5), nonces bound
to the address they were sent to, unknown users answered like wrong passwords, blocks."""

from __future__ import annotations

from dataclasses import dataclass

from pbx_core.guard import GuardPolicy
from pbx_core.signaling.auth import (
    NonceCounter,
    build_authorization,
    compute_ha1,
    parse_challenge,
)
from pbx_core.signaling.authenticator import AuthOutcome, DigestAuthenticator
from pbx_core.signaling.message import SipRequest, parse_message
from pbx_core.signaling.transport import Address
from tests.support.clock import SettableClock

REALM = "acme.local"
PHONE = Address("udp", "192.0.2.10", 5062)
OTHER = Address("udp", "198.51.100.9", 5062)


@dataclass(frozen=True)
class _Account:
    extension: str
    ha1_md5: str
    ha1_sha256: str


ACCOUNTS = {
    "201": _Account(
        "201", compute_ha1("201", REALM, "secret"), compute_ha1("201", REALM, "secret", "SHA-256")
    )
}


def _auth(policy: GuardPolicy | None = None) -> tuple[DigestAuthenticator, SettableClock[float]]:
    clock = SettableClock(1000.0)
    return DigestAuthenticator(REALM, ACCOUNTS.get, clock=clock, guard=policy), clock


def _register(call_id: str, authorization: str | None = None) -> SipRequest:
    lines = [
        "REGISTER sip:acme.local SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-" + call_id,
        "From: <sip:201@acme.local>;tag=f1",
        "To: <sip:201@acme.local>",
        f"Call-ID: {call_id}",
        "CSeq: 1 REGISTER",
        "Contact: <sip:201@192.0.2.10:5062>",
        *([f"Authorization: {authorization}"] if authorization else []),
        "Content-Length: 0",
    ]
    request = parse_message(("\r\n".join(lines) + "\r\n\r\n").encode())
    assert isinstance(request, SipRequest)
    return request


def _answer(outcome: AuthOutcome, password: str = "secret", user: str = "201", nc: int = 1) -> str:
    challenge = parse_challenge(outcome.headers[0][1])
    return build_authorization(
        challenge, "REGISTER", "sip:acme.local", user, password, cnonce="c0ffee", nc=nc
    )


def _stale(outcome: AuthOutcome) -> bool:
    return outcome.status == 401 and parse_challenge(outcome.headers[0][1]).stale


def test_a_captured_authorization_sent_again_is_challenged_stale() -> None:
    auth, _ = _auth()
    header = _answer(auth.check(_register("a"), PHONE))
    assert auth.check(_register("a", header), PHONE).extension == "201"
    for n in range(5):
        replay = auth.check(_register(f"replay-{n}", header), PHONE)
        assert not replay.ok
        assert _stale(replay)


def test_a_higher_nonce_count_is_accepted() -> None:
    auth, _ = _auth()
    challenge = auth.check(_register("a"), PHONE)
    for nc in (1, 2, 5):
        assert auth.check(_register("a", _answer(challenge, nc=nc)), PHONE).ok
    assert not auth.check(_register("a", _answer(challenge, nc=4)), PHONE).ok


def test_a_nonce_from_another_address_is_not_accepted() -> None:
    auth, _ = _auth()
    header = _answer(auth.check(_register("a"), PHONE))
    stolen = auth.check(_register("b", header), OTHER)
    assert _stale(stolen)  # a phone whose address changed answers the fresh nonce
    assert auth.check(_register("a", header), PHONE).ok


def test_the_source_defaults_to_the_top_via() -> None:
    auth, _ = _auth()
    header = _answer(auth.check(_register("a")))
    assert auth.check(_register("a", header), PHONE).ok


def test_a_nonce_never_issued_here_gets_a_stale_challenge() -> None:
    issuer, _ = _auth()
    header = _answer(issuer.check(_register("a"), PHONE))
    # another authenticator, as after a restart
    other = DigestAuthenticator(REALM, ACCOUNTS.get, clock=SettableClock(1000.0))
    assert _stale(other.check(_register("a", header), PHONE))


def test_an_expired_nonce_gets_a_stale_challenge() -> None:
    auth, clock = _auth()
    header = _answer(auth.check(_register("a"), PHONE))
    clock.now += 301.0
    assert _stale(auth.check(_register("a", header), PHONE))


def test_a_wrong_password_with_a_nonce_not_issued_here_is_refused_and_counted() -> None:
    issuer, _ = _auth()
    auth, _ = _auth(GuardPolicy(max_failures=2))
    for _ in range(2):
        forged = _answer(issuer.check(_register("f"), PHONE), "guess")
        outcome = auth.check(_register("f", forged), PHONE)
        assert (outcome.status, outcome.headers) == (403, ())
    right = _answer(auth.check(_register("f"), PHONE))
    assert auth.check(_register("f", right), PHONE).status == 403  # blocked


def test_unknown_user_and_wrong_password_are_answered_alike() -> None:
    auth, _ = _auth()
    wrong = auth.check(_register("a", _answer(auth.check(_register("a"), PHONE), "guess")), PHONE)
    unknown = auth.check(
        _register("a", _answer(auth.check(_register("a"), PHONE), "secret", user="299")), PHONE
    )
    assert (wrong.status, wrong.reason, wrong.headers) == (403, None, ())
    assert (unknown.status, unknown.reason, unknown.headers) == (403, None, ())


def test_guessing_blocks_the_user_even_with_the_right_password_then_lifts() -> None:
    auth, clock = _auth(GuardPolicy(max_failures=3, window=60.0, block_seconds=30.0))
    for _ in range(3):
        outcome = auth.check(_register("g", _answer(auth.check(_register("g"), PHONE), "x")), PHONE)
        assert outcome.status == 403
    right = _answer(auth.check(_register("g"), PHONE))
    blocked = auth.check(_register("g", right), PHONE)
    assert blocked.status == 403
    assert blocked.reason is not None and "too many" in blocked.reason
    clock.now += 31.0
    assert auth.check(_register("g", _answer(auth.check(_register("g"), PHONE))), PHONE).ok


def test_guessing_from_one_source_blocks_that_source_for_every_user() -> None:
    auth, _ = _auth(GuardPolicy(max_failures=3))
    for user in ("297", "298", "299"):
        auth.check(_register("s", _answer(auth.check(_register("s"), PHONE), user=user)), PHONE)
    right = _answer(auth.check(_register("s"), PHONE))
    assert auth.check(_register("s", right), PHONE).status == 403
    elsewhere = _answer(auth.check(_register("s"), OTHER))
    assert auth.check(_register("s", elsewhere), OTHER).ok


def test_nonce_counter_forgets_old_nonces_and_stays_bounded() -> None:
    counter = NonceCounter(lifetime=10.0, capacity=3)
    for n in range(5):
        counter.issued(f"n{n}", float(n))
    assert len(counter) == 3
    assert counter.use("n0", "00000001") == "unknown"
    assert counter.use("n4", None) == "ok"
    assert counter.use("n4", None) == "replayed"
    counter.issued("late", 100.0)
    assert counter.use("n4", "00000002") == "unknown"
