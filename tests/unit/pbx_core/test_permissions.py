"""The permission table and its one decision (pbx_core/permissions.py, docs/permissions.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pbx_core.permissions import (
    RULES,
    WHAT,
    Member,
    Permission,
    Role,
    Scope,
    allowed,
    groups_of,
    member_of,
    reach,
    roles_of,
    scope_of,
)
from pbx_core.store import UserRecord

P = Permission
_DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def _member(extension: str, department: str | None, *roles: Role) -> Member:
    return Member(extension, department, frozenset({Role.USER, *roles}))


ANNA = _member("201", "Sales")
BRAM = _member("202", "Support", Role.AGENT)
CHRIS = _member("203", "Support", Role.SUPERVISOR)
DANA = _member("204", "Reception")
EVA = _member("205", "Management", Role.ADMIN)
NOBODY = _member("206", None)


def test_every_permission_has_a_rule_and_a_description() -> None:
    assert set(RULES) == set(Permission) == set(WHAT)


def test_colleagues_of_a_department_pick_up_and_intrude_on_each_other() -> None:
    for permission in (P.PICK_UP, P.INTRUDE):
        assert allowed(CHRIS, permission, BRAM) and allowed(BRAM, permission, CHRIS)
        assert not allowed(DANA, permission, BRAM)
        assert not allowed(ANNA, permission, BRAM)
        assert allowed(EVA, permission, BRAM)  # the admin: anyone's
        assert not allowed(NOBODY, permission, _member("207", None))  # no department, no group


def test_a_user_group_the_admin_gives_is_a_pickup_group_across_departments() -> None:
    def stored(ext: str, department: str | None, *roles: str) -> Member:
        return member_of(UserRecord(int(ext), ext, f"User {ext}", f"{ext}@x", department, roles))

    dana = stored("204", "Reception", "user", "night-desk")
    anna = stored("201", "Sales", "user", "night-desk")
    bram = stored("202", "Support", "agent", "user")
    assert dana.groups == {"night-desk"} and bram.groups == frozenset()
    assert allowed(dana, P.PICK_UP, anna) and allowed(anna, P.INTRUDE, dana)
    assert not allowed(dana, P.PICK_UP, bram)  # no department or group in common
    assert not allowed(dana, P.READ_VOICEMAIL, anna)  # own scope: a group does not widen it
    assert allowed(stored("206", None, "night-desk"), P.PICK_UP, anna)


def test_a_supervisor_monitors_the_department_an_agent_or_user_nobody() -> None:
    assert allowed(CHRIS, P.MONITOR, BRAM)
    assert not allowed(CHRIS, P.MONITOR, ANNA)
    assert not allowed(BRAM, P.MONITOR, CHRIS)
    assert not allowed(ANNA, P.MONITOR, ANNA)
    assert allowed(EVA, P.MONITOR, ANNA)


def test_agents_and_supervisors_join_queues_for_themselves() -> None:
    assert allowed(BRAM, P.JOIN_QUEUE, BRAM) and allowed(CHRIS, P.JOIN_QUEUE, CHRIS)
    assert not allowed(BRAM, P.JOIN_QUEUE, CHRIS)
    assert not allowed(ANNA, P.JOIN_QUEUE, ANNA)


def test_mailboxes_and_recordings_are_their_owners_alone() -> None:
    for permission in (P.READ_VOICEMAIL, P.READ_RECORDING):
        assert allowed(ANNA, permission, ANNA)
        assert not allowed(ANNA, permission, DANA)
        assert not allowed(CHRIS, permission, BRAM)  # not even the department's supervisor
        assert not allowed(EVA, permission, ANNA)  # nor the admin


def test_a_group_inbox_is_read_by_its_department() -> None:
    support_inbox = Member("9102", "Support", frozenset())
    assert allowed(BRAM, P.READ_GROUP_INBOX, support_inbox)
    assert not allowed(ANNA, P.READ_GROUP_INBOX, support_inbox)
    assert not allowed(EVA, P.READ_GROUP_INBOX, support_inbox)


def test_organisation_settings_are_the_admins() -> None:
    for permission in (P.MANAGE_ORG_ROUTING, P.MANAGE_GROUP_INBOXES, P.SEE_EVERY_ADDRESS_BOOK):
        assert allowed(EVA, permission)
        for member in (ANNA, BRAM, CHRIS, DANA):
            assert not allowed(member, permission)


def test_everyone_sees_presence_and_picks_up_parked_calls() -> None:
    for member in (ANNA, BRAM, CHRIS, DANA, EVA):
        assert allowed(member, P.SEE_PRESENCE, DANA)
        assert allowed(member, P.PICK_UP_PARKED)


def test_an_own_scope_needs_a_target() -> None:
    assert scope_of(ANNA, P.READ_VOICEMAIL) is Scope.OWN
    assert not allowed(ANNA, P.READ_VOICEMAIL)


def test_the_widest_scope_of_the_roles_counts() -> None:
    assert scope_of(EVA, P.PICK_UP) is Scope.ORGANISATION
    assert scope_of(CHRIS, P.MONITOR) is Scope.DEPARTMENT
    assert scope_of(ANNA, P.MONITOR) is None


def test_reach_lists_whose_calls_one_may_pick_up_as_allowed_says() -> None:
    def stored(ext: str, department: str | None, *roles: str) -> UserRecord:
        return UserRecord(int(ext), ext, f"User {ext}", f"{ext}@x", department, roles)

    everyone = [
        stored("201", "Sales", "user", "night-desk"),
        stored("202", "Support", "agent", "user"),
        stored("203", "Support", "supervisor", "user"),
        stored("204", "Reception", "user", "night-desk"),
        stored("205", "Management", "admin", "user"),
        stored("206", None, "user"),
    ]
    members = {u.extension: member_of(u) for u in everyone}
    for actor in members.values():
        reached = reach(actor, P.PICK_UP, everyone)
        expected = [
            u.extension
            for u in everyone
            if u.extension != actor.extension and allowed(actor, P.PICK_UP, members[u.extension])
        ]
        assert reached is None or list(reached) == expected, actor
    assert reach(members["203"], P.PICK_UP, everyone) == ("202",)  # his department
    assert reach(members["201"], P.PICK_UP, everyone) == ("204",)  # the group across them
    assert reach(members["206"], P.PICK_UP, everyone) == ()  # no department, no group
    assert reach(members["205"], P.PICK_UP, everyone) is None  # the admin: anyone's
    assert reach(members["201"], P.MANAGE_USERS, everyone) == ()  # not held


def _user(roles: tuple[str, ...], department: str | None = "Sales") -> UserRecord:
    return UserRecord(1, "201", "Anna", "anna@acme.example", department, roles)


def test_stored_roles_become_roles_and_other_names_groups() -> None:
    assert roles_of(()) == {Role.USER}
    assert roles_of(("admin", "Purchasing")) == {Role.USER, Role.ADMIN}
    stored = _user(("supervisor", "Purchasing"))
    assert member_of(stored) == Member(
        "201", "Sales", frozenset({Role.USER, Role.SUPERVISOR}), frozenset({"Purchasing"})
    )
    assert groups_of(stored) == {"Sales", "supervisor", "Purchasing"}
    assert groups_of(_user((), None)) == set()


@pytest.mark.parametrize("permission", list(Permission))
def test_the_documented_table_is_the_table(permission: Permission) -> None:
    """docs/permissions.md has one row per permission: its scope for user, agent, supervisor
    and admin, "-" where the role lacks it."""
    row = re.search(rf"^\| `{permission.value}` \|(.*)\|\s*$", _DOC.read_text(), re.MULTILINE)
    assert row is not None, f"docs/permissions.md has no row for {permission.value}"
    cells = [c.strip() for c in row.group(1).split("|")]
    scopes = [cells[i] for i in range(1, 5)]  # after the description
    expected = [str(RULES[permission].get(role, "-")) for role in Role]
    assert scopes == expected
