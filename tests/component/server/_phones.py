"""Three demo colleagues' phones (pjsua2 agents, each playing its own tone) and an API client
on one server: 201 Anna (Sales), 202 Bram and 203 Chris (Support)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import httpx

from tests.support.agent import Agent, start_agent
from tests.support.audio import write_tone_wav
from tests.support.server_process import RunningServer

TONES = {"201": 700.0, "202": 1300.0, "203": 1900.0}


class Office(NamedTuple):
    anna: Agent
    bram: Agent
    chris: Agent
    api: httpx.Client


def register(agent: Agent, server: RunningServer, ext: str, tmp_path: Path) -> Agent:
    """Registers ``agent`` as ``ext`` over UDP and has it play ``ext``'s tone in calls."""
    agent.send(
        "register",
        host="127.0.0.1",
        port=server.sip_udp_port,
        transport="udp",
        user=ext,
        password=f"Demo-{ext}!",
    )
    assert agent.wait_event("registered", timeout=10)["code"] == 200
    if ext in TONES:
        agent.send("play", file=str(write_tone_wav(tmp_path / f"{ext}.wav", TONES[ext], 1.0)))
    return agent


@contextlib.contextmanager
def office(server: RunningServer, tmp_path: Path) -> Iterator[Office]:
    with (
        start_agent(tmp_path, "anna") as anna,
        start_agent(tmp_path, "bram") as bram,
        start_agent(tmp_path, "chris") as chris,
        httpx.Client(base_url=server.base_url, timeout=10) as api,
    ):
        for agent, ext in ((anna, "201"), (bram, "202"), (chris, "203")):
            register(agent, server, ext, tmp_path)
        yield Office(anna, bram, chris, api)


def connected(caller: Agent, callee: Agent, number: str) -> None:
    """``caller`` dials ``number``, ``callee`` answers, both have media."""
    caller.send("call", uri=number)
    callee.wait_event("incoming_call")
    callee.send("answer", code=200)
    caller.wait_event("media_active")
    callee.wait_event("media_active")
