"""Take the presence screenshots from the REAL app: embedded PBX, Anna (201) signed in; Bram
(202) in a meeting with a note and his calls forwarded to 204, Anna's own plan running and her
note, all set through the API.

Run under Xvfb from the project root::

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/screenshots/take_presence.py

Screens, each in English and Dutch, light and dark (``<screen>-<lang>-<scheme>.png``):
``search-presence`` (a colleague's status with its end, note and forwarding in the results),
``search-presence-card`` (the result opened: its details), ``status-menu-planned`` (the status
menu naming the plan that is running), ``profile-menu`` (the own note and the private role) and
``settings-call-flows`` (Settings → Calls with the call flow per status, S9),
``settings-signed-in`` (Settings → Signed in: the app and a script), ``settings-password``
(Settings → Password, as the built-in demo shows it), and forwarding
(C4): ``forwarding-dialog``, ``forwarding-call-flows`` (the dialog from the forwarding button's
menu) and ``forwarding-top-bar`` (the top bar while calls are forwarded).
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
from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QPixmap  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QScrollArea  # noqa: E402
from take import Shooter, _over, _popup, _written, run_demo  # noqa: E402 - the same folder

from app.controllers.calendar import local_zone  # noqa: E402
from tests.ui._app_harness import RealApp  # noqa: E402


async def _signed_in(api: httpx.AsyncClient, ext: str) -> dict[str, str]:
    body = {"username": ext, "password": f"Demo-{ext}!"}
    answer = await api.post("/api/v1/auth/login", json=body)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


async def _set_up(base_url: str, verify: ssl.SSLContext | bool) -> None:
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=10, verify=verify) as api:
        bram = await _signed_in(api, "202")
        until = (now + dt.timedelta(hours=1, minutes=30)).isoformat()
        body = {"status": "meeting", "until": until, "note": "Back at three, call my mobile"}
        (await api.put("/api/v1/me/presence", json=body, headers=bram)).raise_for_status()
        forward = {"enabled": True, "number": "204"}  # colleagues see where his calls go
        (await api.put("/api/v1/me/forwarding", json=forward, headers=bram)).raise_for_status()
        anna = await _signed_in(api, "201")
        body = {"status": "available", "note": "Working from Utrecht today"}
        (await api.put("/api/v1/me/presence", json=body, headers=anna)).raise_for_status()
        local = dt.datetime.now().replace(second=0, microsecond=0)
        plan = {
            "name": "Quarterly planning",
            "status": "meeting",
            "start": (local - dt.timedelta(minutes=5)).isoformat(),
            "end": (local + dt.timedelta(hours=2)).isoformat(),
            "time_zone": local_zone(),
        }
        (await api.post("/api/v1/me/plans", json=plan, headers=anna)).raise_for_status()


async def _scenario(app: RealApp) -> None:
    await app.until(app.online, 60, "signed in")
    embedded = app.ctx.session_ctl.embedded
    assert embedded is not None and embedded.info is not None
    await _set_up(embedded.info.base_url, embedded.info.tls_context() or True)
    window = app.window
    window.resize(1100, 720)
    shooter = Shooter(app, "", "")
    await app.until(lambda: app.ctx.presence.status == "meeting", 20, "the plan's status")
    calendar = app.ctx.calendar
    assert calendar is not None
    now = dt.datetime.now(dt.UTC)
    window.show_section("calendar")  # loads the plans on view, which the status menu names
    await app.until(lambda: calendar.running(now) is not None, 20, "the running plan")
    window.show_section("calls")

    search = window.top_bar.search
    window.raise_()
    window.activateWindow()
    search.setFocus()
    await app.until(search.hasFocus, 10, "the search field has the focus")
    QTest.keyClicks(search, "bram")
    await app.until(
        lambda: search.panel.isVisible() and search.model.rowCount() >= 1, 10, "Bram found"
    )
    await app.until(lambda: search.model.entry(0).note is not None, 10, "Bram's note")
    await app.until(lambda: search.model.entry(0).forwarding == "204", 10, "Bram's forwarding")
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "search-presence")
    search.expand_row(0)
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "search-presence-card")
    search.clear()
    search.panel.hide()

    status = window.top_bar.status

    async def status_menu() -> QPixmap:
        status._build_menu()
        menu = status.menu_
        right = status.width() - menu.sizeHint().width()  # kept inside the window's edge
        await _popup(menu, status.mapToGlobal(QPoint(min(0, right), status.height())))
        shot = _over(window, menu)
        menu.hide()
        return shot

    await shooter.shoot_made("status-menu-planned", status_menu)

    top = window.top_bar

    async def profile_menu() -> QPixmap:
        menu = top.profile_menu
        button = top.profile_button
        at = button.mapToGlobal(QPoint(button.width() - menu.sizeHint().width(), button.height()))
        await _popup(menu, at)
        shot = _over(window, menu)
        menu.hide()
        return shot

    await shooter.shoot_made("profile-menu", profile_menu)

    flows = app.ctx.forwarding
    assert flows is not None
    await app.until(lambda: bool(flows.call_flows), 20, "the call flows")
    changed = {**flows.call_flows, "lunch": "forward to 200", "dnd": "voicemail"}
    app.ctx.forwarding_ctl.set_call_flows(changed)
    await app.until(lambda: flows.call_flows == changed, 20, "the call flows saved")
    window.show_section("settings")
    page = window.settings_page
    area = page.findChild(QScrollArea)
    assert area is not None
    area.ensureWidgetVisible(page.calls_box)
    await shooter.shoot(window, "settings-call-flows")
    # a second sign-in (a script) beside the app's own, for Settings → Signed in
    async with httpx.AsyncClient(
        base_url=embedded.info.base_url,
        timeout=10,
        verify=embedded.info.tls_context() or True,
        headers={"User-Agent": "curl/8.5.0"},
    ) as script:
        await script.post("/api/v1/auth/login", json={"username": "201", "password": "Demo-201!"})
    box = page.sign_ins_box
    assert box is not None
    area.ensureWidgetVisible(box)
    sign_ins = app.ctx.sign_ins
    assert sign_ins is not None
    app.ctx.sign_ins_ctl.load()
    await app.until(lambda: len(sign_ins.sign_ins) >= 2, 20, "two sign-ins")
    await shooter.shoot(window, "settings-signed-in")
    password = page.password_box
    assert password is not None
    area.ensureWidgetVisible(password)
    await shooter.shoot(window, "settings-password")
    window.show_section("calls")
    await _forwarding(app, shooter)


async def _forwarding(app: RealApp, shooter: Shooter) -> None:
    window = app.window
    indicator = window.forwarding
    flows = app.ctx.forwarding
    assert indicator is not None and flows is not None

    async def forward_dialog() -> QPixmap:
        indicator.ask()
        dialog = indicator.dialog
        assert dialog is not None
        dialog.number.setText("202")
        await asyncio.sleep(0.3)
        shot = dialog.grab()
        dialog.reject()
        return shot

    await shooter.shoot_made("forwarding-dialog", forward_dialog)

    async def flows_dialog() -> QPixmap:
        indicator.ask_call_flows()
        dialog = indicator.flows_dialog
        assert dialog is not None
        await asyncio.sleep(0.3)
        shot = dialog.grab()
        dialog.reject()
        return shot

    await shooter.shoot_made("forwarding-call-flows", flows_dialog)
    app.ctx.forwarding_ctl.forward_to("202")
    await app.until(lambda: flows.forwarding.target == "202", 20, "forwarded to 202")
    await shooter.shoot(window.top_bar, "forwarding-top-bar")
    app.ctx.forwarding_ctl.turn_off()
    await app.until(lambda: flows.forwarding.target is None, 20, "forwarding off")


def main() -> None:
    run_demo(lambda app, _tmp: _scenario(app))
    for path in _written:
        print(path)


if __name__ == "__main__":
    main()
