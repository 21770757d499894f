"""Take the Queues screenshots (S6) from the REAL app: embedded demo PBX, the queue engine,
callers and agents as pjsua2 phones in their own processes.

Run under Xvfb from the project root::

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/screenshots/take_queues.py
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 2100x1350x24" \\
        .venv/bin/python docs/screenshots/take_queues.py --suffix @150 --only nl-light

The demo queues Support (1500) and Sales (1501) get a day's start: Bram (202) answers a call of
Eva (205); with Bram logged out a second call of Eva is missed, and Chris (203, the supervisor)
assigns it to Anna (201), In progress, with a note; Eva calls again and Bram answers (he stays
in the call), Anna is paused in Support and logged in to Sales, and Dana (204) waits in Support.
Then, as Anna: ``queues-list`` (her queues, waiting counts, her switch), ``queues-agent`` (Support
opened: tiles, Dana waiting, the agents) and ``queues-call-log`` (the missed call assigned to
her, chosen); as Chris: ``queues-supervisor-list`` and ``queues-supervisor`` (the agents with
his switches, Listen / Whisper / Barge in on Bram). Each in English and Dutch, light and dark
(``<screen>-<lang>-<scheme>.png``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from take import Shooter, _written  # noqa: E402 - the same folder

from tests.support.agent import Agent, start_agent  # noqa: E402
from tests.ui._app_harness import RealApp  # noqa: E402
from tools.screenshots import OUT  # noqa: E402

WAIT_S = 30.0


async def _api(app: RealApp, extension: str) -> httpx.AsyncClient:
    embedded = app.ctx.session_ctl.embedded
    assert embedded is not None and embedded.info is not None
    client = httpx.AsyncClient(
        base_url=embedded.info.base_url, timeout=10, verify=embedded.info.tls_context() or True
    )
    body = {"username": extension, "password": f"Demo-{extension}!"}
    answer = await client.post("/api/v1/auth/login", json=body)
    answer.raise_for_status()
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


async def _agent_status(api: httpx.AsyncClient, queue: str, extension: str, status: str) -> None:
    answer = await api.put(f"/api/v1/queues/{queue}/agents/{extension}", json={"status": status})
    answer.raise_for_status()


async def _in(thread: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(thread, *args, **kwargs)


async def _call_queue(caller: Agent) -> int:
    placed = int((await _in(caller.send, "call", uri="1500"))["call"])
    await _in(caller.wait_call_state, placed, "CONFIRMED", timeout=WAIT_S)
    return placed


async def _answer(agent: Agent) -> int:
    incoming = await _in(agent.wait_event, "incoming_call", timeout=WAIT_S)
    offered = int(incoming["call"])
    await _in(agent.send, "answer", call=offered, code=200)
    await _in(agent.wait_call_state, offered, "CONFIRMED", timeout=WAIT_S)
    return offered


async def _set_up(app: RealApp, phones: dict[str, Agent]) -> None:
    """The queues' morning (see the module's text), through phones and the API."""
    bram, eva, dana = phones["202"], phones["205"], phones["204"]
    chris, anna = await _api(app, "203"), await _api(app, "201")
    try:
        await _agent_status(chris, "1500", "201", "paused")
        await _agent_status(anna, "1501", "201", "logged_in")
        placed = await _call_queue(eva)  # answered by Bram
        offered = await _answer(bram)
        await asyncio.sleep(2)
        await _in(eva.send, "hangup", call=placed)
        await _in(bram.wait_call_state, offered, "DISCONNECTED", timeout=WAIT_S)
        await _agent_status(chris, "1500", "202", "logged_out")
        placed = await _call_queue(eva)  # nobody takes it: missed
        await asyncio.sleep(4)
        await _in(eva.send, "hangup", call=placed)
        await asyncio.sleep(1)
        missed = (await chris.get("/api/v1/queues/1500/calls", params={"kind": "missed"})).json()
        body = {
            "assigned_to": "201",
            "handling": "in_progress",
            "note": "Called back, no answer; trying again after lunch",
        }
        answer = await chris.put(f"/api/v1/queues/1500/calls/{missed[0]['id']}", json=body)
        answer.raise_for_status()
        await _agent_status(chris, "1500", "202", "logged_in")
        await asyncio.sleep(12)  # Bram's wrap-up after his first call is over
        await _call_queue(eva)  # Bram answers and stays in the call
        await _answer(bram)
        await _call_queue(dana)  # Bram is busy, Anna paused: Dana waits
    finally:
        await chris.aclose()
        await anna.aclose()


async def _scenario(
    app: RealApp, phones: dict[str, Agent], as_supervisor: bool, suffix: str, only: str
) -> None:
    await app.until(lambda: app.online() and bool(app.ctx.directory.everyone), 90, "signed in")
    for extension, phone in phones.items():
        await _in(app.register_agent, phone, extension)
    await _set_up(app, phones)
    window = app.window
    window.resize(1100, 720)
    shooter = Shooter(app, suffix, only)
    page = window.queues_page
    store = app.ctx.queues
    assert page is not None and store is not None
    await app.until(lambda: store.waiting_total == 1, WAIT_S, "Dana waits")
    window.show_section("queues")
    await asyncio.sleep(0.5)
    prefix = "queues-supervisor" if as_supervisor else "queues"
    await shooter.shoot(window, f"{prefix}-list")
    page.list.rows["1500"].open_button.click()
    await app.until(lambda: store.detail is not None and bool(store.calls), WAIT_S, "Support")
    if as_supervisor:
        row = lambda: page.now.agent_rows.get("202")  # noqa: E731
        await app.until(
            lambda: (r := row()) is not None and not r.watch_buttons["listen"].isHidden(),
            WAIT_S,
            "Bram in a call",
        )
    await asyncio.sleep(1.2)  # the wait ticks
    await shooter.shoot(window, prefix if as_supervisor else "queues-agent")
    page.tabs.setCurrentWidget(page.calls)
    await app.until(lambda: bool(page.calls.calls), WAIT_S, "the missed calls")
    page.calls.table.selectRow(0)
    await asyncio.sleep(0.3)
    await shooter.shoot(window, f"{prefix}-call-log")


def _run(
    tmp: Path,
    extension: str,
    scenario: Callable[..., Coroutine[Any, Any, None]],
    args: argparse.Namespace,
) -> None:
    app = RealApp(tmp / f"demo-{extension}", demo=True)
    try:
        app.ctx.settings.mode = "embedded"
        app.ctx.settings.username = extension
        app.start_session()
        with (
            start_agent(tmp / f"bram-{extension}", "bram") as bram,
            start_agent(tmp / f"dana-{extension}", "dana") as dana,
            start_agent(tmp / f"eva-{extension}", "eva") as eva,
        ):
            phones = {"202": bram, "204": dana, "205": eva}
            app.run(scenario(app, phones, extension == "203", args.suffix, args.only))
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Take the Queues screenshots from the real app.")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. @150")
    parser.add_argument("--only", default="", help="one of en-light, nl-light, en-dark, nl-dark")
    args = parser.parse_args()
    qt_app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(qt_app, QApplication)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as name:
        tmp = Path(name)
        machine = tmp / "machine.toml"
        machine.write_text('update_url = ""\n')
        os.environ["ACME_MACHINE_CONFIG"] = str(machine)
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
        _run(tmp, "201", _scenario, args)
        _run(tmp, "203", _scenario, args)
    for path in _written:
        print(path)


if __name__ == "__main__":
    main()
