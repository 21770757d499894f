"""Session timers (RFC 4028) as a machine, sans-IO: negotiation and the keep-alive of one dialog.

:func:`negotiate` reads an INVITE, re-INVITE or UPDATE (``Session-Expires``, ``Min-SE``,
``Supported``/``Require: timer``) and says what the 2xx carries: nothing (the phone asked for no
timer and does not support one), the interval and who refreshes (§9: the refresher the request
named, else the phone when it supports ``timer``, else the PBX), or a 422 with our ``Min-SE``
when the interval asked for is shorter than it (§8.1).

:class:`SessionTimer` keeps one session alive or ends it. It is fed the clock (seconds, any
origin), refreshes and fired timers, and returns actions: ``ArmSessionCheck`` (call
``fired`` after ``delay`` seconds; re-arming replaces the previous one), ``SendRefresh`` (the
PBX is the refresher: send a re-INVITE or UPDATE now, at half the interval, §10) and
``SessionExpired`` (no refresh came in time: BYE, §10). The side that does not refresh gives up
at ``interval - min(32, interval / 3)`` after the last refresh, as §10 asks; so does the PBX
when its own refresh got no answer. Every transition is one row of ``TABLE``; anything else
raises ``SessionTimerError("session timer: <event> not allowed in <STATE>")``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeAlias

from pbx_core.signaling._grammar import parse_params
from pbx_core.signaling.headers import split_header_values
from pbx_core.signaling.message import SipRequest, SipResponse

__all__ = [
    "DEFAULT_INTERVAL",
    "MIN_SE",
    "ArmSessionCheck",
    "SendRefresh",
    "SessionAction",
    "SessionExpired",
    "SessionState",
    "SessionTerms",
    "SessionTimer",
    "SessionTimerError",
    "TooBrief",
    "negotiate",
    "option_tags",
    "terms_of_answer",
]

MIN_SE = 90  # seconds: the shortest interval we accept (RFC 4028 §4 recommends 90)
DEFAULT_INTERVAL = 1800  # seconds, when a phone supports timers but names no interval

Refresher: TypeAlias = Literal["uac", "uas"]


class SessionTimerError(ValueError):
    """The session timer was fed an event its state does not allow."""


def option_tags(request: SipRequest, header: str) -> set[str]:
    """The option tags of ``Supported`` or ``Require`` (lower case)."""
    return {
        tag.strip().lower()
        for line in request.headers.get_lines(header)
        for tag in split_header_values(line)
        if tag.strip()
    }


@dataclass(frozen=True, slots=True)
class SessionTerms:
    """What a 2xx says about the session: its interval and who refreshes it."""

    interval: int
    refresher: Refresher
    uac_supports: bool  # the phone supports ``timer``: the 2xx carries ``Require: timer``

    def header(self) -> str:
        """The value of ``Session-Expires`` in the 2xx."""
        return f"{self.interval};refresher={self.refresher}"

    def response_headers(self) -> list[tuple[str, str]]:
        """The header fields a 2xx carries for these terms (§9)."""
        headers = [("Session-Expires", self.header())]
        if self.uac_supports:
            headers.append(("Require", "timer"))
        return headers


@dataclass(frozen=True, slots=True)
class TooBrief:
    """The interval asked for is shorter than ours: 422 with ``Min-SE`` (§8.1)."""

    min_se: int


def _seconds(text: str | None) -> tuple[int | None, dict[str, str | None]]:
    if text is None:
        return None, {}
    value, _, params = text.partition(";")
    if not value.strip().isdigit():
        raise ValueError(f"Session-Expires or Min-SE is not a number: {text.strip()!r}")
    return int(value.strip()), parse_params(params) if params else {}


def negotiate(
    request: SipRequest, *, min_se: int = MIN_SE, default: int = DEFAULT_INTERVAL
) -> SessionTerms | TooBrief | None:
    """The session terms for a request that starts or refreshes a session (§9), a refusal
    when its interval is too short, or None when neither side asked for a session timer.
    Raises ``ValueError`` on a header that is not a number (a 400)."""
    asked, params = _seconds(request.headers.get("Session-Expires"))
    their_min, _ = _seconds(request.headers.get("Min-SE"))
    floor = max(min_se, their_min or 0)
    supports = "timer" in option_tags(request, "Supported") | option_tags(request, "Require")
    if asked is not None and asked < min_se:
        return TooBrief(floor)
    if asked is None and not supports:
        return None
    interval = asked if asked is not None else max(default, floor)
    named = (params.get("refresher") or "").lower()
    refresher: Refresher
    if not supports:
        refresher = "uas"  # a phone without timers never refreshes for the session's sake
    elif named in ("uac", "uas"):
        refresher = "uac" if named == "uac" else "uas"
    else:
        refresher = "uac"  # the phone supports it: let it refresh, as most phones expect
    return SessionTerms(interval, refresher, supports)


def terms_of_answer(response: SipResponse) -> SessionTerms | None:
    """The session terms a phone's 2xx to our INVITE set (§7.2), or None (no timer, also for a
    header that is not a number); a missing refresher counts as ours (the UAC's)."""
    try:
        interval, params = _seconds(response.headers.get("Session-Expires"))
    except ValueError:
        return None
    if interval is None:
        return None
    refresher: Refresher = "uas" if (params.get("refresher") or "").lower() == "uas" else "uac"
    return SessionTerms(interval, refresher, True)


@dataclass(frozen=True, slots=True)
class ArmSessionCheck:
    """Call :meth:`SessionTimer.fired` after ``delay`` seconds (replaces the previous one)."""

    delay: float


@dataclass(frozen=True, slots=True)
class SendRefresh:
    """The PBX refreshes: send a re-INVITE or UPDATE in the dialog now."""


@dataclass(frozen=True, slots=True)
class SessionExpired:
    """No refresh in time: end the call with BYE (§10)."""


SessionAction: TypeAlias = ArmSessionCheck | SendRefresh | SessionExpired


class SessionState(enum.Enum):
    RUNNING = "running"  # waiting for the next refresh
    REFRESHING = "refreshing"  # the PBX sent its refresh and waits for the answer
    EXPIRED = "expired"


_S = SessionState
_Handler = Callable[["SessionTimer", float], list[SessionAction]]


class SessionTimer:
    """The session timer of one dialog, fed a clock in seconds."""

    def __init__(self, terms: SessionTerms, *, pbx_is_uas: bool, now: float) -> None:
        self.state = _S.RUNNING
        self.terms = terms
        self._pbx_is_uas = pbx_is_uas
        self._last = now
        self._fires_at = now

    @property
    def pbx_refreshes(self) -> bool:
        """Whether the PBX is the refresher under the current terms."""
        return (self.terms.refresher == "uas") == self._pbx_is_uas

    def start(self) -> list[SessionAction]:
        """Arm the first check, from the 2xx that set the session up."""
        return self._restart(self._last)

    def refreshed(self, terms: SessionTerms, now: float) -> list[SessionAction]:
        """A re-INVITE or UPDATE refreshed the session (either side's), with new terms."""
        self.terms = terms
        return self._step("refreshed", now)

    def refresh_failed(self, now: float) -> list[SessionAction]:
        """Our refresh got 408 or 481 (§10: the session is gone): end it now."""
        return self._step("refresh_failed", now)

    def fired(self, now: float) -> list[SessionAction]:
        """The check armed by ``ArmSessionCheck`` fired."""
        if self.state is _S.EXPIRED:
            return []  # a late callback after the end
        if now < self._fires_at:
            return self._arm(now, self._fires_at)  # an early or stale callback
        if self.state is _S.RUNNING and self.pbx_refreshes:
            return self._step("refresh_due", now)
        return self._step("expired", now)

    # -- handlers ------------------------------------------------------------------------

    def _deadline(self) -> float:
        interval = self.terms.interval
        return self._last + interval - min(32.0, interval / 3)

    def _arm(self, now: float, at: float) -> list[SessionAction]:
        self._fires_at = at
        return [ArmSessionCheck(max(0.0, at - now))]

    def _restart(self, now: float) -> list[SessionAction]:
        self._last = now
        at = now + self.terms.interval / 2 if self.pbx_refreshes else self._deadline()
        return self._arm(now, at)

    def _send_refresh(self, now: float) -> list[SessionAction]:
        return [SendRefresh(), *self._arm(now, max(now, self._deadline()))]

    def _expire(self, now: float) -> list[SessionAction]:
        return [SessionExpired()]

    def _step(self, event: str, now: float) -> list[SessionAction]:
        row = self.TABLE.get((self.state, event))
        if row is None:
            raise SessionTimerError(f"session timer: {event} not allowed in {self.state.name}")
        self.state, handler = row
        return handler(self, now)

    TABLE: ClassVar[dict[tuple[SessionState, str], tuple[SessionState, _Handler]]] = {
        (_S.RUNNING, "refreshed"): (_S.RUNNING, _restart),
        (_S.RUNNING, "refresh_due"): (_S.REFRESHING, _send_refresh),
        (_S.RUNNING, "expired"): (_S.EXPIRED, _expire),
        (_S.RUNNING, "refresh_failed"): (_S.EXPIRED, _expire),
        (_S.REFRESHING, "refreshed"): (_S.RUNNING, _restart),
        (_S.REFRESHING, "expired"): (_S.EXPIRED, _expire),
        (_S.REFRESHING, "refresh_failed"): (_S.EXPIRED, _expire),
    }
