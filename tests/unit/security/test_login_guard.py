"""The sign-in guard in front of an ASGI app: 429 after failures, hashing bounded."""

from __future__ import annotations

import asyncio
import json

from starlette.types import Message, Receive, Scope, Send

from pbx_core.config import Limits
from server.limits import LOGIN_PATH, HashSlots, LoginGuard


class _SignIn:
    """An ASGI app that answers sign-ins like the API (200 for "right", else 401) and
    remembers how many ran at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = json.loads((await receive())["body"])
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.01)  # the password hash, off the loop
        self.running -= 1
        status = 200 if body["password"] == "right" else 401
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _post(app: LoginGuard, password: str, user: str = "201") -> tuple[int, dict[str, str]]:
    body = json.dumps({"username": user, "password": password}).encode()
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "path": LOGIN_PATH, "method": "POST", "client": ("192.0.2.1", 1)}
    await app(scope, receive, send)
    start = sent[0]
    headers = {k.decode(): v.decode() for k, v in start.get("headers", [])}
    return int(start["status"]), headers


async def test_a_block_refuses_the_right_password_and_lifts() -> None:
    clock = _Clock()
    guard = LoginGuard(_SignIn(), Limits(api_max_failures=3, api_block_seconds=30), clock=clock)
    for _ in range(3):
        assert (await _post(guard, "wrong"))[0] == 401
    status, headers = await _post(guard, "right")
    assert status == 429
    assert headers["retry-after"] == "30"
    clock.now = 31.0
    assert (await _post(guard, "right"))[0] == 200


async def test_a_source_trying_many_names_is_blocked() -> None:
    guard = LoginGuard(_SignIn(), Limits(api_max_failures=2), clock=_Clock())
    for n in range(8):
        assert (await _post(guard, "wrong", user=f"2{n:02d}"))[0] == 401
    assert (await _post(guard, "right", user="299"))[0] == 429


async def test_password_hashing_is_bounded() -> None:
    app = _SignIn()
    guard = LoginGuard(app, Limits(login_concurrency=1, api_max_failures=100), clock=_Clock())
    await asyncio.gather(*(_post(guard, "wrong", user=f"u{n}") for n in range(8)))
    assert app.most == 1


async def test_sign_ins_from_clean_sources_are_hashed_first() -> None:
    slots = HashSlots(1)
    order: list[str] = []
    await slots.acquire(0)  # a hash in progress

    async def wait(rank: int, name: str) -> None:
        await slots.acquire(rank)
        order.append(name)
        slots.release()

    waiting = [asyncio.create_task(wait(5, "guess-1")), asyncio.create_task(wait(9, "guess-2")),
               asyncio.create_task(wait(0, "user"))]
    await asyncio.sleep(0)
    slots.release()
    await asyncio.gather(*waiting)
    assert order == ["user", "guess-1", "guess-2"]


async def test_a_cancelled_waiter_does_not_keep_a_slot() -> None:
    slots = HashSlots(1)
    await slots.acquire(0)
    waiter = asyncio.create_task(slots.acquire(0))
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    slots.release()
    await asyncio.wait_for(slots.acquire(0), 1)
