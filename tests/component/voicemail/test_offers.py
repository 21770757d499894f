"""What a voicemail call offers, on a real store: "press 1" only with an assistance number,
"press 2" unless the user has no phone, neither key again once used; a group inbox offers
neither and says the group greeting; members read the group's messages, others do not."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pbx_core.bus import EventBus
from pbx_core.errors import NotFound
from pbx_core.events import CallEnded, VoicemailAnswered
from pbx_core.ids import CallId, LegId
from pbx_core.store import NewUser, Store
from pbx_core.voicemail.repository import GroupInbox
from pbx_core.voicemail.service import VoicemailOptions, VoicemailService
from pbx_core.voicemail.spoken import GROUP_GREETING
from tests.component.voicemail.test_mailbox import _recording


def _user(extension: str, department: str) -> NewUser:
    email = f"u{extension}@acme.example"
    return NewUser(
        extension, f"User {extension}", email, department, (), "x", "acme.local", "0" * 32, "0" * 64
    )


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'pbx.sqlite3'}")
    await store.aio.open()
    for extension, department in (("201", "Sales"), ("202", "Support"), ("203", "Support")):
        await store.aio.add_user(_user(extension, department))
    yield store
    await store.aio.close()


def _service(store: Store, tmp_path: Path, rerouted: list[tuple[str, str]]) -> VoicemailService:
    async def reroute(call_id: CallId, target: str) -> None:
        rerouted.append((str(call_id), target))

    return VoicemailService(
        store,
        EventBus(),
        tmp_path,
        VoicemailOptions(),
        leg_of=lambda leg_id: None,
        end_call=lambda call_id: None,
        reroute=reroute,
    )


def _call(mailbox: str, reason: str = "no-answer") -> VoicemailAnswered:
    return VoicemailAnswered(CallId("c1"), LegId("leg-1"), mailbox, "201", None, "deposit", reason)


async def test_the_keys_on_offer(store: Store, tmp_path: Path) -> None:
    rerouted: list[tuple[str, str]] = []
    service = _service(store, tmp_path, rerouted)
    await service.start()
    plain = await service.session_for(_call("202"))
    assert (plain.assistance, plain.bypass, plain.options) == (None, True, ("vm-press-2-bypass",))
    absent = await service.session_for(_call("202", "not-registered"))
    assert not absent.bypass  # nobody to ring again
    await service.set_assistance_number("202", "204")
    both = await service.session_for(_call("202"))
    assert both.options == ("vm-press-1-assist", "vm-press-2-bypass")

    service.reroute(CallId("c1"), "202", None)  # 2 was pressed; the call came back
    again = await service.session_for(_call("202", "again"))
    assert (again.assistance, again.bypass) == ("204", False)
    service.reroute(CallId("c1"), "202", "204")
    assert (await service.session_for(_call("202", "again"))).options == ()
    service.bus.publish(CallEnded(CallId("c1"), "201", "202", True, "hangup", None))
    assert (await service.session_for(_call("202"))).options != ()
    await service.set_assistance_number("202", None)
    assert await service.assistance_number("202") is None
    for task in list(service._tasks):
        await task
    assert rerouted == [("c1", "202"), ("c1", "204")]


async def test_a_group_inbox_offers_nothing_and_only_members_read_it(
    store: Store, tmp_path: Path
) -> None:
    service = _service(store, tmp_path, [])
    await service.start()
    await service.set_group(GroupInbox("9102", "Support"))
    group = await service.session_for(_call("9102", "group"))
    assert (group.greeting, group.options) == (GROUP_GREETING, ())
    kept = await service.store_message(
        "9102", "201", None, _recording(tmp_path, "g.wav", 5000), "call-7"
    )
    assert kept is not None and (kept.inbox, kept.call_id) == ("Support", "call-7")
    for member in ("202", "203"):
        listed = await service.inbox_messages(member)
        assert [(m.id, m.inbox) for m in listed] == [(kept.id, "Support")]
        assert await service.inbox_messages(member, "personal") == []
        assert len(await service.inbox_messages(member, "9102")) == 1
    assert service.counts("203") == (1, 0)  # the member's lamp
    assert await service.inbox_messages("201") == []
    with pytest.raises(NotFound):
        await service.set_heard("201", kept.id)
    await service.set_heard("203", kept.id)
    assert service.counts("202") == (0, 1)
    await service.set_group(GroupInbox("9103", "Support"))  # the department's inbox moves
    assert [g.number for g in service.groups.all()] == ["9103"]
    assert await service.remove_group("9103") and not await service.remove_group("9103")
    unknown = await service.session_for(dataclasses.replace(_call("9102"), mailbox="9102"))
    assert unknown.greeting == ("unavailable", "goodbye")
