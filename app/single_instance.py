"""One running app per user and data folder: a second start hands its arguments to the first.

The first start listens on a local socket (:class:`QLocalServer`: a named pipe on Windows, a
Unix socket elsewhere) named after the user and the data folder, so two users, or one user with
two ``--data-dir`` folders, each have their own app. A later start connects, writes one JSON line
(:class:`Request`: a number to dial, whether to show the window) and exits; the first emits
:attr:`SingleInstance.received` on the GUI thread. A socket left by a crashed app is removed
when nobody answers on it.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

__all__ = ["Request", "SingleInstance", "server_name"]

_log = logging.getLogger(__name__)
_CONNECT_MS = 1000
_WRITE_MS = 2000
_MAX_LINE = 64 * 1024


def server_name(data_dir: Path, user: str | None = None) -> str:
    """The socket's name for this user and data folder (short enough for any platform)."""
    try:
        who = user or getpass.getuser()
    except (KeyError, OSError):  # no user name (containers without a passwd entry)
        who = "user"
    digest = hashlib.sha256(f"{who}\0{data_dir}".encode()).hexdigest()[:16]
    return f"AcmePhone-{digest}"


@dataclass(frozen=True, slots=True)
class Request:
    """What a later start asks of the running app."""

    dial: str = ""
    show: bool = True

    def encode(self) -> bytes:
        return json.dumps({"dial": self.dial, "show": self.show}).encode() + b"\n"

    @classmethod
    def decode(cls, line: bytes) -> Request:
        try:
            body = json.loads(line)
        except ValueError as exc:
            raise ValueError("hand-off: not a JSON line") from exc
        if not isinstance(body, dict):
            raise ValueError("hand-off: not a JSON object")
        dial, show = body.get("dial", ""), body.get("show", True)
        if not isinstance(dial, str) or not isinstance(show, bool):
            raise ValueError("hand-off: dial must be a string and show a boolean")
        return cls(dial, show)


class SingleInstance(QObject):
    """``hand_off(request)`` in a later start; ``listen()`` in the first; ``received(Request)``."""

    received = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def hand_off(self, request: Request) -> bool:
        """Give ``request`` to a running app; False when none answers (then this one runs)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(_CONNECT_MS):
            return False
        socket.write(request.encode())
        sent = socket.waitForBytesWritten(_WRITE_MS) or socket.bytesToWrite() == 0
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(_WRITE_MS)
        _log.info("handed to the running app: %s", request)
        return bool(sent)

    def listen(self) -> bool:
        """Become the running app; False when the name cannot be taken (logged)."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # a socket file left by an app that died; nobody answered hand_off on it
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                _log.warning(
                    "single instance: cannot listen on %s: %s", self.name, server.errorString()
                )
                return False
        server.newConnection.connect(self._accept)
        self.server = server
        _log.info("listening for later starts on %s", self.name)
        return True

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._done(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        while b"\n" in data:
            line, data = data.split(b"\n", 1)
            try:
                request = Request.decode(line)
            except ValueError as exc:
                _log.warning("%s", exc)
                continue
            _log.info("received from a new start: %s", request)
            self.received.emit(request)
        if len(data) > _MAX_LINE:
            data = b""
            socket.abort()
        self._buffers[socket] = data

    def _done(self, socket: QLocalSocket) -> None:
        if socket in self._buffers:
            self._read(socket)
            self._buffers.pop(socket, None)
        socket.deleteLater()
