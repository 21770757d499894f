"""Take the calendar screenshots from the REAL app: embedded PBX, Anna (201) signed in, her
plans made through the API.

Run under Xvfb from the project root::

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/screenshots/calendar_take.py

Screens, each in English and Dutch, light and dark (``calendar-<screen>-<lang>-<scheme>.png``):
``calendar-week`` (this week with the weekend: a weekly stand-up, lunch on weekdays, a day off
and two plans that overlap), ``calendar-month`` and ``calendar-dialog`` (a plan opened to edit).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from take import run_demo  # noqa: E402 - the same folder

from app.controllers.calendar import local_zone  # noqa: E402
from tests.ui._app_harness import RealApp  # noqa: E402
from tools.screenshots import OUT  # noqa: E402
from ui.i18n import Translations  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

VARIANTS = (("en", False), ("nl", False), ("en", True), ("nl", True))


def _name(screen: str, lang: str, dark: bool) -> str:
    return f"{screen}-{lang}-{'dark' if dark else 'light'}.png"


async def _look(app: RealApp, lang: str, dark: bool = False) -> None:
    app.shell.set_language(lang)
    apply_theme(app.qt_app, dark=dark)
    for widget in app.qt_app.allWidgets():
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    app.window.side_bar.restyle()
    await asyncio.sleep(0.3)


def _plan(
    name: str, status: str, start: dt.datetime, end: dt.datetime, **kw: object
) -> dict[str, object]:
    body: dict[str, object] = {
        "name": name,
        "status": status,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "time_zone": local_zone(),
    }
    body.update(kw)
    return body


async def _scenario(app: RealApp) -> list[Path]:
    await app.until(app.online, 60, "signed in")
    embedded = app.ctx.session_ctl.embedded
    assert embedded is not None and embedded.info is not None
    store = app.ctx.calendar
    assert store is not None
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(hour, minute))

    verify = embedded.info.tls_context() or True  # the embedded PBX's pinned certificate
    async with httpx.AsyncClient(base_url=embedded.info.base_url, timeout=10, verify=verify) as api:
        body = {"username": "201", "password": "Demo-201!"}
        token = (await api.post("/api/v1/auth/login", json=body)).json()["token"]
        api.headers["Authorization"] = f"Bearer {token}"
        plans = [
            _plan("Stand-up", "meeting", at(0, 9), at(0, 9, 30), repeat="weekly"),
            _plan(
                "Lunch",
                "lunch",
                at(0, 12),
                at(0, 13),
                repeat="custom",
                rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            ),
            _plan("Customer visit Utrecht", "business_trip", at(1, 13), at(1, 17)),
            _plan("Focus time", "dnd", at(2, 14), at(2, 16), note="Quarterly report"),
            _plan("Dentist", "not_present", at(2, 15), at(2, 16)),
            _plan("Day off", "vacation", at(4, 0), at(4, 0), all_day=True),
        ]
        for p in plans:
            (await api.post("/api/v1/me/plans", json=p)).raise_for_status()
    window = app.window
    window.resize(1100, 720)
    window.show_section("calendar")
    page = window.calendar_page
    assert page is not None
    written: list[Path] = []
    for view, name in (("week_weekend", "calendar-week"), ("month", "calendar-month")):
        page.set_view(view)  # type: ignore[arg-type]
        await app.until(lambda: len(store.plans) == len(plans), 20, "the plans")
        for lang, dark in VARIANTS:
            await _look(app, lang, dark)
            page.redraw()
            path = OUT / _name(name, lang, dark)
            window.grab().save(str(path))
            written.append(path)
    focus = next(p for p in store.plans if p.draft.name == "Focus time")
    for lang, dark in VARIANTS:
        await _look(app, lang, dark)
        dialog = page.open_plan(focus.id)
        assert dialog is not None
        await asyncio.sleep(0.3)
        path = OUT / _name("calendar-dialog", lang, dark)
        dialog.grab().save(str(path))
        written.append(path)
        dialog.reject()
    await _look(app, "en")
    return written


def main() -> None:
    written = run_demo(lambda app, _tmp: _scenario(app))
    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    Translations(qt_app).install("en")
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
