"""Whether a new call may start, sans-IO: calls per user and per source, free RTP ports.

One signed-in phone must not take the whole PBX: it may place at most ``calls_per_user`` calls
at once, one source address at most ``calls_per_source``, and a call starts only while the media
engine has port pairs for both sides. A refused INVITE gets a final answer at once: 403 for a
caller over its limit, 503 with ``Retry-After`` while ports are used up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["RETRY_AFTER_SECONDS", "AdmissionPolicy", "Refusal", "admit"]

RETRY_AFTER_SECONDS = 10  # Retry-After of a 503 for want of RTP ports (here and mid-setup)
PAIRS_PER_CALL = 2  # the caller's leg and at least one callee leg


@dataclass(frozen=True, slots=True)
class AdmissionPolicy:
    calls_per_user: int = 8
    calls_per_source: int = 16


@dataclass(frozen=True, slots=True)
class Refusal:
    """The final answer to an INVITE that may not start a call."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...] = ()


def admit(
    policy: AdmissionPolicy,
    caller: str,
    source_host: str,
    active: Iterable[tuple[str, str]],
    free_pairs: int | None,
) -> Refusal | None:
    """``None`` when ``caller`` at ``source_host`` may start a call; ``active`` holds the
    (caller, source host) of every call in progress, ``free_pairs`` the free RTP port pairs
    (``None``: unknown)."""
    mine = theirs = 0
    for user, host in active:
        mine += user == caller
        theirs += host == source_host
    if mine >= policy.calls_per_user:
        return Refusal(403, f"Forbidden - at most {policy.calls_per_user} calls at once")
    if theirs >= policy.calls_per_source:
        return Refusal(403, "Forbidden - too many calls from this address")
    if free_pairs is not None and free_pairs < PAIRS_PER_CALL:
        return Refusal(
            503,
            "Service Unavailable - no free RTP port",
            (("Retry-After", str(RETRY_AFTER_SECONDS)),),
        )
    return None
