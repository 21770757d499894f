"""SIP over WebSocket (RFC 7118) for browser phones: a listener whose connections carry one
SIP message per WebSocket message.

The WebSocket protocol itself (the HTTP upgrade of RFC 6455, frames, masking, ping/pong, the
closing handshake) is the ``websockets`` library's sans-IO :class:`ServerProtocol`; this module
only moves bytes between it and the SIP stack, like :mod:`pbx_core.signaling.tls` does for TLS.
What RFC 7118 adds:

- the handshake must ask for the ``sip`` subprotocol (§4.1); without it the upgrade is refused
  with 400 and the connection closed;
- each text or binary message is one SIP message (§5.1), so no Content-Length framing;
- the transport is ``WS`` in Via and ``transport=ws`` in URIs (§5.2); a phone that registered
  over a WebSocket is reached over that same connection (its Contact names a ``.invalid``
  host, §5.2), which the transport layer does by keying connections by their source address.
  The PBX cannot open a WebSocket to a browser: a request to a WebSocket phone whose
  connection is gone is dropped with a warning.

The idle and first-message limits of :class:`~pbx_core.signaling.transport.TcpPolicy` apply as
on TCP: the upgrade must be complete within ``header_seconds``.
"""

from __future__ import annotations

import asyncio
import logging

from websockets.exceptions import InvalidState
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.server import ServerProtocol
from websockets.typing import Subprotocol

from pbx_core.signaling.transport import TransportLayer, _TcpConnection

__all__ = ["SUBPROTOCOL", "start_ws"]

_log = logging.getLogger(__name__)

SUBPROTOCOL = Subprotocol("sip")
_MAX_MESSAGE = 65536  # a SIP message over UDP may not be larger either


class _WsConnection(_TcpConnection):
    """One browser phone's WebSocket: the handshake, then a SIP message per frame."""

    kind = "ws"

    def __init__(self, layer: TransportLayer) -> None:
        super().__init__(layer, inbound=True)
        self._ws = ServerProtocol(subprotocols=[SUBPROTOCOL], max_size=_MAX_MESSAGE)
        self._open = False

    def data_received(self, data: bytes) -> None:
        assert self.address is not None and self.transport is not None
        self._ws.receive_data(data)
        self._last_data = self._loop.time()
        for event in self._ws.events_received():
            if isinstance(event, Request):
                self._upgrade(event)
            elif isinstance(event, Frame) and event.opcode in (Opcode.TEXT, Opcode.BINARY):
                self._layer._deliver(bytes(event.data), self.address)
        self._flush()
        if self._ws.close_expected() or self._ws.handshake_exc is not None:
            self.transport.close()

    def _upgrade(self, request: Request) -> None:
        response = self._ws.accept(request)
        if response.status_code == 101 and response.headers.get("Sec-WebSocket-Protocol") != (
            SUBPROTOCOL
        ):
            response = self._ws.reject(400, "The 'sip' WebSocket subprotocol is required.\n")
            _log.info("SIP/WS upgrade from %s refused: no sip subprotocol", self.address)
        self._ws.send_response(response)  # a refusal also ends the stream (an empty chunk)
        if response.status_code == 101:
            self._open = True
            self._partial_since = None  # the upgrade is done; the idle limit goes on

    def _flush(self) -> None:
        """Write what the protocol has to send; an empty chunk means the end of the stream."""
        chunks = self._ws.data_to_send()
        if self.transport is None or self.transport.is_closing():
            return
        out = b"".join(chunks)
        if out:
            self.transport.write(out)
        if b"" in chunks:
            self.transport.close()  # after what was written

    def write(self, data: bytes) -> None:
        if not self._open or self.transport is None or self.transport.is_closing():
            return
        try:
            self._ws.send_text(data)
        except InvalidState:  # closing: nothing more goes out
            return
        self._flush()


async def start_ws(layer: TransportLayer, host: str, port: int) -> asyncio.Server:
    """Listen for SIP over WebSocket on ``port`` (0 picks a free one); the layer's
    ``ws_port`` says which, and the layer closes the listener with the others."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _WsConnection(layer), host, port, reuse_address=True)
    layer.add_listener("ws", server)
    return server
