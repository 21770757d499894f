"""The voicemail store's new fields: each message's inbox and call_id from the API, a missed
call matched to its message by call_id (caller and time only without one), the group inboxes
and the personal assistance number."""

from __future__ import annotations

import datetime as dt

from app.stores.voicemail import VoicemailMessage, VoicemailStore, match_call

T0 = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def _row(ident: int, caller: str, seconds: int, **extra: object) -> dict[str, object]:
    at = (T0 + dt.timedelta(seconds=seconds)).isoformat()
    row: dict[str, object] = {
        "id": ident,
        "caller": caller,
        "caller_name": None,
        "received_at": at,
        "duration_s": 4.0,
        "heard": False,
    }
    return row | extra


def test_inbox_and_call_id_are_parsed() -> None:
    group = VoicemailMessage.from_api(_row(1, "201", 30, inbox="Support", call_id="abc@pbx"))
    assert (group.inbox, group.call_id) == ("Support", "abc@pbx")
    old = VoicemailMessage.from_api(_row(2, "201", 30))
    assert (old.inbox, old.call_id) == ("personal", None)


def test_a_missed_call_matches_its_message_by_call_id() -> None:
    first = VoicemailMessage.from_api(_row(1, "201", 40, call_id="one"))
    second = VoicemailMessage.from_api(_row(2, "201", 60, call_id="two"))
    messages = [first, second]
    assert match_call(messages, "201", T0 + dt.timedelta(seconds=50), "one") == first
    assert match_call(messages, "201", T0, "two") == second
    assert match_call(messages, "201", T0, "three") is None  # that call left none
    assert match_call(messages, "201", T0) == first  # no call_id: caller and time
    legacy = [VoicemailMessage.from_api(_row(3, "201", 40))]
    assert match_call(legacy, "201", T0, "one") == legacy[0]  # an older PBX: caller and time


def test_group_inboxes_and_the_assistance_number() -> None:
    store = VoicemailStore()
    seen: list[object] = []
    store.changed.connect(seen.append)
    store.set_inboxes({"Support": "9102"})
    assert store.inboxes == ["personal", "Support"] and store.group_number("Support") == "9102"
    store.set_settings(True, False, "204")
    assert store.assistance_number == "204" and seen[-1] == {"settings"}
    store.for_call("201", T0, "x")
    store.clear()
    assert store.inboxes == ["personal"] and store.group_numbers == frozenset()
