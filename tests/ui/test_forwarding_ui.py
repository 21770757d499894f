"""Forwarding in the top bar on the real app (embedded PBX, demo organisation, signed in as
201): the dialog forwards calls to 202 and the indicator says so; a click on it turns forwarding
off; a change made elsewhere (the API, as a desk phone's ``*21*`` would) shows up through the
``forwarding.changed`` event. Runs in a fresh app (own process)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui._app_harness import RealApp
from ui.forwarding_indicator import ForwardingIndicator

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def real_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealApp]:
    app = RealApp(tmp_path_factory.mktemp("app") / "data", demo=True)
    try:
        app.start_session()
        store = app.ctx.forwarding
        assert store is not None
        app.run(
            app.until(
                lambda: app.online() and bool(store.call_flows),
                60,
                "signed in as 201, registered, forwarding and call flows loaded",
            )
        )
        yield app
    finally:
        app.close()


def _indicator(app: RealApp) -> ForwardingIndicator:
    widget = app.window.forwarding
    assert widget is not None
    return widget


def test_forward_from_the_dialog_then_turn_it_off_from_the_indicator(real_app: RealApp) -> None:
    widget = _indicator(real_app)
    store = real_app.ctx.forwarding
    assert store is not None
    assert widget.set_button.isVisible() and not widget.indicator.isVisible()

    QTest.mouseClick(widget.set_button, Qt.MouseButton.LeftButton)
    dialog = widget.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok.isEnabled()
    QTest.keyClicks(dialog.number, "202")
    assert dialog.ok.isEnabled()
    QTest.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    real_app.run(real_app.until(lambda: store.forwarding.target == "202", 15, "forwarded to 202"))
    assert widget.indicator.isVisible() and not widget.set_button.isVisible()
    assert widget.indicator.text() == "Forwarded to 202"

    QTest.mouseClick(widget.indicator, Qt.MouseButton.LeftButton)
    real_app.run(real_app.until(lambda: store.forwarding.target is None, 15, "forwarding off"))
    assert not widget.indicator.isVisible() and widget.set_button.isVisible()


def test_a_change_made_elsewhere_shows_in_the_top_bar(real_app: RealApp) -> None:
    widget = _indicator(real_app)
    store = real_app.ctx.forwarding
    assert store is not None
    controller = real_app.ctx.forwarding_ctl
    assert controller is not None
    base = controller._conn.require_api().base_url  # the embedded PBX's API
    verify = controller._conn.require_api().tls or True  # and its pinned certificate

    async def put(body: dict[str, object]) -> None:
        async with httpx.AsyncClient(
            base_url=base, timeout=10, trust_env=False, verify=verify
        ) as api:
            login = {"username": "201", "password": "Demo-201!"}
            token = (await api.post("/api/v1/auth/login", json=login)).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            answer = await api.put("/api/v1/me/forwarding", json=body, headers=headers)
            assert answer.status_code == 200, answer.text

    real_app.run(put({"enabled": True, "number": "203"}))
    real_app.run(real_app.until(lambda: store.forwarding.target == "203", 15, "the event"))
    assert widget.indicator.text() == "Forwarded to 203"
    real_app.run(put({"enabled": False, "number": "203"}))
    real_app.run(real_app.until(lambda: store.forwarding.target is None, 15, "the event"))


def test_the_call_flow_of_lunch_forwards_to_the_reception(real_app: RealApp) -> None:
    widget = _indicator(real_app)
    store = real_app.ctx.forwarding
    assert store is not None
    assert store.call_flows.get("lunch") == "default"
    widget.flows_action.trigger()
    dialog = widget.flows_dialog
    assert dialog is not None and dialog.isVisible()
    lunch = dialog.rows["lunch"]
    lunch.choice.setCurrentIndex(lunch.choice.findData("forward"))
    assert lunch.number.isVisible() and not dialog.ok.isEnabled()  # no number yet
    QTest.keyClicks(lunch.number, "200")
    assert dialog.ok.isEnabled()
    QTest.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    real_app.run(
        real_app.until(lambda: store.call_flows.get("lunch") == "forward to 200", 15, "saved")
    )
    assert store.call_flows["dnd"] == "default"


def test_settings_sum_up_the_call_flows_and_change_them(real_app: RealApp) -> None:
    store = real_app.ctx.forwarding
    assert store is not None
    page = real_app.window.settings_page
    assert page is not None
    box = page.calls_box
    assert box.flows_summary.text() == "Calls ring as usual in every status"
    QTest.mouseClick(box.flows_button, Qt.MouseButton.LeftButton)
    dialog = box.flows_dialog
    assert dialog is not None and dialog.isVisible()
    lunch, dnd = dialog.rows["lunch"], dialog.rows["dnd"]
    lunch.choice.setCurrentIndex(lunch.choice.findData("forward"))
    QTest.keyClicks(lunch.number, "200")
    dnd.choice.setCurrentIndex(dnd.choice.findData("voicemail"))
    QTest.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    real_app.run(real_app.until(lambda: store.call_flows.get("dnd") == "voicemail", 15, "saved"))
    assert box.flows_summary.text() == "Lunch: forward to 200 · Do not disturb: voicemail"
