"""In-memory driver for the sans-IO user-agent layer: a fake clock, timers and a wire log.

It performs ``Transmit``/``ArmTimer``/``DisarmTimer`` like the asyncio endpoint does, but
keeps what was sent in a list and fires timers only when a test advances the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pbx_core.signaling._ua_actions import ArmTimer, DisarmTimer, Transmit, UaAction, UaEvent
from pbx_core.signaling.message import SipRequest, SipResponse, parse_message
from pbx_core.signaling.transport import Address
from pbx_core.signaling.useragent import TimerOwner, UserAgent


@dataclass
class FakeClock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Wire:
    """Runs one UserAgent: ``sent`` holds (message, destination), ``events`` the TU events."""

    ua: UserAgent
    clock: FakeClock
    sent: list[tuple[SipRequest | SipResponse | bytes, Address]] = field(default_factory=list)
    events: list[UaEvent] = field(default_factory=list)
    timers: dict[tuple[int, str], tuple[float, int, TimerOwner, str]] = field(default_factory=dict)
    _seq: int = 0

    def perform(self, actions: list[UaAction]) -> None:
        for action in actions:
            if isinstance(action, Transmit):
                data = bytes(action.message)
                try:
                    self.sent.append((parse_message(data), action.dest))
                except ValueError:
                    self.sent.append((data, action.dest))
            elif isinstance(action, ArmTimer):
                self._seq += 1
                due = self.clock.now + action.delay
                self.timers[(id(action.owner), action.name)] = (
                    due,
                    self._seq,
                    action.owner,
                    action.name,
                )
            elif isinstance(action, DisarmTimer):
                self.timers.pop((id(action.owner), action.name), None)
            else:
                self.events.append(action)

    def receive(self, data: bytes | SipRequest | SipResponse, source: Address) -> None:
        self.perform(self.ua.receive(bytes(data), source))

    def flush(self) -> None:
        self.perform(self.ua.flush())

    def advance(self, seconds: float) -> None:
        """Move the clock on, firing every timer that falls due, in order."""
        end = self.clock.now + seconds
        while self.timers:
            due, _, owner, name = min(self.timers.values(), key=lambda t: (t[0], t[1]))
            if due > end:
                break
            del self.timers[(id(owner), name)]
            self.clock.now = due
            self.perform(self.ua.timer_fired(owner, name))
        self.clock.now = end

    def take(self) -> list[SipRequest | SipResponse | bytes]:
        messages = [m for m, _ in self.sent]
        self.sent.clear()
        return messages

    def take_events(self) -> list[UaEvent]:
        events, self.events = self.events, []
        return events
