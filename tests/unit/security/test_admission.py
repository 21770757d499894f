"""Call admission: calls per user, calls per source address, free RTP ports (503 + Retry-After)."""

from __future__ import annotations

from pbx_core.signaling.admission import AdmissionPolicy, Refusal, admit

POLICY = AdmissionPolicy(calls_per_user=2, calls_per_source=3)


def test_a_user_at_its_limit_is_refused_and_others_still_call() -> None:
    active = [("201", "10.0.0.1"), ("201", "10.0.0.2")]
    refusal = admit(POLICY, "201", "10.0.0.3", active, free_pairs=100)
    assert refusal == Refusal(403, "Forbidden - at most 2 calls at once")
    assert admit(POLICY, "202", "10.0.0.3", active, free_pairs=100) is None


def test_one_source_address_is_limited_whoever_calls_from_it() -> None:
    active = [("201", "10.0.0.9"), ("202", "10.0.0.9"), ("203", "10.0.0.9")]
    refusal = admit(POLICY, "204", "10.0.0.9", active, free_pairs=100)
    assert refusal == Refusal(403, "Forbidden - too many calls from this address")
    assert admit(POLICY, "204", "10.0.0.8", active, free_pairs=100) is None


def test_used_up_ports_answer_503_with_retry_after() -> None:
    refusal = admit(POLICY, "201", "10.0.0.1", [], free_pairs=1)
    assert refusal is not None
    assert (refusal.status, refusal.reason) == (503, "Service Unavailable - no free RTP port")
    assert dict(refusal.headers)["Retry-After"] == "10"
    assert admit(POLICY, "201", "10.0.0.1", [], free_pairs=2) is None
    assert admit(POLICY, "201", "10.0.0.1", [], free_pairs=None) is None  # unknown: admitted


def test_the_defaults_are_eight_per_user_and_sixteen_per_source() -> None:
    assert AdmissionPolicy() == AdmissionPolicy(calls_per_user=8, calls_per_source=16)
