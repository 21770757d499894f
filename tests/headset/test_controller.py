from __future__ import annotations

from headset.controller import CallController, CallState, Intent
from headset.controls import ControlSet, ControlStyle
from headset.descriptor import parse_descriptor
from headset.quirks import tuning_for
from headset.usages import Role
from tests.headset.conftest import load


def controller(name: str, vid: int, pid: int, **kw: bool) -> CallController:
    controls = ControlSet(parse_descriptor(load(name)))
    c = CallController(controls, tuning_for(vid, pid), **kw)
    c.resync(-10.0)  # the device starts dark, as after opening it
    return c


def r(hexdata: str) -> bytes:
    return bytes.fromhex(hexdata)


# Jabra EVOLVE LINK MS: input 2 = hook, line busy, mute, flash, redial, speed dial, button;
# output 2 = off-hook, mute, ring, hold, microphone, ringer.


def test_jabra_answer_mute_hang_up() -> None:
    c = controller("jabra-evolve-link-ms", 0x0B0E, 0x0307)
    assert c.set_call_state(CallState.RINGING, 0.0).reports == (r("020400"),)
    assert c.receive(r("020100"), 1.0).intents == (Intent.ANSWER,)
    assert c.set_call_state(CallState.ACTIVE, 1.01).reports == (r("020100"),)
    assert c.receive(r("020100"), 1.02).intents == ()  # acknowledgement echo
    assert c.receive(r("020500"), 2.0).intents == (Intent.MUTE_ON,)
    assert c.receive(r("020100"), 2.1).intents == ()  # release
    assert c.set_mute(True, 2.11).reports == (r("021300"),)  # mute + microphone + off-hook
    assert c.receive(r("020500"), 4.0).intents == ()  # the second report ~2 s later
    assert c.receive(r("020100"), 4.1).intents == ()
    assert c.receive(r("020500"), 5.0).intents == (Intent.MUTE_OFF,)  # explicit, not toggle
    assert c.receive(r("020000"), 6.0).intents == (Intent.HANG_UP,)
    assert c.set_call_state(CallState.IDLE, 6.01).reports == (r("021200"),)


def test_jabra_reject_with_line_busy_button() -> None:
    c = controller("jabra-evolve-link-ms", 0x0B0E, 0x0307)
    assert c.has_reject_button
    c.set_call_state(CallState.RINGING, 0.0)
    assert c.receive(r("020200"), 1.0).intents == (Intent.REJECT,)


def test_stale_off_hook_echo_never_answers_the_next_call() -> None:
    c = controller("jabra-evolve-link-ms", 0x0B0E, 0x0307)
    c.set_call_state(CallState.RINGING, 0.0)
    c.set_call_state(CallState.ACTIVE, 0.5)  # answered on screen
    c.set_call_state(CallState.IDLE, 3.0)  # remote hung up
    c.set_call_state(CallState.RINGING, 3.1)  # next call
    assert c.receive(r("020100"), 3.2).intents == ()  # late echo of the old Off-Hook
    assert c.receive(r("020000"), 3.3).intents == ()
    assert c.receive(r("020100"), 5.0).intents == (Intent.ANSWER,)  # a real press


# Plantronics Blackwire C5220: input 8 = mute (relative), hook, flash, redial, button;
# one report ID per LED: 9 mute, 23 off-hook, 24 ring, 26 speaker, 32 hold, 42 on-line.


def test_plantronics_answer_writes_one_report_per_led() -> None:
    c = controller("plantronics-blackwire-c5220", 0x047F, 0xC053)
    assert c.set_call_state(CallState.RINGING, 0.0).reports == (r("1801"),)
    assert c.receive(r("0802"), 1.0).intents == (Intent.ANSWER,)
    assert c.receive(r("0802"), 1.001).intents == ()  # repeat within 5 ms
    assert c.set_call_state(CallState.ACTIVE, 1.01).reports == (r("1701"), r("1800"))
    assert c.receive(r("0803"), 2.0).intents == (Intent.MUTE_ON,)
    assert c.receive(r("0802"), 2.01).intents == ()
    assert c.receive(r("0803"), 2.04).intents == ()  # repeat within 50 ms
    assert c.set_mute(True, 2.05).reports == (r("0901"),)
    assert c.set_call_state(CallState.HELD, 3.0).reports == (r("2001"),)  # off-hook stays
    assert c.receive(r("0800"), 3.1).intents == ()  # on-hook echo while holding
    assert c.set_call_state(CallState.ACTIVE, 4.0).reports == (r("2000"),)
    assert c.receive(r("0802"), 4.1).intents == ()
    assert c.receive(r("0800"), 6.0).intents == (Intent.HANG_UP,)


def test_plantronics_two_on_hook_reports_while_ringing_reject() -> None:
    c = controller("plantronics-blackwire-c5220", 0x047F, 0xC053)
    assert not c.has_reject_button
    c.set_call_state(CallState.RINGING, 0.0)
    assert c.receive(r("0800"), 1.0).intents == ()
    assert c.receive(r("0800"), 1.5).intents == (Intent.REJECT,)


def test_resync_writes_every_output_report() -> None:
    c = controller("plantronics-blackwire-c5220", 0x047F, 0xC053)
    c.set_call_state(CallState.ACTIVE, 0.0)
    # 25 is the vendor ringer (0xFFA0:0x9E): the only ringer this device has
    assert c.resync(1.0).reports == (r("0900"), r("1701"), r("1800"), r("1900"), r("2000"))


# EPOS IMPACT D1: input 2 = hook, flash, redial, mute, drop; output 3 shares all LEDs.


def test_epos_hold_resume_and_drop() -> None:
    c = controller("epos-impact-d1", 0x1395, 0x009C)
    c.set_call_state(CallState.ACTIVE, 0.0)
    assert c.receive(r("0203"), 1.0).intents == (Intent.HOLD,)  # flash
    assert c.set_call_state(CallState.HELD, 1.01).reports == (r("0321"),)
    assert c.receive(r("0201"), 1.1).intents == ()
    assert c.receive(r("0203"), 2.0).intents == (Intent.RESUME,)
    c.set_call_state(CallState.ACTIVE, 2.01)
    assert c.receive(r("0211"), 3.0).intents == (Intent.HANG_UP,)  # drop


def test_redial_only_when_idle() -> None:
    c = controller("epos-impact-d1", 0x1395, 0x009C)
    assert c.receive(r("0204"), 1.0).intents == (Intent.REDIAL,)


def test_ringer_where_no_ring_led_or_preferred() -> None:
    c = controller("jabra-evolve-link-ms", 0x0B0E, 0x0307, ring_on_headset=True)
    assert c.set_call_state(CallState.RINGING, 0.0).reports == (r("022400"),)


def _synthetic(input_flags: str, logical: str = "15 00 25 01", size: str = "75 01") -> ControlSet:
    data = bytes.fromhex(
        (
            "05 0b 09 05 a1 01 85 01"
            f"{logical} {size} 95 01 09 20 81 {input_flags}"
            f"09 2f 81 {input_flags}"
            "75 01 95 06 81 01"
            "15 00 25 01 75 01 95 02 05 08 09 17 09 09 91 22 95 06 91 01 c0"
        ).replace(" ", "")
    )
    return ControlSet(parse_descriptor(data))


def test_toggle_hook_and_switch_mute_styles() -> None:
    toggle = CallController(_synthetic("06"))
    assert {c.style for c in toggle.controls.inputs()} == {ControlStyle.TOGGLE}
    toggle.set_call_state(CallState.RINGING, 0.0)
    assert toggle.receive(r("0101"), 1.0).intents == (Intent.ANSWER,)
    assert toggle.receive(r("0100"), 1.1).intents == ()
    toggle.set_call_state(CallState.ACTIVE, 1.2)
    assert toggle.receive(r("0101"), 3.0).intents == (Intent.HANG_UP,)

    switch = CallController(_synthetic("22"))
    assert {c.style for c in switch.controls.inputs()} == {ControlStyle.SWITCH}
    switch.set_call_state(CallState.ACTIVE, 0.0)
    assert switch.receive(r("0103"), 1.0).intents == (Intent.MUTE_ON,)
    switch.set_mute(True, 1.01)
    assert switch.receive(r("0101"), 1.2).intents == ()  # device reverting: ignored
    assert switch.receive(r("0103"), 1.3).intents == ()
    assert switch.receive(r("0101"), 3.0).intents == (Intent.MUTE_OFF,)


def test_on_and_off_buttons() -> None:
    c = CallController(_synthetic("06", logical="15 ff 25 01", size="75 02"))
    mute = c.controls.by_role(Role.MUTE, c.controls.inputs()[0].kind)[0]
    assert mute.style == ControlStyle.ON_OFF
    c.set_call_state(CallState.ACTIVE, 0.0)
    assert c.receive(r("010400"), 1.0).intents == (Intent.MUTE_ON,)  # +1 in bits 2-3
    c.set_mute(True, 1.0)
    assert c.receive(r("010400"), 2.0).intents == ()
    assert c.receive(r("010c00"), 3.0).intents == (Intent.MUTE_OFF,)  # -1


def test_malformed_report_is_ignored() -> None:
    c = controller("jabra-evolve-link-ms", 0x0B0E, 0x0307)
    assert c.receive(b"\x02", 1.0).intents == ()
