"""Settings → Headset call control and the Options menu item, on the real headset store."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from app.headset import HeadsetBridge
from app.notices import Notices
from app.settings import Settings
from app.stores.calls import CallsStore
from app.stores.headset import AUTOMATIC, HeadsetDevice, HeadsetStore
from app.tasks import TaskRunner
from headset import DeviceInfo, SoftwareBackend, SoftwareDevice
from tests.component.app._wait import until
from tests.headset.conftest import load
from tests.ui.fakes import FakeCallActions, FakeContext, FakeHeadsetActions
from ui.i18n import TRANSLATION_DIR
from ui.main_window import MainWindow
from ui.pages.headset_settings import HeadsetAction, HeadsetSettings

JABRA = HeadsetDevice("0b0e:0307:S1", "Jabra EVOLVE LINK MS", 0x0B0E, 0x0307)


def test_no_headset_is_said_plainly_and_choices_go_to_the_controller(qtbot: Any) -> None:
    store, ctl = HeadsetStore(), FakeHeadsetActions()
    section = HeadsetSettings(store, ctl)
    qtbot.addWidget(section)
    assert section.status.text() == "No headset with call control found"
    assert "Teams" in section.warning.text() and "Sync device buttons" in section.warning.text()
    assert section.device_combo.count() == 1
    assert section.device_combo.currentText() == "Automatic"
    assert section.enabled.isChecked()

    store.set_devices([JABRA])
    store.set_current(JABRA)
    assert section.status.text() == "In use: Jabra EVOLVE LINK MS"
    assert [section.device_combo.itemText(i) for i in range(2)] == ["Automatic", JABRA.name]
    section.device_combo.setCurrentIndex(1)
    section.enabled.setChecked(False)
    assert ctl.calls == [("select", (JABRA.device_id,)), ("set_enabled", (False,))]

    store.set_selected("1395:009c:gone")
    assert section.device_combo.currentText() == "Chosen headset (not connected)"
    store.set_enabled(False)
    assert section.status.text() == "Headset call control is off."
    assert not section.device_combo.isEnabled()


def test_press_indicator_lights_for_each_press(qtbot: Any) -> None:
    store = HeadsetStore()
    section = HeadsetSettings(store, FakeHeadsetActions())
    qtbot.addWidget(section)
    assert section.press.text() == "Connect a headset to test its buttons."
    store.set_devices([JABRA])
    store.set_current(JABRA)
    assert section.press.text() == "Press a button on the headset."
    store.add_press("Hook Switch", "hook", 1)
    assert section.press.text() == "Hook Switch: pressed"
    assert section.press.property("lit") is True
    store.add_press("Hook Switch", "hook", 0)
    assert section.press.text() == "Hook Switch: released"
    assert store.last_press is not None and store.last_press.count == 2
    qtbot.waitUntil(lambda: section.press.property("lit") is False, timeout=3000)
    assert section.press.text() == "Press a button on the headset."


def test_options_menu_item_and_settings_follow_each_other(qtbot: Any) -> None:
    ctx = FakeContext()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    actions = [a for a in window.options_menu.actions() if isinstance(a, HeadsetAction)]
    assert len(actions) == 1
    action = actions[0]
    assert action.text() == "Headset call control" and action.isChecked()
    section = window.settings_page.findChild(HeadsetSettings)
    assert section is not None
    action.setChecked(False)
    assert ctx.headset_ctl.calls == [("set_enabled", (False,))]
    ctx.headset.set_enabled(False)  # what the controller does
    assert not section.enabled.isChecked() and not action.isChecked()
    ctx.headset.set_enabled(True)
    assert action.isChecked() and section.enabled.isChecked()
    assert ctx.headset_ctl.calls == [("set_enabled", (False,))]


def test_dutch_texts(qtbot: Any) -> None:
    translator = QTranslator()
    assert translator.load(str(Path(TRANSLATION_DIR) / "acmephone_nl.qm"))
    app = QCoreApplication.instance()
    assert app is not None
    app.installTranslator(translator)
    try:
        store = HeadsetStore()
        section = HeadsetSettings(store, FakeHeadsetActions())
        qtbot.addWidget(section)
        assert section.title() == "Headset gespreksbeheer"
        assert section.status.text() == "Geen headset met gespreksbeheer gevonden"
        assert "Apparaatknoppen synchroniseren" in section.warning.text()
        assert section.device_combo.itemText(0) == "Automatisch"
    finally:
        app.removeTranslator(translator)


@pytest.fixture
def bridge_loop(qapp: Any, tmp_path: Path) -> Any:
    from app.headless import qt_loop

    loop = qt_loop()
    asyncio.set_event_loop(loop)
    yield loop, tmp_path
    loop.close()
    asyncio.set_event_loop(None)


def test_a_real_press_reaches_the_indicator(qtbot: Any, bridge_loop: Any) -> None:
    loop, tmp_path = bridge_loop
    backend = SoftwareBackend()
    info = DeviceInfo(b"/dev/hidraw3", 0x0B0E, 0x0307, "Jabra", "EVOLVE LINK MS", "S1", 0x0B, 5, 1)
    device = SoftwareDevice(info, load("jabra-evolve-link-ms"))
    backend.plug(device)
    store, notices = HeadsetStore(), Notices()
    runner = TaskRunner(loop, notices)
    bridge = HeadsetBridge(
        store,
        CallsStore(),
        FakeCallActions(),  # type: ignore[arg-type]
        Settings(tmp_path / "settings.ini"),
        notices,
        runner,
        backend=backend,
    )
    section = HeadsetSettings(store, bridge)
    qtbot.addWidget(section)
    bridge.start()
    try:
        loop.run_until_complete(until(lambda: store.current is not None, 5, "headset in use"))
        assert section.status.text() == "In use: Jabra EVOLVE LINK MS"
        assert section.device_combo.currentData() == AUTOMATIC
        device.press(bytes.fromhex("020100"))
        loop.run_until_complete(until(lambda: store.last_press is not None, 5, "press"))
        assert section.press.text() == "Hook Switch: pressed"
    finally:
        loop.run_until_complete(runner.cancel_all())
    assert bridge.manager is None  # the app's quit released the headset
