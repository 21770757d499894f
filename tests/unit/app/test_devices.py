"""The user's other phones for Move: naming from the user agent, which phones are offered,
the PBX's id of the app's call, and the call model's move states."""

from __future__ import annotations

import datetime as dt

import pytest

from app.call_model import ActiveCall, CallModel
from app.devices import Device, MoveChoice, describe, is_own_device, move_choices, pbx_call_id
from sip import CallId, CallStateChanged

_EXPIRES = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)


def _device(id_: str, contact: str, agent: str | None) -> Device:
    return Device(id_, contact, agent, "udp", _EXPIRES)


@pytest.mark.parametrize(
    ("agent", "kind", "model"),
    [
        ("Yealink SIP-T54W 96.86.0.100", "desk_phone", "Yealink T54W"),
        ("Yealink SIP-T46U 108.86.0.45", "desk_phone", "Yealink T46U"),
        ("snomD785/10.1.54.13", "desk_phone", "Snom D785"),
        ("PolycomVVX-VVX_450-UA/6.3.0.14929", "desk_phone", "Poly VVX 450"),
        ("Grandstream GXP2170 1.0.11.3", "desk_phone", "Grandstream GXP2170"),
        ("Fanvil X4U 2.12.1", "desk_phone", "Fanvil X4U"),
        ("Gigaset/1.2.3", "desk_phone", "Gigaset"),
        ("Z 5.6.1 Zoiper", "softphone", "Zoiper"),
        ("MicroSIP/3.21.3", "softphone", "MicroSIP"),
        ("Linphone Desktop/5.2.0 (Ubuntu 22.04)", "softphone", "Linphone"),
        ("AcmePhone", "softphone", "AcmePhone"),
        ("Zoiper rv2.10.20 for Android", "phone_app", "Zoiper"),
        ("Groundwire/24.1 (iOS 17.2)", "phone_app", "Groundwire"),
        ("pjsua-test-agent/bram", "softphone", None),
        ("PJSUA v2.14 Linux", "softphone", None),
        ("Acme Studios Thing", "phone", None),
        (None, "phone", None),
        ("", "phone", None),
    ],
)
def test_a_phone_is_named_from_its_user_agent(agent: str | None, kind: str, model: str) -> None:
    assert describe(agent) == (kind, model)


def test_the_apps_own_registration_is_left_out() -> None:
    own = _device("a", "<sip:201@127.0.0.1:40123;ob>", "AcmePhone")
    desk = _device("b", "<sip:201@192.168.1.20:5060>", "Yealink SIP-T54W 96.86.0.100")
    v6 = _device("c", "<sip:201@[::1]:40123>", None)
    assert is_own_device(own, {40123}, "AcmePhone")
    assert is_own_device(v6, {40123}, "AcmePhone")  # no user agent: the port decides
    assert not is_own_device(own, {40123}, "OtherApp")  # another app on the same port
    assert not is_own_device(desk, {40123}, None)
    assert not is_own_device(_device("d", "<sip:201@10.0.0.1>", None), {5060}, None)
    choices = move_choices([desk, own], {40123}, None, None)
    assert choices == [MoveChoice("desk_phone", "Yealink T54W", device_id="b")]


def test_choices_are_the_other_phones_then_the_mobile() -> None:
    desk = _device("b", "<sip:201@192.168.1.20:5060>", "snomD785/10.1")
    soft = _device("c", "<sip:201@192.168.1.30:5080>", "Z 5.6.1 Zoiper")
    assert move_choices([soft, desk], set(), None, "+31612345678") == [
        MoveChoice("softphone", "Zoiper", device_id="c"),
        MoveChoice("desk_phone", "Snom D785", device_id="b"),
        MoveChoice("mobile", number="+31612345678"),
    ]
    assert move_choices([], set(), None, None) == []  # Move is disabled
    assert move_choices([], set(), None, "") == []


def test_a_device_row_parses_or_names_the_bad_field() -> None:
    row: dict[str, object] = {
        "id": "3f2a",
        "contact": "<sip:201@10.0.0.7:5060>",
        "user_agent": None,
        "transport": "udp",
        "expires_at": "2026-12-03T17:00:00+00:00",
    }
    assert Device.from_api(row) == Device("3f2a", "<sip:201@10.0.0.7:5060>", None, "udp", _EXPIRES)
    with pytest.raises(ValueError, match="device: id must be a non-empty string"):
        Device.from_api({**row, "id": ""})
    with pytest.raises(ValueError, match="device: expires_at must be an ISO-8601 time"):
        Device.from_api({**row, "expires_at": "soon"})
    with pytest.raises(ValueError, match="device: user_agent must be a string or null"):
        Device.from_api({**row, "user_agent": 5})


def _row(call_id: str, caller: str, callee: str, answered: bool = True) -> dict[str, object]:
    parties = [{"extension": caller, "state": "answered"}, {"extension": callee, "state": "x"}]
    return {
        "call_id": call_id,
        "caller": caller,
        "callee": callee,
        "answered": answered,
        "parties": parties,
    }


def test_the_pbx_call_is_found_by_the_other_party() -> None:
    rows = [_row("c-1", "201", "202"), _row("c-2", "+31612345678", "201")]
    assert pbx_call_id(rows, "201", "202") == "c-1"
    assert pbx_call_id(rows, "201", "0612345678") == "c-2"  # national and E.164 agree
    assert pbx_call_id(rows, "201", "203") is None
    assert pbx_call_id([_row("c-3", "201", "202", answered=False)], "201", "202") is None
    twice = [_row("c-1", "201", "202"), _row("c-4", "202", "201")]
    assert pbx_call_id(twice, "201", "202") is None  # ambiguous: no guess
    assert pbx_call_id([{"call_id": 5}], "201", "202") is None


def _connected_model() -> CallModel:
    model = CallModel(lambda _n: None)
    model.calls.append(ActiveCall("k1", "outgoing", "202", "Bram", "connected", connected_at=1.0))
    return model


def test_a_move_through_the_server_completes_when_the_call_ends() -> None:
    model = _connected_model()
    desk = MoveChoice("desk_phone", "Yealink T54W", device_id="d1")
    assert model.note_move("k1", desk) is not None
    call = model.get("k1")
    assert call is not None and (call.transfer_kind, call.transfer) == ("move", "transferring")
    ended = CallStateChanged(CallId("k1"), "disconnected", 200, "OK", "sip:202@pbx", "", False)
    model.apply(ended, 5.0)
    call = model.get("k1")
    assert call is not None and call.state == "ended" and call.transfer == "transferred"


def test_a_refused_move_keeps_the_call() -> None:
    model = _connected_model()
    model.note_move("k1", MoveChoice("softphone", None, device_id="d2"))
    model.move_refused("k1", 409)
    call = model.get("k1")
    assert call is not None and call.live
    assert (call.transfer, call.transfer_code) == ("failed", 409)
    assert model.note_move("nope", MoveChoice("phone", device_id="x")) is None
    assert model.move_refused("nope", 409) is None


def test_the_store_keeps_the_rows_that_parse() -> None:
    from app.controllers.devices import parse_devices
    from app.stores.devices import DevicesStore

    good: dict[str, object] = {
        "id": "a1",
        "contact": "<sip:201@10.0.0.7:5060>",
        "user_agent": "snomD785/10.1",
        "transport": "tcp",
        "expires_at": "2026-12-03T17:00:00Z",
    }
    devices = parse_devices([good, {"id": "broken"}])
    assert [d.id for d in devices] == ["a1"]
    store = DevicesStore()
    seen: list[object] = []
    store.hub.subscribe(lambda changes: seen.append(changes.names))
    store.set_devices(devices)
    store.set_devices(list(devices))  # the same list again: nothing to announce
    assert seen == [frozenset({"devices"})]
