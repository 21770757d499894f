"""An in-process PBX with the demo organisation on loopback, and a raw UDP SIP peer to poke it.

For call control: the PBX on a thread of its own (`cc_pbx`), phones as pjsua2 agents that each
play their own tone (`phones`), and `check_hearing`, which records the phones and says who
hears whom.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import functools
import secrets
import threading
import time
from collections.abc import AsyncIterator, Collection, Coroutine, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest

from pbx_core.config import PbxConfig
from pbx_core.events import Event
from pbx_core.media.prompts import music_path, prompt_path
from pbx_core.pbx import Pbx
from pbx_core.signaling.auth import build_authorization, parse_challenge
from pbx_core.signaling.message import SipRequest, SipResponse, parse_message
from tests.support.agent import Agent
from tests.support.audio import (
    Samples,
    read_wav,
    resample,
    rms_dbfs,
    similarity,
    write_tone_wav,
)
from tests.support.listening import SETTLE_S, heard, mostly, record_phase

T = TypeVar("T")


class UdpPeer(asyncio.DatagramProtocol):
    """A bare SIP peer: sends hand-written requests and collects what comes back."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[SipRequest | SipResponse] = asyncio.Queue()
        self.raw: asyncio.Queue[bytes] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None
        self.port = 0
        self.server: tuple[str, int] = ("127.0.0.1", 0)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)
        self.port = transport.get_extra_info("sockname")[1]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.raw.put_nowait(data)
        with contextlib.suppress(ValueError):
            self.inbox.put_nowait(parse_message(data))

    def send(self, text: str) -> None:
        assert self.transport is not None
        data = text.replace("\n", "\r\n").encode()
        self.transport.sendto(data, self.server)

    def send_raw(self, data: bytes) -> None:
        assert self.transport is not None
        self.transport.sendto(data, self.server)

    async def next(self, wait: float = 5.0) -> SipRequest | SipResponse:
        return await asyncio.wait_for(self.inbox.get(), wait)

    async def response(self, wait: float = 5.0, call_id: str | None = None) -> SipResponse:
        """The next final response (to ``call_id`` when given; others are skipped)."""
        while True:
            message = await self.next(wait)
            if not isinstance(message, SipResponse) or message.status < 200:
                continue
            if call_id is None or message.call_id == call_id:
                return message

    def register_text(
        self,
        user: str,
        *,
        cseq: int,
        call_id: str,
        expires: int = 300,
        auth: str | None = None,
        user_agent: str | None = None,
    ) -> str:
        lines = [
            f"REGISTER sip:127.0.0.1:{self.server[1]} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{secrets.token_hex(6)};rport",
            "Max-Forwards: 70",
            f"From: <sip:{user}@acme.local>;tag={secrets.token_hex(4)}",
            f"To: <sip:{user}@acme.local>",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} REGISTER",
            f"Contact: <sip:{user}@127.0.0.1:{self.port}>",
            f"Expires: {expires}",
        ]
        if user_agent:
            lines.append(f"User-Agent: {user_agent}")
        if auth:
            lines.append(f"Authorization: {auth}")
        lines.append("Content-Length: 0")
        return "\n".join(lines) + "\n\n"

    async def register(
        self,
        user: str,
        password: str,
        expires: int = 300,
        algorithm: str = "MD5",
        user_agent: str | None = None,
    ) -> SipResponse:
        """REGISTER, answer the 401 challenge, return the final response."""
        call_id = secrets.token_hex(8)
        self.send(
            self.register_text(
                user, cseq=1, call_id=call_id, expires=expires, user_agent=user_agent
            )
        )
        challenge = await self.response(call_id=call_id)
        if challenge.status != 401:
            return challenge
        values = challenge.headers.get_lines("WWW-Authenticate")
        chosen = next(v for v in values if f"algorithm={algorithm}" in v)
        auth = build_authorization(
            parse_challenge(chosen),
            "REGISTER",
            f"sip:127.0.0.1:{self.server[1]}",
            user,
            password,
            cnonce=secrets.token_hex(4),
        )
        self.send(
            self.register_text(
                user, cseq=2, call_id=call_id, expires=expires, auth=auth, user_agent=user_agent
            )
        )
        return await self.response(call_id=call_id)


@pytest.fixture
async def pbx(tmp_path: Path) -> AsyncIterator[Pbx]:
    config = PbxConfig(
        data_dir=tmp_path / "pbx", sip_port=0, rtp_port_min=30000, rtp_port_max=39999
    )
    instance = Pbx(config)
    await instance.start(demo=True)
    try:
        yield instance
    finally:
        await instance.stop()


@pytest.fixture
async def peer(pbx: Pbx) -> AsyncIterator[UdpPeer]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(UdpPeer, local_addr=("127.0.0.1", 0))
    protocol.server = ("127.0.0.1", pbx.telephony.sip_udp_port)
    try:
        yield protocol
    finally:
        transport.close()


# -- call control: a PBX on its own thread, phones as pjsua2 agents, hearing checks ----------

# Each phone plays its own tone, inside G.711's band, far enough apart for 0.2 s windows and
# above what the PBX itself plays most: 425 Hz call-progress tones and the hold music's notes
# (up to 1047 Hz), so a phone hearing music does not seem to hear a phone.
TONES: dict[str, float] = {
    "201": 1110.0,
    "202": 1290.0,
    "203": 1470.0,
    "204": 1650.0,
    "205": 1830.0,
    "206": 2010.0,
    "207": 2190.0,
    "208": 2370.0,
}
# A window above this level is heard (a prompt, music); silence and comfort noise are below.
AUDIBLE_DBFS = -50.0
# A window this similar to a stretch of a known sound is that sound (G.711 and resampling keep
# a copy above 0.95; different prompts in the same voice stay below 0.7).
SAME_SOUND = 0.8
# Users beyond the demo five, for the conference of eight (department, extension).
EXTRA_USERS: tuple[tuple[str, str], ...] = (("206", "Sales"), ("207", "Support"), ("208", "Sales"))
# The call-control timers, small: a transfer target rings this long before the recall; a
# parked call rings who parked it after this (long enough for a test to retrieve it first).
TRANSFER_RING_S = 4.0
PARK_RECALL_S = 30.0


def call_control_config(
    data_dir: Path,
    *,
    transfer_ring_s: float = TRANSFER_RING_S,
    park_recall_s: float = PARK_RECALL_S,
    tone_country: str = "NL",
) -> PbxConfig:
    """A loopback PBX config with small call-control timers (and the country's tones)."""
    return PbxConfig(
        data_dir=data_dir,
        sip_port=0,
        rtp_port_min=30000,
        rtp_port_max=39999,
        transfer_ring_seconds=transfer_ring_s,
        park_recall_seconds=park_recall_s,
        tone_country=tone_country,
    )


def _add_users(pbx: Pbx) -> None:
    for ext, department in EXTRA_USERS:
        pbx.accounts.create_user(
            extension=ext,
            display_name=f"Extra {ext}",
            email=f"extra{ext}@acme.example",
            password=f"Demo-{ext}!",
            department=department,
        )


class ThreadedPbx:
    """The demo PBX (plus EXTRA_USERS) on an event loop of its own thread.

    pjsua2 agents are driven by blocking calls, so the PBX cannot share the test's thread. Bus
    events are kept in ``events`` (for checks next to what the phones saw).
    """

    def __init__(self, config: PbxConfig) -> None:
        self.config = config
        self.events: list[Event] = []
        self._changed = threading.Condition()
        self._ready: concurrent.futures.Future[Pbx] = concurrent.futures.Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="test-pbx", daemon=True)
        self._thread.start()
        self.pbx = self._ready.result(timeout=60)

    @property
    def sip_udp_port(self) -> int:
        return self.pbx.telephony.sip_udp_port

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        try:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            pbx = Pbx(self.config)
            await pbx.start(demo=True)
            await pbx.store.aio.call(_add_users, pbx)
            pbx.bus.subscribe(self._record)
        except BaseException as exc:
            self._ready.set_exception(exc)
            raise
        self._ready.set_result(pbx)
        try:
            await self._stop.wait()
        finally:
            await pbx.stop()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the PBX's loop and wait for its result."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(30)

    def _record(self, event: Event) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def mark(self) -> int:
        """Where the events of what follows begin (for `bus_event`)."""
        with self._changed:
            return len(self.events)

    def events_of(self, kind: str, since: int = 0) -> list[dict[str, Any]]:
        """The fields of every bus event called `kind` (after `since`), oldest first."""
        with self._changed:
            return [dataclasses.asdict(e) for e in self.events[since:] if e.kind == kind]

    def bus_event(
        self, kind: str, *, since: int, timeout: float = 5.0, **match: Any
    ) -> dict[str, Any]:
        """Wait for a bus event `kind` after `since` whose fields equal `match`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self.events_of(kind, since):
                    if all(event.get(k) == v for k, v in match.items()):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = self.events_of(kind, since)
                    raise AssertionError(f"no bus event {kind} {match}; seen: {seen}")
                self._changed.wait(remaining)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        assert not self._thread.is_alive(), "the PBX thread did not stop"


@contextlib.contextmanager
def threaded_pbx(data_dir: Path, **options: Any) -> Iterator[ThreadedPbx]:
    """A ThreadedPbx for a `with` block; `options` as for `call_control_config`."""
    running = ThreadedPbx(call_control_config(data_dir, **options))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def cc_pbx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedPbx]:
    """One call-control PBX per module; every test makes its own phones and calls."""
    with threaded_pbx(tmp_path_factory.mktemp("cc-pbx")) as running:
        yield running


class Phone(Agent):
    """A pjsua2 agent registered at the PBX as `ext`, playing its own tone into every call."""

    def __init__(self, workdir: Path, name: str, ext: str, tone: float, **options: Any) -> None:
        super().__init__(workdir, name, **options)
        self.ext = ext
        self.tone = tone

    def register_at(self, port: int) -> Phone:
        self.send(
            "register", host="127.0.0.1", port=port, user=self.ext, password=f"Demo-{self.ext}!"
        )
        self.wait_event("registered", code=200, timeout=10)
        return self


class Phones:
    """Makes phones for one test and closes them at its end."""

    def __init__(self, workdir: Path, port: int, stack: contextlib.ExitStack) -> None:
        self.workdir = workdir
        self.port = port
        self._stack = stack

    def __call__(
        self,
        ext: str,
        *,
        name: str = "",
        tone: float | None = None,
        level: float = 0.2,
        **options: Any,
    ) -> Phone:
        """A registered phone of `ext` playing its tone (`level`: peak, fraction of full scale)."""
        name = name or f"p{ext}"
        tone = TONES[ext] if tone is None else tone
        options.setdefault("extra_args", ("--clock-rate", "8000"))
        phone = Phone(self.workdir, name, ext, tone, **options)
        self._stack.callback(phone.close)
        phone.register_at(self.port)
        wav = write_tone_wav(self.workdir / f"{name}-tone.wav", tone, 1.0, level=level)
        phone.send("play", file=str(wav))
        return phone


@pytest.fixture
def phones(cc_pbx: ThreadedPbx, tmp_path: Path) -> Iterator[Phones]:
    with contextlib.ExitStack() as stack:
        yield Phones(tmp_path, cc_pbx.sip_udp_port, stack)


def established(phone: Agent, call: int, *, timeout: float = 10.0) -> None:
    """Wait until `call` is answered and has media; fail at once (with the code) if it ends."""
    event = phone.wait_call_state(call, "CONFIRMED", timeout=timeout)
    assert event["state"] == "CONFIRMED", (
        f"{phone.name}: call {call} ended: {event['code']} {event['reason']}"
    )
    phone.wait_event("media_active", call=call)


def ended(phone: Agent, call: int, *, timeout: float = 10.0) -> dict[str, Any]:
    """Wait until `call` is disconnected; returns the event (``code``: the final status)."""
    return phone.wait_event("call_state", call=call, state="DISCONNECTED", timeout=timeout)


def transferred(phone: Agent, call: int) -> None:
    """Wait for the final NOTIFY of `phone`'s REFER on `call`; it must report success."""
    status = phone.wait_event("transfer_status", call=call, final=True)
    assert 200 <= status["code"] < 300, f"{phone.name}: transfer ended with {status}"


def connect(caller: Agent, callee: Agent, number: str) -> tuple[int, int]:
    """`caller` dials `number`, `callee` answers; returns (caller's call, callee's call)."""
    placed = int(caller.send("call", uri=number)["call"])
    incoming = int(callee.wait_event("incoming_call")["call"])
    callee.send("answer", call=incoming, code=200)
    established(caller, placed)
    established(callee, incoming)
    return placed, incoming


def check_hearing(
    workdir: Path,
    phase: str,
    expect: Mapping[Phone, Collection[Phone]],
    *,
    also: Collection[Phone] = (),
    stray: Mapping[Phone, int] | None = None,
) -> dict[Phone, Path]:
    """Record every listener (the keys) for one phase and check who hears whom by tone.

    A listener must hear each phone it maps to in most windows, and must not hear any other
    phone of the test (the listener itself, the others mapped, `also`) in any window, or in
    more than ``stray[listener]`` windows (for a listener hearing a spoken prompt, whose
    voice may pass for a tone now and then). Fails with every mismatch and the windows
    counted; returns the recordings.
    """
    stray = stray or {}
    listeners = list(expect)
    everyone = {p.name: p for p in [*listeners, *also, *(q for v in expect.values() for q in v)]}
    paths = record_phase(listeners, workdir, phase)
    problems = []
    for listener, path in zip(listeners, paths, strict=True):
        wanted = {p.name for p in expect[listener]}
        for other in everyone.values():
            timeline = heard(path, other.tone)
            count = f"{timeline.count(True)}/{len(timeline)} windows"
            if other.name in wanted and not mostly(timeline):
                problems.append(f"{listener.name} does not hear {other.name} ({count})")
            elif other.name not in wanted and timeline.count(True) > stray.get(listener, 0):
                problems.append(f"{listener.name} hears {other.name} ({count})")
    assert not problems, f"{phase}: " + "; ".join(problems)
    return dict(zip(listeners, paths, strict=True))


def known_sound(name: str) -> Path:
    """The file of something the PBX plays: "music" (on hold) or an English prompt."""
    path = music_path() if name == "music" else prompt_path(name, "en")
    assert path is not None, f"no such prompt: {name}"
    return path


@functools.cache
def _reference(name: str, rate: int) -> Samples:
    samples, file_rate = read_wav(known_sound(name))
    return resample(samples, file_rate, rate)


def sounds_in(path: Path, *names: str) -> list[str]:
    """What a recording holds, per 0.2 s window after the settling time: the name of the known
    sound it is a stretch of (see `known_sound`), "?" for other audio, "-" for silence."""
    samples, rate = read_wav(path)
    samples = samples[round(SETTLE_S * rate) :]
    size = round(0.2 * rate)
    labels = []
    for start in range(0, len(samples) - size + 1, size):
        chunk = samples[start : start + size]
        if rms_dbfs(chunk) <= AUDIBLE_DBFS:
            labels.append("-")
            continue
        scores = {n: similarity(chunk, _reference(n, rate), loop=n == "music") for n in names}
        best = max(scores, key=lambda n: scores[n], default="")
        labels.append(best if best and scores[best] >= SAME_SOUND else "?")
    return labels


def listen(agent: Agent, workdir: Path, phase: str, *names: str) -> list[str]:
    """Record `agent` for one phase; `sounds_in` the recording."""
    (path,) = record_phase([agent], workdir, phase)
    return sounds_in(path, *names)
