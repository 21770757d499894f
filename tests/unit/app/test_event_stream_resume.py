"""The event stream resumes where it left off: ``since`` on reconnect, no reload after a blip;
a ``resync`` from the server (or a server that cannot replay) is handed on as :class:`Resync`."""

from __future__ import annotations

import asyncio
import json

from websockets.asyncio.server import ServerConnection, serve

from app.backoff import Backoff
from app.events import EventStream, StreamCursor
from app.server_events import LineStateChanged, Resync, ServerEvent

_SUBSCRIBED = {"extension": "201", "last_seq": 4, "epoch": "e1"}


def test_a_first_connection_starts_from_the_servers_last_event() -> None:
    cursor = StreamCursor()
    assert cursor.hello("t") == {"token": "t"}
    assert cursor.subscribed(_SUBSCRIBED) is None
    assert (cursor.last_seq, cursor.epoch) == (4, "e1")


def test_a_reconnection_asks_for_what_came_after_the_last_event_handled() -> None:
    cursor = StreamCursor()
    cursor.hello("t")
    cursor.subscribed(_SUBSCRIBED)
    cursor.handled(7, LineStateChanged("202", "busy"))
    cursor.handled(9, None)  # a type this app does not know still counts as handled
    assert cursor.hello("t") == {"token": "t", "since": 9, "epoch": "e1"}
    assert cursor.subscribed({**_SUBSCRIBED, "last_seq": 12}) is None
    assert cursor.last_seq == 9, "the missed events 10..12 follow; they move it on"


def test_a_resync_moves_the_cursor_to_the_servers_run() -> None:
    cursor = StreamCursor()
    cursor.hello("t")
    cursor.subscribed(_SUBSCRIBED)
    cursor.hello("t")
    cursor.subscribed({"extension": "201", "last_seq": 2, "epoch": "e2"})
    cursor.handled(2, Resync("server restarted", "e2"))
    assert cursor.hello("t") == {"token": "t", "since": 2, "epoch": "e2"}


def test_a_server_that_cannot_replay_means_a_resync() -> None:
    cursor = StreamCursor()
    cursor.hello("t")
    cursor.subscribed({"extension": "201", "last_seq": 4})  # no epoch: an older server
    cursor.hello("t")
    assert cursor.subscribed({"extension": "201", "last_seq": 6}) == Resync("no replay")
    assert cursor.last_seq == 6


async def test_the_stream_resumes_then_resyncs_when_told() -> None:
    """Three connections to a loopback server: the first is cut after one event, the second
    gets the missed one, the third is told to resync."""
    hellos: list[dict[str, object]] = []

    async def server(ws: ServerConnection) -> None:
        hellos.append(json.loads(await ws.recv()))
        attempt = len(hellos)
        await ws.send(json.dumps({"seq": 4, "type": "subscribed", "data": _SUBSCRIBED}))
        line = {"extension": "202", "state": "busy"}
        if attempt == 1:
            await ws.send(json.dumps({"seq": 5, "type": "line.changed", "data": line}))
        elif attempt == 2:
            await ws.send(json.dumps({"seq": 8, "type": "line.changed", "data": line}))
        else:
            data = {"reason": "too old", "epoch": "e1"}
            await ws.send(json.dumps({"seq": 30, "type": "resync", "data": data}))
        await ws.close(1001, "going away")

    events: list[ServerEvent] = []
    async with serve(server, "127.0.0.1", 0) as listening:
        port = next(iter(listening.sockets)).getsockname()[1]
        stream = EventStream(
            f"ws://127.0.0.1:{port}/api/v1/events",
            "t",
            events.append,
            backoff=Backoff(first=0.05, cap=0.1),
        )
        stream.start()
        for _ in range(400):
            if len(events) >= 3:
                break
            await asyncio.sleep(0.02)
        await stream.stop()
    assert hellos[:3] == [
        {"token": "t"},
        {"token": "t", "since": 5, "epoch": "e1"},
        {"token": "t", "since": 8, "epoch": "e1"},
    ]
    assert events[:3] == [
        LineStateChanged("202", "busy"),
        LineStateChanged("202", "busy"),
        Resync("too old", "e1"),
    ]
    assert stream.cursor.last_seq is not None and stream.cursor.last_seq >= 30
