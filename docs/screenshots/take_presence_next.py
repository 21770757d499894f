"""Take the screenshots of a colleague's next planned status from the REAL app: embedded PBX,
Anna (201) signed in; Bram (202) plans a meeting two hours ahead through the API
(``POST /api/v1/me/plans``), and Anna's search result for him, opened, shows "Next: …".

Run under Xvfb from the project root::

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/screenshots/take_presence_next.py

Screen, in English and Dutch, light and dark: ``search-presence-next`` (the result opened:
status, the next planned status with its times, the note and the details).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from take import Shooter, _written, run_demo  # noqa: E402 - the same folder
from take_presence import _signed_in  # noqa: E402 - the same folder

from tests.ui._app_harness import RealApp  # noqa: E402


async def _set_up(base_url: str, verify: ssl.SSLContext | bool) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10, verify=verify) as api:
        bram = await _signed_in(api, "202")
        body = {"status": "available", "note": "Back at three, call my mobile"}
        (await api.put("/api/v1/me/presence", json=body, headers=bram)).raise_for_status()
        start = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).replace(
            minute=0, second=0, microsecond=0, tzinfo=None
        )
        plan = {
            "name": "Budget review",
            "status": "meeting",
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=1)).isoformat(),
            "time_zone": "UTC",
            "note": "room 4",
        }
        (await api.post("/api/v1/me/plans", json=plan, headers=bram)).raise_for_status()


async def _scenario(app: RealApp) -> None:
    await app.until(app.online, 60, "signed in")
    embedded = app.ctx.session_ctl.embedded
    assert embedded is not None and embedded.info is not None
    await _set_up(embedded.info.base_url, embedded.info.tls_context() or True)
    window = app.window
    window.resize(1100, 720)
    shooter = Shooter(app, "", "")
    search = window.top_bar.search
    window.raise_()
    window.activateWindow()
    search.setFocus()
    await app.until(search.hasFocus, 10, "the search field has the focus")
    QTest.keyClicks(search, "bram")
    await app.until(
        lambda: search.panel.isVisible() and search.model.rowCount() >= 1, 10, "Bram found"
    )
    await app.until(lambda: bool(search.model.entry(0).planned), 20, "Bram's next status")
    search.expand_row(0)
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "search-presence-next")


def main() -> None:
    run_demo(lambda app, _tmp: _scenario(app))
    for path in _written:
        print(path)


if __name__ == "__main__":
    main()
