"""The step runner on the call core in memory (user-agent layer + call machine, fake phones and
clock, no sockets): a later phase rings the mobile as a new fork of the same call and cancels
the softphone when it switches, keeps it when it adds; the machine's voicemail timer moves to
the rule's voicemail step, or stops when the rule has none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pbx_core.bus import EventBus
from pbx_core.ids import CallId
from pbx_core.routing.runner import StepRunner
from pbx_core.routing.schedule import Phase, Schedule
from pbx_core.signaling._voicemail import VoicemailRouting
from pbx_core.signaling.bindings import Binding
from pbx_core.signaling.calls import Contact, ForkTarget
from pbx_core.signaling.uri import SipUri
from tests.unit.pbx_core.signaling._switchboard import Phone, Switchboard

SOFT_THEN_MOBILE = (Phase(0, frozenset({"softphone"})), Phase(5, frozenset({"mobile"})))
ALSO_MOBILE = (Phase(0, frozenset({"softphone"})), Phase(5, frozenset({"softphone", "mobile"})))


class _Timers:
    """The runner's waits, fired by the test."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waiting: list[tuple[float, Callable[[], None]]] = []

    def later(self, delay: float, callback: Callable[[], None]) -> _Timers:
        self.waiting.append((self.now + delay, callback))
        return self

    def cancel(self) -> None:
        pass

    def run_until(self, when: float) -> None:
        self.now = when
        due = [w for w in self.waiting if w[0] <= when]
        self.waiting = [w for w in self.waiting if w[0] > when]
        for _, callback in sorted(due, key=lambda w: w[0]):
            callback()


def _binding(phone: Phone, agent: str) -> Binding:
    uri = SipUri(phone.extension, phone.address.host, phone.address.port)
    far = datetime(2100, 1, 1, tzinfo=UTC)
    return Binding(phone.extension, uri, phone.address, far, "c", 1, agent)


class _Office:
    """202 calls 201, whose app rings first; 203's phone is 201's mobile."""

    def __init__(self, phases: tuple[Phase, ...], voicemail_at: float | None) -> None:
        self.board = Switchboard()
        self.board.machine.voicemail = VoicemailRouting(delay_seconds=20.0)
        board = self.board
        self.caller = board.phone("202", 10)
        self.soft = board.phone("201", 11)  # the only binding the first phase rings
        self.mobile = board.phone("203", 13)
        agents = {
            "201": [_binding(self.soft, "AcmePhone/1.4")],
            "203": [_binding(self.mobile, "Android phone")],
        }
        self.timers = _Timers()
        self.bus = EventBus()
        self.runner = StepRunner(
            board.machine,
            board.perform,
            self.bus,
            bindings=lambda ext: agents.get(ext, []),
            name_of=lambda ext: f"User {ext}" if ext in ("201", "202", "203") else None,
            mobile_of=lambda ext: "203" if ext == "201" else None,
            later=self.timers.later,
            now=lambda: self.timers.now,
        )
        self.invite = self.caller.invite("201")
        (self.call,) = board.machine.registry.calls.values()
        first = [ForkTarget(Contact(self.soft_uri, self.soft.address), "201", "User 201")]
        self.runner.track(self.call, "202", Schedule(phases, voicemail_at), first)
        self.to_soft = self.soft.request("INVITE")
        self.soft.reply(self.to_soft, 180)
        self._published(0)

    @property
    def soft_uri(self) -> SipUri:
        return SipUri("201", self.soft.address.host, self.soft.address.port)

    def _published(self, since: int) -> None:
        """What the machine published goes to the runner, as the bus would hand it on."""
        for event in self.board.published[since:]:
            self.bus.publish(event)
        self.timers.run_until(self.timers.now)

    @property
    def call_id(self) -> CallId:
        return self.call.call_id


def test_a_switch_rings_the_mobile_and_cancels_the_softphone() -> None:
    office = _Office(SOFT_THEN_MOBILE, None)
    board, mobile, soft = office.board, office.mobile, office.soft
    assert mobile.take() == []  # not before its step
    office.timers.run_until(5.0)
    to_mobile = mobile.request("INVITE")
    assert "201" in str(to_mobile.headers.get("To"))  # still a call to 201
    cancel = soft.request("CANCEL")
    soft.reply(cancel, 200)
    soft.reply(office.to_soft, 487)
    mobile.reply(to_mobile, 180)
    mobile.reply(to_mobile, 200)
    assert office.caller.response(200).status == 200
    assert office.call.b is not None and office.call.b.extension == "201"  # 201's own phone
    assert office.call_id in board.machine.registry.calls


def test_an_added_step_keeps_the_softphone_ringing() -> None:
    office = _Office(ALSO_MOBILE, None)
    office.timers.run_until(5.0)
    office.mobile.reply(office.mobile.request("INVITE"), 180)
    assert office.soft.take() == []  # no CANCEL: both ring
    office.soft.reply(office.to_soft, 200)
    assert office.caller.response(200).status == 200
    assert office.mobile.request("CANCEL").method == "CANCEL"  # the first answer wins


def test_the_voicemail_timer_moves_to_the_rules_step_or_stops() -> None:
    office = _Office(SOFT_THEN_MOBILE, 30.0)
    key = (office.call_id, "voicemail")
    assert office.board.timers[key] == 30.0  # not the default 20
    office = _Office(SOFT_THEN_MOBILE, None)
    assert (office.call_id, "voicemail") not in office.board.timers


def test_a_phase_after_the_answer_does_nothing() -> None:
    office = _Office(SOFT_THEN_MOBILE, None)
    office.soft.reply(office.to_soft, 200)
    office.caller.response(200)
    office.timers.run_until(5.0)
    assert office.mobile.take() == []
