"""The administrator's users and roles on a real demo server process: the list, a change of a
user's roles that takes effect at once, and what is refused (not an admin, no such user, the
organisation's last administrator, a name that is no role or group)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import bearer, login
from tests.support.server_process import RunningServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("users"), demo=True)
    yield running
    running.stop()


def test_the_admin_lists_users_and_changes_roles(server: RunningServer, tmp_path: Path) -> None:
    del tmp_path
    with httpx.Client(base_url=server.base_url, timeout=10) as api:
        eva = bearer(login(api, "205", "Demo-205!"))
        anna = bearer(login(api, "201", "Demo-201!"))
        listed = api.get("/api/v1/users", headers=eva)
        assert listed.status_code == 200, listed.text
        by_ext = {u["extension"]: u for u in listed.json()}
        assert by_ext["205"]["roles"] == ["admin", "user"]
        assert by_ext["201"] == {
            "id": by_ext["201"]["id"], "extension": "201", "name": "Anna de Vries",
            "email": "anna.devries@acme.example", "department": "Sales", "roles": ["user"],
        }  # fmt: skip

        refused = api.get("/api/v1/users", headers=anna)
        assert refused.status_code == 403 and "Anna" not in refused.text
        made = api.put("/api/v1/users/201/roles", json={"roles": ["supervisor"]}, headers=eva)
        assert made.status_code == 200 and made.json()["roles"] == ["supervisor", "user"]
        assert api.get("/api/v1/me", headers=anna).json()["roles"] == ["supervisor", "user"]
        made = api.put("/api/v1/users/201/roles", json={"roles": ["admin"]}, headers=eva)
        assert made.status_code == 200
        assert api.get("/api/v1/users", headers=anna).status_code == 200  # at once

        # the last administrator cannot give the role away; with a second one they can
        api.put("/api/v1/users/201/roles", json={"roles": []}, headers=eva)
        last = api.put("/api/v1/users/205/roles", json={"roles": []}, headers=eva)
        assert last.status_code == 409 and "administrator" in last.json()["message"]
        nobody = api.put("/api/v1/users/999/roles", json={"roles": []}, headers=eva)
        assert nobody.status_code == 404
        bad = api.put("/api/v1/users/201/roles", json={"roles": ["Admin!"]}, headers=eva)
        assert bad.status_code == 422
        assert api.get("/api/v1/me", headers=anna).json()["roles"] == ["user"]
