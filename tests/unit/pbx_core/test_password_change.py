from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from pbx_core.accounts import Accounts
from pbx_core.errors import AuthError
from pbx_core.password_policy import NO_DIGIT, NO_UPPER, PasswordPolicyError
from pbx_core.store import Store

_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    yield s
    s.close()


@pytest.fixture
def accounts(store: Store) -> Accounts:
    a = Accounts(store, "acme.local", hasher=_FAST)
    a.create_user(
        extension="201", display_name="Anna", email="anna@acme.example", password="Demo-201!"
    )
    return a


def test_creating_a_user_applies_the_policy(accounts: Accounts) -> None:
    with pytest.raises(PasswordPolicyError) as raised:
        accounts.create_user(
            extension="202", display_name="B", email="b@acme.example", password="weakpass"
        )
    assert NO_DIGIT in raised.value.problems and NO_UPPER in raised.value.problems


async def test_change_sets_the_login_and_the_sip_password(
    store: Store, accounts: Accounts, store_url: str
) -> None:
    user = accounts.user("201")
    await accounts.change_password(user, "Demo-201!", "New-pass-7")
    assert (await accounts.authenticate("201", "New-pass-7")).extension == "201"
    with pytest.raises(AuthError):
        await accounts.authenticate("201", "Demo-201!")
    creds = store.sip_credentials("201")
    assert creds is not None
    assert creds.ha1_md5 == hashlib.md5(b"201:acme.local:New-pass-7").hexdigest()
    assert creds.ha1_sha256 == hashlib.sha256(b"201:acme.local:New-pass-7").hexdigest()
    await store.aio.drain()
    store.close()
    reopened = Store(store_url)
    reopened.open()
    try:
        again = reopened.sip_credentials("201")
        assert again is not None and again.ha1_md5 == creds.ha1_md5
    finally:
        reopened.close()
    store.open()


async def test_wrong_current_or_weak_new_changes_nothing(store: Store, accounts: Accounts) -> None:
    user = accounts.user("201")
    before = store.sip_credentials("201")
    with pytest.raises(AuthError, match="the current password is wrong"):
        await accounts.change_password(user, "Demo-202!", "New-pass-7")
    with pytest.raises(PasswordPolicyError) as raised:
        await accounts.change_password(user, "Demo-201!", "new-pass")
    assert raised.value.problems == [NO_DIGIT, NO_UPPER]
    assert store.sip_credentials("201") == before
    assert (await accounts.authenticate("201", "Demo-201!")).extension == "201"
