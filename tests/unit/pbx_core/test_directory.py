from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from pbx_core.accounts import Accounts
from pbx_core.bus import EventBus
from pbx_core.demo import load_demo
from pbx_core.directory import Directory, normalise_number
from pbx_core.presence import PresenceService
from pbx_core.store import Store

_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    assert load_demo(s, Accounts(s, "acme.local", hasher=_FAST))
    yield s
    s.close()


@pytest.fixture
def presence(store: Store) -> PresenceService:
    return PresenceService(store, EventBus())


@pytest.fixture
def directory(store: Store, presence: PresenceService) -> Directory:
    lines = {"202": "busy"}
    return Directory(
        store, presence, lambda ext: lines.get(ext, "idle"), is_registered=lambda ext: ext == "202"
    )


async def _users(directory: Directory, q: str) -> list[str]:
    return [u.user.extension for u in (await directory.search(q)).users]


async def _contacts(directory: Directory, q: str) -> list[str]:
    return [c.name for c in (await directory.search(q)).contacts]


async def test_blank_query_lists_everything(directory: Directory) -> None:
    result = await directory.search("")
    assert [u.user.extension for u in result.users] == ["201", "202", "203", "204", "205"]
    assert len(result.contacts) == 6
    assert [(s.extension, s.name) for s in result.services] == [("9000", "Echo test")]


@pytest.mark.parametrize(
    ("q", "users"),
    [
        ("anna", ["201"]),
        ("de vries", ["201"]),
        ("support", ["202", "203"]),
        ("SUPPORT chris", ["203"]),
        ("eva.smit@", ["205"]),
        ("20", ["201", "202", "203", "204", "205"]),
        ("nobody", []),
    ],
)
async def test_users_match_name_department_email_or_extension(
    directory: Directory, q: str, users: list[str]
) -> None:
    assert await _users(directory, q) == users


@pytest.mark.parametrize(
    ("q", "contacts"),
    [
        ("nordlys", ["Lars Nielsen"]),
        ("mette", ["Mette Jensen"]),
        ("+31 20 555 0134", ["Jan Visser"]),
        ("020-5550134", ["Jan Visser"]),
        ("0031 6 1234", ["Jan Visser"]),
        ("+45 33", ["Lars Nielsen", "Mette Jensen"]),
        ("3391 2240", ["Mette Jensen"]),
        ("amstel", ["Amstel Kantoorinrichting B.V."]),
    ],
)
async def test_contacts_match_name_company_or_number_ignoring_format(
    directory: Directory, q: str, contacts: list[str]
) -> None:
    assert sorted(await _contacts(directory, q)) == contacts


async def test_users_carry_presence_and_line_state(
    directory: Directory, presence: PresenceService
) -> None:
    await presence.set("202", "lunch")
    (bram,) = (await directory.search("bram")).users
    assert (bram.presence.status, bram.line_state) == ("lunch", "busy")
    (anna,) = (await directory.search("anna")).users
    assert (anna.presence.status, anna.line_state) == ("available", "idle")


async def test_echo_test_is_found_by_name_and_number(directory: Directory) -> None:
    assert [s.name for s in (await directory.search("echo")).services] == ["Echo test"]
    assert [s.name for s in (await directory.search("9000")).services] == ["Echo test"]
    assert (await directory.search("anna")).services == ()


@pytest.mark.parametrize(
    ("number", "name"),
    [
        ("201", "Anna de Vries"),
        ("9000", "Echo test"),
        ("+4533123456", "Lars Nielsen, Nordlys ApS"),
        ("0205550134", "Jan Visser, Visser Logistiek B.V."),
        ("+31208203040", "Amstel Kantoorinrichting B.V."),
        ("+31612000000", None),
        ("abc", None),
    ],
)
async def test_name_for_number(directory: Directory, number: str, name: str | None) -> None:
    assert await directory.name_for_number(number) == name


def test_normalise_number() -> None:
    assert normalise_number("+45 33 12 34 56") == "+4533123456"
    assert normalise_number("020 794 1200") == "+31207941200"
    assert normalise_number("201") == "201"
    with pytest.raises(ValueError, match="not a valid phone number: '\\+31 20 12'"):
        normalise_number("+31 20 12")
    with pytest.raises(ValueError, match="not a phone number: 'hello'"):
        normalise_number("hello")


async def test_users_say_whether_a_phone_is_registered(
    directory: Directory, store: Store, presence: PresenceService
) -> None:
    users = {u.user.extension: u for u in (await directory.search("support")).users}
    assert (users["202"].registered, users["203"].registered) == (True, False)
    unknown = Directory(store, presence, lambda ext: "idle")
    assert {u.registered for u in (await unknown.search("")).users} == {None}
