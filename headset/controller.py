"""Per-device call-control state machine, sans-IO: reports and call states in, intents and
output reports out, with the caller's clock.

Behaviour absorbed here (see docs/headset.md): absolute and toggle hook switches, explicit mute
(never a blind toggle), echo suppression after the host changes Off-Hook, hold shown with the Hold
LED while Off-Hook stays set, debounce of repeats, two on-hook reports while ringing meaning
reject, ringing through the Ring LED and the Telephony Ringer, the Plantronics vendor mute state
(0xFFA0:0xB5, an output or a feature usage) beside the mute LEDs. HID Usage Tables 1.5 sections
10 and 14; HID 1.11 section 8 (whole reports per report ID).

A whole feature report also carries usages the host does not drive (Plantronics put Radio Link
0xFFA0:0xA1 beside the mute state): those are written with the value the device last reported
for the same usage, so writing the mute state never changes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from headset.controls import Control, ControlSet, ControlStyle
from headset.descriptor import ReportKind
from headset.quirks import Tuning
from headset.usages import Role

__all__ = ["Actions", "CallController", "CallState", "Intent", "Press"]


class CallState(StrEnum):
    """The app's view of its calls, reduced to what a headset shows."""

    IDLE = "idle"
    RINGING = "ringing"  # an incoming call waits for an answer
    DIALING = "dialing"  # an outgoing call is being set up
    ACTIVE = "active"
    HELD = "held"


class Intent(StrEnum):
    """What the user asked for on the headset; the app decides what it means for its calls."""

    ANSWER = "answer"
    HANG_UP = "hang_up"
    REJECT = "reject"
    MUTE_ON = "mute_on"
    MUTE_OFF = "mute_off"
    HOLD = "hold"
    RESUME = "resume"
    REDIAL = "redial"


@dataclass(frozen=True, slots=True)
class Press:
    """A changed input value, for the settings page's "press a button to test" indicator."""

    role: Role
    name: str
    value: int


@dataclass(frozen=True, slots=True)
class Actions:
    """What the caller must do: deliver intents, write the output reports in order, then send
    the feature reports in order."""

    intents: tuple[Intent, ...] = ()
    reports: tuple[bytes, ...] = ()
    presses: tuple[Press, ...] = ()
    features: tuple[bytes, ...] = ()


_ONE_SHOT = {Role.FLASH, Role.HOLD, Role.REDIAL, Role.REJECT, Role.DROP}
_LED_ROLES = (
    Role.LED_OFF_HOOK,
    Role.LED_RING,
    Role.LED_MUTE,
    Role.LED_MICROPHONE,
    Role.LED_HOLD,
    Role.RINGER,
)


@dataclass(slots=True)
class _Inputs:
    prev: dict[Control, int] = field(default_factory=dict)
    last_press: dict[Control, float] = field(default_factory=dict)
    last_report: bytes = b""
    last_report_at: float = float("-inf")
    ringing_on_hooks: list[float] = field(default_factory=list)


class CallController:
    """One device's buttons and LEDs; not thread-safe, drive it from one thread or loop."""

    def __init__(
        self, controls: ControlSet, tuning: Tuning | None = None, *, ring_on_headset: bool = False
    ) -> None:
        self.controls = controls
        self.tuning = tuning or Tuning()
        self.ring_on_headset = ring_on_headset
        self.state = CallState.IDLE
        self.muted = False
        self._inputs = _Inputs()
        self._outputs: dict[Control, int] = {}
        self._device_values: dict[int, int] = {}  # usage -> value the device last reported
        self._targets = [
            (role, control)
            for role in _LED_ROLES
            for control in controls.by_role(role, ReportKind.OUTPUT)
        ] + [(Role.LED_MUTE, control) for control in controls.mute_state()]
        self._offhook_changed_at = float("-inf")
        self._hold_changed_at = float("-inf")
        self._mute_written_at = float("-inf")
        self._role_inputs = {role: set(controls.by_role(role, ReportKind.INPUT)) for role in Role}
        self.has_reject_button = bool(
            self._role_inputs[Role.REJECT] or self._role_inputs[Role.DROP]
        )

    # -- host side -------------------------------------------------------------------------

    def set_call_state(self, state: CallState, now: float) -> Actions:
        previous, self.state = self.state, state
        if (previous == CallState.HELD) != (state == CallState.HELD):
            self._hold_changed_at = now
        if state != CallState.RINGING:
            self._inputs.ringing_on_hooks.clear()
        return self._sync(now, force=False)

    def set_mute(self, muted: bool, now: float) -> Actions:
        self.muted = muted
        return self._sync(now, force=False)

    def resync(self, now: float) -> Actions:
        """Every output report with the full current state (after open or re-plug)."""
        return self._sync(now, force=True)

    def _desired(self) -> dict[Role, bool]:
        in_call = self.state in (CallState.ACTIVE, CallState.HELD, CallState.DIALING)
        ringing = self.state == CallState.RINGING
        has_ring_led = bool(self.controls.by_role(Role.LED_RING, ReportKind.OUTPUT))
        return {
            Role.LED_OFF_HOOK: in_call,
            Role.LED_RING: ringing,
            Role.LED_MUTE: self.muted,
            Role.LED_MICROPHONE: self.muted,
            Role.LED_HOLD: self.state == CallState.HELD,
            Role.RINGER: ringing and (self.ring_on_headset or not has_ring_led),
        }

    def _sync(self, now: float, *, force: bool) -> Actions:
        desired = self._desired()
        touched: set[tuple[ReportKind, int]] = set()
        for role, control in self._targets:
            value = control.logical_max if desired[role] else max(control.logical_min, 0)
            known = self._outputs.get(control)
            if known != value:
                self._outputs[control] = value
                touched.add((control.kind, control.report_id))
                if role == Role.LED_OFF_HOOK and known is not None:
                    self._offhook_changed_at = now
                if role in (Role.LED_MUTE, Role.LED_MICROPHONE):
                    self._mute_written_at = now
            elif force:
                touched.add((control.kind, control.report_id))
        ids = sorted(touched, key=lambda key: key[1])
        return Actions(
            reports=tuple(
                self.controls.encode(rid, self._outputs)
                for kind, rid in ids
                if kind == ReportKind.OUTPUT
            ),
            features=tuple(
                self.controls.encode(rid, self._feature_values(rid), ReportKind.FEATURE)
                for kind, rid in ids
                if kind == ReportKind.FEATURE
            ),
        )

    def _feature_values(self, report_id: int) -> dict[Control, int]:
        """Our values for the usages we drive, the device's own for the rest of the report."""
        values: dict[Control, int] = {}
        for c in self.controls.controls:
            if c.kind != ReportKind.FEATURE or c.report_id != report_id:
                continue
            reported = self._device_values.get(c.usage, max(c.logical_min, 0))
            value = self._outputs.get(c, reported)
            values[c] = min(max(value, c.logical_min), c.logical_max)
        return values

    # -- device side -----------------------------------------------------------------------

    def receive(self, report: bytes, now: float) -> Actions:
        """One input report as read from the device (report ID byte first when numbered)."""
        inputs = self._inputs
        if report == inputs.last_report and now - inputs.last_report_at < self.tuning.debounce:
            return Actions()
        inputs.last_report, inputs.last_report_at = report, now
        try:
            values = self.controls.decode(report)
        except ValueError:
            return Actions()
        intents: list[Intent] = []
        presses: list[Press] = []
        for control, value in values.items():
            if control.array_index is None:
                self._device_values[control.usage] = value
            role = control.role
            if role is None or control not in self._role_inputs[role]:
                continue
            prev = inputs.prev.get(control, 0)
            inputs.prev[control] = value
            if value != prev:
                presses.append(Press(role, control.name, value))
            intent = self._interpret(role, control, prev, value, now)
            if intent is not None:
                intents.append(intent)
        return Actions(intents=tuple(intents), presses=tuple(presses))

    def _pressed(self, control: Control, prev: int, value: int, now: float) -> bool:
        """A new press: a rising edge outside the repeat hold-off."""
        if not (value > 0 and prev <= 0):
            return False
        last = self._inputs.last_press.get(control, float("-inf"))
        if now - last < self.tuning.toggle_holdoff:
            return False
        self._inputs.last_press[control] = now
        return True

    def _interpret(
        self, role: Role, control: Control, prev: int, value: int, now: float
    ) -> Intent | None:
        if role == Role.HOOK:
            return self._hook(control, prev, value, now)
        if role == Role.MUTE:
            return self._mute(control, prev, value, now)
        if role in _ONE_SHOT and self._pressed(control, prev, value, now):
            return self._one_shot(role)
        return None

    def _one_shot(self, role: Role) -> Intent | None:
        state = self.state
        if role in (Role.FLASH, Role.HOLD):
            if state == CallState.ACTIVE:
                return Intent.HOLD
            return Intent.RESUME if state == CallState.HELD else None
        if role == Role.REDIAL:
            return Intent.REDIAL if state == CallState.IDLE else None
        if state == CallState.RINGING:
            return Intent.REJECT
        if state in (CallState.ACTIVE, CallState.HELD, CallState.DIALING):
            return Intent.HANG_UP
        return None

    def _hook(self, control: Control, prev: int, value: int, now: float) -> Intent | None:
        state = self.state
        tuning = self.tuning
        if now - self._offhook_changed_at < tuning.echo_window:
            return None  # our own Off-Hook write echoed back, or a stale echo of one
        if control.style in (ControlStyle.TOGGLE, ControlStyle.ON_OFF):
            if not self._pressed(control, prev, value, now):
                return None
            if state == CallState.RINGING:
                return Intent.ANSWER
            if state == CallState.HELD and now - self._hold_changed_at < tuning.echo_window:
                return None
            return Intent.HANG_UP if state != CallState.IDLE else None
        off_hook = value > 0
        if state == CallState.RINGING and not off_hook and not self.has_reject_button:
            hooks = [t for t in self._inputs.ringing_on_hooks if now - t < tuning.reject_window]
            hooks.append(now)
            self._inputs.ringing_on_hooks = hooks
            if len(hooks) >= 2:
                hooks.clear()
                return Intent.REJECT
            return None
        if off_hook == (prev > 0):
            return None
        if off_hook:
            return Intent.ANSWER if state == CallState.RINGING else None
        if state == CallState.HELD and now - self._hold_changed_at < tuning.echo_window:
            return None
        if state in (CallState.ACTIVE, CallState.DIALING, CallState.HELD):
            return Intent.HANG_UP
        return None

    def _mute(self, control: Control, prev: int, value: int, now: float) -> Intent | None:
        if control.style == ControlStyle.ON_OFF:
            if value == 0 or (value > 0) == self.muted:
                return None
            return Intent.MUTE_ON if value > 0 else Intent.MUTE_OFF
        if control.style == ControlStyle.SWITCH:
            wanted = value > 0
            if wanted == self.muted or wanted == (prev > 0):
                return None
            if now - self._mute_written_at < self.tuning.echo_window:
                return None  # the device following (or reverting before) our mute LED
            return Intent.MUTE_ON if wanted else Intent.MUTE_OFF
        if (
            value > 0 >= prev
            and self.muted
            and now - self._mute_written_at < self.tuning.echo_window
        ):
            return None  # the device echoing the mute state we just wrote: no toggle back
        if not self._pressed(control, prev, value, now):
            return None  # a release, a repeat, or the "0" of a reverted mute
        return Intent.MUTE_OFF if self.muted else Intent.MUTE_ON
