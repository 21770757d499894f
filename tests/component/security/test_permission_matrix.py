"""Every route of the API is classified, and every right is enforced (docs/permissions.md).

``ROUTES`` names, for every method and path the app serves, what it takes: ``public`` (no
token), ``signed in`` (any user; what it shows or changes is the user's own, or the whole
organisation's to everyone), ``own`` (an item of the user's, by id: another user's is not found,
tests/component/security/test_others_items.py), or a permission. A route added without a row
fails :func:`test_every_route_is_classified`. A real PBX and its API over HTTP, a real store.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from pbx_core.config import PbxConfig
from pbx_core.demo import DEMO_USERS, demo_password
from pbx_core.pbx import Pbx
from pbx_core.permissions import WHAT, Member, Permission, allowed, member_of
from pbx_core.signaling.auth import build_authorization, parse_challenge
from pbx_core.signaling.message import SipRequest, make_response
from server.app import create_app
from server.deps import Requires
from tests.component.security._office import Office, forbidden_only, no_leak, office
from tests.component.security.sip_peer import Peer, new_peer
from tests.component.security.test_others_items import ITEM_ROUTES, fill

PUBLIC, SIGNED_IN, OWN = "public", "signed in", "own"
P = Permission

ROUTES: dict[tuple[str, str], str | Permission] = {
    ("GET", "/openapi.json"): PUBLIC,
    ("HEAD", "/openapi.json"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,
    ("HEAD", "/api/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("HEAD", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/api/health"): PUBLIC,
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("GET", "/api/v1/presence"): SIGNED_IN,  # lists only whom see_presence lets the user see
    ("GET", "/api/v1/me/presence"): SIGNED_IN,
    ("PUT", "/api/v1/me/presence"): SIGNED_IN,
    ("GET", "/api/v1/calls"): SIGNED_IN,
    ("DELETE", "/api/v1/calls/{call_id}"): OWN,
    ("GET", "/api/v1/active-calls"): SIGNED_IN,
    ("POST", "/api/v1/active-calls/{call_id}/transfer"): OWN,
    ("POST", "/api/v1/active-calls/{call_id}/attended-transfer"): OWN,
    ("GET", "/api/v1/me/devices"): SIGNED_IN,
    ("POST", "/api/v1/active-calls/{call_id}/move"): OWN,
    ("POST", "/api/v1/active-calls/{call_id}/conference"): OWN,
    ("GET", "/api/v1/parked"): SIGNED_IN,
    ("POST", "/api/v1/parked/{slot}/pickup"): P.PICK_UP_PARKED,
    ("POST", "/api/v1/pickup"): P.PICK_UP,  # per call: the PBX asks for the call it finds
    ("GET", "/api/v1/voicemail"): SIGNED_IN,
    ("GET", "/api/v1/voicemail/inboxes"): SIGNED_IN,
    ("GET", "/api/v1/voicemail/{message_id:int}/audio"): OWN,
    ("POST", "/api/v1/voicemail/{message_id:int}/heard"): OWN,
    ("PATCH", "/api/v1/voicemail/{message_id:int}"): OWN,
    ("DELETE", "/api/v1/voicemail/{message_id:int}"): OWN,
    ("GET", "/api/v1/voicemail/settings"): SIGNED_IN,
    ("PUT", "/api/v1/voicemail/settings"): SIGNED_IN,
    ("PUT", "/api/v1/voicemail/greeting"): SIGNED_IN,
    ("GET", "/api/v1/voicemail/greeting"): SIGNED_IN,
    ("DELETE", "/api/v1/voicemail/greeting"): SIGNED_IN,
    ("GET", "/api/v1/voicemail/groups"): SIGNED_IN,  # numbers and departments: no messages
    ("PUT", "/api/v1/voicemail/groups/{number}"): P.MANAGE_GROUP_INBOXES,
    ("DELETE", "/api/v1/voicemail/groups/{number}"): P.MANAGE_GROUP_INBOXES,
    ("WS", "/api/v1/events"): SIGNED_IN,  # each event only to whom it is for
    ("GET", "/api/v1/contacts"): SIGNED_IN,
    ("GET", "/api/v1/contacts/page"): SIGNED_IN,
    ("GET", "/api/v1/contacts/template"): SIGNED_IN,
    ("GET", "/api/v1/contacts/export"): SIGNED_IN,
    ("POST", "/api/v1/contacts/import"): SIGNED_IN,
    ("POST", "/api/v1/contacts"): SIGNED_IN,
    ("GET", "/api/v1/contacts/{contact_id}"): OWN,
    ("PUT", "/api/v1/contacts/{contact_id}"): OWN,
    ("PUT", "/api/v1/contacts/{contact_id}/type"): OWN,
    ("DELETE", "/api/v1/contacts/{contact_id}"): OWN,
    ("GET", "/api/v1/chats"): SIGNED_IN,
    ("POST", "/api/v1/chats"): SIGNED_IN,
    ("GET", "/api/v1/chats/search"): SIGNED_IN,
    ("GET", "/api/v1/chats/{conversation_id}"): OWN,
    ("PATCH", "/api/v1/chats/{conversation_id}"): OWN,
    ("POST", "/api/v1/chats/{conversation_id}/members"): OWN,
    ("DELETE", "/api/v1/chats/{conversation_id}/members/{extension}"): OWN,
    ("POST", "/api/v1/chats/{conversation_id}/leave"): OWN,
    ("GET", "/api/v1/chats/{conversation_id}/messages"): OWN,
    ("POST", "/api/v1/chats/{conversation_id}/messages"): OWN,
    ("POST", "/api/v1/chats/{conversation_id}/read"): OWN,
    ("POST", "/api/v1/chats/{conversation_id}/delivered"): OWN,
    ("POST", "/api/v1/chats/{conversation_id}/typing"): OWN,
    ("GET", "/api/v1/directory"): SIGNED_IN,
    ("GET", "/api/v1/directory/changes"): SIGNED_IN,
    ("GET", "/api/v1/me/forwarding"): SIGNED_IN,
    ("PUT", "/api/v1/me/forwarding"): SIGNED_IN,
    ("GET", "/api/v1/me/call-flows"): SIGNED_IN,
    ("PUT", "/api/v1/me/call-flows"): SIGNED_IN,
    ("GET", "/api/v1/me/routing-rules"): SIGNED_IN,
    ("PUT", "/api/v1/me/routing-rules"): SIGNED_IN,
    ("GET", "/api/v1/me/routing"): SIGNED_IN,
    ("GET", "/api/v1/org/routing-rules"): P.MANAGE_ORG_ROUTING,
    ("PUT", "/api/v1/org/routing-rules"): P.MANAGE_ORG_ROUTING,
    ("GET", "/api/v1/org/number-conversions"): P.MANAGE_ORG_ROUTING,
    ("PUT", "/api/v1/org/number-conversions"): P.MANAGE_ORG_ROUTING,
    ("GET", "/api/v1/org/allowed-destinations"): P.MANAGE_ORG_ROUTING,
    ("PUT", "/api/v1/org/allowed-destinations"): P.MANAGE_ORG_ROUTING,
    ("GET", "/api/v1/users"): P.MANAGE_USERS,
    ("GET", "/api/v1/address-books"): P.MANAGE_ADDRESS_BOOKS,
    ("PUT", "/api/v1/address-books/{name}"): P.MANAGE_ADDRESS_BOOKS,
    ("DELETE", "/api/v1/address-books/{name}"): P.MANAGE_ADDRESS_BOOKS,
    ("PUT", "/api/v1/users/{extension}/roles"): P.MANAGE_USERS,
    ("GET", "/api/v1/me/plans"): SIGNED_IN,
    ("GET", "/api/v1/users/{extension}/plans"): P.SEE_PLANS,
    ("POST", "/api/v1/me/plans"): SIGNED_IN,
    ("PUT", "/api/v1/me/plans/{plan_id:int}"): OWN,
    ("DELETE", "/api/v1/me/plans/{plan_id:int}"): OWN,
    ("POST", "/api/v1/calls/{call_id}/recording"): OWN,
    ("DELETE", "/api/v1/calls/{call_id}/recording"): OWN,
    ("GET", "/api/v1/recordings"): SIGNED_IN,
    ("GET", "/api/v1/recordings/{recording_id:int}/audio"): OWN,
    ("DELETE", "/api/v1/recordings/{recording_id:int}"): OWN,
    ("PUT", "/api/v1/me/password"): SIGNED_IN,
    ("GET", "/api/v1/me/sessions"): SIGNED_IN,
    # a queue's members, its supervisors and admins (manage_queues) only; to others not found
    ("GET", "/api/v1/queues"): SIGNED_IN,
    ("GET", "/api/v1/queues/{number}"): SIGNED_IN,
    ("PUT", "/api/v1/queues/{number}/agents/{extension}"): SIGNED_IN,
    ("GET", "/api/v1/queues/{number}/calls"): SIGNED_IN,
    ("GET", "/api/v1/queues/{number}/analytics"): SIGNED_IN,  # its supervisors and admins
    ("PUT", "/api/v1/queues/{number}/calls/{id}"): SIGNED_IN,
    ("GET", "/api/v1/org/queues"): P.MANAGE_QUEUES,
    ("PUT", "/api/v1/org/queues/{number}"): P.MANAGE_QUEUES,
    ("DELETE", "/api/v1/org/queues/{number}"): P.MANAGE_QUEUES,
    ("DELETE", "/api/v1/me/sessions/{session_id}"): OWN,
}

PER_CALL = {P.PICK_UP, P.SEE_PLANS}
"""Permissions decided per call (or user) found, not per route (the route only names it)."""

# a request of each organisation-wide route, with a body it would accept from an admin
_ORG_REQUESTS: dict[tuple[str, str], tuple[str, dict[str, Any] | None]] = {
    ("GET", "/api/v1/org/routing-rules"): ("/api/v1/org/routing-rules", None),
    ("PUT", "/api/v1/org/routing-rules"): (
        "/api/v1/org/routing-rules",
        {"time_zone": "Europe/Amsterdam", "required": [], "overridable": []},
    ),
    ("GET", "/api/v1/org/number-conversions"): ("/api/v1/org/number-conversions", None),
    ("PUT", "/api/v1/org/number-conversions"): (
        "/api/v1/org/number-conversions",
        {"conversions": []},
    ),
    ("GET", "/api/v1/org/allowed-destinations"): ("/api/v1/org/allowed-destinations", None),
    ("PUT", "/api/v1/org/allowed-destinations"): (
        "/api/v1/org/allowed-destinations",
        {"default": ["national"], "groups": {}},
    ),
    ("PUT", "/api/v1/voicemail/groups/{number}"): (
        "/api/v1/voicemail/groups/9107",
        {"department": "Reception"},
    ),
    ("DELETE", "/api/v1/voicemail/groups/{number}"): ("/api/v1/voicemail/groups/9102", None),
    ("POST", "/api/v1/parked/{slot}/pickup"): ("/api/v1/parked/7001/pickup", None),
    ("GET", "/api/v1/users"): ("/api/v1/users", None),
    ("GET", "/api/v1/address-books"): ("/api/v1/address-books", None),
    ("PUT", "/api/v1/address-books/{name}"): ("/api/v1/address-books/Suppliers", {"groups": []}),
    ("DELETE", "/api/v1/address-books/{name}"): ("/api/v1/address-books/Suppliers", None),
    ("PUT", "/api/v1/users/{extension}/roles"): ("/api/v1/users/204/roles", {"roles": ["user"]}),
    ("GET", "/api/v1/org/queues"): ("/api/v1/org/queues", None),
    ("PUT", "/api/v1/org/queues/{number}"): (
        "/api/v1/org/queues/1599",
        {"number": "1599", "name": "Night desk"},
    ),
    ("DELETE", "/api/v1/org/queues/{number}"): ("/api/v1/org/queues/1599", None),
}


CALL_ROUTES: tuple[tuple[str, str, object], ...] = (
    ("POST", "/api/v1/active-calls/{call_id}/transfer", {"to": "204"}),
    ("POST", "/api/v1/active-calls/{call_id}/attended-transfer", {"with_call_id": "x"}),
    ("POST", "/api/v1/active-calls/{call_id}/move", {"device_id": "x"}),
    ("POST", "/api/v1/active-calls/{call_id}/conference", {"with_call_id": "x"}),
    ("POST", "/api/v1/calls/{call_id}/recording", None),
    ("DELETE", "/api/v1/calls/{call_id}/recording", None),
)
"""Every route that names a call in progress of the user's (another user's call: 404 or 409)."""


def _served(app_routes: list[Any]) -> Iterator[tuple[tuple[str, str], Any]]:
    for context in iter_route_contexts(app_routes):
        route = context.original_route
        path = getattr(route, "path", None)
        assert isinstance(path, str), route
        for method in sorted(getattr(route, "methods", None) or {"WS"}):
            yield (method, path), route


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Any]:
    pbx = Pbx(PbxConfig(data_dir=tmp_path_factory.mktemp("routes") / "pbx", sip_port=0))
    return dict(_served(create_app(pbx).routes))


def _requires(dependant: Dependant) -> set[Permission]:
    found = {d.call.permission for d in dependant.dependencies if isinstance(d.call, Requires)}
    for sub in dependant.dependencies:
        found |= _requires(sub)
    return found


def test_every_route_is_classified(routes: dict[tuple[str, str], Any]) -> None:
    unclassified = sorted(set(routes) - set(ROUTES))
    assert not unclassified, f"classify these routes in ROUTES: {unclassified}"
    assert not sorted(set(ROUTES) - set(routes)), "ROUTES names routes the app does not serve"


def test_an_organisation_wide_permission_is_checked_by_the_route_itself(
    routes: dict[tuple[str, str], Any],
) -> None:
    for key, route in routes.items():
        need = ROUTES[key]
        dependant = getattr(route, "dependant", None)
        checked = _requires(dependant) if dependant is not None else set()
        if isinstance(need, Permission) and need not in PER_CALL:
            assert checked == {need}, f"{key} must depend on requires({need})"
        else:
            assert not checked, f"{key} checks {checked}; its row says {need!r}"


def test_every_own_route_is_tried_with_another_users_item() -> None:
    own = {key for key, need in ROUTES.items() if need == OWN}
    tried = {(method, template) for method, template, _ in (*ITEM_ROUTES, *CALL_ROUTES)}
    assert own == tried


def test_every_organisation_wide_route_has_a_request_to_refuse() -> None:
    org = {k for k, v in ROUTES.items() if isinstance(v, Permission) and v not in PER_CALL}
    assert org == set(_ORG_REQUESTS)


async def test_a_user_without_the_right_gets_403_and_nothing_more(tmp_path: Path) -> None:
    async with office(tmp_path / "pbx") as acme:
        admin = await acme.pbx.store.aio.user_by_extension("205")
        assert admin is not None
        async with acme.client("205") as eva:
            org_rules = (await eva.get("/api/v1/org/routing-rules")).json()
            zone = org_rules["time_zone"]
        for user in DEMO_USERS:
            member = member_of(user)
            async with acme.client(user.extension) as api:
                for key, (path, body) in _ORG_REQUESTS.items():
                    need = ROUTES[key]
                    assert isinstance(need, Permission)
                    answer = await api.request(key[0], path, json=body)
                    if allowed(member, need):
                        assert answer.status_code != 403, (user.extension, key, answer.text)
                        continue
                    forbidden_only(answer, f"you may not {WHAT[need]}")
                    no_leak(answer, zone, "Support", "9102")
        async with acme.client("205") as eva:  # nothing was changed by the refusals
            assert (await eva.get("/api/v1/org/routing-rules")).json() == org_rules


async def test_every_route_but_the_public_ones_wants_a_token(tmp_path: Path) -> None:
    values = {
        "call_id": "1",
        "extension": "201",
        "slot": "7001",
        "number": "9102",
        "name": "Suppliers",
    }
    values |= dict.fromkeys(("message_id", "recording_id", "contact_id", "plan_id"), "1")
    values |= {"conversation_id": "1", "session_id": "1", "id": "1"}
    async with office(tmp_path / "pbx") as acme, httpx.AsyncClient(base_url=acme.base_url) as api:
        for (method, template), need in ROUTES.items():
            if need == PUBLIC or method in ("WS", "HEAD"):
                continue
            answer = await api.request(method, fill(template, values))
            assert answer.status_code == 401, (method, template, answer.text)
            assert answer.json()["error"] == "unauthorized"


# -- pickup of a call ringing in another department ----------------------------------------


async def _register(peer: Peer, extension: str) -> None:
    answer = await peer.register(extension, demo_password(extension))
    assert answer.status == 200, answer.status


async def _call(peer: Peer, caller: str, callee: str) -> None:
    """``caller`` INVITEs ``callee`` (the challenge answered); the INVITE stays pending."""
    call_id = secrets.token_hex(8)
    peer.send(peer.invite_text(caller, callee, call_id=call_id, cseq=1))
    challenge = await peer.response(call_id=call_id)
    assert challenge.status == 401
    auth = build_authorization(
        parse_challenge(challenge.headers.get_lines("WWW-Authenticate")[0]),
        "INVITE",
        f"sip:{callee}@127.0.0.1:{peer.server[1]}",
        caller,
        demo_password(caller),
        cnonce=secrets.token_hex(4),
    )
    peer.send(peer.invite_text(caller, callee, call_id=call_id, cseq=2, auth=auth))


async def _ring(phone: Peer) -> None:
    """The phone answers the PBX's INVITE with 180 Ringing."""
    while True:
        message = await phone.next(10)
        if isinstance(message, SipRequest) and message.method == "INVITE":
            phone.send_raw(bytes(make_response(message, 180, to_tag=secrets.token_hex(4))))
            return


async def test_another_departments_ringing_call_is_refused_and_stays_unseen(
    tmp_path: Path,
) -> None:
    async with office(tmp_path / "pbx") as acme:
        port = acme.pbx.telephony.sip_udp_port
        a_side, anna = await new_peer(port)
        b_side, bram = await new_peer(port)
        try:
            await _register(bram, "202")
            await _call(anna, "201", "202")
            await _ring(bram)
            async with acme.client("201") as caller:
                for _ in range(100):
                    calls = (await caller.get("/api/v1/active-calls")).json()
                    if calls:
                        break
                    await asyncio.sleep(0.05)
            call_id = calls[0]["call_id"]
            secrets_of_the_call = (call_id, "Anna de Vries")
            await _others_call_is_not_theirs(acme, call_id, secrets_of_the_call)
        finally:
            a_side.close()
            b_side.close()


async def _others_call_is_not_theirs(acme: Office, call_id: str, hidden: tuple[str, ...]) -> None:
    dana = member_of(DEMO_USERS[3])
    assert not allowed(dana, P.PICK_UP, Member("202", "Support"))
    async with acme.client("204") as api:  # Reception: not Support's calls
        directed = await api.post("/api/v1/pickup", json={"extension": "202"})
        forbidden_only(directed, "you may not pick up calls for 202")
        group = await api.post("/api/v1/pickup", json={})
        assert group.status_code == 404  # Support's ringing call is not in Dana's group
        no_leak(group, *hidden)
        assert (await api.get("/api/v1/active-calls")).json() == []
        for method, template, body in CALL_ROUTES:
            path = fill(template, {"call_id": call_id})
            answer = await api.request(method, path, json=body)
            assert answer.status_code in (404, 409), (path, answer.text)
            no_leak(answer, "Anna de Vries", "Bram Jansen")
    async with acme.client("203") as chris:  # Support: a colleague's call, taken
        assert (await chris.post("/api/v1/pickup", json={"extension": "202"})).status_code == 202
