"""Keep-alive for phones registered over UDP (issue "NAT keep-alive"): an OPTIONS to each such
binding every ``interval`` seconds keeps the phone's NAT mapping open, so calls still reach it
minutes after its REGISTER; a phone that answers none of ``misses`` pings in a row is gone (it
crashed, lost its network, was unplugged) and its binding is removed at once, so colleagues see
"Not signed in" and calls go to voicemail instead of ringing into the void until it expires.

Any answer counts, even 405 or 501 (RFC 3261 §11: the phone is there); a ping still unanswered
when the next is due is a miss. TCP and TLS phones are
kept by their connection and its CRLF keep-alive (RFC 5626 §4.4.1), not pinged. Nor are phones
registered through a proxy (a binding with a Path, RFC 3327): their NAT mapping is the proxy's
to keep, and a node of a cluster must not sign out phones another node looks after.

:class:`KeepAlivePlanner` decides (pure, clock passed in); :class:`KeepAlive` is the asyncio
driver sending the OPTIONS through the endpoint's user agent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pbx_core.signaling.bindings import Binding, BindingKey
from pbx_core.signaling.dialog import USER_AGENT
from pbx_core.signaling.endpoint import AnsweredContext, SipEndpoint
from pbx_core.signaling.message import Headers, SipRequest, new_call_id, new_tag
from pbx_core.signaling.uri import NameAddr, SipUri

__all__ = ["KeepAlive", "KeepAlivePlanner", "Round", "build_options"]

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Peer:
    sent_at: float | None = None
    answered: bool = True
    misses: int = 0


@dataclass(frozen=True, slots=True)
class Round:
    """What one tick does: ping these phones, give these up."""

    ping: list[Binding]
    gone: list[BindingKey]


@dataclass(slots=True)
class KeepAlivePlanner:
    """Which UDP bindings to ping now, and which to give up on. A ping not answered by the
    next round (``interval_s`` later) is a miss: the client transaction's own timeout (32 s
    over UDP) is too slow to tell a dead phone."""

    interval_s: float = 30.0
    misses: int = 3
    _peers: dict[BindingKey, _Peer] = field(default_factory=dict)

    def tick(self, bindings: Iterable[Binding], now: float) -> Round:
        live: dict[BindingKey, Binding] = {
            b.key: b for b in bindings if b.destination.transport == "udp" and not b.path
        }
        for key in [k for k in self._peers if k not in live]:
            del self._peers[key]
        ping: list[Binding] = []
        gone: list[BindingKey] = []
        for key, binding in live.items():
            peer = self._peers.get(key)
            if peer is None:  # just registered: it is there; the first ping one interval on
                self._peers[key] = _Peer(sent_at=now)
                continue
            if peer.sent_at is not None and now - peer.sent_at < self.interval_s:
                continue
            if not peer.answered:
                peer.misses += 1
                if peer.misses >= self.misses:
                    del self._peers[key]
                    gone.append(key)
                    continue
            peer.sent_at, peer.answered = now, False
            ping.append(binding)
        return Round(ping, gone)

    def answered(self, key: BindingKey, status: int) -> None:
        """The ping of ``key`` ended with ``status``: any answer shows the phone is there
        (408, our own timeout, shows nothing: the next round counts the miss)."""
        peer = self._peers.get(key)
        if peer is not None and status != 408:
            peer.answered, peer.misses = True, 0

    @property
    def watched(self) -> int:
        return len(self._peers)


def build_options(host: str, binding: Binding) -> SipRequest:
    """An out-of-dialog OPTIONS from the PBX to one registered phone (its Contact URI)."""
    headers = Headers()
    headers.add("Max-Forwards", "70")
    headers.add("From", str(NameAddr(SipUri("keepalive", host)).with_tag(new_tag())))
    headers.add("To", str(NameAddr(SipUri(binding.extension, host))))
    headers.add("Call-ID", new_call_id())
    headers.add("CSeq", "1 OPTIONS")
    headers.add("User-Agent", USER_AGENT)
    headers.add("Accept", "application/sdp")
    return SipRequest("OPTIONS", binding.contact.copy(), headers, b"")


class KeepAlive:
    """Pings UDP phones on a timer; ``unreachable(key)`` removes a binding that stopped
    answering (the registrar's)."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        bindings: Callable[[], list[Binding]],
        unreachable: Callable[[BindingKey], None],
        *,
        interval_s: float = 30.0,
        misses: int = 3,
    ) -> None:
        self._endpoint = endpoint
        self._bindings = bindings
        self._unreachable = unreachable
        self.planner = KeepAlivePlanner(interval_s, misses)
        self._timer: asyncio.TimerHandle | None = None
        self.pings_sent = 0

    def start(self) -> None:
        if self.planner.interval_s > 0 and self._timer is None:
            self._schedule()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _schedule(self) -> None:
        tick = min(self.planner.interval_s / 2, 5.0)  # a new phone is pinged within this
        self._timer = asyncio.get_running_loop().call_later(tick, self._tick)

    def _tick(self) -> None:
        self._timer = None
        try:
            loop = asyncio.get_running_loop()
            plan = self.planner.tick(self._bindings(), loop.time())
            for key in plan.gone:
                _log.info("phone %s of %s stopped answering: registration removed", key[1], key[0])
                self._unreachable(key)
            for binding in plan.ping:
                request = build_options(self._endpoint.host, binding)
                context = AnsweredContext(binding.key, self._answered)
                self._endpoint.ua.send_request(request, binding.destination, context=context)
                self.pings_sent += 1
            self._endpoint.flush()
        except Exception:
            _log.exception("keep-alive round failed")
        self._schedule()

    def _answered(self, key: object, status: int) -> None:
        if isinstance(key, tuple) and len(key) == 2:
            self.planner.answered((str(key[0]), str(key[1])), status)
