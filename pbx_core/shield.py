"""Scanners and floods, per source address: a source no phone has signed in from is watched,
and one that behaves like a scanner is blocked for a while, its requests dropped unanswered.

A source address is *trusted* once a request from it passed digest authentication (a phone
registered or placed a call from there), for ``trust_seconds`` after its last success (longer
than the longest registration, so a registered phone's address stays trusted while it
re-registers). Trusted sources are never blocked or rate-limited here: registered phones do not
suffer from a scanner elsewhere, or from one sharing their user name (the digest guard,
:mod:`pbx_core.guard`, still counts wrong passwords per user and per source).

Every other source earns a *strike* for each out-of-dialog request that gets nowhere without
credentials: a challenge (401/407), a refusal (403, 404, 484, 485, 604), or an OPTIONS that
names a user (a SIPVicious-style sweep of extensions; a bare ``OPTIONS sip:host`` health probe
is not one). ``max_strikes`` strikes within ``window`` seconds block the source for
``block_seconds``; a message whose User-Agent names a known scanner blocks it at once. A
blocked source's messages are dropped before they are parsed (a scanner hears nothing at all,
not even a refusal), and the block lifts by itself. Malformed requests (400) are not strikes:
a broken phone is not a scanner, and it gets its answer. Blocks and their lifting are logged
with the reason, once per block.

An untrusted source may also send only ``rate`` messages a second on average (``burst`` at
once); what goes beyond is dropped (logged at most once a minute per source) but earns no
strike, so phones behind one NAT address that start together are slowed, never blocked for it.

Pure: no clock of its own (``now`` in seconds, any monotonic origin), no I/O; memory bounded by
``max_sources``.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from dataclasses import dataclass

__all__ = ["SCANNER_AGENTS", "STRIKE_STATUSES", "ShieldPolicy", "SourceShield", "scanner_agent"]

_log = logging.getLogger(__name__)

# Tools that sweep the internet for SIP servers, matched in the User-Agent (lower case).
SCANNER_AGENTS = (
    "friendly-scanner",
    "sipvicious",
    "sip-scan",
    "sipscan",
    "sipcli",
    "sipptk",
    "sippts",
    "sundayddr",
    "pplsip",
    "vaxsipuseragent",
    "iwar",
    "smap",
)

# Final answers to an out-of-dialog request that count as a strike against an untrusted source.
STRIKE_STATUSES = frozenset({401, 403, 404, 407, 484, 485, 604})


def scanner_agent(data: bytes) -> str | None:
    """The User-Agent of a raw SIP message when it names a scanner tool, else None (read from
    the bytes, before parsing, so a scanner's message costs no more than this)."""
    end = data.find(b"\r\n\r\n")
    head = (data if end < 0 else data[:end]).lower()
    at = head.find(b"\nuser-agent:")
    if at < 0:
        return None
    stop = head.find(b"\n", at + 1)
    agent = head[at + 12 : stop if stop >= 0 else None].strip().decode("latin-1")
    return agent if any(name in agent for name in SCANNER_AGENTS) else None


@dataclass(frozen=True, slots=True)
class ShieldPolicy:
    """When a source is blocked, for how long, and how fast an untrusted one may send."""

    max_strikes: int = 10
    window: float = 60.0
    block_seconds: float = 600.0
    rate: float = 20.0  # requests per second, on average, from an untrusted source
    burst: float = 40.0  # requests at once from an untrusted source
    trust_seconds: float = 3900.0  # above the longest registration (3600 s)
    max_sources: int = 10_000

    def __post_init__(self) -> None:
        if self.max_strikes < 1 or min(self.window, self.block_seconds, self.rate) <= 0:
            raise ValueError("shield policy needs max_strikes >= 1 and positive times and rate")
        if self.burst < 1:
            raise ValueError("shield policy needs a burst of at least 1")


class _Source:
    __slots__ = (
        "blocked_until",
        "reason",
        "stamp",
        "strikes",
        "throttle_noted",
        "tokens",
        "trusted_until",
    )

    def __init__(self, burst: float, now: float) -> None:
        self.strikes: deque[float] = deque()
        self.blocked_until = 0.0
        self.reason = ""
        self.tokens = burst
        self.stamp = now
        self.trusted_until = 0.0
        self.throttle_noted = float("-inf")


class SourceShield:
    """Strikes, blocks and rates of source addresses; the caller passes the clock."""

    def __init__(self, policy: ShieldPolicy | None = None) -> None:
        self.policy = policy or ShieldPolicy()
        self._sources: OrderedDict[str, _Source] = OrderedDict()
        self.blocks = 0  # blocks so far (for tests and figures)

    # -- asking ----------------------------------------------------------------------------

    def trusted(self, host: str, now: float) -> bool:
        entry = self._sources.get(host)
        return entry is not None and entry.trusted_until > now

    def blocked(self, host: str, now: float) -> bool:
        entry = self._sources.get(host)
        return entry is not None and entry.blocked_until > now

    def admit(self, host: str, now: float, data: bytes = b"") -> bool:
        """Whether a message ``data`` from ``host`` may be looked at; False: drop it unanswered.

        A message from an untrusted source whose User-Agent names a scanner blocks the source
        (so the tool hears nothing at all, not even a refusal). Untrusted sources spend a token
        per message; one without tokens left is not admitted."""
        entry = self._sources.get(host)
        if entry is None:
            entry = self._add(host, now)
        if entry.trusted_until > now:
            return True
        if entry.blocked_until > 0.0:
            if entry.blocked_until > now:
                return False
            _log.warning("SIP: the block of source %s (%s) lifted", host, entry.reason)
            entry.blocked_until = 0.0
            entry.tokens = self.policy.burst
            entry.stamp = now
        agent = scanner_agent(data)
        if agent is not None:
            self._block(host, entry, now, f"a scanner's User-Agent {agent[:60]!r}")
            return False
        policy = self.policy
        entry.tokens = min(policy.burst, entry.tokens + (now - entry.stamp) * policy.rate)
        entry.stamp = now
        if entry.tokens >= 1.0:
            entry.tokens -= 1.0
            return True
        if now - entry.throttle_noted >= 60.0:
            entry.throttle_noted = now
            _log.warning(
                "SIP: source %s sends more than %g requests a second; the excess is dropped",
                host,
                policy.rate,
            )
        return False

    # -- telling ---------------------------------------------------------------------------

    def signed_in(self, host: str, now: float) -> None:
        """A request from ``host`` passed digest authentication: trust it, forget its strikes."""
        entry = self._sources.get(host)
        if entry is None:
            entry = self._add(host, now)
        else:
            self._sources.move_to_end(host)
        entry.trusted_until = now + self.policy.trust_seconds
        entry.strikes.clear()

    def answered(self, host: str, method: str, status: int, names_user: bool, now: float) -> None:
        """We answered an out-of-dialog request from ``host`` with ``status``; ``names_user``:
        its Request-URI has a user part. Counts a strike when it got nowhere."""
        if status not in STRIKE_STATUSES and not (method == "OPTIONS" and names_user):
            return
        entry = self._sources.get(host)
        if entry is None:
            entry = self._add(host, now)
        if entry.trusted_until > now:
            return
        self._strike(host, entry, now, f"{self.policy.max_strikes} requests without signing in")

    # -- inside ----------------------------------------------------------------------------

    def _strike(self, host: str, entry: _Source, now: float, reason: str) -> None:
        if entry.blocked_until > now:
            return
        strikes = entry.strikes
        strikes.append(now)
        while strikes and strikes[0] <= now - self.policy.window:
            strikes.popleft()
        if len(strikes) >= self.policy.max_strikes:
            self._block(host, entry, now, reason)

    def _block(self, host: str, entry: _Source, now: float, reason: str) -> None:
        entry.blocked_until = now + self.policy.block_seconds
        entry.reason = reason
        entry.strikes.clear()
        self.blocks += 1
        _log.warning(
            "SIP: source %s blocked for %.0f s: %s", host, self.policy.block_seconds, reason
        )

    def _add(self, host: str, now: float) -> _Source:
        if len(self._sources) >= self.policy.max_sources:
            self._trim(now)
        entry = self._sources[host] = _Source(self.policy.burst, now)
        return entry

    def _trim(self, now: float) -> None:
        """Drop sources with nothing to remember first, then the least recently added."""
        horizon = now - self.policy.window
        for host in [
            h
            for h, e in self._sources.items()
            if e.blocked_until <= now
            and e.trusted_until <= now
            and (not e.strikes or e.strikes[-1] <= horizon)
        ]:
            del self._sources[host]
        while len(self._sources) >= self.policy.max_sources:
            self._sources.popitem(last=False)
