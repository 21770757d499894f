"""Take the chat screenshots from the REAL app: embedded PBX, Anna (201) signed in, colleagues
chatting through the API.

Run under Xvfb from the project root::

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/screenshots/take_chat.py

Screens, each in English and Dutch, light and dark (``chat-<screen>-<lang>-<scheme>.png``):
``chat-list`` (the conversations with unread badges, none open), ``chat-direct`` (a 1:1 chat with
Bram: Anna's messages with the green read mark and the grey received mark) and ``chat-group``
(the group "Support NL" with its picture and the senders' names) and ``chat-group-info`` (the
group's info dialog: picture, name, members, add people). The texts use symbols the DejaVu fonts of
a bare Linux machine draw (☎ ☕ ☺ ✔); colour emoji need the system's emoji font.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from take import run_demo  # noqa: E402 - the same folder

from tests.ui._app_harness import RealApp  # noqa: E402
from tools.screenshots import OUT  # noqa: E402
from ui.avatars import image_data_url  # noqa: E402
from ui.i18n import Translations  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

VARIANTS = (("en", False), ("nl", False), ("en", True), ("nl", True))


async def _look(app: RealApp, lang: str, dark: bool) -> None:
    app.shell.set_language(lang)
    apply_theme(app.qt_app, dark=dark)
    for widget in app.qt_app.allWidgets():
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    app.window.side_bar.restyle()
    await asyncio.sleep(0.3)


async def _shoot(app: RealApp, widget: QWidget, name: str) -> list[Path]:
    out = []
    for lang, dark in VARIANTS:
        await _look(app, lang, dark)
        path = OUT / f"{name}-{lang}-{'dark' if dark else 'light'}.png"
        widget.grab().save(str(path))
        out.append(path)
    await _look(app, "en", False)
    return out


def _team_picture() -> str:
    """A group picture as the group dialog sends it (a 96 px JPEG data URL)."""
    image = QImage(320, 320, QImage.Format.Format_RGB32)
    p = QPainter(image)
    gradient = QLinearGradient(0, 0, 320, 320)
    gradient.setColorAt(0, QColor("#0ea5e9"))
    gradient.setColorAt(1, QColor("#6366f1"))
    p.fillRect(0, 0, 320, 320, gradient)
    p.setPen(QColor("white"))
    font = QFont()
    font.setPixelSize(150)
    font.setBold(True)
    p.setFont(font)
    p.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, "☎")
    p.end()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "team.png"
        image.save(str(path))
        return image_data_url(path)


async def _shoot_info(app: RealApp) -> list[Path]:
    """The open group's info dialog (built in the language of the moment, so one per look)."""
    page = app.window.chat_page
    assert page is not None
    out = []
    for lang, dark in VARIANTS:
        await _look(app, lang, dark)
        page._ask_info()
        dialog = page.group_dialog
        assert dialog is not None
        dialog.resize(460, 520)
        await asyncio.sleep(0.3)
        path = OUT / f"chat-group-info-{lang}-{'dark' if dark else 'light'}.png"
        dialog.grab().save(str(path))
        dialog.reject()
        out.append(path)
    await _look(app, "en", False)
    return out


async def _shoot_new_chat(app: RealApp) -> list[Path]:
    """The New chat dialog with a name half typed and the colleagues it suggests."""
    page = app.window.chat_page
    assert page is not None
    out = []
    for lang, dark in VARIANTS:
        await _look(app, lang, dark)
        page._ask_direct()
        dialog = page.chat_dialog
        assert dialog is not None
        dialog.resize(420, 300)
        dialog.finder.field.setText("br")
        dialog.finder.suggest("br")
        await asyncio.sleep(0.3)
        path = OUT / f"chat-new-{lang}-{'dark' if dark else 'light'}.png"
        dialog.grab().save(str(path))
        dialog.reject()
        out.append(path)
    await _look(app, "en", False)
    return out


async def _client(base: str, ext: str, verify: ssl.SSLContext | bool) -> httpx.AsyncClient:
    api = httpx.AsyncClient(base_url=base, timeout=10, verify=verify)
    body = {"username": ext, "password": f"Demo-{ext}!"}
    token = (await api.post("/api/v1/auth/login", json=body)).json()["token"]
    api.headers["Authorization"] = f"Bearer {token}"
    return api


async def _say(api: httpx.AsyncClient, cid: int, text: str) -> int:
    r = await api.post(f"/api/v1/chats/{cid}/messages", json={"text": text})
    r.raise_for_status()
    return int(r.json()["seq"])


async def _scenario(app: RealApp) -> list[Path]:
    await app.until(app.online, 60, "signed in")
    embedded = app.ctx.session_ctl.embedded
    assert embedded is not None and embedded.info is not None
    base = embedded.info.base_url
    verify = embedded.info.tls_context() or True  # the embedded PBX's pinned certificate
    anna, bram, chris = [await _client(base, e, verify) for e in ("201", "202", "203")]
    chat, ctl = app.ctx.chat, app.ctx.chat_ctl
    assert chat is not None and ctl is not None
    window = app.window
    window.resize(1100, 720)
    window.show_section("calls")
    try:
        made = await bram.post("/api/v1/chats", json={"kind": "direct", "members": ["201"]})
        direct = int(made.json()["id"])
        await _say(bram, direct, "Hoi Anna, heb jij de offerte voor Jansen BV al verstuurd?")
        seq = await _say(anna, direct, "Ja, vanochtend om 9 uur ✔")
        await bram.post(f"/api/v1/chats/{direct}/read", json={"seq": seq})
        await _say(bram, direct, "Top, dank je! Bel je me even als de klant reageert? ☎")
        seq = await _say(anna, direct, "Doe ik ☕")
        await bram.post(f"/api/v1/chats/{direct}/delivered", json={"seq": seq})
        made = await chris.post(
            "/api/v1/chats",
            json={
                "kind": "group",
                "name": "Support NL",
                "members": ["201", "202", "204"],
                "picture": _team_picture(),
            },
        )
        group = int(made.json()["id"])
        await _say(chris, group, "Wie neemt vanmiddag de wachtrij over?")
        await _say(bram, group, "Ik tot 15:00, daarna graag iemand anders ♥")
        other = await chris.post("/api/v1/chats", json={"kind": "direct", "members": ["201"]})
        await _say(chris, int(other.json()["id"]), "Lunch om 12:30? ☺")
        await app.until(lambda: len(chat.conversations) == 3, 20, "three chats")
        await app.until(lambda: chat.unread_total >= 3, 20, "unread chats")
        window.show_section("chat")
        written = await _shoot(app, window, "chat-list")
        ctl.open(direct)
        await app.until(lambda: len(chat.messages.get(direct, [])) == 4, 20, "the 1:1 chat")
        await app.until(lambda: (c := chat.get(direct)) is not None and not c.unread, 20, "")
        written += await _shoot(app, window, "chat-direct")
        await _say(anna, group, "Ik neem het na 15:00 over ✔")
        ctl.open(group)
        await app.until(lambda: len(chat.messages.get(group, [])) == 3, 20, "the group")
        written += await _shoot(app, window, "chat-group")
        written += await _shoot_info(app)
        written += await _shoot_new_chat(app)
        return written
    finally:
        for api in (anna, bram, chris):
            await api.aclose()


def main() -> None:
    written = run_demo(lambda app, _tmp: _scenario(app))
    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    Translations(qt_app).install("en")
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
