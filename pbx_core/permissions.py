"""Who may do what: the roles, the permissions and the one table that joins them (seed 004
"Brugergrupper", "Rettigheder", "Opkald - Indtrækning", "Opkald - indtrængning").

Every user holds the role ``user``; a user's stored roles may add ``agent``, ``supervisor`` and
``admin`` (other stored names are user groups for address books, not roles). A permission is
held with a scope, the widest any of the user's roles gives:

- ``own``: the user's own things only (their mailbox, recordings, contacts);
- ``department``: the user's own and those of colleagues of the same department, the user group
  of the demo organisation (pickup and intrusion within the group: "everyone picks up calls of
  their own department");
- ``organisation``: anyone's, and the organisation's own settings.

:func:`allowed` is the only decision; the call machine, the notifier, the address books, the
voicemail service and the API ask it. The table is drawn in docs/permissions.md.

Pure: no store, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, Protocol

__all__ = [
    "RULES",
    "WHAT",
    "Member",
    "Permission",
    "Role",
    "Scope",
    "allowed",
    "groups_of",
    "member_of",
    "reach",
    "roles_of",
    "scope_of",
]


class Role(StrEnum):
    """What a user is in the organisation (seed 004 "Roller", "ACD-supervisor")."""

    USER = "user"  # every signed-in user
    AGENT = "agent"  # answers calls of queues (ACD groups)
    SUPERVISOR = "supervisor"  # leads agents: listens to and coaches their calls
    ADMIN = "admin"  # the organisation's administrator ("OrgAdmin")


class Scope(StrEnum):
    """How far a permission reaches, narrowest first."""

    OWN = "own"
    DEPARTMENT = "department"
    ORGANISATION = "organisation"


class Permission(StrEnum):
    """Every right the PBX checks."""

    PICK_UP = "pick_up"  # a colleague's ringing call: *8*, *9*<ext>*, POST /pickup
    PICK_UP_PARKED = "pick_up_parked"  # a parked call: 70xx, POST /parked/{slot}/pickup
    INTRUDE = "intrude"  # break into a colleague's call: *65*<ext>*
    MONITOR = "monitor"  # listen to or whisper into an agent's call
    JOIN_QUEUE = "join_queue"  # sign in to a queue and answer its calls
    SEE_PRESENCE = "see_presence"  # a colleague's presence and line (BLF, directory, events)
    READ_VOICEMAIL = "read_voicemail"  # a personal mailbox: messages and message-waiting
    READ_GROUP_INBOX = "read_group_inbox"  # a department's group inbox
    READ_RECORDING = "read_recording"  # a call recording: list, listen, delete
    SEE_EVERY_ADDRESS_BOOK = "see_every_address_book"  # company contacts of every group
    MANAGE_GROUP_INBOXES = "manage_group_inboxes"  # create, move and remove group inboxes
    MANAGE_ORG_ROUTING = "manage_org_routing"  # the organisation's routing rules
    MANAGE_USERS = "manage_users"  # list the users and change their roles
    SEE_PLANS = "see_plans"  # a colleague's planned statuses (their calendar)
    MANAGE_ADDRESS_BOOKS = "manage_address_books"  # company address books and who sees them
    MANAGE_QUEUES = "manage_queues"  # every queue: its settings, agents, calls and statistics


WHAT: Final[dict[Permission, str]] = {
    Permission.PICK_UP: "pick up a colleague's ringing call",
    Permission.PICK_UP_PARKED: "pick up a parked call",
    Permission.INTRUDE: "break into a colleague's call",
    Permission.MONITOR: "listen to or whisper into an agent's call",
    Permission.JOIN_QUEUE: "sign in to a queue",
    Permission.SEE_PRESENCE: "see a colleague's presence",
    Permission.READ_VOICEMAIL: "read a mailbox",
    Permission.READ_GROUP_INBOX: "read a group inbox",
    Permission.READ_RECORDING: "read a recording",
    Permission.SEE_EVERY_ADDRESS_BOOK: "see the company contacts of every group",
    Permission.MANAGE_GROUP_INBOXES: "change group inboxes",
    Permission.MANAGE_ORG_ROUTING: "change the organisation's routing rules",
    Permission.MANAGE_USERS: "manage the users and their roles",
    Permission.SEE_PLANS: "see a colleague's planned statuses",
    Permission.MANAGE_ADDRESS_BOOKS: "change the company address books",
    Permission.MANAGE_QUEUES: "manage the queues",
}
"""What each permission lets a user do, as refusals and docs say it ("you may not …")."""

_U, _D, _O = Scope.OWN, Scope.DEPARTMENT, Scope.ORGANISATION
_EVERYONE: Final = (Role.USER, Role.AGENT, Role.SUPERVISOR, Role.ADMIN)


def _each(scope: Scope) -> dict[Role, Scope]:
    return dict.fromkeys(_EVERYONE, scope)


RULES: Final[dict[Permission, dict[Role, Scope]]] = {
    Permission.PICK_UP: {**_each(_D), Role.ADMIN: _O},
    Permission.PICK_UP_PARKED: _each(_O),
    Permission.INTRUDE: {**_each(_D), Role.ADMIN: _O},
    Permission.MONITOR: {Role.SUPERVISOR: _D, Role.ADMIN: _O},
    Permission.JOIN_QUEUE: {Role.AGENT: _U, Role.SUPERVISOR: _U},
    Permission.SEE_PRESENCE: _each(_O),
    Permission.READ_VOICEMAIL: _each(_U),
    Permission.READ_GROUP_INBOX: _each(_D),
    Permission.READ_RECORDING: _each(_U),
    Permission.SEE_EVERY_ADDRESS_BOOK: {Role.ADMIN: _O},
    Permission.MANAGE_GROUP_INBOXES: {Role.ADMIN: _O},
    Permission.MANAGE_ORG_ROUTING: {Role.ADMIN: _O},
    Permission.MANAGE_USERS: {Role.ADMIN: _O},
    Permission.SEE_PLANS: {**_each(_U), Role.SUPERVISOR: _D, Role.ADMIN: _O},
    Permission.MANAGE_ADDRESS_BOOKS: {Role.ADMIN: _O},
    Permission.MANAGE_QUEUES: {Role.ADMIN: _O},
}
"""Permission → the scope each role holds it with; a role not named lacks it. The one
definition: nothing else in the PBX grants or refuses a right."""


@dataclass(frozen=True, slots=True)
class Member:
    """Someone of the organisation who acts or is acted on: a user (an extension), or a group
    inbox (its number and department). ``roles`` always holds ``user`` for a user."""

    extension: str
    department: str | None = None
    roles: frozenset[Role] = field(default_factory=lambda: frozenset({Role.USER}))
    groups: frozenset[str] = frozenset()
    """User groups beyond the department (stored role names that are no role, set by the
    administrator): members of a group share the ``department`` scope, e.g. a pickup group."""


class _UserLike(Protocol):
    @property
    def extension(self) -> str: ...

    @property
    def department(self) -> str | None: ...

    @property
    def roles(self) -> tuple[str, ...]: ...


def roles_of(names: Iterable[str]) -> frozenset[Role]:
    """The roles among stored role names (``user`` always; other names are user groups)."""
    known = {r.value: r for r in Role}
    return frozenset({Role.USER, *(known[n] for n in names if n in known)})


def member_of(user: _UserLike) -> Member:
    """A stored user as :func:`allowed` sees them."""
    known = {r.value for r in Role}
    groups = frozenset(name for name in user.roles if name not in known)
    return Member(user.extension, user.department, roles_of(user.roles), groups)


def groups_of(user: _UserLike) -> frozenset[str]:
    """The user groups a user belongs to: their department and every stored role name (an
    address book restricted to groups shows its contacts to their members)."""
    return frozenset(g for g in (user.department, *user.roles) if g)


def scope_of(actor: Member, permission: Permission) -> Scope | None:
    """The widest scope any of ``actor``'s roles holds ``permission`` with (None: not held)."""
    rule = RULES[permission]
    held = [rule[r] for r in actor.roles if r in rule]
    order = list(Scope)
    return max(held, key=order.index) if held else None


def allowed(actor: Member, permission: Permission, target: Member | None = None) -> bool:
    """May ``actor`` do ``permission`` to ``target`` (a user, or a group inbox)? ``None``: to
    the organisation itself (its settings), which takes the organisation scope."""
    scope = scope_of(actor, permission)
    if scope is None:
        return False
    if scope is Scope.ORGANISATION:
        return True
    if target is None:
        return False
    if target.extension == actor.extension:
        return True
    if scope is not Scope.DEPARTMENT:
        return False
    return _colleagues(actor, target.department, target.groups)


def _colleagues(actor: Member, department: str | None, names: Iterable[str]) -> bool:
    """The department scope's rule: the same department, or a user group in common (``names``
    may be all of the other's stored role names: the actor's groups hold no role names)."""
    same_department = actor.department is not None and actor.department == department
    return same_department or not actor.groups.isdisjoint(names)


def reach(
    actor: Member, permission: Permission, others: Iterable[_UserLike]
) -> tuple[str, ...] | None:
    """The extensions of the users ``others`` (not the actor's own) that ``actor`` may do
    ``permission`` to, e.g. whose ringing calls they may pick up; None: anyone's (the
    organisation scope). The same rule as :func:`allowed`, cheap enough for every user."""
    scope = scope_of(actor, permission)
    if scope is Scope.ORGANISATION:
        return None
    if scope is not Scope.DEPARTMENT:
        return ()
    return tuple(
        o.extension
        for o in others
        if o.extension != actor.extension and _colleagues(actor, o.department, o.roles)
    )
