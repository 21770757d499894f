"""Settings → Signed in against a real server: the app's own sign-in and a script's are listed
with what signed in and from where; signing the script out from the list ends its token."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from app.api import ApiClient
from app.connection import Connection
from app.controllers.sign_ins import SignInsController
from app.notices import Notices
from app.sign_ins import program_of
from app.stores.sign_ins import SignInsStore
from app.tasks import TaskRunner
from tests.component.app._wait import until
from tests.support.server_process import start_server
from ui.pages.password_settings import PasswordSettings
from ui.pages.sign_ins_settings import SignInsSettings


async def test_the_list_shows_both_sign_ins_and_signs_the_script_out(
    tmp_path: Path, qapp: QApplication
) -> None:
    server = start_server(tmp_path, demo=True)
    api = ApiClient(server.base_url)
    script = httpx.AsyncClient(
        base_url=server.base_url, timeout=10, headers={"User-Agent": "curl/8.5.0"}
    )
    try:
        body = {"username": "201", "password": "Demo-201!"}
        token = (await script.post("/api/v1/auth/login", json=body)).json()["token"]
        script.headers["Authorization"] = f"Bearer {token}"
        await api.login("201", "Demo-201!")
        notices = Notices()
        store = SignInsStore()
        ctl = SignInsController(
            store,
            Connection(api=api, extension="201"),
            TaskRunner(asyncio.get_running_loop(), notices),
        )
        section = SignInsSettings(store, ctl)
        section.show()  # coming into view asks for the list
        await until(lambda: section.list.count() == 2, 10.0, "two sign-ins listed")
        lines = [section.list.item(i).text() for i in range(2)]  # this app first
        assert lines[0].startswith("AcmePhone ") and lines[0].endswith(": this app, now")
        assert lines[1].startswith("curl/8.5.0 on 127.0.0.1: last used ")
        assert not section.sign_out.isEnabled()
        section.list.item(0).setSelected(True)  # this app's own: not selectable
        assert not section.sign_out.isEnabled()
        section.list.item(1).setSelected(True)
        section.sign_out.click()
        await until(lambda: section.list.count() == 1, 10.0, "the script signed out")
        assert (await script.get("/api/v1/me")).status_code == 401
        assert (await api.me())["extension"] == "201"  # the app stays signed in
        assert not notices.recent
        assert program_of("Mozilla/5.0 (X11) Gecko/20100101 Firefox/133.0") == "Firefox"
    finally:
        await script.aclose()
        await api.aclose()
        server.stop()


async def test_the_password_form_says_what_is_wrong_and_changes_it(
    tmp_path: Path, qapp: QApplication
) -> None:
    server = start_server(tmp_path, demo=True)
    api = ApiClient(server.base_url)
    try:
        await api.login("204", "Demo-204!")
        notices = Notices()
        store = SignInsStore()
        ctl = SignInsController(
            store,
            Connection(api=api, extension="204"),
            TaskRunner(asyncio.get_running_loop(), notices),
        )
        form = PasswordSettings(ctl, lambda: False)
        form.show()
        assert form.button.isEnabled() and "8 to 30 characters" in form.hint.text()

        def fill(current: str, new: str, again: str | None = None) -> None:
            form.current.setText(current)
            form.new.setText(new)
            form.repeated.setText(new if again is None else again)
            form.button.click()

        fill("Demo-204!", "Nieuw-Wachtwoord-1", "Nieuw-Wachtwoord-2")
        assert form.message.text() == "The new password and its repetition differ."
        fill("Demo-204!", "short")
        await until(lambda: form.pending is None and "needs" in form.message.text(), 10.0, "")
        assert form.message.text().splitlines() == [
            "The new password needs:",
            "At least 8 characters.",
            "At least one digit (0-9).",
            "At least one upper case letter (A-Z).",
            "At least one special character, such as ! # $ % & * + - . : ; ? @ _",
        ]
        fill("Wrong-204!", "Nieuw-Wachtwoord-1!")
        await until(lambda: form.pending is None and "not right" in form.message.text(), 10, "")
        fill("Demo-204!", "Nieuw-Wachtwoord-1!")
        await until(lambda: form.pending is None and "changed" in form.message.text(), 10, "")
        assert form.current.text() == "" and not notices.recent
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as other:
            body = {"username": "204", "password": "Nieuw-Wachtwoord-1!"}
            assert (await other.post("/api/v1/auth/login", json=body)).status_code == 200
        assert (await api.me())["extension"] == "204"  # this sign-in stays

        demo = PasswordSettings(ctl, lambda: True)
        demo.show()
        assert not demo.button.isEnabled() and "demo organisation" in demo.hint.text()
    finally:
        await api.aclose()
        server.stop()
