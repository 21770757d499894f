from __future__ import annotations

import pytest

from headset.controller import Actions, CallController, CallState, Intent, Press
from headset.controls import ControlSet, ControlStyle
from headset.descriptor import ReportKind, parse_descriptor
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


# Plantronics vendor mute state 0xFFA0:0xB5 (X-Lite profile 047F-010C.cps: 1 = mute, 0 = unmute):
# a feature usage on these three, in a report it shares with Radio Link 0xFFA0:0xA1.


def _feature_fields(c: CallController, feature: bytes) -> dict[str, int]:
    bits = int.from_bytes(feature[1:], "little")
    return {
        ctl.name: bits >> ctl.bit_offset & (1 << ctl.size) - 1
        for ctl in c.controls.controls
        if ctl.kind == ReportKind.FEATURE and ctl.report_id == feature[0]
    }


@pytest.mark.parametrize(
    ("name", "pid", "radio_up", "mute_led", "feature_id"),
    [
        ("plantronics-blackwire-c5220", 0xC053, "1f02", "09", 0x1B),
        ("plantronics-bt700", 0x02E6, "0601", "23", 0x06),
        ("plantronics-voyager-base-cd", 0x02EC, "1801", "03", 0x18),
    ],
)
def test_plantronics_vendor_mute_state_written_whole(
    name: str, pid: int, radio_up: str, mute_led: str, feature_id: int
) -> None:
    c = controller(name, 0x047F, pid)
    assert [ctl.kind for ctl in c.controls.mute_state()] == [ReportKind.FEATURE]
    c.set_call_state(CallState.ACTIVE, 0.0)
    c.receive(r(radio_up), 0.5)  # the device reports its radio link up (0xFFA0:0xA1)
    on = c.set_mute(True, 1.0)
    assert on.reports == (r(mute_led + "01"),)  # the standard Mute LED as before
    assert len(on.features) == 1 and on.features[0][0] == feature_id
    fields = _feature_fields(c, on.features[0])
    assert fields["Plantronics Mute"] == 1
    assert fields["Usage 0xffa0:0x00a1"] == 1  # Radio Link kept as the device reported it
    assert all(
        v == 0 for k, v in fields.items() if k not in ("Plantronics Mute", "Usage 0xffa0:0x00a1")
    )
    assert c.set_mute(True, 1.1) == Actions()  # unchanged: nothing written again
    off = c.set_mute(False, 2.0)
    assert off.reports == (r(mute_led + "00"),)
    assert _feature_fields(c, off.features[0])["Plantronics Mute"] == 0
    assert c.resync(3.0).features == off.features  # re-plug: the whole feature report again


def test_plantronics_c5220_vendor_mute_bytes_and_no_loop() -> None:
    c = controller("plantronics-blackwire-c5220", 0x047F, 0xC053)
    c.set_call_state(CallState.ACTIVE, 0.0)
    assert c.receive(r("0803"), 1.0).intents == (Intent.MUTE_ON,)
    assert c.receive(r("0802"), 1.05).intents == ()
    # report 27: bit 0 0xFFA0:0xCF, bit 1 0xFFA0:0xB5 mute, bit 2 0xFFA0:0xA1 radio link
    assert c.set_mute(True, 1.1).features == (r("1b02"),)
    # the device echoes the new state on both mute inputs: neither toggles back
    assert c.receive(r("0803"), 1.45).intents == ()
    assert c.receive(r("1402"), 1.46).intents == ()  # vendor 0xFFA0:0xB5 input
    assert c.receive(r("0802"), 1.5).intents == ()
    assert c.set_mute(True, 1.5) == Actions()  # the loop is closed: nothing more is written
    assert c.receive(r("0803"), 3.0).intents == (Intent.MUTE_OFF,)  # a real press later
    assert c.set_mute(False, 3.05).features == (r("1b00"),)


def test_vendor_only_mute_echo_never_toggles_back() -> None:
    # an old Plantronics with only the vendor page: mute button and mute state are 0xFFA0:0xB5
    data = bytes.fromhex(
        "06a0ff 0903 a101 8501 1500 2501 7501 9501 09b5 8106 9507 8101"
        " 8502 09b5 9501 b122 9507 b101 c0".replace(" ", "")
    )
    c = CallController(ControlSet(parse_descriptor(data)))
    c.resync(0.0)
    c.set_call_state(CallState.ACTIVE, 0.0)
    assert c.receive(r("0101"), 1.0).intents == (Intent.MUTE_ON,)
    c.receive(r("0100"), 1.05)
    assert c.set_mute(True, 1.2).features == (r("0201"),)
    assert c.receive(r("0101"), 1.4).intents == ()  # echo after the hold-off: still ignored
    c.receive(r("0100"), 1.45)
    assert c.receive(r("0101"), 3.0).intents == (Intent.MUTE_OFF,)


# Teams button (0xFF99:0x04): shown on the test indicator, never a call intent.


@pytest.mark.parametrize(
    ("name", "pid", "report"),
    [
        ("plantronics-blackwire-c5220", 0xC053, "9b01"),
        ("plantronics-bt700", 0x02E6, "9b01"),
        ("epos-impact-d1", 0x009C, "9b01"),
    ],
)
@pytest.mark.parametrize("state", list(CallState))
def test_teams_button_is_a_press_and_never_an_intent(
    name: str, pid: int, report: str, state: CallState
) -> None:
    vendor = 0x1395 if name.startswith("epos") else 0x047F
    c = controller(name, vendor, pid)
    c.set_call_state(state, 0.0)
    pressed = c.receive(r(report), 1.0)
    assert pressed.presses == (Press(Role.TEAMS, "Teams Button", 1),)
    assert pressed.intents == () and pressed.reports == ()
    released = c.receive(r(report[:2] + "00"), 1.1)
    assert released.presses == (Press(Role.TEAMS, "Teams Button", 0),)
    assert released.intents == ()
    assert c.receive(r(report), 5.0).intents == ()


# EPOS IMPACT D1 report 2 bit 5: Programmable Button, an array field (logical 0..1) naming the
# Button page usage 1 after it. 0 is the null value, not "Programmable Button selected".


def test_epos_programmable_button_array_null_value() -> None:
    controls = ControlSet(parse_descriptor(load("epos-impact-d1")))
    prog = next(ctl for ctl in controls.inputs() if ctl.role == Role.PROGRAMMABLE)
    assert (prog.array_index, prog.logical_min, prog.bit_offset) == (0, 0, 5)
    assert prog.selectors == (0, 1)  # itself and Button 1 of its NAry
    assert controls.decode(r("0200"))[prog] == 0
    assert controls.decode(r("0201"))[prog] == 0
    assert controls.decode(r("0220"))[prog] == 1
    c = controller("epos-impact-d1", 0x1395, 0x009C)
    assert c.receive(r("0200"), 1.0).presses == ()
    assert c.receive(r("0201"), 2.0).presses == (Press(Role.HOOK, "Hook Switch", 1),)
    pressed = c.receive(r("0221"), 3.0)
    assert pressed.presses == (Press(Role.PROGRAMMABLE, "Programmable Button", 1),)
    assert pressed.intents == ()
    assert c.receive(r("0201"), 3.1).presses == (
        Press(Role.PROGRAMMABLE, "Programmable Button", 0),
    )


def test_array_values_outside_the_logical_range_select_nothing() -> None:
    controls = ControlSet(parse_descriptor(load("jabra-evolve-link-ms")))
    keys = [ctl for ctl in controls.inputs() if ctl.array_index is not None and ctl.report_id == 2]
    assert len(keys) == 12 and keys[0].logical_max == 11
    # keypad: 4 bits at bit 7 of report 2; 0 is null, 15 is outside 0..11
    for raw in (0, 15):
        report = bytes([2]) + (raw << 7).to_bytes(2, "little")
        assert not any(controls.decode(report)[k] for k in keys)
    report = bytes([2]) + (3 << 7).to_bytes(2, "little")
    assert [k.name for k in keys if controls.decode(report)[k]] == ["Phone Key 3"]


def test_vendor_mute_state_as_an_output_shares_its_report() -> None:
    # 0xFFA0 output report 3: bit 0 ringer 0x9E, bit 1 mute state 0xB5; feature 4 is not used
    # because the descriptor declares the mute state as an output
    data = bytes.fromhex(
        "06a0ff 0903 a101 1500 2501 7501 8503 099e 09b5 9502 9122 9506 9101"
        " 8504 09b5 9501 b122 9507 b101 c0".replace(" ", "")
    )
    c = CallController(ControlSet(parse_descriptor(data)))
    assert [ctl.kind for ctl in c.controls.mute_state()] == [ReportKind.OUTPUT]
    assert c.resync(0.0) == Actions(reports=(r("0300"),))
    assert c.set_call_state(CallState.RINGING, 1.0).reports == (r("0301"),)
    assert c.set_mute(True, 1.1) == Actions(reports=(r("0303"),))  # ringer kept on
    assert c.set_call_state(CallState.ACTIVE, 2.0).reports == (r("0302"),)
