"""Client of the PBX's REST API v1 (docs/api.md) over httpx.

httpx's errors and the server's error bodies are mapped here, once, to :mod:`app.errors` with
messages in plain words; nothing above this module sees httpx.
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import ssl
from typing import Any
from urllib.parse import quote

import httpx

from app.errors import AuthFailed, ServerRejected, ServerUnreachable
from app.http_transport import asyncio_transport
from app.stores._base import tr
from app.updates import app_version

__all__ = ["ApiClient", "Json"]

Json = dict[str, Any]

_log = logging.getLogger(__name__)


def _certificate_refused(exc: BaseException) -> bool:
    """True when a TLS certificate check failed somewhere in ``exc``'s chain."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(
            seen
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class ApiClient:
    """One server, one signed-in user (the bearer token kept after :meth:`login`)."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tls = tls
        """How https (and wss) servers are verified: a pinned context, or None for the
        system's trusted certificates."""
        self.token: str | None = None
        self._in_flight = 0
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport or asyncio_transport(tls),
            trust_env=False,
            # named in the user's list of sign-ins (Settings → Signed in)
            headers={"User-Agent": f"AcmePhone/{app_version()} ({platform.system()})"},
        )

    @property
    def ws_url(self) -> str:
        """The event WebSocket's URL (without the token)."""
        scheme = "wss" if self.base_url.startswith("https") else "ws"
        return f"{scheme}://{self.base_url.split('://', 1)[-1]}/api/v1/events"

    @property
    def in_flight(self) -> int:
        """Requests sent and not answered yet (a busy indicator; tests wait for 0)."""
        return self._in_flight

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One API call: its JSON answer (None for an empty one); AppError in plain words."""
        response = await self._send(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ServerRejected(tr("The server sent an answer that is not JSON."), 502) from exc

    async def text(self, path: str) -> str:
        """A GET whose answer is a file (CSV, vCard): its text; AppError in plain words."""
        return (await self._send("GET", path)).text

    async def content(self, path: str) -> bytes:
        """A GET whose answer is a binary file (a voicemail's WAV): its bytes."""
        return (await self._send("GET", path)).content

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        self._in_flight += 1
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            message = tr("The server at {0} did not answer in time.").format(self.base_url)
            raise ServerUnreachable(message) from exc
        except httpx.TransportError as exc:
            if _certificate_refused(exc):
                message = tr(
                    "The server at {0} showed a certificate this app does not trust, so nothing "
                    "was sent to it."
                ).format(self.base_url)
                _log.warning("certificate of %s refused: %s", self.base_url, exc)
            else:
                message = tr("The server at {0} cannot be reached.").format(self.base_url)
            raise ServerUnreachable(message) from exc
        finally:
            self._in_flight -= 1
        if response.status_code >= 400:
            raise _error_for(response, path)
        return response

    async def login(self, username: str, password: str) -> str:
        """Sign in; keeps and returns the token."""
        body = await self.request(
            "POST", "/api/v1/auth/login", json={"username": username, "password": password}
        )
        self.token = str(body["token"])
        return self.token

    async def logout(self) -> None:
        if self.token is None:
            return
        try:
            await self.request("POST", "/api/v1/auth/logout")
        finally:
            self.token = None

    async def health(self) -> Json:
        return dict(await self.request("GET", "/api/health"))

    async def me(self) -> Json:
        return dict(await self.request("GET", "/api/v1/me"))

    async def calls(self, limit: int = 100) -> list[Json]:
        return list(await self.request("GET", "/api/v1/calls", params={"limit": limit}))

    async def hide_call(self, call_id: int) -> None:
        """Remove a call from the signed-in user's history (the other party keeps it)."""
        await self.request("DELETE", f"/api/v1/calls/{call_id}")

    async def directory(self, query: str = "", limit: int = 50) -> list[Json]:
        params: dict[str, str | int] = {"q": query, "limit": limit}
        return list(await self.request("GET", "/api/v1/directory", params=params))

    async def parked(self) -> list[Json]:
        """The parked calls: ``{slot, call_id, caller, caller_name, parked_by, …, since}``."""
        return list(await self.request("GET", "/api/v1/parked"))

    async def devices(self) -> list[Json]:
        """The user's registered phones: ``{id, contact, user_agent, transport, expires_at}``."""
        return list(await self.request("GET", "/api/v1/me/devices"))

    async def active_calls(self) -> list[Json]:
        """The user's calls in progress: ``{call_id, caller, callee, answered, parties, …}``."""
        return list(await self.request("GET", "/api/v1/active-calls"))

    async def move_call(self, call_id: str, device_id: str) -> None:
        """Ring another phone of the user; it takes the call when answered (202; 409)."""
        path = f"/api/v1/active-calls/{quote(call_id, safe='')}/move"
        await self.request("POST", path, json={"device_id": device_id})

    async def presence(self) -> Json:
        return dict(await self.request("GET", "/api/v1/me/presence"))

    async def set_presence(self, status: str, until: dt.datetime | None) -> Json:
        """PUT the status; ``until`` must be timezone-aware (the server refuses naive times)."""
        if until is not None and until.tzinfo is None:
            raise ValueError("until must carry a time zone")
        body = {"status": status, "until": until.isoformat() if until is not None else None}
        return dict(await self.request("PUT", "/api/v1/me/presence", json=body))


def _error_for(response: httpx.Response, path: str) -> Exception:
    message = ""
    codes: tuple[str, ...] = ()
    try:
        body = response.json()
        if isinstance(body, dict):
            message = str(body.get("message") or "")
            named = body.get("codes")
            if isinstance(named, list):
                codes = tuple(c for c in named if isinstance(c, str))
    except ValueError:
        pass
    status = response.status_code
    _log.info("server answered %d to %s: %s", status, path, message)
    if status == 429 and path.endswith("/auth/login"):
        wait = response.headers.get("Retry-After", "")
        if wait.isdigit():
            return AuthFailed(
                tr("Too many wrong passwords. Try again in {0} seconds.").format(int(wait))
            )
        return AuthFailed(tr("Too many wrong passwords. Try again in a minute."))
    if status == 401:
        if path.endswith("/auth/login"):
            return AuthFailed(tr("Wrong user name or password."))
        return AuthFailed(tr("Your session has ended; please sign in again."))
    if status >= 500:
        detail = message or response.reason_phrase
        return ServerRejected(tr("The server had a problem: {0}").format(detail), status)
    refused = tr("The server refused the request ({0}).").format(status)
    return ServerRejected(message or refused, status, codes)
