"""A private D-Bus session bus and a notification server on it, for the notification tests.

:func:`session_bus` starts Debian's ``dbus-daemon --session`` (its own process, a socket in a
temporary folder) and yields its address. :class:`NotificationServer` owns
``org.freedesktop.Notifications`` on that bus (the freedesktop.org notification spec, with the
``actions`` and ``inline-reply`` capabilities as KDE Plasma offers them) on its own thread and
loop: it keeps what it was asked to show and, on the test's word, emits ``ActionInvoked`` (a
button) or ``NotificationReplied`` (text typed in the notification) like a user would.
"""

import asyncio
import contextlib
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from dbus_fast import BusType, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusDict, DBusInt32, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.service import ServiceInterface, dbus_method, dbus_signal

__all__ = ["NotificationServer", "Shown", "session_bus"]

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CAPABILITIES = ["actions", "body", "inline-reply", "persistence"]

StrList = Annotated[list[str], DBusSignature("as")]
TwoU = Annotated[list[int], DBusSignature("uu")]
UAndS = Annotated[list[object], DBusSignature("us")]
FourS = Annotated[list[str], DBusSignature("ssss")]


@contextlib.contextmanager
def session_bus() -> Iterator[str]:
    """A private session bus; yields its address (for ``DBUS_SESSION_BUS_ADDRESS``)."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        raise RuntimeError("dbus-daemon is not installed (Debian: apt-get install dbus-daemon)")
    folder = tempfile.mkdtemp(prefix="dbus-")
    command = [daemon, "--session", "--nofork", f"--address=unix:dir={folder}"]
    process = subprocess.Popen([*command, "--print-address=1"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        address = process.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon printed no address")
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Shown:
    """One ``Notify`` call: what the app asked to show."""

    id: int
    app_name: str
    summary: str
    body: str
    actions: dict[str, str]
    """Action key → label (``inline-reply`` is the reply field)."""
    hints: dict[str, object] = field(default_factory=dict)
    closed: bool = False


class _Notifications(ServiceInterface):
    def __init__(self, server: "NotificationServer") -> None:
        super().__init__(NAME)
        self._server = server

    @dbus_method()
    def GetCapabilities(self) -> StrList:  # noqa: N802 - D-Bus names
        return list(CAPABILITIES)

    @dbus_method()
    def GetServerInformation(self) -> FourS:  # noqa: N802
        return ["Test Notifications", "acme", "1.0", "1.2"]

    @dbus_method()
    def Notify(  # noqa: N802
        self,
        app_name: DBusStr,
        replaces_id: DBusUInt32,
        app_icon: DBusStr,
        summary: DBusStr,
        body: DBusStr,
        actions: StrList,
        hints: DBusDict,
        expire_timeout: DBusInt32,
    ) -> DBusUInt32:
        return self._server._add(app_name, replaces_id, summary, body, actions, hints)

    @dbus_method()
    def CloseNotification(self, id: DBusUInt32) -> None:  # noqa: N802
        self._server._close(id)
        self.NotificationClosed(id, 3)

    @dbus_signal()
    def NotificationClosed(self, id: DBusUInt32, reason: DBusUInt32) -> TwoU:  # noqa: N802
        return [id, reason]

    @dbus_signal()
    def ActionInvoked(self, id: DBusUInt32, action_key: DBusStr) -> UAndS:  # noqa: N802
        return [id, action_key]

    @dbus_signal()
    def NotificationReplied(self, id: DBusUInt32, text: DBusStr) -> UAndS:  # noqa: N802
        return [id, text]


class NotificationServer:
    """``org.freedesktop.Notifications`` on the bus at ``address``, on its own thread."""

    def __init__(self, address: str) -> None:
        self._address = address
        self._lock = threading.Lock()
        self._shown: list[Shown] = []
        self._next_id = 1
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._bus: MessageBus | None = None
        self._service: _Notifications | None = None

    def __enter__(self) -> "NotificationServer":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=20)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _stop(self) -> None:
        if self._bus is not None:
            self._bus.disconnect()
            await self._bus.wait_for_disconnect()

    async def _start(self) -> None:
        self._bus = await MessageBus(bus_address=self._address, bus_type=BusType.SESSION).connect()
        self._service = _Notifications(self)
        self._bus.export(PATH, self._service)
        await self._bus.request_name(NAME)

    def _add(
        self,
        app_name: str,
        replaces_id: int,
        summary: str,
        body: str,
        actions: list[str],
        hints: dict[str, Variant],
    ) -> int:
        with self._lock:
            nid = replaces_id or self._next_id
            self._next_id = max(self._next_id, nid + 1)
            pairs = dict(zip(actions[::2], actions[1::2], strict=False))
            values = {k: v.value for k, v in hints.items()}
            self._shown.append(Shown(nid, app_name, summary, body, pairs, values))
            return nid

    def _close(self, nid: int) -> None:
        with self._lock:
            for shown in self._shown:
                if shown.id == nid:
                    shown.closed = True

    @property
    def shown(self) -> list[Shown]:
        with self._lock:
            return list(self._shown)

    def by_summary(self, summary: str) -> list[Shown]:
        return [s for s in self.shown if s.summary == summary]

    def find(self, nid: int) -> Shown:
        """The latest notification shown under this id."""
        return [s for s in self.shown if s.id == nid][-1]

    def wait_for(self, summary: str, timeout: float = 20.0) -> Shown:
        """The first notification with this summary (waits for it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((s for s in self.shown if s.summary == summary), None)
            if found is not None:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no notification {summary!r}; shown: {self.shown}")

    def _emit(self, name: str, nid: int, text: str) -> None:
        async def emit() -> None:
            assert self._service is not None
            getattr(self._service, name)(nid, text)

        asyncio.run_coroutine_threadsafe(emit(), self._loop).result(timeout=10)

    def reply(self, nid: int, text: str) -> None:
        """The user typed ``text`` into notification ``nid`` and sent it."""
        self._emit("NotificationReplied", nid, text)

    def invoke(self, nid: int, action_key: str) -> None:
        """The user pressed the button ``action_key`` of notification ``nid``."""
        self._emit("ActionInvoked", nid, action_key)
