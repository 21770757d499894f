from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from pbx_core.accounts import Accounts
from pbx_core.errors import AuthError, NotFound
from pbx_core.store import Store

# Cheap argon2 parameters: the tests check behaviour, not the cost.
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
        extension="201",
        display_name="Anna de Vries",
        email="anna.devries@acme.example",
        password="Demo-201!",
        department="Sales",
    )
    return a


def test_password_is_stored_as_argon2_and_ha1_only(store: Store, accounts: Accounts) -> None:
    record = store.login_record("201")
    assert record is not None
    assert record.password_hash.startswith("$argon2id$")
    assert "Demo-201!" not in record.password_hash
    creds = store.sip_credentials("201")
    assert creds is not None
    assert creds.ha1_md5 == hashlib.md5(b"201:acme.local:Demo-201!").hexdigest()
    assert creds.ha1_sha256 == hashlib.sha256(b"201:acme.local:Demo-201!").hexdigest()


async def test_login_with_extension_or_email(accounts: Accounts) -> None:
    by_ext = await accounts.authenticate("201", "Demo-201!")
    by_mail = await accounts.authenticate(" Anna.deVries@acme.example ", "Demo-201!")
    assert by_ext.extension == by_mail.extension == "201"


@pytest.mark.parametrize(
    ("login", "password"), [("201", "demo-201!"), ("201", ""), ("299", "Demo-201!")]
)
async def test_wrong_credentials_raise_auth_error(
    accounts: Accounts, login: str, password: str
) -> None:
    with pytest.raises(AuthError, match=r"^wrong user name or password$"):
        await accounts.authenticate(login, password)


async def test_outdated_hash_is_replaced_after_login(store: Store, accounts: Accounts) -> None:
    stronger = Accounts(
        store, "acme.local", hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    )
    await stronger.authenticate("201", "Demo-201!")
    record = store.login_record("201")
    assert record is not None
    assert "t=2" in record.password_hash
    assert (await stronger.authenticate("201", "Demo-201!")).extension == "201"


def test_bad_extension_and_lookup(accounts: Accounts) -> None:
    with pytest.raises(ValueError, match="extension must be digits: 'x1'"):
        accounts.create_user(extension="x1", display_name="X", email="x@a", password="p")
    assert accounts.user("201").display_name == "Anna de Vries"
    with pytest.raises(NotFound, match="no user with extension 299"):
        accounts.user("299")
