"""The session: start the embedded PBX or reach a server, sign in, keep everything connected.

Embedded mode starts ``python -m server`` (:mod:`app.embedded`) and signs in as the configured
user (the demo organisation: ``201`` / ``Demo-201!``). When the child dies the store says so in
plain words, the child is restarted (new ports), and the session signs in, reopens the event
stream and registers SIP again. Remote mode signs in to a URL; when the server goes away the
store shows OFFLINE and the session reconnects by itself when it returns (a restarted server
refuses the old token with close code 4401: sign in again, re-register). After a blip of the
event stream the stream resumes where it left off and nothing is reloaded; only when the server
says ``resync`` does every store reload, as after a sign-in (:class:`SessionOnline`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from app.api import ApiClient
from app.audio import AudioDevices
from app.backoff import Backoff
from app.bus import Bus, SessionOnline
from app.connection import Connection
from app.embedded import EmbeddedServer, ServerInfo
from app.errors import AuthFailed, ServerUnreachable
from app.events import EventStream
from app.notices import Notices
from app.presence_status import is_status
from app.server_events import (
    PresenceChanged,
    Resync,
    ServerEvent,
    UserRolesChanged,
    parse_until,
)
from app.settings import Settings
from app.stores._base import tr
from app.stores.session import ConnectionState, Me, RegistrationState, SessionStore
from app.tasks import TaskRunner
from sip import AccountSettings, RegistrationChanged, SipEngine, TransportName

__all__ = ["DEMO_USER", "SessionController", "demo_password"]

DEMO_USER = "201"
_log = logging.getLogger(__name__)


def demo_password(extension: str) -> str:
    """The demo organisation's password for an extension."""
    return f"Demo-{extension}!"


@dataclass(frozen=True, slots=True)
class _Target:
    url: str
    username: str
    password: str
    sip_port: int | None = None  # None: ask the server (GET /api/health)
    tls: ssl.SSLContext | None = None  # the embedded server's pinned certificate


def sip_route(
    host: str, health: Mapping[str, object], fixed_port: int | None = None
) -> tuple[TransportName, int]:
    """How the phone reaches the server's SIP: TLS, with SRTP for the calls, when the server
    offers it (``sip_tls`` in ``GET /api/health``) and is another computer; UDP otherwise (the
    embedded PBX on this computer, an older server, a fixed port)."""
    if fixed_port:
        return "udp", fixed_port
    tls = health.get("sip_tls")
    if isinstance(tls, int) and tls > 0 and not _this_computer(host):
        return "tls", tls
    udp = health.get("sip_udp")
    if not isinstance(udp, int) or not 0 < udp < 65536:
        raise ServerUnreachable(tr("The server did not say where its phone service is."))
    return "udp", udp


def _this_computer(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


class SessionController:
    """Owns the embedded child, the API client, the event stream and the SIP account."""

    def __init__(
        self,
        *,
        store: SessionStore,
        settings: Settings,
        connection: Connection,
        engine: SipEngine,
        bus: Bus,
        notices: Notices,
        runner: TaskRunner,
        pbx_dir: Path,
        demo: bool = False,
        reconnect_backoff: Backoff | None = None,
        audio_devices: AudioDevices | None = None,
    ) -> None:
        self._store = store
        self._settings = settings
        self._conn = connection
        self._engine = engine
        self._bus = bus
        self._devices = audio_devices
        self._notices = notices
        self._runner = runner
        self._pbx_dir = pbx_dir
        self._demo = demo
        self._backoff = reconnect_backoff or Backoff(first=0.5, cap=10.0)
        self.embedded: EmbeddedServer | None = None
        self._stream: EventStream | None = None
        self._target: _Target | None = None
        self._reconnecting: asyncio.Task[None] | None = None
        self._quitting = False

    # -- commands --------------------------------------------------------------------
    def start(self) -> None:
        """First action after start-up: embedded, remote with a kept password, or signed out."""
        s = self._settings
        if self._demo or s.mode == "embedded":
            self.use_embedded()
        elif s.mode == "remote" and s.server_url and s.username and (pw := s.password()):
            self._store.mode = "remote"
            self._runner.spawn(self._sign_in(_Target(s.server_url, s.username, pw)), "signing in")
        else:
            message = tr("Please sign in.") if s.mode == "remote" else ""
            self._store.set_state(ConnectionState.SIGNED_OUT, message)

    def use_embedded(self) -> None:
        """Run the PBX on this computer (demo organisation) and sign in to it."""
        self._settings.mode = "embedded"
        self._store.mode = "embedded"
        self._runner.spawn(self._start_embedded(), "starting the phone system")

    def sign_in(self, url: str, user: str, password: str, remember: bool = True) -> None:
        """Connect to a server; the password goes to the keyring only (if there is one)."""
        s = self._settings
        s.mode, s.server_url, s.username = "remote", url.rstrip("/"), user
        self._store.mode = "remote"
        if remember and not s.store_password(password):
            self._notices.post(
                "info",
                tr("Your password cannot be kept on this computer; you will be asked again."),
            )
        self._runner.spawn(self._sign_in(_Target(s.server_url, user, password)), "signing in")

    def sign_out(self) -> None:
        self._runner.spawn(self._sign_out(), "signing out")

    async def quit(self) -> None:
        """Leave cleanly: end calls, unregister, stop the embedded server."""
        self._quitting = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        # what is still loading goes first: closing the API client under requests in flight
        # would fail them with errors nobody needs to see at quit
        await self._runner.cancel_all()
        await self._teardown()
        if self._devices is not None:
            self._devices.close()
        self._engine.close()
        if self.embedded is not None:
            await self.embedded.stop()
            self.embedded = None
        await self._runner.cancel_all()
        self._store.set_state(ConnectionState.SIGNED_OUT, "")

    # -- embedded --------------------------------------------------------------------
    async def _start_embedded(self) -> None:
        self._store.set_state(ConnectionState.STARTING, tr("Starting the phone system…"))
        if self.embedded is None:
            self.embedded = EmbeddedServer(
                self._pbx_dir, demo=True, on_exit=self._embedded_died, on_ready=self._embedded_back
            )
            info = await self.embedded.start()
        else:
            info = self.embedded.info or await self.embedded.start()
        await self._sign_in(self._embedded_target(info))

    def _embedded_target(self, info: ServerInfo) -> _Target:
        user = self._settings.username if self._settings.mode == "embedded" else ""
        user = user or DEMO_USER
        return _Target(info.base_url, user, demo_password(user), info.sip_udp, info.tls_context())

    def _embedded_died(self, code: int | None) -> None:
        _log.warning("the embedded phone system exited (%s)", code)
        self._store.set_state(
            ConnectionState.SERVER_RESTARTING,
            tr("The phone system stopped unexpectedly; restarting…"),
        )
        self._runner.spawn(self._teardown(), "closing the old connection")

    def _embedded_back(self, info: ServerInfo) -> None:
        self._target = self._embedded_target(info)
        self._reconnect()

    # -- signing in ------------------------------------------------------------------
    async def _sign_in(self, target: _Target) -> None:
        self._target = target
        try:
            await self._connect(target)
        except AuthFailed as exc:
            self._store.set_state(ConnectionState.SIGNED_OUT, str(exc))
        except ServerUnreachable as exc:
            self._store.set_state(ConnectionState.OFFLINE, str(exc))
            self._reconnect()

    async def _connect(self, target: _Target) -> None:
        self._store.set_state(ConnectionState.SIGNING_IN, tr("Signing in…"))
        await self._teardown()
        api = ApiClient(target.url, tls=target.tls)
        try:
            await api.login(target.username, target.password)
            me_body = await api.me()
            health = {} if target.sip_port else await api.health()
        except BaseException:
            await api.aclose()
            raise
        me = Me.from_api(me_body)
        self._conn.api, self._conn.extension = api, me.extension
        self._store.set_me(me)
        self._stream = EventStream(
            api.ws_url,
            api.token or "",
            self._server_event,
            on_status=self._stream_status,
            on_unauthorized=self._reconnect,
            tls=api.tls,
        )
        self._stream.start()
        host = urlsplit(target.url).hostname or "127.0.0.1"
        transport, sip_port = sip_route(host, health, target.sip_port)
        await self._register(
            AccountSettings(
                user=me.extension,
                server=host,
                port=sip_port,
                transport=transport,
                password=target.password,
                display_name=me.name.replace('"', ""),
            )
        )
        self._backoff.reset()
        self._store.set_state(ConnectionState.ONLINE, "")
        presence = me_body.get("presence")
        if isinstance(presence, dict) and is_status(status := presence.get("status")):
            until = parse_until(presence.get("until"))
            self._bus.publish(PresenceChanged(me.extension, status, until))
        self._bus.publish(SessionOnline())

    async def _teardown(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            await stream.stop()
        api, self._conn.api = self._conn.api, None
        if api is not None:
            await api.aclose()
        await self._unregister()
        self._store.set_registration(RegistrationState(False, ""))

    async def _register(self, settings: AccountSettings) -> None:
        """Start the engine on first use; replace the account (new server or user); register."""
        if not self._engine.started:
            self._engine.start()
        await self._unregister()
        self._conn.account_id = await self._engine.add_account(settings)
        self._conn.account = settings

    async def _unregister(self) -> None:
        """Drop the account (its calls end, the binding is removed)."""
        account_id, self._conn.account_id = self._conn.account_id, None
        self._conn.account = None
        if account_id is not None:
            try:
                await self._engine.remove_account(account_id)
            except Exception as exc:
                _log.warning("removing the SIP account failed: %s", exc)

    def _reconnect(self) -> None:
        """Sign in again until it works (server back, restarted, or token expired)."""
        if self._quitting or (self._reconnecting is not None and not self._reconnecting.done()):
            return
        self._reconnecting = self._runner.loop.create_task(self._reconnect_loop())

    async def _reconnect_loop(self) -> None:
        while not self._quitting and self._target is not None:
            try:
                await self._connect(self._target)
                return
            except AuthFailed as exc:
                self._store.set_state(ConnectionState.SIGNED_OUT, str(exc))
                return
            except ServerUnreachable:
                if self._store.state is not ConnectionState.SERVER_RESTARTING:
                    self._store.set_state(
                        ConnectionState.OFFLINE,
                        tr("The server cannot be reached; reconnecting…"),
                    )
            await asyncio.sleep(self._backoff.next_delay())

    async def _sign_out(self) -> None:
        api = self._conn.api
        if api is not None:
            with contextlib.suppress(Exception):
                await api.logout()
        self._target = None
        await self._teardown()
        if self.embedded is not None:
            await self.embedded.stop()
            self.embedded = None
        self._settings.forget_password()
        self._settings.mode = ""
        self._store.set_me(None)
        self._store.set_state(ConnectionState.SIGNED_OUT, "")

    # -- what arrives -----------------------------------------------------------------
    def _stream_status(self, connected: bool) -> None:
        state = self._store.state
        if not connected and state is ConnectionState.ONLINE:
            self._store.set_state(
                ConnectionState.OFFLINE, tr("Connection to the server lost; reconnecting…")
            )
        elif connected and state is ConnectionState.OFFLINE:
            self._store.set_state(ConnectionState.ONLINE, "")  # the missed events follow

    def _server_event(self, event: ServerEvent) -> None:
        """Onto the bus; a ``resync`` (the missed events are not to be had) reloads everything."""
        self._bus.publish(SessionOnline() if isinstance(event, Resync) else event)

    def on_roles_changed(self, event: UserRolesChanged) -> None:
        """The administrator changed someone's roles or groups: whose calls this user may pick
        up can have changed, so the signed-in user is read again."""
        del event
        self._runner.spawn(self._reload_me(), "reading your account")

    async def _reload_me(self) -> None:
        api = self._conn.api
        if api is None:
            return
        me = Me.from_api(await api.me())
        if api is self._conn.api and me.extension == self._conn.extension:
            self._store.set_me(me)

    def on_registration_changed(self, event: RegistrationChanged) -> None:
        if event.account_id == self._conn.account_id:
            reason = "" if event.registered else f"{event.code} {event.reason}".strip()
            self._store.set_registration(RegistrationState(event.registered, reason))
