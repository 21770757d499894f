"""The demo PBX with voicemail and its API on an event loop of its own thread, and phones.

pjsua2 agents are driven by blocking calls, so the PBX (SIP, RTP and the HTTP API, one loop as
in the server) runs on a thread; bus events are kept for checks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import socket
import threading
import time
import wave
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn

from pbx_core.config import PbxConfig
from pbx_core.events import Event
from pbx_core.media.prompts import prompt_path
from pbx_core.pbx import Pbx
from server.app import create_app
from tests.support.agent import Agent
from tests.support.audio import write_tone_wav

T = TypeVar("T")

DELAY_S = 2.0  # ringing this long goes to voicemail in these tests
TONES = {"201": 1110.0, "202": 1290.0, "203": 1470.0, "204": 1650.0}


def prompt_seconds(*names: str) -> float:
    """How long the English prompts ``names`` play, one after the other."""
    total = 0.0
    for name in names:
        path = prompt_path(name, "en")
        assert path is not None, name
        with wave.open(str(path), "rb") as wav:
            total += wav.getnframes() / wav.getframerate()
    return total


class VoicemailPbx:
    def __init__(self, data_dir: Path) -> None:
        self.config = PbxConfig(
            data_dir=data_dir,
            sip_port=0,
            rtp_port_min=40000,
            rtp_port_max=40999,
            voicemail_delay_seconds=DELAY_S,
            voicemail_max_seconds=30.0,
        )
        self.events: list[Event] = []
        self._changed = threading.Condition()
        self._ready: concurrent.futures.Future[Pbx] = concurrent.futures.Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.http_port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)
        self._thread.start()
        self.pbx = self._ready.result(timeout=60)

    @property
    def sip_port(self) -> int:
        return self.pbx.telephony.sip_udp_port

    async def _serve(self) -> None:
        try:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            pbx = Pbx(self.config)
            await pbx.start(demo=True)
            pbx.bus.subscribe(self._record)
            config = uvicorn.Config(create_app(pbx), log_config=None, lifespan="off")
            server = uvicorn.Server(config)
            serving = asyncio.create_task(server.serve(sockets=[self._sock]))
            while not server.started:
                if serving.done():
                    serving.result()
                    raise RuntimeError("the HTTP server stopped while starting")
                await asyncio.sleep(0.02)
        except BaseException as exc:
            self._ready.set_exception(exc)
            raise
        self._ready.set_result(pbx)
        try:
            await self._stop.wait()
        finally:
            server.should_exit = True
            await serving
            await pbx.stop()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the PBX's loop and wait for it."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(30)

    def _record(self, event: Event) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def mark(self) -> int:
        with self._changed:
            return len(self.events)

    def bus_event(
        self, kind: str, *, since: int, timeout: float = 10.0, **match: Any
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self.events[since:]:
                    fields = dataclasses.asdict(event)
                    if event.kind == kind and all(fields.get(k) == v for k, v in match.items()):
                        return fields
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [e for e in self.events[since:] if e.kind == kind]
                    raise AssertionError(f"no bus event {kind} {match}; seen: {seen}")
                self._changed.wait(remaining)

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=f"http://127.0.0.1:{self.http_port}", timeout=10)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


@pytest.fixture(scope="module")
def vm_pbx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoicemailPbx]:
    running = VoicemailPbx(tmp_path_factory.mktemp("vm-pbx"))
    try:
        yield running
    finally:
        running.stop()


class Phones:
    """Registered pjsua2 phones, each playing its extension's tone; closed at the test's end."""

    def __init__(self, workdir: Path, port: int, stack: contextlib.ExitStack) -> None:
        self.workdir = workdir
        self.port = port
        self._stack = stack

    def __call__(self, ext: str, *, tone: bool = True) -> Agent:
        phone = Agent(self.workdir, f"p{ext}", extra_args=("--clock-rate", "8000"))
        self._stack.callback(phone.close)
        phone.send("register", host="127.0.0.1", port=self.port, user=ext, password=f"Demo-{ext}!")
        phone.wait_event("registered", code=200, timeout=10)
        if tone:
            wav = write_tone_wav(self.workdir / f"p{ext}-tone.wav", TONES[ext], 1.0, level=0.2)
            phone.send("play", file=str(wav))
        return phone


@pytest.fixture
def phones(vm_pbx: VoicemailPbx, tmp_path: Path) -> Iterator[Phones]:
    with contextlib.ExitStack() as stack:
        yield Phones(tmp_path, vm_pbx.sip_port, stack)
