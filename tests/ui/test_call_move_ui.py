"""Move in the call window: a menu of the user's other phones (from the server) and his
mobile number; choosing one asks the controller; progress and failure in plain words."""

from __future__ import annotations

import datetime as dt

from app.devices import Device, MoveChoice
from tests.ui.fakes import ActiveCall, FakeContext
from tests.ui.test_call_control_ui import BRAM, _window

_EXPIRES = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)
DESK = Device("d1", "<sip:201@10.0.0.7:5060>", "Yealink SIP-T54W 96.86.0.100", "udp", _EXPIRES)
ZOIPER = Device("d2", "<sip:201@10.0.0.9:41000;ob>", "Z 5.6.1 Zoiper", "udp", _EXPIRES)
OWN = Device("d3", "<sip:201@127.0.0.1:5062;ob>", "AcmePhone", "udp", _EXPIRES)


def test_menu_lists_other_phones_then_the_mobile(qtbot, ctx: FakeContext) -> None:
    ctx.calls_ctl.phones = (DESK, OWN, ZOIPER)
    w = _window(qtbot, ctx)
    w.expand_button.click()
    menu = w.extras.move_menu
    assert [a.text() for a in menu.actions()] == [
        "Desk phone (Yealink T54W)",
        "Other softphone (Zoiper)",
        "Mobile (06 12345678)",
    ]
    assert w.extras.move_button.isEnabled()
    assert w.extras.move_button.toolTip() == (
        "Move this call to another of your phones or your mobile"
    )
    w.extras.move_button.click()
    assert menu.isVisible()
    menu.actions()[0].trigger()
    menu.hide()
    assert ctx.calls_ctl.calls == [("move", ("c1", MoveChoice("desk_phone", "Yealink T54W", "d1")))]
    menu.actions()[2].trigger()
    assert ctx.calls_ctl.calls[-1] == ("move", ("c1", MoveChoice("mobile", number="+31612345678")))


def test_move_is_disabled_with_no_other_phone_and_no_mobile(qtbot, ctx: FakeContext) -> None:
    ctx.calls_ctl.mobile = None
    ctx.calls_ctl.phones = (OWN,)  # only this app is signed in
    w = _window(qtbot, ctx)
    w.expand_button.click()
    assert not w.extras.move_button.isEnabled()
    assert w.extras.move_button.toolTip() == (
        "None of your other phones is signed in, and no mobile number is set (Settings → Calls)."
    )
    assert w.extras.move_menu.actions() == []


def test_two_phones_that_read_the_same_are_numbered(qtbot, ctx: FakeContext) -> None:
    ctx.calls_ctl.mobile = None
    other = Device("d4", "<sip:201@10.0.0.8:5060>", "pjsua-test-agent/x", "udp", _EXPIRES)
    ctx.calls_ctl.phones = (other, Device("d5", "<sip:201@10.0.0.3:5060>", None, "udp", _EXPIRES))
    third = Device("d6", "<sip:201@10.0.0.4:5060>", "PJSUA v2.14", "udp", _EXPIRES)
    ctx.calls_ctl.phones += (third,)
    w = _window(qtbot, ctx)
    assert [a.text() for a in w.extras.move_menu.actions()] == [
        "Other softphone 1",
        "Other phone",
        "Other softphone 2",
    ]


def test_progress_and_failure_in_plain_words(qtbot, ctx: FakeContext) -> None:
    w = _window(qtbot, ctx)
    desk = MoveChoice("desk_phone", "Yealink T54W", "d1")
    ctx.calls.update("c1", transfer_kind="move", move_to=desk, transfer="transferring")
    assert w.status_label.text() == "Moving the call to your desk phone… Answer it there."
    ctx.calls.update("c1", transfer="failed", transfer_code=409)
    assert w.status_label.text() == (
        "The call could not be moved to your desk phone (409). It stays here."
    )
    ctx.calls.update("c1", transfer="transferring", transfer_code=None)
    ctx.calls.update("c1", transfer="transferred", state="ended", outcome="completed")
    assert w.status_label.text() == "The call was moved to your desk phone."
    assert w.pick_up_again_button.isVisible()


def test_a_call_without_a_move_says_nothing_of_it(qtbot, ctx: FakeContext) -> None:
    w = _window(qtbot, ctx, ActiveCall("c9", "outgoing", "202", "Bram", "connected", 0.0))
    assert w.status_label.text() == "" and BRAM.move_to is None
