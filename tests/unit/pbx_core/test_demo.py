from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher

from pbx_core.accounts import Accounts
from pbx_core.demo import DEMO_USERS, demo_password, load_demo
from pbx_core.store import Store

_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


async def test_demo_loads_once_and_its_passwords_work(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'pbx.sqlite3'}")
    store.open()
    accounts = Accounts(store, "acme.local", hasher=_FAST)
    assert load_demo(store, accounts) is True
    assert load_demo(store, accounts) is False
    users = store.users()
    assert [(u.extension, u.display_name, u.department) for u in users] == [
        ("201", "Anna de Vries", "Sales"),
        ("202", "Bram Jansen", "Support"),
        ("203", "Chris Peters", "Support"),
        ("204", "Dana Bakker", "Reception"),
        ("205", "Eva Smit", "Management"),
    ]
    assert "admin" in users[4].roles and "admin" not in users[0].roles
    assert len(store.contacts()) == 6
    eva = await accounts.authenticate("eva.smit@acme.example", demo_password("205"))
    assert eva.extension == "205"
    assert demo_password("201") == "Demo-201!"
    assert all(n.number.startswith(("+31", "+45")) for c in store.contacts() for n in c.numbers)
    assert len(DEMO_USERS) == 5
    store.close()
